// The preview's pure helpers, in Node (no browser needed): the structural equality that decides
// whether a chart, banner or legend must be redrawn, the axis tick labels, the block slider's steps, and
// the chart axes' names for memoryless models and chains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/language/index.js';
import { bannerEntries } from '../../webview/banner.js';
import { equivalenceChart } from '../../webview/charts/equivalence.js';
import { frontierChart } from '../../webview/charts/frontier.js';
import { methodsCharts } from '../../webview/charts/methods.js';
import { tickLabel } from '../../webview/charts/model.js';
import { rateChart } from '../../webview/charts/rate.js';
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

test('chart axes and legends name the law the plotted results are against: pⁿ, a chain’s p, or both', () => {
  const iid = 'model iid {\n  vocab a b\n  p 0.5 0.5\n  reward 0 1\n  length 4\n}\n';
  const chain =
    'markov chat {\n  vocab a b\n  start 0.5 0.5\n  next a -> 0.9 0.1\n  next b -> 0.1 0.9\n  reward 0 1\n  length 4\n}\n';
  const queries = (m: string) =>
    `frontier(${m}, steps = 8)\nsoftbon(${m}, N = 4, lambda = 1)\nequivalence(${m}, rate = 0.1, n = 1..8, steps = 3)\nrate(${m}, lambda = 1, steps = 5)\n`;
  const f = (x: number | null | undefined) => String(x);
  const charts = (text: string) => {
    const a = analyze(text);
    assert.deepEqual(
      a.results.filter((r) => r.error !== undefined),
      [],
      text,
    );
    const [reward, winRate] = methodsCharts(a, f);
    const legends = [...equivalenceChart(a, f).series, ...rateChart(a, f).series].map((s) => s.name);
    return { kl: frontierChart(a, f).x.title, methodsKl: reward.x.title, winRate: winRate.y.title, legends };
  };
  const model = charts(`${iid}${queries('iid')}`);
  assert.equal(model.kl, 'KL(φ ‖ pⁿ) [nats]');
  assert.equal(model.methodsKl, 'KL(π ‖ pⁿ) [nats]');
  assert.equal(model.winRate, 'W, win rate against pⁿ');
  assert.ok(
    model.legends.includes('KL(BoN‖φⁿ)/n') && model.legends.includes('mean A′(λ)'),
    String(model.legends),
  );
  const markov = charts(`${chain}${queries('chat')}`);
  assert.equal(markov.kl, 'KL(φ ‖ p) [nats]');
  assert.equal(markov.methodsKl, 'KL(π ‖ p) [nats]');
  assert.equal(markov.winRate, 'W, win rate against p');
  assert.ok(
    markov.legends.includes('KL(BoN‖φ)/n') && markov.legends.includes('mean Λ′(λ)'),
    String(markov.legends),
  );
  const both = charts(`${iid}${chain}${queries('iid')}${queries('chat')}`);
  assert.equal(both.kl, 'KL(φ ‖ the base model) [nats]');
  assert.equal(both.winRate, 'W, win rate against the base model');
});
