// Model files through a real language server over stdio (`node dist/server.js --stdio`): the same
// confinement as the CLI (symbolic links, pipes, devices, huge files, UTF-8), confined to the
// workspace folder that contains the document, never to `/` or a folder holding the home folder;
// and the cache: watchers where the client can register them, fingerprints otherwise, nothing kept
// after the last document that used a file is closed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { MODEL_FILE_GLOB } from '../../src/protocol/modelFiles.js';
import { type LspClient, startClient } from './lsp.js';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'align-server-files-')));
const url = (path: string) => pathToFileURL(path).toString();
const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.shutdown();
  rmSync(tmp, { recursive: true, force: true });
});
async function start(options: Parameters<typeof startClient>[0] = {}): Promise<LspClient> {
  const c = await startClient({ rootUri: null, ...options });
  clients.push(c);
  return c;
}
const codesOn = (diagnostics: Diagnostic[], line: number) =>
  diagnostics.filter((d) => d.range.start.line === line).map((d) => d.code);
/** Waits until the latest diagnostics of `uri` satisfy `ok` (an open is evaluated more than once). */
async function settles(
  c: LspClient,
  uri: string,
  ok: (d: Diagnostic[]) => boolean,
  ms = 5000,
): Promise<Diagnostic[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const d = c.diagnostics.get(uri)?.diagnostics ?? [];
    if (ok(d)) return d;
    if (Date.now() > deadline) assert.fail(`diagnostics of ${uri} did not settle: ${JSON.stringify(d)}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}
/** The `tilt` reward of the first result, once it equals `want` (polls the notifications). */
async function rewardBecomes(
  c: LspClient,
  uri: string,
  want: number,
  ms = 5000,
): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  let seen: number | undefined;
  while (Date.now() < deadline) {
    const r = c.results.get(uri)?.analysis.results[0];
    seen = r?.query === 'tilt' ? r.value?.reward : undefined;
    if (seen === want) return seen;
    await new Promise((res) => setTimeout(res, 10));
  }
  return seen;
}

describe('server: model files are confined like the CLI', () => {
  // tmp/ws/{proj/doc.align, proj/…links, shared/m.csv}   tmp/outside/secret.csv
  const ws = join(tmp, 'ws');
  const proj = join(ws, 'proj');
  before(() => {
    mkdirSync(join(proj, 'data'), { recursive: true });
    mkdirSync(join(ws, 'shared'));
    mkdirSync(join(tmp, 'outside'));
    writeFileSync(join(tmp, 'outside', 'secret.csv'), 'token,p,reward\nTOPSECRET,1,0\n');
    writeFileSync(join(proj, 'data', 'ok.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
    writeFileSync(join(ws, 'shared', 'm.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
    symlinkSync(join(tmp, 'outside', 'secret.csv'), join(proj, 'secret.csv'));
    symlinkSync(join(tmp, 'outside'), join(proj, 'outdir'));
    symlinkSync(join(proj, 'data', 'ok.csv'), join(proj, 'inside.csv'));
    symlinkSync('/dev/zero', join(proj, 'zero.csv'));
    symlinkSync('/etc/passwd', join(proj, 'passwd.json'));
    symlinkSync(join(ws, 'shared'), join(proj, 'shared'));
    assert.equal(spawnSync('mkfifo', [join(proj, 'pipe.csv')]).status, 0, 'mkfifo');
    writeFileSync(join(proj, 'huge.csv'), '');
    truncateSync(join(proj, 'huge.csv'), 2 * 1024 * 1024 * 1024);
    writeFileSync(
      join(proj, 'latin1.csv'),
      Buffer.from('token,p,reward\n\xe9,0.5,0\n\xe8,0.5,1\n', 'latin1'),
    );
  });

  it('refuses links out of the workspace, pipes, devices, huge and non-UTF-8 files — without blocking', async () => {
    const c = await start({ workspaceFolders: [{ uri: url(ws), name: 'ws' }] });
    const uri = url(join(proj, 'doc.align'));
    const text = [
      'model secret from "secret.csv"',
      'model outdir from "outdir/secret.csv"',
      'model inside from "inside.csv"',
      'model zero from "zero.csv"',
      'model passwd from "passwd.json"',
      // Five references to a pipe: before, four of them took every thread that reads files.
      ...[1, 2, 3, 4, 5].map((i) => `model pipe${i} from "pipe.csv"`),
      'model huge from "huge.csv"',
      'model latin from "latin1.csv"',
      'model shared from "shared/m.csv"',
      'tilt(inside, delta = 0.1)',
      '',
    ].join('\n');
    const started = Date.now();
    const d = (await c.open(uri, text)).diagnostics;
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(codesOn(d, 0), ['file-refused'], 'a file link out of the workspace');
    assert.deepEqual(codesOn(d, 1), ['file-refused'], 'a folder link out of the workspace');
    assert.deepEqual(codesOn(d, 2), [], 'a link inside the document folder');
    assert.deepEqual(codesOn(d, 3), ['file-refused'], '/dev/zero');
    assert.deepEqual(codesOn(d, 4), ['file-refused'], '/etc/passwd');
    for (let line = 5; line < 10; line++) assert.deepEqual(codesOn(d, line), ['file-refused'], 'a pipe');
    assert.deepEqual(codesOn(d, 10), ['file-refused'], 'above the cap');
    assert.deepEqual(codesOn(d, 11), ['invalid-encoding']);
    assert.deepEqual(codesOn(d, 12), [], 'a link to elsewhere in the workspace folder');
    const messages = d.map((x) => x.message).join('\n');
    assert.match(
      messages,
      /'secret\.csv': it resolves through a symbolic link to a place outside the workspace folder/,
    );
    assert.match(messages, /'pipe\.csv': it is a named pipe \(FIFO\), not a regular file/);
    assert.match(messages, /'latin1\.csv': it is not valid UTF-8: byte 0xE9 at offset 15 \(line 2\)/);
    assert.doesNotMatch(JSON.stringify(d), /TOPSECRET|root:x:0:0/);
    const results = await c.waitForResults(uri, 1);
    assert.equal(
      results.analysis.results[0].value && (results.analysis.results[0].value as { kl: number }).kl,
      0.1,
    );
    c.close(uri);
  });

  it('without a workspace folder, confines to the document folder', async () => {
    const c = await start();
    const uri = url(join(proj, 'doc.align'));
    const d = (await c.open(uri, 'model shared from "shared/m.csv"\ntilt(shared, delta = 0.1)\n'))
      .diagnostics;
    assert.deepEqual(codesOn(d, 0), ['file-refused']);
    assert.match(d[0].message, /outside the document's folder/);
  });

  it('follows workspace/didChangeWorkspaceFolders', async () => {
    const c = await start();
    const uri = url(join(proj, 'doc.align'));
    const d = (await c.open(uri, 'model shared from "shared/m.csv"\ntilt(shared, delta = 0.1)\n'))
      .diagnostics;
    assert.deepEqual(codesOn(d, 0), ['file-refused']);
    // Adding the workspace folder widens the root: the document is evaluated again and reads it.
    void c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: url(ws), name: 'ws' }], removed: [] },
    });
    await settles(c, uri, (x) => x.length === 0);
    void c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: url(ws), name: 'ws' }] },
    });
    await settles(c, uri, (x) => codesOn(x, 0)[0] === 'file-refused');
  });

  it('a folder added while the document is still evaluating takes effect (the evaluation in flight is redone)', async () => {
    const c = await start({ initializationOptions: { debounceMs: 0 } });
    const uri = url(join(proj, 'doc-slow.align'));
    // The early diagnostics (after the file read) arrive while the slow query still computes.
    const slow =
      'model m { vocab a b c d e f g h i j k; p 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.05 0.05; reward 0 1 2 3 4 5 6 7 8 9 10; length 1000 }\n' +
      'simulate(m, method = bon, N = 1000, samples = 20, seed = 9)\n';
    const d = (await c.open(uri, `model shared from "shared/m.csv"\n${slow}tilt(shared, delta = 0.1)\n`))
      .diagnostics;
    assert.deepEqual(codesOn(d, 0), ['file-refused']);
    void c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: url(ws), name: 'ws' }], removed: [] },
    });
    await settles(c, uri, (x) => codesOn(x, 0).length === 0, 30_000);
    const r = await c.waitForResults(uri, 1, 30_000);
    assert.equal(r.analysis.results.at(-1)?.error, undefined, JSON.stringify(r.analysis.results.at(-1)));
    void c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: url(ws), name: 'ws' }] },
    });
  });

  it('a document in the file system root reads nothing (no workspace)', async () => {
    const c = await start();
    // The document need not exist on disk: the server resolves `from` against its URI.
    const uri = 'file:///align-lab-root-test.align';
    const d = (
      await c.open(uri, 'model m from "etc/hostname"\nmodel p from "etc/passwd"\ntilt(m, delta = 1)\n')
    ).diagnostics;
    assert.deepEqual(codesOn(d, 0), ['file-refused']);
    assert.deepEqual(codesOn(d, 1), ['file-refused']);
    assert.match(d[0].message, /the document's folder \('\/'\) is the root of the file system/);
    c.close(uri);
  });

  it('a document directly in the home folder reads nothing; a project below it does', async () => {
    const home = join(tmp, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    mkdirSync(join(home, 'proj'));
    writeFileSync(join(home, '.ssh', 'keys.csv'), 'token,p,reward\nPRIVATEKEY,1,0\n');
    writeFileSync(join(home, 'proj', 'm.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
    // The home folder opened as the workspace: too broad, so the document's folder is the root.
    const c = await start({
      env: { ...process.env, HOME: home },
      workspaceFolders: [{ uri: url(home), name: '~' }],
    });
    const notes = url(join(home, 'notes.align'));
    const d = (await c.open(notes, 'model m from ".ssh/keys.csv"\ntilt(m, delta = 1)\n')).diagnostics;
    assert.deepEqual(codesOn(d, 0), ['file-refused']);
    assert.match(d[0].message, /is the home folder/);
    assert.doesNotMatch(JSON.stringify(d), /PRIVATEKEY/);
    const doc = url(join(home, 'proj', 'doc.align'));
    const ok = (await c.open(doc, 'model m from "m.csv"\ntilt(m, delta = 0.1)\n')).diagnostics;
    assert.deepEqual(ok, []);
  });
});

describe('server: model-file edits reach every client', () => {
  const dir = join(tmp, 'cache');
  const csv = join(dir, 'tokens.csv');
  const uri = url(join(dir, 'doc.align'));
  const text = 'model m from "tokens.csv" {\n  length 2\n}\ntilt(m, lambda = 0)\n';
  const write = (reward: number) => writeFileSync(csv, `token,p,reward\na,0.5,0\nb,0.5,${reward}\n`);
  before(() => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    write(1);
  });

  it('registers a watcher for model files when the client supports dynamic registration', async () => {
    const watching = await start({ watchFiles: true });
    const plain = await start();
    // A round trip after `initialized`, so the registrations have been sent.
    await watching.open(uri, text);
    await plain.open(uri, text);
    const watchers = watching.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(
      watchers.map((r) => r.registerOptions),
      [{ watchers: [{ globPattern: MODEL_FILE_GLOB }] }],
    );
    assert.deepEqual(
      plain.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles'),
      [],
      'not asked of a client that cannot',
    );
    watching.close(uri);
    plain.close(uri);
  });

  it('without file events, a changed file is read again at the next evaluation', async () => {
    write(1);
    const c = await start();
    await c.open(uri, text);
    assert.equal(await rewardBecomes(c, uri, 1), 1);
    write(30); // no didChangeWatchedFiles: a client without watchers
    c.change(uri, `${text}\n`);
    assert.equal(await rewardBecomes(c, uri, 30), 30, 'the edit sees the new file');
    // Closed and opened again: read again too.
    c.close(uri);
    write(500);
    await c.open(uri, text);
    assert.equal(await rewardBecomes(c, uri, 500), 500);
    c.close(uri);
  });

  it("a change reported under a link's target re-evaluates the documents that read the link", async () => {
    writeFileSync(join(dir, 'data', 'real.csv'), 'token,p,reward\na,0.5,0\nb,0.5,2\n');
    symlinkSync(join(dir, 'data', 'real.csv'), join(dir, 'link.csv'));
    const c = await start({ watchFiles: true });
    const linked = url(join(dir, 'linked.align'));
    await c.open(linked, 'model m from "link.csv" {\n  length 2\n}\ntilt(m, lambda = 0)\n');
    assert.equal(await rewardBecomes(c, linked, 2), 2);
    writeFileSync(join(dir, 'data', 'real.csv'), 'token,p,reward\na,0.5,0\nb,0.5,4\n');
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: url(join(dir, 'data', 'real.csv')), type: 2 }],
    });
    assert.equal(await rewardBecomes(c, linked, 4), 4);
    c.close(linked);
  });
});
