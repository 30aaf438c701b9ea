// The cooperative work budget (src/core/workBudget.ts): every long computation of the core charges
// its loops, so a small budget turns it into a failed Result with code `work-budget-exceeded` —
// never a throw out of the API, never a hang — and a deadline or a cancellation test stops it
// the same way. Without a budget (or with a generous one) the numbers are unchanged, bit for bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfN, bestOfNForLength, bestOfNSummary } from '../../src/core/bestOfN.js';
import { bestOfNVersusRL } from '../../src/core/bonComparison.js';
import { scaledCgfCurve, tokenCumulants } from '../../src/core/cumulants.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { frontier } from '../../src/core/frontier.js';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { cramerRate, rateFunctionCurve, rateFunctionGrid } from '../../src/core/largeDeviations.js';
import { simulate } from '../../src/core/monteCarlo.js';
import { renyiCrossEntropyCurve } from '../../src/core/renyi.js';
import type { Result } from '../../src/core/result.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { comparePolicy } from '../../src/core/stability.js';
import { tailExponents } from '../../src/core/tails.js';
import { chargeWork, checkWorkBudget, withWorkBudget, workUsed } from '../../src/core/workBudget.js';
import { mulberry32 } from '../helpers/random.js';
import { unwrapOk } from './sequenceHelpers.js';

const P = [0.1, 0.3, 0.35, 0.2, 0.05];
const R = [-1, 0, 0.5, 1, 2];
const law = buildTokenRewardLaw(P, R);
/** A non-lattice law (√2): the law of R by type enumeration. */
const irrational = buildTokenRewardLaw([0.5, 0.3, 0.2], [0, 1, Math.SQRT2]);
/** 5000 distinct rewards: the frontier takes its multiplicative sweep. */
const large = (() => {
  const rnd = mulberry32(5);
  const p: number[] = [];
  const r: number[] = [];
  for (let k = 0; k < 5000; k++) {
    p.push(rnd() ** 3 + 1e-6);
    r.push(4 * rnd() - 2);
  }
  return buildTokenRewardLaw(p, r);
})();
const seq200 = unwrapOk(sequenceRewardLaw(law, 200), 'law of R, n = 200');

/** Each long computation of the core, as a thunk returning its Result. */
const COMPUTATIONS: [string, () => Result<unknown>][] = [
  ['sequenceRewardLaw (lattice, n = 400)', () => sequenceRewardLaw(law, 400)],
  ['sequenceRewardLaw (types, n = 200)', () => sequenceRewardLaw(irrational, 200)],
  ['bestOfN (from a law of R, N = 1000)', () => bestOfN(seq200, law, { N: 1000 }, 0.5)],
  ['bestOfNSummary (N = 1000)', () => bestOfNSummary(seq200, law, { N: 1000 }, 0.5)],
  ['bestOfNForLength (n = 400, log N = 200)', () => bestOfNForLength(law, 400, { logN: 200 })],
  ['bestOfNVersusRL (n = 300, N = 50)', () => bestOfNVersusRL(law, 300, { N: 50 })],
  ['equivalenceSeries (n = 1..300)', () => equivalenceSeries(law, 0.2, [1, 10, 100, 300])],
  ['frontier (exact solves, 200 points)', () => frontier(law, 10, { steps: 200 })],
  ['frontier (sweep, 5000 values)', () => frontier(large, 10, { steps: 200 })],
  ['lambdaForBudget (5000 values)', () => lambdaForBudget(large, 10, 3)],
  ['cramerRate (5000 values)', () => cramerRate(large, 1.5)],
  ['rateFunctionGrid (100 points)', () => rateFunctionGrid(law, 0.7, grid(-0.99, 1.99, 100))],
  ['rateFunctionCurve (5000 values)', () => rateFunctionCurve(large, 0.7, 1001)],
  ['scaledCgfCurve (200 points, 5000 values)', () => scaledCgfCurve(large, 0.5, grid(-2, 2, 200))],
  ['tokenCumulants (order 8, 5000 values)', () => tokenCumulants(large, 0.5, 8)],
  [
    'renyiCrossEntropyCurve (200 α)',
    () => renyiCrossEntropyCurve(Array.from(large.logMass, Math.exp), large.values, grid(0.1, 10, 200)),
  ],
  ['simulate (best-of-8, n = 50)', () => simulate(law, 50, { method: 'bon', N: 8, samples: 2000, seed: 1 })],
  ['tailExponents (1000 levels)', () => tailExponents(seq200, grid(-0.9, 1.9, 1000))],
  [
    'comparePolicy (5000 values)',
    () =>
      comparePolicy(
        large.values.map(() => 1),
        large.values,
        large.values.map((_, k) => k + 1),
        3,
        1,
      ),
  ],
];

function grid(a: number, b: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
}

function expectBudgetFailure(r: Result<unknown>, what: string): void {
  assert.equal(r.ok, false, `${what}: expected work-budget-exceeded, got a value`);
  if (!r.ok) {
    assert.equal(r.error.code, 'work-budget-exceeded', `${what}: ${r.error.code}: ${r.error.message}`);
    assert.match(r.error.message, /^stopped: /, what);
  }
}

test('every long computation fails with work-budget-exceeded under a small budget (no throw, no hang)', () => {
  for (const [what, run] of COMPUTATIONS) {
    // How much work the computation reports: a quarter of it must not be enough.
    const used = withWorkBudget({}, () => {
      unwrapOk(run(), what);
      return workUsed();
    });
    assert.ok(used > 1000, `${what}: only ${used} work units were charged`);
    let result: Result<unknown> | undefined;
    assert.doesNotThrow(() => {
      result = withWorkBudget({ maxUnits: Math.floor(used / 4) }, run);
    }, what);
    expectBudgetFailure(result!, `${what} with ${Math.floor(used / 4)} of ${used} units`);
  }
});

test('results are the same, bit for bit, without a budget and under a generous one', () => {
  for (const [what, run] of COMPUTATIONS) {
    const plain = JSON.stringify(run());
    const budgeted = JSON.stringify(
      withWorkBudget({ maxUnits: 1e15, deadline: performance.now() + 1e9 }, run),
    );
    assert.equal(budgeted, plain, what);
  }
});

test('a deadline in the past and a cancellation test stop a long computation', () => {
  // K = 11, n = 1000: ≈ 5.5e7 multiply-adds, so the clock is read many times (every 2^20 units).
  const uniform = buildTokenRewardLaw(new Array(11).fill(1), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const start = performance.now();
  expectBudgetFailure(
    withWorkBudget({ deadline: performance.now() - 1 }, () => sequenceRewardLaw(uniform, 1000)),
    'deadline',
  );
  let polls = 0;
  expectBudgetFailure(
    withWorkBudget(
      {
        cancelled: () => {
          polls++;
          return polls >= 3;
        },
      },
      () => sequenceRewardLaw(uniform, 1000),
    ),
    'cancelled on the third poll',
  );
  assert.equal(polls, 3, 'the cancellation test is polled until it says stop, then no more');
  // Both stop after a few million units, far from the whole convolution.
  assert.ok(performance.now() - start < 5000, 'stopped promptly');
  const r = withWorkBudget({ cancelled: () => true }, () => renyiCrossEntropyCurve(P, R, [2]));
  assert.equal(r.ok, true, 'a small computation finishes before the first poll');
});

test('nested budgets: the inner one cannot extend the outer one, and an inner limit stops only the inner part', () => {
  withWorkBudget({ maxUnits: 1000 }, () => {
    chargeWork(600);
    // The inner budget asks for more than the outer has left: it gets 400.
    assert.throws(
      () => withWorkBudget({ maxUnits: 1e9 }, () => chargeWork(500)),
      (e: Error & { code?: string }) => e.code === 'work-budget-exceeded',
    );
    // The outer budget is spent as well now (600 + 500 > 1000): its next charge stops.
    assert.throws(
      () => chargeWork(1),
      (e: Error & { code?: string }) => e.code === 'work-budget-exceeded',
    );
  });
  withWorkBudget({ maxUnits: 1e6 }, () => {
    // An optional part with a tight budget of its own fails as a Result…
    expectBudgetFailure(
      withWorkBudget({ maxUnits: 100 }, () => sequenceRewardLaw(law, 400)),
      'inner part',
    );
    // …and the outer computation goes on: its units include the inner ones.
    assert.ok(workUsed() > 100);
    assert.doesNotThrow(() => checkWorkBudget());
    unwrapOk(lambdaForBudget(law, 4, 1), 'outer computation after the inner failure');
  });
  withWorkBudget({ deadline: performance.now() - 1 }, () => {
    // An inner budget inherits the outer deadline even when it sets none itself.
    expectBudgetFailure(
      withWorkBudget({ maxUnits: 1e12 }, () =>
        sequenceRewardLaw(
          buildTokenRewardLaw(new Array(11).fill(1), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
          1000,
        ),
      ),
      'inner run past the outer deadline',
    );
    // The outer deadline has passed too: the outer budget stops at its next charge.
    assert.throws(
      () => chargeWork(1),
      (e: Error & { code?: string }) => e.code === 'work-budget-exceeded',
    );
  });
  assert.equal(workUsed(), 0, 'no budget is active outside withWorkBudget');
  assert.doesNotThrow(() => chargeWork(1e300), 'without a budget charging does nothing');
});
