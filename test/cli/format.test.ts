import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHiddenControl } from '../../src/cli/escape.js';
import { ContractViolation, findNaN, toContractJson } from '../../src/cli/json.js';
import { renderTable } from '../../src/cli/table.js';
import { sampleIndices } from '../../src/presentation/tables.js';

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

test('toContractJson leaves no hidden control raw, for every UTF-16 code unit', () => {
  const all = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).join('');
  {
    const json = toContractJson({ text: all, [all.slice(0x7f, 0xa0)]: 1 }, 2);
    for (let i = 0; i < json.length; i++) {
      const c = json.charCodeAt(i);
      assert.ok(c === 0x0a || !isHiddenControl(c), `raw U+${c.toString(16)} at ${i}`);
    }
    assert.deepEqual(Object.keys(JSON.parse(json)), ['text', all.slice(0x7f, 0xa0)]);
    assert.equal(JSON.parse(json).text, all);
    // One at a time too: the quick test that finds none must see each of them alone.
    for (let c = 0; c < 0x10000; c++) {
      if (!isHiddenControl(c)) continue;
      const one = toContractJson({ text: `a${String.fromCharCode(c)}b` }, 2);
      assert.ok(
        ![...one].some((ch) => ch !== '\n' && isHiddenControl(ch.charCodeAt(0))),
        `raw U+${c.toString(16)}: ${one}`,
      );
    }
  }
});
