// 1,000 random edits through the protocol (the full 10,000 run in `npm run bench server`): the
// server never dies, answers every request, and its memory stays flat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './fuzz.js';
import { startClient } from './lsp.js';

test('1,000 random edits: never dies, answers every request, memory flat', { timeout: 300_000 }, async () => {
  const c = await startClient({ initializationOptions: { debounceMs: 0, maxExactSize: 5000 } });
  const report = await fuzz(c, 1000, 20261127);
  assert.ok(report.requests >= 1000, `${report.requests} requests answered`);
  assert.ok(
    report.rssEndMB - report.rssStartMB < 40,
    `RSS grew from ${report.rssStartMB} to ${report.rssEndMB} MB`,
  );
  assert.equal(await c.shutdown(), 0);
});
