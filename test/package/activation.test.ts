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
const mockVscode = join(root, 'test/helpers/mockVscode.cjs');

// Runs in a plain node child with the stand-in `vscode` of test/helpers/mockVscode.cjs, except for
// the calls recorded here.
const probe = `
const [root, bundle, helper] = process.argv.slice(1);
const { installMockVscode, make, mockContext } = require(helper);
const api = installMockVscode(root);
const seen = { commands: [], channels: [] };
api.commands = new Proxy({}, { get: (_t, p) => p === 'registerCommand' ? (id) => (seen.commands.push(id), { dispose() {} }) : make('vscode.commands.' + String(p)) });
api.window = new Proxy({}, { get: (_t, p) => p === 'createOutputChannel' ? (name) => (seen.channels.push(name), make('channel')) : make('vscode.window.' + String(p)) });
globalThis.Worker = class { constructor(url) { seen.worker = url; } postMessage() {} terminate() {} addEventListener() {} };
// The web build starts its worker from a Blob URL of the script read through workspace.fs.
globalThis.Blob = class { constructor(parts) { seen.blobParts = parts.length; } };
URL.createObjectURL = () => 'blob:probe';
const context = mockContext(api, root);
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
    const r = spawnSync(process.execPath, ['-e', probe, root, bundle, mockVscode], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const seen = JSON.parse(r.stdout) as { commands: string[]; channels: string[]; subscriptions: number };
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...seen.commands].sort(), [...contributed].sort());
    assert.deepEqual(seen.channels, ['Align Lab Language Server']);
    assert.ok(seen.subscriptions >= contributed.length, 'disposables are handed to VS Code');
  });
}
