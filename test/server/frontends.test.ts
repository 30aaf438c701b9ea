// One presentation, every front end (issue 10): every query kind of the examples, rendered by the
// language server (hover over stdio, inlay hints) and by the CLI (`eval` tables), shows the same
// labels and the same formatted headline numbers — the ones the presentation layer computes from
// the results contract. (The preview and the report are checked the same way in
// test/webview/frontends.test.ts, in Chromium.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import { languageEngine } from '../../src/cli/engine.js';
import { analyze } from '../../src/language/index.js';
import {
  DEFAULT_SIGNIFICANT_DIGITS,
  headlineText,
  type QueryKind,
  type QueryResult,
  quantityRows,
} from '../../src/presentation/index.js';
import { runInProcess } from '../cli/harness.js';
import { type LspClient, root, startClient, uriOf } from './lsp.js';

const D = DEFAULT_SIGNIFICANT_DIGITS;
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.align'));
// Fewer Monte Carlo samples: the point is the presentation, not the sampler.
const read = (name: string) =>
  readFileSync(join(root, 'examples', name), 'utf8').replace(/samples = \d+/g, 'samples = 200');
/** Markdown escapes undone: what a reader of the rendered hover sees. */
const rendered = (md: string) => md.replace(/\\([\\`*_{}[\]()<>#+\-.!|~])/g, '$1');

describe('every front end shows the same labels and headline numbers', () => {
  let c: LspClient;
  before(async () => {
    c = await startClient();
  });
  after(async () => {
    await c.shutdown();
  });

  const kinds = new Set<QueryKind>();

  for (const name of examples) {
    it(`examples/${name}: hover, inlay hint and CLI table agree with the presentation layer`, async () => {
      const text = read(name);
      const readFile = (p: string) => readFileSync(join(root, 'examples', p), 'utf8');
      const expected = analyze(text, { readFile }).results.filter(
        (r): r is QueryResult & { value: object } => r.value !== undefined,
      );
      assert.ok(expected.length > 0, name);
      // The server reads the example where it lies (model files next to it).
      const uri = uriOf(`examples/${name}`);
      await c.open(uri, text);
      const hints = await c.conn.sendRequest<InlayHint[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 100_000, character: 0 } },
      });
      const cli = runInProcess(['eval', '-'], languageEngine, {
        stdin: { ok: true, text },
        cwd: join(root, 'examples'),
      });
      for (const r of expected) {
        kinds.add(r.query);
        const where = `${name}:${r.range.start.line + 1} ${r.query}`;
        const headline = headlineText(r, D);
        assert.ok(headline, where);
        // Inlay hint: exactly the headline.
        const hint = hints.find((h) => h.position.line === r.range.end.line);
        assert.equal(hint?.label, `→ ${headline}`, `${where}: inlay hint`);
        // CLI: the headline line and every quantity row (label … value … unit).
        assert.ok(cli.stdout.includes(`  → ${headline}\n`), `${where}: CLI headline ${headline}`);
        // Hover: the same quantity rows.
        const hover = await c.conn.sendRequest<Hover>('textDocument/hover', {
          textDocument: { uri },
          position: r.range.start,
        });
        const shown = rendered((hover.contents as { value: string }).value);
        for (const [label, value, unit] of quantityRows(r, D)) {
          assert.ok(
            shown.includes(`| ${label} | ${value} | ${unit || ' '} |`),
            `${where}: hover row ${label} = ${value}\n${shown}`,
          );
          const row = new RegExp(
            `^  ${escapeRegExp(label)} +${escapeRegExp(value)}(  +${escapeRegExp(unit)})?$`,
            'm',
          );
          assert.match(cli.stdout, row, `${where}: CLI row ${label} = ${value}`);
        }
      }
      c.close(uri);
    });
  }

  it('the examples cover every query kind', () => {
    assert.deepEqual([...kinds].sort(), [
      'blockbon',
      'bon',
      'compare',
      'cumulants',
      'equivalence',
      'frontier',
      'methods',
      'rate',
      'reject',
      'renyi',
      'simulate',
      'softbon',
      'tilt',
      'winrate',
    ]);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
