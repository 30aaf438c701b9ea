// The extension's activate() against a stand-in `vscode` module (the real one exists only inside
// VS Code; e2e tests cover that): it registers every contributed command, creates its output
// channel and starts the client without throwing, for both the node and the web bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Runs in a plain node child: every vscode API is a callable, constructible, non-thenable proxy,
// except the calls recorded here.
const probe = String.raw`
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const [root, bundle] = process.argv.slice(1);
const make = (path) => new Proxy(function mock() {}, {
  get(_t, prop) {
    if (prop === 'then') return undefined;
    if (prop === Symbol.toPrimitive) return () => path;
    if (prop === Symbol.iterator) return [][Symbol.iterator];
    return make(path + '.' + String(prop));
  },
  apply: () => make(path + '()'),
  construct: () => make('new ' + path),
});
const dts = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
const api = {};
for (const m of dts.matchAll(/^\s*export (?:namespace|class|enum|function|const|let) (\w+)/gm)) api[m[1]] = make('vscode.' + m[1]);
api.version = '1.100.0';
const seen = { commands: [], channels: [] };
api.commands = new Proxy({}, { get: (_t, p) => p === 'registerCommand' ? (id) => (seen.commands.push(id), { dispose() {} }) : make('vscode.commands.' + String(p)) });
api.window = new Proxy({}, { get: (_t, p) => p === 'createOutputChannel' ? (name) => (seen.channels.push(name), make('channel')) : make('vscode.window.' + String(p)) });
globalThis.Worker = class { constructor(url) { seen.worker = url; } postMessage() {} terminate() {} addEventListener() {} };
// The web build starts its worker from a Blob URL of the script read through workspace.fs.
globalThis.Blob = class { constructor(parts) { seen.blobParts = parts.length; } };
URL.createObjectURL = () => 'blob:probe';
const load = Module._load;
Module._load = (request, ...rest) => (request === 'vscode' ? api : load(request, ...rest));
const context = { subscriptions: [], extensionUri: api.Uri, asAbsolutePath: (p) => join(root, p), globalState: api.Memento, workspaceState: api.Memento };
require(bundle).activate(context);
seen.subscriptions = context.subscriptions.length;
setTimeout(() => { process.stdout.write(JSON.stringify(seen)); process.exit(0); }, 50);
`;

for (const [entry, platform] of [
  ['src/client/extension.ts', 'node'],
  ['src/client/browserExtension.ts', 'browser'],
] as const) {
  test(`activate() of ${entry} registers every contributed command`, async () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'align-ext-')), 'extension.js');
    await build({
      entryPoints: [join(root, entry)],
      outfile: bundle,
      bundle: true,
      platform,
      format: 'cjs',
      external: ['vscode'],
      logLevel: 'warning',
    });
    const r = spawnSync(process.execPath, ['-e', probe, root, bundle], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const seen = JSON.parse(r.stdout) as { commands: string[]; channels: string[]; subscriptions: number };
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...seen.commands].sort(), [...contributed].sort());
    assert.deepEqual(seen.channels, ['Align Lab Language Server']);
    assert.ok(seen.subscriptions >= contributed.length, 'disposables are handed to VS Code');
  });
}
