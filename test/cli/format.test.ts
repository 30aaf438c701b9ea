import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCount, formatNumber } from '../../src/cli/format.js';
import { ContractViolation, findNaN, toContractJson } from '../../src/cli/json.js';
import { renderTable, sampleIndices } from '../../src/cli/table.js';

test('format: numbers, infinities and exponents', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(1.5), '1.5');
  assert.equal(formatNumber(2), '2');
  assert.equal(formatNumber(1 / 3), '0.333333');
  assert.equal(formatNumber(-123456.789), '-123457');
  assert.equal(formatNumber(1.23e-40), '1.23e-40');
  assert.equal(formatNumber(6.02e23), '6.02e+23');
  assert.equal(formatNumber(null), '∞');
  assert.equal(formatNumber(Number.POSITIVE_INFINITY), '∞');
  assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '−∞');
  assert.equal(formatCount(50257), '50257');
  assert.equal(formatCount(1.5), '1.5');
});

test('json: infinities become null, typed arrays become arrays', () => {
  const text = toContractJson(
    { a: Number.POSITIVE_INFINITY, b: [1, Number.NEGATIVE_INFINITY], c: Float64Array.of(1, 2) },
    0,
  );
  assert.equal(text, '{"a":null,"b":[1,null],"c":[1,2]}');
});

test('json: NaN is a contract violation that names its path', () => {
  assert.throws(
    () => toContractJson({ results: [{ value: { points: [{ kl: 1 }, { kl: Number.NaN }] } }] }),
    (e: unknown) => e instanceof ContractViolation && e.path === '$.results[0].value.points[1].kl',
  );
  assert.equal(findNaN({ a: [1, 2, { 'odd key': Number.NaN }] }, 'x'), 'x.a[2]["odd key"]');
  assert.equal(findNaN({ a: [1, null, Number.POSITIVE_INFINITY] }, 'x'), undefined);
});

test('table: columns align, numbers right, trailing spaces trimmed', () => {
  const lines = renderTable(
    [
      { header: 'quantity', align: 'left' },
      { header: 'value', align: 'right' },
      { header: 'unit', align: 'left' },
    ],
    [
      ['λ', '∞', ''],
      ['KL', '12.5', 'nats'],
    ],
  );
  assert.deepEqual(lines, [
    '  quantity  value  unit',
    '  ────────  ─────  ────',
    '  λ             ∞',
    '  KL         12.5  nats',
  ]);
});

test('table: sampling keeps both ends and at most the limit', () => {
  assert.deepEqual(sampleIndices(3, 11), [0, 1, 2]);
  const picked = sampleIndices(256, 11);
  assert.equal(picked.length, 11);
  assert.equal(picked[0], 0);
  assert.equal(picked.at(-1), 255);
  assert.deepEqual(
    picked,
    [...picked].sort((a, b) => a - b),
  );
});
