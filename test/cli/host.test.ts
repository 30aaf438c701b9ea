import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTextFile } from '../../src/cli/host.js';

// The .align file itself (model files: test/node/files.test.ts).
const tmp = mkdtempSync(join(tmpdir(), 'align-host-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
mkdirSync(join(tmp, 'data'));
writeFileSync(join(tmp, 'bom.align'), '\ufeffx');

test('host: the source is read, without its BOM', () => {
  assert.deepEqual(readTextFile(join(tmp, 'bom.align')), { ok: true, text: 'x' });
});

test('host: missing files and directories give I/O messages', () => {
  assert.deepEqual(readTextFile(join(tmp, 'absent.align')), { ok: false, message: 'no such file' });
  assert.deepEqual(readTextFile(join(tmp, 'data')), { ok: false, message: 'is a directory' });
});
