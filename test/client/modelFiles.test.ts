// How the extension reads model files for the web-worker server (src/client/modelFiles.ts), against
// a stand-in for workspace.fs: the same rules as on disk, checked by the client itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_TYPE, type ModelFileAccess, readModelFileForServer } from '../../src/client/modelFiles.js';

const { file, directory, symbolicLink } = FILE_TYPE;
const MODEL = 'token,p,reward\na,1,0\n';
const ws = 'vscode-remote://host/ws';

/** A file system: path below `vscode-remote://host` → [FileType bits, bytes]. */
function fakeFs(entries: Record<string, [number, Uint8Array | string]>) {
  const reads: string[] = [];
  const access: ModelFileAccess = {
    async stat(uri) {
      const e = entries[new URL(uri).pathname];
      if (!e) throw Object.assign(new Error('nope'), { code: 'FileNotFound' });
      return { type: e[0], size: typeof e[1] === 'string' ? Buffer.byteLength(e[1]) : e[1].length };
    },
    async readFile(uri) {
      reads.push(uri);
      const e = entries[new URL(uri).pathname];
      if (!e) throw Object.assign(new Error('nope'), { code: 'FileNotFound' });
      return typeof e[1] === 'string' ? new TextEncoder().encode(e[1]) : e[1];
    },
    allowedRoots: (uri) => (uri.startsWith(`${ws}/`) ? [ws] : []),
  };
  return { access, reads };
}

const fs = fakeFs({
  '/ws/data': [directory, ''],
  '/ws/data/m.csv': [file, MODEL],
  '/ws/link.csv': [file | symbolicLink, MODEL],
  '/ws/linkdir': [directory | symbolicLink, ''],
  '/ws/linkdir/m.csv': [file, MODEL],
  '/ws/pipe.csv': [0, ''],
  '/ws/big.csv': [file, 'x'.repeat(11)],
  '/ws/latin1.csv': [file, Uint8Array.from([0x61, 0x0a, 0xe9])],
  '/elsewhere/secret.csv': [file, 'SECRET'],
});
const read = (uri: string, root?: string) =>
  readModelFileForServer({ uri, root }, fs.access, 10 * 1024 * 1024);

test('client: regular UTF-8 files inside the workspace folder are read', async () => {
  assert.deepEqual(await read(`${ws}/data/m.csv`, ws), { text: MODEL });
  assert.deepEqual(await read(`${ws}/data/m.csv`, `${ws}/data`), { text: MODEL });
  assert.deepEqual(await read(`${ws}/data/m.csv`), { text: MODEL }, 'no root given: the workspace folder');
});

test('client: symbolic links, pipes, folders, big files, bad UTF-8 and files outside are refused', async () => {
  const cases: [string, string | undefined, string, RegExp][] = [
    [`${ws}/link.csv`, ws, 'file-refused', /'link\.csv' is a symbolic link/],
    [`${ws}/linkdir/m.csv`, ws, 'file-refused', /'linkdir' is a symbolic link/],
    [`${ws}/pipe.csv`, ws, 'file-refused', /not a regular file/],
    [`${ws}/data`, ws, 'file-refused', /a folder/],
    [`${ws}/nope.csv`, ws, 'file-not-found', /no such file/],
    [`${ws}/latin1.csv`, ws, 'invalid-encoding', /byte 0xE9 at offset 2 \(line 2\)/],
    ['vscode-remote://host/elsewhere/secret.csv', ws, 'file-refused', /outside the workspace folder/],
    // A root the client does not recognise (here: the file system root) is not taken on trust.
    ['vscode-remote://host/elsewhere/secret.csv', 'vscode-remote://host/', 'file-refused', /outside/],
  ];
  for (const [uri, root, code, message] of cases) {
    const r = await read(uri, root);
    assert.ok('error' in r, `${uri}: ${JSON.stringify(r)}`);
    if ('error' in r) {
      assert.equal(r.code, code, uri);
      assert.match(r.error, message, uri);
    }
  }
  // A root on another authority is ignored: the workspace folder of the file applies.
  assert.deepEqual(await read(`${ws}/data/m.csv`, 'vscode-remote://other/ws'), { text: MODEL });
  const big = await readModelFileForServer({ uri: `${ws}/big.csv`, root: ws }, fs.access, 10);
  assert.deepEqual(big, {
    error: 'it is larger than 10 bytes, the limit for model files',
    code: 'file-refused',
  });
  assert.ok(!fs.reads.some((r) => /secret|pipe|big|link/.test(r)), `never read: ${fs.reads.join(', ')}`);
});
