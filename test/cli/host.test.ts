import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { confinedReader, isInside, readTextFile } from '../../src/cli/host.js';

// Layout:  tmp/secret.csv   tmp/proj/doc.align   tmp/proj/data/m.csv   tmp/proj/escape -> ../secret.csv
const tmp = mkdtempSync(join(tmpdir(), 'align-host-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const proj = join(tmp, 'proj');
mkdirSync(join(proj, 'data'), { recursive: true });
writeFileSync(join(tmp, 'secret.csv'), 'token,p,reward\nsecret,1,0\n');
writeFileSync(join(proj, 'data', 'm.csv'), 'token,p,reward\na,1,0\n');
writeFileSync(join(proj, 'bom.csv'), '\ufeffx');
symlinkSync(join(tmp, 'secret.csv'), join(proj, 'escape.csv'));
symlinkSync(join(tmp), join(proj, 'up'));
symlinkSync(join(proj, 'data', 'm.csv'), join(proj, 'inner.csv'));
const read = confinedReader(join(proj, 'doc.align'));

test('host: files inside the folder tree are read', () => {
  assert.deepEqual(read('data/m.csv'), { ok: true, text: 'token,p,reward\na,1,0\n' });
  assert.deepEqual(read('./data/../data/m.csv'), { ok: true, text: 'token,p,reward\na,1,0\n' });
  // A symlink that stays inside the tree is fine.
  assert.deepEqual(read('inner.csv'), { ok: true, text: 'token,p,reward\na,1,0\n' });
  assert.deepEqual(read('bom.csv'), { ok: true, text: 'x' });
});

test('host: parent-relative, absolute and symlinked escapes are refused', () => {
  const refused: [string, RegExp][] = [
    ['../secret.csv', /outside the folder/],
    ['data/../../secret.csv', /outside the folder/],
    [join(tmp, 'secret.csv'), /absolute path/],
    [join(proj, 'data', 'm.csv'), /absolute path/],
    ['escape.csv', /symbolic link/],
    ['up/secret.csv', /symbolic link/],
    ['', /empty file name/],
    ['a\0b', /NUL/],
  ];
  for (const [spec, pattern] of refused) {
    const outcome = read(spec);
    assert.equal(outcome.ok, false, spec);
    if (!outcome.ok) {
      assert.match(outcome.message, pattern, spec);
      assert.doesNotMatch(outcome.message, /secret,1,0/, 'the refused file is never read');
    }
  }
});

test('host: missing files and directories give I/O messages', () => {
  const missing = read('nope.csv');
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.message, /cannot read 'nope.csv': no such file/);
  const dir = read('data');
  assert.equal(dir.ok, false);
  if (!dir.ok) assert.match(dir.message, /is a directory/);
  assert.deepEqual(readTextFile(join(tmp, 'absent.align')), { ok: false, message: 'no such file' });
});

test('host: isInside is lexical and exact about prefixes', () => {
  assert.equal(isInside('/a/b', '/a/b'), true);
  assert.equal(isInside('/a/b', '/a/b/c'), true);
  assert.equal(isInside('/a/b', '/a/bc'), false);
  assert.equal(isInside('/a/b', '/a'), false);
  assert.equal(isInside('/a/b', '/a/b/..foo'), true);
});
