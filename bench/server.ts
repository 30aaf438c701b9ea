/**
 * Language server benchmarks, through the real stdio protocol (test/server/lsp.ts spawns
 * `node dist/server.js --stdio`), warm medians:
 *   - didChange → publishDiagnostics on examples/paper.align (debounceMs = 0: the figure is the
 *     server's own latency; with the default 150 ms the first edit after a pause is just as fast),
 *     typing in a comment (every query answered from the cache) and editing one query's parameter;
 *   - hover on a query;
 *   - 10,000 random edits (test/server/fuzz.ts) and the server's RSS afterwards;
 *   - extension activation: activate() of dist/extension.js with a mocked `vscode` module (a
 *     recursive Proxy standing in for every API), timing the synchronous part VS Code waits for.
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from '../test/server/fuzz.js';
import { root, startClient, uriOf } from '../test/server/lsp.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const report = (name: string, ms: number, target: number, unit = 'ms') =>
  console.log(
    `${name}: median ${ms.toFixed(2)} ${unit} (target ≤ ${target} ${unit})${ms <= target ? '' : '  ✗ OVER TARGET'}`,
  );

export async function latency(): Promise<void> {
  const c = await startClient({ initializationOptions: { debounceMs: 0 } });
  const uri = uriOf('examples/paper.align');
  const text = readFileSync(join(root, 'examples/paper.align'), 'utf8');
  const t0 = performance.now();
  await c.open(uri, text);
  console.log(
    `open examples/paper.align (cold, every query computed once): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const lines = text.split('\n');
  const commentLine = lines.findIndex((l) => l.startsWith('#'));
  const betaLine = lines.findIndex((l) => l.startsWith('tilt(chat, beta = 0.5)'));
  const comment: number[] = [];
  const param: number[] = [];
  for (let i = 0; i < 60; i++) {
    // Typing in a comment: insert then delete one character.
    const at = { line: commentLine, character: 1 };
    let t = performance.now();
    let v = c.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
    await c.waitForDiagnostics(uri, v);
    comment.push(performance.now() - t);
    v = c.change(uri, [{ range: { start: at, end: { line: at.line, character: 2 } }, text: '' }]);
    await c.waitForDiagnostics(uri, v);
    // Editing a parameter: beta = 0.5 → 0.5<i> (one tilt re-evaluated).
    const end = { line: betaLine, character: 'tilt(chat, beta = 0.5'.length };
    t = performance.now();
    v = c.change(uri, [{ range: { start: end, end }, text: String(i % 10) }]);
    await c.waitForDiagnostics(uri, v);
    param.push(performance.now() - t);
    v = c.change(uri, [
      { range: { start: end, end: { line: end.line, character: end.character + 1 } }, text: '' },
    ]);
    await c.waitForDiagnostics(uri, v);
  }
  report('didChange → publishDiagnostics, paper.align, typing in a comment', median(comment.slice(10)), 15);
  report('didChange → publishDiagnostics, paper.align, editing a parameter', median(param.slice(10)), 15);
  const hover: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await c.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: betaLine, character: 2 },
    });
    hover.push(performance.now() - t);
  }
  report('hover on a query', median(hover.slice(20)), 5);
  await c.shutdown();
}

export async function fuzzMemory(): Promise<void> {
  const c = await startClient({ initializationOptions: { debounceMs: 0, maxExactSize: 5000 } });
  const r = await fuzz(c, 10_000, 7);
  console.log(`fuzz: 10,000 random edits, ${r.requests} requests answered in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(
    `server RSS after 10,000 edits: ${r.rssEndMB.toFixed(1)} MB (target ≤ 80 MB)${r.rssEndMB <= 80 ? '' : '  ✗ OVER TARGET'}`,
  );
  console.log(`  (RSS after 200 edits: ${r.rssStartMB.toFixed(1)} MB)`);
  await c.shutdown();
}

/**
 * Measures activation in a plain `node` child (no tsx hooks, which would transform the bundle on
 * every require and dominate the figure), with node's built-in modules preloaded as they are in
 * the extension host; each round re-requires (re-compiles) the bundle. `vscode` is the stand-in of
 * test/helpers/mockVscode.cjs.
 */
const activationProbe = `
const { join } = require('node:path');
const [root, helper] = process.argv.slice(1);
const { installMockVscode, mockContext } = require(helper);
const api = installMockVscode(root);
// The extension host has node's own modules loaded already; so does this probe before timing.
for (const m of ['net', 'stream', 'child_process', 'crypto', 'os', 'url', 'util', 'events', 'fs', 'path']) require('node:' + m);
const path = join(root, 'dist/extension.js');
const out = { total: [], require: [], cpu: [] };
for (let i = 0; i < 30; i++) {
  delete require.cache[path];
  const t = performance.now();
  const c0 = process.cpuUsage();
  const ext = require(path);
  const loaded = performance.now();
  ext.activate(mockContext(api, root));
  out.total.push(performance.now() - t);
  const c1 = process.cpuUsage(c0);
  out.cpu.push((c1.user + c1.system) / 1000);
  out.require.push(loaded - t);
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
`;

export async function activation(): Promise<void> {
  const r = spawnSync(
    process.execPath,
    ['-e', activationProbe, root, join(root, 'test/helpers/mockVscode.cjs')],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`activation probe failed: ${r.stderr}`);
  const {
    total,
    require: req,
    cpu,
  } = JSON.parse(r.stdout) as { total: number[]; require: number[]; cpu: number[] };
  report('extension activation (require + activate, mocked vscode)', median(total.slice(5)), 50);
  console.log(
    `  (of which require: median ${median(req.slice(5)).toFixed(2)} ms; CPU time: median ${median(cpu.slice(5)).toFixed(2)} ms; first, cold: ${total[0].toFixed(1)} ms)`,
  );
}

export async function run(): Promise<void> {
  await latency();
  await activation();
  await fuzzMemory();
}
