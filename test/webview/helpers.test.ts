// The preview's pure helpers, in Node (no browser needed): the structural equality that decides
// whether a chart, banner or legend must be redrawn, the axis tick labels, and the block slider's steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/language/index.js';
import { bannerEntries } from '../../webview/banner.js';
import { tickLabel } from '../../webview/charts/model.js';
import { sameValue } from '../../webview/dom.js';
import { divisors, valueAt } from '../../webview/sliders.js';

test('sameValue: equal JSON-like values, however built', () => {
  const cases: [unknown, unknown][] = [
    [1, 1],
    ['a', 'a'],
    [null, null],
    [undefined, undefined],
    [Number.NaN, Number.NaN],
    [[], []],
    [{}, {}],
    [
      { a: 1, b: [1, { c: 'x' }] },
      { b: [1, { c: 'x' }], a: 1 },
    ],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 1, b: undefined }],
  ];
  for (const [a, b] of cases)
    assert.ok(sameValue(a, b), `sameValue(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
});

test('sameValue: any difference, at any depth, is seen', () => {
  const cases: [unknown, unknown][] = [
    [1, 2],
    [0, -0 + 1e-300],
    [1, '1'],
    [null, undefined],
    [null, {}],
    [[], {}],
    [{}, []],
    [
      [1, 2],
      [1, 2, 3],
    ],
    [
      [1, 2, 3],
      [1, 2],
    ],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: 1, b: 2 }, { a: 1 }],
    [{ a: { b: [1, 2, { c: 3 }] } }, { a: { b: [1, 2, { c: 4 }] } }],
    [{ a: undefined }, { a: null }],
    [Number.NaN, 0],
  ];
  for (const [a, b] of cases) {
    assert.equal(
      sameValue(a, b),
      false,
      `sameValue(${String(JSON.stringify(a))}, ${String(JSON.stringify(b))})`,
    );
    assert.equal(
      sameValue(b, a),
      false,
      `sameValue(${String(JSON.stringify(b))}, ${String(JSON.stringify(a))})`,
    );
  }
});

test('tickLabel: round numbers without floating noise, short exponents at the extremes, true minus signs', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [0.30000000000000004, '0.3'],
    [0.1 + 0.2 - 0.3, '5.55112e−17'],
    [2.5, '2.5'],
    [-12, '−12'],
    [123456.7, '123457'],
    [1e6, '1e6'],
    [1.5e8, '1.5e8'],
    [2e-5, '2e−5'],
    [-1.25e-7, '−1.25e−7'],
    [1e-4, '0.0001'],
    [Number.POSITIVE_INFINITY, '∞'],
  ];
  for (const [x, want] of cases) assert.equal(tickLabel(x), want, `tickLabel(${x})`);
});

test('banner: one cause, one entry — a query blocked by a diagnostic on it is not listed again', () => {
  const analysis = analyze('tilt(chat, delta = 1)\nbon(chat, N = 4)\n', { file: 'x.align' });
  const entries = bannerEntries(analysis);
  assert.deepEqual(
    entries.map((e) => e.message),
    ["unknown model 'chat'", "unknown model 'chat'"],
    JSON.stringify(entries),
  );
  // A query without a value whose cause is elsewhere (its model is invalid) is still listed.
  const broken = analyze('model m { vocab a b; p 0.5 0.5; reward 0 1 2 }\ntilt(m, delta = 1)\n');
  const listed = bannerEntries(broken).map((e) => e.message);
  assert.ok(
    listed.some((m) => m.startsWith('tilt m:')),
    listed.join(' | '),
  );
  // A warning on a query (an approximation note) is not its cause: the query's error is listed too.
  const warned = bannerEntries({
    ...broken,
    diagnostics: [
      {
        severity: 'warning',
        code: 'bon-approximation',
        message: 'uses the fine-lattice approximation',
        range: broken.results[0].range,
      },
    ],
    results: [{ ...broken.results[0], error: 'N must be at least 1' }],
  } as typeof broken).map((e) => e.message);
  assert.deepEqual(
    warned,
    ['uses the fine-lattice approximation', 'tilt m: N must be at least 1'],
    warned.join(' | '),
  );
});

test('block sliders step through the divisors of the length: every value they write divides n', () => {
  assert.deepEqual(divisors(32), [1, 2, 4, 8, 16, 32]);
  assert.deepEqual(divisors(36), [1, 2, 3, 4, 6, 9, 12, 18, 36]);
  assert.deepEqual(divisors(1), [1]);
  assert.deepEqual(divisors(7), [1, 7]);
  const values = divisors(12);
  const spec = {
    name: 'block' as const,
    label: 'b',
    min: 0,
    max: values.length - 1,
    position: 0,
    logScale: false,
    bounds: { min: 1, max: 12 },
    values,
  };
  for (const position of [-1, 0, 0.4, 0.6, 2.49, 3, 5, 5.2, 99]) {
    const v = valueAt(spec, position);
    assert.ok(12 % v === 0, `position ${position} writes ${v}, which divides 12`);
  }
  assert.equal(valueAt(spec, 0), 1);
  assert.equal(valueAt(spec, values.length - 1), 12);
});
