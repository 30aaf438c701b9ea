// Regenerates the recorded payloads that come from the real evaluator:
//   paper.json     align-lab eval examples/paper.align --json
//   paper-v2.json  the same with `per_token = 0.6` (every chart's numbers change)
//   errors.json    the same with a misspelt model (an error diagnostic, no results for that query)
// rich.json, rich-v2.json and minimal.json are hand-written: they exercise the optional result
// fields the preview uses when present (docs/preview.md). Usage: npm run build && node test/webview/payloads/regenerate.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const source = readFileSync(join(root, 'examples/paper.align'), 'utf8');

function evaluate(text, out) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'eval', '-', '--json'], {
    input: text,
    cwd: join(root, 'examples'),
    encoding: 'utf8',
  });
  if (r.status === 2 || r.status === 3 || !r.stdout) throw new Error(`align-lab eval failed (${r.status}): ${r.stderr}`);
  const analysis = JSON.parse(r.stdout);
  analysis.file = 'examples/paper.align';
  writeFileSync(join(import.meta.dirname, out), `${JSON.stringify(analysis, null, 1)}\n`);
  console.log(`wrote ${out}: ${analysis.results.length} results, ${analysis.diagnostics.length} diagnostics`);
}

const variant = (from, to) => {
  if (!source.includes(from)) throw new Error(`examples/paper.align no longer contains '${from}'`);
  return source.replace(from, to);
};
evaluate(source, 'paper.json');
evaluate(variant('let per_token = 0.5', 'let per_token = 0.6'), 'paper-v2.json');
evaluate(variant('tilt(chat, delta = budget)', 'tilt(caht, delta = budget)'), 'errors.json');
