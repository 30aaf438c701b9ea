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
  const preview = {
    type: 'previewParameter',
    uri,
    version: 3,
    query: range,
    name: 'beta',
    value: 0.25,
    seq: 7,
  };
  assert.deepEqual(parseWebviewMessage({ ...preview, literal: range, extra: 1 }), preview);
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
    { ...set, type: 'previewParameter', seq: 1, name: 'steps' },
    { ...set, type: 'previewParameter', seq: -1 },
    { ...set, type: 'previewParameter' },
    { ...set, type: 'previewParameter', seq: 1, value: Number.POSITIVE_INFINITY },
    { ...set, type: 'previewParameter', seq: 1, query: undefined },
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
  // The methods' parameters: a whole block length, a threshold (negative too), an acceptance.
  assert.equal(formatParameter('block', 7.6), '8');
  assert.equal(formatParameter('block', 0.2), '1');
  assert.equal(formatParameter('threshold', -12.34567), '-12.35');
  assert.equal(formatParameter('accept', 0.0123456), '0.01235');
});

test('the methods and Markov charts export, and their sliders write, through the same validation', () => {
  for (const chart of ['methodsReward', 'methodsWinRate', 'methodsTokens', 'transitions', 'marginals'])
    assert.deepEqual(parseWebviewMessage({ type: 'export', chart, format: 'csv', data: 'a\r\n' }), {
      type: 'export',
      chart,
      format: 'csv',
      data: 'a\r\n',
    });
  for (const name of ['block', 'threshold', 'accept']) {
    const set = { type: 'setParameter', uri, version: 3, query: range, name, value: 2 };
    assert.deepEqual(parseWebviewMessage(set), set, name);
  }
  assert.equal(
    parseWebviewMessage({ type: 'export', chart: 'methods', format: 'csv', data: 'a' }),
    undefined,
    'only known chart ids',
  );
});

test('a slider value at an end of its range is rounded towards the inside (valid values only)', () => {
  const maxKl = 8 * Math.log(5); // 12.8755…: 4 digits round it up to 12.88
  assert.equal(formatParameter('delta', maxKl), '12.88');
  assert.equal(formatParameter('delta', maxKl, { min: 0, max: maxKl }), '12.87');
  assert.equal(formatParameter('rate', 0.00016094, { min: 0.00016094, max: 0.16 }), '0.000161');
  assert.equal(formatParameter('beta', 99.99999, { min: 0.01, max: 99.99999 }), '99.99');
  assert.equal(formatParameter('N', 1e4 + 0.7, { min: 1, max: 1e4 + 0.7 }), '10000');
  assert.equal(formatParameter('N', 0.3, { min: 1, max: 10 }), '1');
  for (const x of [0.1234567, 2.0794415416798357, 95.86343, 1e-5 * Math.PI]) {
    const text = formatParameter('delta', x, { min: 0, max: x });
    assert.ok(Number(text) <= x, `${text} ≤ ${x}`);
    const low = formatParameter('alpha', x, { min: x, max: 100 });
    assert.ok(Number(low) >= x, `${low} ≥ ${x}`);
  }
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
