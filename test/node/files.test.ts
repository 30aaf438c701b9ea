// The confinement function the CLI and the node language server share (src/node/files.ts), on a
// real file system: symbolic links out of and inside the root, pipes and devices (refused without
// blocking), the size cap, the choice of root, strict UTF-8. test/cli and test/server run the same
// cases through the CLI and a real server over stdio.
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
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import {
  type ConfinementRoot,
  chooseRoot,
  isInside,
  modelFileReader,
  readConfined,
  tooBroad,
} from '../../src/node/files.js';
import { decodeUtf8Strict, firstInvalidUtf8, MODEL_FILE_MAX_BYTES } from '../../src/protocol/modelFiles.js';

// Layout:  tmp/secret.csv  tmp/secrets/key.csv  tmp/proj/{doc.align, data/m.csv, links…}
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'align-files-')));
after(() => rmSync(tmp, { recursive: true, force: true }));
const proj = join(tmp, 'proj');
const SECRET = 'token,p,reward\nTOPSECRET,1,0\n';
const MODEL = 'token,p,reward\na,1,0\n';
mkdirSync(join(proj, 'data'), { recursive: true });
mkdirSync(join(tmp, 'secrets'));
writeFileSync(join(tmp, 'secret.csv'), SECRET);
writeFileSync(join(tmp, 'secrets', 'key.csv'), SECRET);
writeFileSync(join(proj, 'data', 'm.csv'), MODEL);
writeFileSync(join(proj, 'bom.csv'), '\ufeffx');
symlinkSync(join(tmp, 'secret.csv'), join(proj, 'escape.csv'));
symlinkSync(join(tmp, 'secrets'), join(proj, 'up'));
symlinkSync('/dev/zero', join(proj, 'zero.csv'));
symlinkSync('/etc/passwd', join(proj, 'passwd.json'));
symlinkSync(join(proj, 'data', 'm.csv'), join(proj, 'inner.csv'));
symlinkSync(join(proj, 'data'), join(proj, 'data-link'));
symlinkSync(join(proj, 'nowhere.csv'), join(proj, 'dangling.csv'));
const read = modelFileReader(proj, [{ path: proj, label: 'the folder of the .align file' }], {
  home: undefined,
});

const refusedCode = (spec: string) => {
  const r = read(spec);
  return r.ok ? 'read' : r.code;
};

test('files: files inside the root are read, also through symbolic links that stay inside', () => {
  assert.deepEqual(read('data/m.csv'), { ok: true, text: MODEL });
  assert.deepEqual(read('./data/../data/m.csv'), { ok: true, text: MODEL });
  assert.deepEqual(read('inner.csv'), { ok: true, text: MODEL });
  assert.deepEqual(read('data-link/m.csv'), { ok: true, text: MODEL });
  assert.deepEqual(read('bom.csv'), { ok: true, text: 'x' });
});

test('files: symbolic links out of the root (files and folders), escapes and absolute paths are refused', () => {
  const cases: [string, string, RegExp][] = [
    ['escape.csv', 'file-refused', /symbolic link to a place outside the folder of the \.align file/],
    ['up/key.csv', 'file-refused', /symbolic link to a place outside/],
    ['zero.csv', 'file-refused', /symbolic link to a place outside/],
    ['passwd.json', 'file-refused', /symbolic link to a place outside/],
    ['../secret.csv', 'file-refused', /leaves the folder/],
    ['data/../../secret.csv', 'file-refused', /leaves the folder/],
    [join(tmp, 'secret.csv'), 'file-refused', /not a relative path/],
    ['nope.csv', 'file-not-found', /^no such file$/],
    ['dangling.csv', 'file-not-found', /^no such file$/],
    ['data', 'file-refused', /it is a folder, not a regular file/],
  ];
  for (const [spec, code, message] of cases) {
    const r = read(spec);
    assert.equal(r.ok, false, spec);
    if (!r.ok) {
      assert.equal(r.code, code, spec);
      assert.match(r.message, message, spec);
      assert.doesNotMatch(r.message, /TOPSECRET|root:x/, 'a refused file is never read');
    }
  }
});

test('files: a FIFO is refused at once, without opening it (no writer needed)', () => {
  const fifo = join(proj, 'pipe.csv');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
  // In a child process with a deadline: a read that opened the pipe would block forever.
  const script = `
    const m = await import(${JSON.stringify(resolve(import.meta.dirname, '../../src/node/files.ts'))});
    const { modelFileReader } = m.modelFileReader ? m : m.default;
    const r = modelFileReader(${JSON.stringify(proj)}, [{ path: ${JSON.stringify(proj)}, label: 'the root' }], { home: undefined })('pipe.csv');
    process.stdout.write(JSON.stringify(r));`;
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(run.signal, null, `the read blocked (killed after ${Date.now() - started} ms)`);
  assert.deepEqual(JSON.parse(run.stdout), {
    ok: false,
    code: 'file-refused',
    message: 'it is a named pipe (FIFO), not a regular file',
  });
  rmSync(fifo);
});

test('files: a device is refused without being read', () => {
  const dev: ConfinementRoot = { path: '/dev', real: '/dev', label: '/dev' };
  const started = performance.now();
  assert.deepEqual(readConfined('zero', '/dev', dev), {
    ok: false,
    code: 'file-refused',
    message: 'it is a device, not a regular file',
  });
  assert.ok(performance.now() - started < 1000);
});

test('files: files above the cap are refused without being read; the cap itself is read', () => {
  const huge = join(proj, 'huge.csv');
  writeFileSync(huge, '');
  truncateSync(huge, 4 * 1024 * 1024 * 1024); // sparse: 4 GiB that take no disk
  const started = performance.now();
  const r = read('huge.csv');
  assert.ok(performance.now() - started < 1000, 'refused from its size, not after reading it');
  assert.deepEqual(r, {
    ok: false,
    code: 'file-refused',
    message: `it is larger than ${MODEL_FILE_MAX_BYTES / 1024 / 1024} MiB, the limit for model files`,
  });
  rmSync(huge);
  writeFileSync(join(proj, 'ten.csv'), '0123456789');
  const small = (maxBytes: number) =>
    modelFileReader(proj, [{ path: proj, label: 'x' }], { home: undefined, maxBytes })('ten.csv');
  assert.deepEqual(small(10), { ok: true, text: '0123456789' });
  assert.deepEqual(small(9), {
    ok: false,
    code: 'file-refused',
    message: 'it is larger than 9 bytes, the limit for model files',
  });
});

test('files: model files must be UTF-8; the first bad byte is located', () => {
  // Two different invalid bytes: once they became U+FFFD each, a "duplicate token".
  writeFileSync(join(proj, 'latin1.csv'), Buffer.from('token,p,reward\n\xe9,0.5,0\n\xe8,0.5,1\n', 'latin1'));
  assert.deepEqual(read('latin1.csv'), {
    ok: false,
    code: 'invalid-encoding',
    message:
      'it is not valid UTF-8: byte 0xE9 at offset 15 (line 2) does not start a valid sequence; save it as UTF-8',
  });
  assert.equal(refusedCode('data/m.csv'), 'read');
});

test('utf8: strict decoding agrees with the definition of well-formed UTF-8', () => {
  const bad: [number[], number][] = [
    [[0x61, 0xff], 1],
    [[0xc0, 0x80], 0], // overlong NUL
    [[0xe0, 0x80, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // a surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0x62, 0xe2, 0x82], 2], // truncated at the end
    [[0x0d, 0x0a, 0x0d, 0x61, 0x0a, 0x80], 5],
  ];
  for (const [bytes, offset] of bad) {
    assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), offset, JSON.stringify(bytes));
    const r = decodeUtf8Strict(Uint8Array.from(bytes));
    assert.ok(
      !r.ok && r.code === 'invalid-encoding' && r.message.includes(`offset ${offset}`),
      JSON.stringify(r),
    );
  }
  // \r\n, \r and \n each end one line.
  const r = decodeUtf8Strict(Uint8Array.from([0x0d, 0x0a, 0x0d, 0x61, 0x0a, 0x80]));
  assert.ok(!r.ok && r.message.includes('(line 4)'), JSON.stringify(r));
  for (const text of ['', 'abc', 'é€😀', '\u{10ffff}\u{fffd}']) {
    const bytes = new TextEncoder().encode(text);
    assert.equal(firstInvalidUtf8(bytes), bytes.length);
    assert.deepEqual(decodeUtf8Strict(bytes), { ok: true, text });
  }
});

test('roots: never the file system root nor a folder that contains the home folder', () => {
  const home = join(tmp, 'home', 'alice');
  mkdirSync(join(home, 'proj'), { recursive: true });
  assert.equal(tooBroad('/', home), 'is the root of the file system');
  assert.equal(tooBroad(home, home), 'is the home folder');
  assert.equal(tooBroad(dirname(home), home), 'contains the home folder');
  assert.equal(tooBroad(join(home, 'proj'), home), undefined);
  assert.equal(tooBroad(proj, home), undefined);
  // A workspace folder that is too broad falls back to the document's folder.
  const chosen = chooseRoot(
    [
      { path: home, label: 'the workspace folder' },
      { path: join(home, 'proj'), label: "the document's folder" },
    ],
    home,
  );
  assert.ok(chosen.ok && chosen.root.path === join(home, 'proj'), JSON.stringify(chosen));
  const none = chooseRoot([{ path: '/', label: "the document's folder" }], home);
  assert.ok(!none.ok);
  assert.deepEqual(
    modelFileReader('/', [{ path: '/', label: "the document's folder" }], { home })('etc/hostname'),
    none.problem,
  );
  assert.match(
    !none.ok && !none.problem.ok ? none.problem.message : '',
    /model files are not read when the document's folder \('\/'\) is the root of the file system/,
  );
  const homeDoc = modelFileReader(home, [{ path: home, label: 'the folder of the .align file' }], { home });
  const refused = homeDoc('.ssh/id_rsa');
  assert.ok(!refused.ok && refused.code === 'file-refused' && /is the home folder/.test(refused.message));
});

test('files: isInside is lexical and exact about prefixes', () => {
  assert.equal(isInside('/a/b', '/a/b'), true);
  assert.equal(isInside('/a/b', '/a/b/c'), true);
  assert.equal(isInside('/a/b', '/a/bc'), false);
  assert.equal(isInside('/a/b', '/a'), false);
  assert.equal(isInside('/a/b', '/a/b/..foo'), true);
});

test('files: ASCII, UTF-8 (with and without a byte order mark), empty and invalid files decode as TextDecoder does', () => {
  const cases: [string, Uint8Array][] = [
    ['ascii.csv', Buffer.from('token,p,reward\na,1,0\n\u007f\t~\n')],
    ['utf8.csv', Buffer.from('token,p,reward\né€😀,1,0\n')],
    ['bom-utf8.csv', Buffer.from('\ufeffé,1\n')],
    ['empty.csv', new Uint8Array(0)],
    ['invalid.csv', Uint8Array.of(0x61, 0x0a, 0xc3, 0x28)],
    ['surrogate.csv', Uint8Array.of(0xed, 0xa0, 0x80)],
  ];
  for (const [name, bytes] of cases) {
    writeFileSync(join(proj, name), bytes);
    assert.deepEqual(read(name), decodeUtf8Strict(bytes), name);
  }
});
