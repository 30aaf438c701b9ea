// Validation of what the webview posts to the extension (src/protocol/preview.ts): anything
// malformed is dropped, never acted on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatParameter, parsePreviewState, parseWebviewMessage } from '../../src/protocol/preview.js';

const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } };
const uri = 'file:///a.align';

test('well-formed messages pass, with only the known fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', uri, range, evil: true }), {
    type: 'reveal',
    uri,
    range,
  });
  const set = { type: 'setParameter', uri, version: 3, query: range, name: 'delta', value: 1.5 };
  assert.deepEqual(parseWebviewMessage(set), set);
  assert.deepEqual(parseWebviewMessage({ ...set, literal: range }), { ...set, literal: range });
  assert.deepEqual(parseWebviewMessage({ type: 'export', chart: 'rate', format: 'csv', data: 'a,b\r\n' }), {
    type: 'export',
    chart: 'rate',
    format: 'csv',
    data: 'a,b\r\n',
  });
});

test('malformed messages are dropped', () => {
  const set = { type: 'setParameter', uri, version: 3, query: range, name: 'delta', value: 1.5 };
  const bad: unknown[] = [
    null,
    'ready',
    { type: 'run', command: 'rm -rf /' },
    { type: 'reveal', uri, range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } },
    { type: 'reveal', uri, range: { start: { line: 2, character: 0 }, end: { line: 1, character: 0 } } },
    { type: 'reveal', uri: '', range },
    { ...set, name: 'samples' },
    { ...set, value: Number.NaN },
    { ...set, value: '1; drop' },
    { ...set, version: 1.5 },
    { ...set, literal: { start: 0 } },
    { type: 'export', chart: '../../etc/passwd', format: 'csv', data: 'x' },
    { type: 'export', chart: 'rate', format: 'exe', data: 'x' },
    { type: 'export', chart: 'rate', format: 'png', data: 'not base64!' },
    { type: 'export', chart: 'rate', format: 'csv', data: '' },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});

test('slider values become plain numeric literals', () => {
  assert.equal(formatParameter('delta', 4.123456), '4.123');
  assert.equal(formatParameter('N', 99.6), '100');
  assert.equal(formatParameter('N', 0.2), '1');
  assert.equal(formatParameter('lambda', 1e-7), '1e-7');
});

test('persisted state is validated on restore', () => {
  assert.equal(parsePreviewState({ zoom: {} }), undefined);
  assert.deepEqual(
    parsePreviewState({ uri, zoom: { rate: { x: [0, 1], y: [2, 1] }, bogus: {} }, hidden: ['a', 3] }),
    {
      uri,
      zoom: { rate: { x: [0, 1], y: undefined } },
      hidden: ['a'],
    },
  );
});
