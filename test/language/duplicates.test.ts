// firstRepeat (src/language/checking/duplicates.ts) against a Set, on short and long lists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstRepeat } from '../../src/language/checking/duplicates.js';

function bySet(names: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    if (seen.has(names[i])) return i;
    seen.add(names[i]);
  }
  return -1;
}

test('firstRepeat: the first name seen before, or −1, as a Set finds it', () => {
  assert.equal(firstRepeat([]), -1);
  assert.equal(firstRepeat(['a', 'b', 'a', 'b']), 2);
  for (const n of [10, 1023, 1024, 5000, 100_000]) {
    const names = Array.from({ length: n }, (_, i) => `tok${i}`);
    assert.equal(firstRepeat(names), -1, `${n} distinct`);
    for (const [at, of] of [
      [n - 1, 0],
      [n - 1, n - 2],
      [Math.floor(n / 2), 3],
    ]) {
      const copy = [...names];
      copy[at] = copy[of];
      assert.equal(firstRepeat(copy), bySet(copy), `${n}: ${at} repeats ${of}`);
    }
    // Two repeats: the earlier one is reported.
    const two = [...names];
    two[n - 1] = two[0];
    two[n - 3] = two[1];
    assert.equal(firstRepeat(two), n - 3);
  }
});

test('firstRepeat: names that differ only past their start, empty, unicode and lone surrogates', () => {
  const base = [
    '',
    '\ud800',
    '\udc00',
    '😀',
    'é',
    'e\u0301',
    ...Array.from({ length: 2000 }, (_, i) => `x${'y'.repeat(i % 50)}${i}`),
  ];
  assert.equal(firstRepeat(base), -1);
  assert.equal(firstRepeat([...base, '\ud800']), base.length);
  assert.equal(firstRepeat([...base, 'e\u0301']), base.length);
  assert.equal(firstRepeat([...base, 'e']), -1);
});
