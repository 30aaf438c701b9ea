// The language server under hostile or careless input (issue 14), through the real stdio protocol
// and with the heap flags the extension starts it with (serverNodeArgs): it stays responsive
// while queries compute, stops what runs too long, keeps its memory within a budget, and follows
// the protocol where editors (or attackers) do not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol';
import { serverNodeArgs } from '../../src/protocol/protocol.js';
import { ensureServerBuilt, type LspClient, serverBundle, startClient, uriOf } from './lsp.js';

const MODEL =
  'model m { vocab a b c d e f g h i j k; p 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.05 0.05; reward 0 1 2 3 4 5 6 7 8 9 10; length 1000 }\n';
/** About a second of Monte Carlo each (50 × best-of-1000 over 1000 tokens); distinct seeds, so none is a cache hit. */
const slow = (count: number, from = 1) =>
  Array.from(
    { length: count },
    (_, i) => `simulate(m, method = bon, N = 1000, samples = 50, seed = ${from + i})\n`,
  ).join('');

describe('server: responsive while queries compute, and they stop when they run too long', () => {
  let c: LspClient;
  before(async () => {
    c = await startClient({ initializationOptions: { debounceMs: 0, queryTimeLimitMs: 400 } });
  });
  after(async () => {
    assert.equal(await c.shutdown(), 0);
  });

  it('answers a completion between two slow queries, before the evaluation is done', async () => {
    const uri = uriOf('slow-completion.align');
    const text = `${MODEL}${slow(4)}tilt(m, delta = 1)\n`;
    void c.open(uri, text);
    const published = c.waitForResults(uri, 1).then(() => performance.now());
    await new Promise((r) => setTimeout(r, 50));
    const answered = c.conn
      .sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 6, character: 0 } })
      .then(() => performance.now());
    const [answeredAt, publishedAt] = await Promise.all([answered, published]);
    assert.ok(
      answeredAt < publishedAt,
      `completion answered ${Math.round(answeredAt - publishedAt)} ms relative to the results (must be before)`,
    );
  });

  it('a query past the time limit stops with an error; the rest of the document is evaluated', async () => {
    const uri = uriOf('slow-limit.align');
    const text = `${MODEL}${slow(1, 100)}tilt(m, delta = 1)\n`;
    await c.open(uri, text);
    const r = await c.waitForResults(uri, 1);
    const [sim, tilt] = r.analysis.results;
    assert.match(String(sim.error), /stopped: it took longer than the time allowed/);
    assert.equal(tilt.error, undefined);
    assert.equal(r.analysis.diagnostics.filter((d) => d.code === 'evaluation-failed').length, 1);
  });

  it('the query that used to hang (λ = 1e40) finishes, and hover is answered meanwhile', async () => {
    const uri = uriOf('hang.align');
    const text =
      'model m { vocab b c; p 0.5 0.5; reward 0 1 }\nrate(m, lambda = 1e40, x = 0.5)\nrate(m, beta = 1e-40, x = 0.5)\n';
    await c.open(uri, text);
    const hover = await c.conn.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 1, character: 1 },
    });
    assert.ok(hover, 'hover answered');
  });

  it('after a model file is read, a mistake shows before any query is evaluated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'align-early-'));
    try {
      const rows = Array.from({ length: 20_000 }, (_, i) => `t${i},${1 / 20_000},${i % 11}`);
      writeFileSync(join(dir, 'big.csv'), `token,p,reward\n${rows.join('\n')}\n`);
      const uri = pathToFileURL(join(dir, 'early.align')).toString();
      // The first query runs into the time limit (400 ms); the typo is on the last line.
      const text = `${MODEL}model big from "big.csv" { length 8 }\n${slow(1, 300)}tilt(big, delta = 1)\ntilt(nope, delta = 1)\n`;
      void c.open(uri, text);
      const results = c.waitForResults(uri, 1, 20_000).then(() => performance.now());
      const deadline = performance.now() + 20_000;
      let firstAt: number | undefined;
      while (firstAt === undefined && performance.now() < deadline) {
        const first = c.published.find((p) => p.uri === uri && p.version === 1);
        if (first) {
          assert.ok(
            first.diagnostics.some((d) => d.code === 'unknown-model'),
            `first diagnostics: ${JSON.stringify(first.diagnostics)}`,
          );
          firstAt = performance.now();
        } else await new Promise((r) => setTimeout(r, 2));
      }
      assert.ok(firstAt !== undefined, 'diagnostics were published');
      const resultsAt = await results;
      assert.ok(
        resultsAt - firstAt >= 200,
        `the diagnostics came ${Math.round(resultsAt - firstAt)} ms before the results (the slow query takes 400): ${JSON.stringify(c.results.get(uri)?.analysis.results.map((r) => [r.query, r.error]))}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an edit while a long evaluation runs abandons it: the newer version is published, never the old', async () => {
    const uri = uriOf('slow-edit.align');
    void c.open(uri, `${MODEL}${slow(3, 200)}`);
    await new Promise((r) => setTimeout(r, 100));
    const v2 = c.change(uri, `${MODEL}tilt(m, delta = 2)\n`);
    const r = await c.waitForResults(uri, v2, 10_000);
    assert.equal(r.version, v2);
    assert.deepEqual(c.resultVersions(uri), [v2], 'no results of version 1 were ever published');
    // Diagnostics of version 1 may have gone out early (what was found before the edit), never after.
    const versions = c.published.filter((p) => p.uri === uri).map((p) => p.version);
    assert.equal(versions.at(-1), v2);
    assert.ok(
      versions.every((v, i) => i === 0 || (v ?? 0) >= (versions[i - 1] ?? 0)),
      `in order: ${versions}`,
    );
  });
});

describe('server: protocol', () => {
  /** Spawns the server and writes raw bytes to it; returns its stdout, stderr and exit code. */
  async function raw(
    bytes: string,
    waitMs = 1500,
  ): Promise<{ out: string; err: string; code: number | null }> {
    await ensureServerBuilt();
    const child = spawn(process.execPath, [...serverNodeArgs, serverBundle, '--stdio']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stdin.write(bytes);
    const code = await Promise.race([
      exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), waitMs)),
    ]);
    if (code === 'running') child.kill();
    return { out, err, code: code === 'running' ? null : code };
  }
  const frame = (o: object) => {
    const body = JSON.stringify(o);
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };

  it('a request before initialize is answered with ServerNotInitialized (−32002); a notification is dropped', async () => {
    const { out } = await raw(
      frame({
        jsonrpc: '2.0',
        method: 'textDocument/didOpen',
        params: { textDocument: { uri: 'file:///x.align', languageId: 'align', version: 1, text: 'junk(' } },
      }) +
        frame({
          jsonrpc: '2.0',
          id: 7,
          method: 'textDocument/hover',
          params: { textDocument: { uri: 'file:///x.align' }, position: { line: 0, character: 0 } },
        }),
    );
    assert.match(out, /"id":7/);
    assert.match(out, /"code":-32002/);
    assert.doesNotMatch(out, /publishDiagnostics/, 'the early didOpen was dropped');
  });

  for (const [what, header] of [
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}'],
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n'],
    ['an absurd Content-Length', 'Content-Length: 99999999999\r\n\r\n{}'],
    ['a header without Content-Length', 'Content-Type: x\r\n\r\n{}'],
  ] as const) {
    it(`${what}: the server says so on stderr and exits with 1 (no silent wedge)`, async () => {
      const { err, code } = await raw(header);
      assert.equal(code, 1, `exit code (stderr: ${err})`);
      assert.match(err, /malformed LSP message framing/);
    });
  }

  it('a didChange whose version is not newer is ignored (the text stays as it was)', async () => {
    const c = await startClient();
    try {
      const uri = uriOf('versions.align');
      await c.open(uri, `${MODEL}tilt(m, delta = 1)\n`);
      const v2 = c.change(uri, `${MODEL}tilt(m, delta = 2)\n`);
      await c.waitForDiagnostics(uri, v2);
      // A replayed older change: would make the document `tilt(m, delta = 9)` if applied.
      await c.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 1 },
        contentChanges: [{ text: `${MODEL}tilt(m, delta = 9)\n` }],
      });
      const r = (await c.conn.sendRequest('alignLab/getResults', { uri })) as {
        version: number;
        analysis: { results: { value?: { kl: number } }[] };
      };
      assert.equal(r.version, v2);
      assert.equal(r.analysis.results[0].value?.kl, 2);
    } finally {
      await c.shutdown();
    }
  });
});

describe('server: memory stays within budget under the extension heap flags', () => {
  let c: LspClient;
  before(async () => {
    c = await startClient();
  });
  after(async () => {
    assert.equal(await c.shutdown(), 0, 'still alive and exits cleanly after everything below');
  });

  const alive = async () => {
    const uri = uriOf('alive.align');
    await c.open(uri, 'model t { vocab a b; p 0.5 0.5; reward 0 1 }\ntilt(t, delta = 0.1)\n');
    c.close(uri);
  };

  it('80 frontiers of 10,000 steps: later ones are refused with one evaluation-budget warning', async () => {
    const uri = uriOf('frontiers.align');
    void c.open(uri, `${MODEL}${'frontier(m, steps = 10000)\n'.repeat(80)}`);
    const r = await c.waitForResults(uri, 1, 30_000);
    const d = c.diagnostics.get(uri)!;
    const budget = d.diagnostics.filter((x) => x.code === 'evaluation-budget');
    assert.equal(budget.length, 1);
    assert.ok(
      r.analysis.results.some((x) => x.value) &&
        r.analysis.results.some((x) => x.error?.startsWith('not evaluated')),
    );
    c.close(uri);
    await alive();
  });

  it('10,000 bon queries: the first 1000 are evaluated', async () => {
    const uri = uriOf('bons.align');
    const lines = Array.from({ length: 10_000 }, (_, i) => `bon(t, N = ${i + 1})`).join('\n');
    void c.open(uri, `model t { vocab a b c; p 0.2 0.3 0.5; reward 0 1 2; length 16 }\n${lines}\n`);
    await c.waitForResults(uri, 1, 30_000);
    const d = c.diagnostics.get(uri)!;
    assert.equal(d.diagnostics.filter((x) => x.code === 'evaluation-budget').length, 1);
    c.close(uri);
    await alive();
  });

  it('300 KB of random bytes: at most 1001 diagnostics, the last one says how many more', async () => {
    const uri = uriOf('random.align');
    let text = '';
    let seed = 12345;
    for (let i = 0; i < 300_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += String.fromCharCode(32 + (seed % 95));
      if (seed % 61 === 0) text += '\n';
    }
    const d = await c.open(uri, text);
    assert.ok(d.diagnostics.length <= 1001, `${d.diagnostics.length} diagnostics`);
    assert.equal(d.diagnostics.at(-1)?.code, 'too-many-problems');
    c.close(uri);
    await alive();
  });

  it('a 20 MB document: one document-too-large error, no analysis', async () => {
    const uri = uriOf('huge.align');
    const d = await c.open(uri, `# ${'x'.repeat(20 * 2 ** 20)}\n`);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['document-too-large'],
    );
    c.close(uri);
    await alive();
  });

  it('3,000 open documents', async () => {
    const uris = Array.from({ length: 3000 }, (_, i) => uriOf(`many-${i}.align`));
    // In batches (each open waits for its diagnostics; 3,000 at once would queue for a while).
    for (let b = 0; b < uris.length; b += 200)
      await Promise.all(
        uris
          .slice(b, b + 200)
          .map((u, i) =>
            c.open(u, `${MODEL}tilt(m, delta = ${1 + ((b + i) % 7)})\nfrontier(m, steps = 64)\n`),
          ),
      );
    for (const u of uris) c.close(u);
    await alive();
  });
});

describe('server: hover text cannot be turned into markup by a file', () => {
  const hostile = [
    'model `evil` {',
    '  vocab "a`b*c" "x](command:workbench.action.terminal.new)" "<img src=https://e/x.png>" plain',
    '  p 0.25 0.25 0.25 0.25',
    '  reward 0 1 2 3',
    '  length 4',
    '}',
    'tilt(`evil`, delta = 1)',
    '',
  ].join('\n');

  it('token names, model names and errors are code spans or escaped text: no link, image or HTML survives', async () => {
    const c = await startClient();
    try {
      const uri = uriOf('hostile-hover.align');
      await c.open(uri, hostile);
      for (const [line, character] of [
        [1, 9],
        [1, 20],
        [1, 60],
        [6, 1],
      ] as const) {
        const hover = (await c.conn.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: { line, character },
        })) as {
          contents: { value: string };
        } | null;
        if (!hover) continue;
        const md = hover.contents.value;
        // A link or image needs an unescaped `[`…`](`, HTML an unescaped `<` — outside code spans.
        const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
        assert.ok(!/(^|[^\\])\[[^\]]*\]\(/.test(outsideCode), `no link:\n${md}`);
        assert.ok(!/(^|[^\\])<[a-z]/i.test(outsideCode), `no HTML:\n${md}`);
      }
      const token = (await c.conn.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 1, character: 10 },
      })) as {
        contents: { value: string };
      };
      assert.ok(
        token.contents.value.includes('``a`b*c``'),
        `the token name is shown exactly, without backslashes:\n${token.contents.value}`,
      );
    } finally {
      await c.shutdown();
    }
  });

  it('a client without Markdown gets plain text: no markup characters added', async () => {
    const c = await startClient({ hoverFormats: ['plaintext'] });
    try {
      const uri = uriOf('plain-hover.align');
      await c.open(uri, 'model m { vocab a_b c; p 0.5 0.5; reward 0 1; length 4 }\ntilt(m, delta = 1)\n');
      const hover = (await c.conn.sendRequest(HoverRequest.type, {
        textDocument: { uri },
        position: { line: 1, character: 1 },
      })) as {
        contents: { kind: string; value: string };
      };
      assert.equal(hover.contents.kind, 'plaintext');
      assert.ok(!/\*\*|\\|\| :--|`/.test(hover.contents.value), hover.contents.value);
      assert.match(hover.contents.value, /^E\[R\] under φ_λ +[0-9.]+ +reward$/m);
    } finally {
      await c.shutdown();
    }
  });
});
