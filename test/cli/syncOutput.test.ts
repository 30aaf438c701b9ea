// Standard output to a pipe (src/cli/syncOutput.ts): every byte arrives in order even when the
// pipe is full and non-blocking (EAGAIN), and a reader that leaves early (`| head`) ends the CLI
// quietly with its own exit code.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeAllSync } from '../../src/cli/syncOutput.js';
import { CLI, ensureBuilt } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'align-sync-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureBuilt());

test('writeAllSync: a megabyte through a full non-blocking pipe arrives whole and in order', async () => {
  const fifo = join(dir, 'pipe');
  const out = join(dir, 'out');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // The reader starts late, so the 64 KB pipe fills and the writes meet EAGAIN first.
  const reader = spawn('sh', ['-c', `sleep 0.3; cat "${fifo}" > "${out}"`]);
  const exited = once(reader, 'exit');
  // Read-write and non-blocking: open() does not wait for the reader, and a full pipe says EAGAIN.
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const text = Array.from({ length: 40_000 }, (_, i) => `line ${i}: é ∑ ${'x'.repeat(i % 17)}\n`).join('');
  const t0 = Date.now();
  writeAllSync(fd, text);
  const waited = Date.now() - t0;
  closeSync(fd);
  await exited;
  assert.ok(waited >= 200, `the writer waited for the reader (${waited} ms)`);
  assert.equal(readFileSync(out, 'utf8'), text);
});

test('bin: a reader that stops early (| head) ends eval --json quietly, exit code as usual', () => {
  const doc = join(dir, 'big.align');
  writeFileSync(
    doc,
    'model m {\n  vocab a b c\n  p 0.2 0.3 0.5\n  reward 0 1 2\n  length 8\n}\nfrontier(m, steps = 10000)\n',
  );
  const run = spawnSync(
    'bash',
    ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" eval --json "${doc}" | head -c 100 > /dev/null`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(run.stderr, '', 'nothing on stderr');
  assert.equal(run.status, 0, 'exit 0: the results were fine, the reader just left');
  // And the whole output, read to the end, is the JSON document.
  const full = spawnSync(process.execPath, [CLI, 'eval', '--json', doc], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  assert.equal(full.status, 0);
  assert.ok(full.stdout.length > 1_000_000, `a large output (${full.stdout.length} bytes)`);
  assert.equal(JSON.parse(full.stdout).results[0].value.points.length > 1000, true);
});
