// Extreme scalar arguments found by sweeping the core (issue #14): budgets down to 1e-300, rate
// curves of laws concentrated at an end, subnormal λ and β. References are closed forms and
// identities of math.md, evaluated independently of the code under test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frontier } from '../../src/core/frontier.js';
import { lambdaForBudget, tiltAtBeta, tiltAtLambda } from '../../src/core/klrl.js';
import { rateFunction, rateFunctionCurve } from '../../src/core/largeDeviations.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';
import { expectError, unwrapOk } from './sequenceHelpers.js';

const P = [0.1, 0.3, 0.35, 0.2, 0.05];
const R = [-1, 0, 0.5, 1, 2];
const law = buildTokenRewardLaw(P, R);
/** Var_p(r) by a direct two-pass sum over the five tokens (independent of the core). */
const variance = (() => {
  const mean = P.reduce((s, p, i) => s + p * R[i], 0);
  return P.reduce((s, p, i) => s + p * (R[i] - mean) ** 2, 0);
})();

test('λ for tiny budgets: D(λ) = λ²A″(0)/2·(1 + O(λ)), so λ = √(2Δ/(n A″(0))) to 1e-12 below Δ = 1e-40', () => {
  // The O(λ) correction is λA‴(0)/(3A″(0)) ≤ 1e-20 here. Δ = 1e-300 used to give the λ of
  // Δ ≈ 1e-66: D was computed as s·m − B, two terms sharing s·δ (δ = the rounding of E_p r).
  const n = 3;
  for (const delta of [1e-40, 1e-100, 1e-200, 1e-300]) {
    const sol = unwrapOk(lambdaForBudget(law, n, delta), `Δ = ${delta}`);
    assertClose(sol.lambda, Math.sqrt((2 * delta) / (n * variance)), {
      rel: 1e-12,
      context: { n, delta, variance, what: 'λ for a tiny budget' },
    });
    assert.equal(sol.kl, delta);
  }
  // The frontier near Δ = 0 is evenly spaced in KL and its λs follow the same law.
  const f = unwrapOk(frontier(law, n, { steps: 5, deltaTo: 1e-300 }), 'frontier to 1e-300');
  f.points.forEach((pt, i) => {
    const delta = (1e-300 * i) / 4;
    assertClose(pt.kl, delta, { rel: 1e-12, abs: 0, context: { i, what: 'frontier KL' } });
    assertClose(pt.lambda, Math.sqrt((2 * delta) / (n * variance)), {
      rel: 1e-12,
      context: { i, what: 'frontier λ' },
    });
  });
});

test('rate curve of a tilted law concentrated at r_max (λ = 50 … 1e300) finishes, on I_λ', {
  timeout: 5000,
}, () => {
  // At λ = 50 the mean A'(λ) is r_max as a double; the sweep towards r_max needed an infinite
  // number of steps (s = ∞) and the one towards r_min ≈ λ/(max step) of them — 3e297 at 1e300.
  for (const lambda of [50, 1e10, 1e300]) {
    const curve = unwrapOk(rateFunctionCurve(law, lambda, 9), `curve at λ = ${lambda}`);
    for (const pt of curve.points) {
      // The mean point is (A'(λ) rounded, 0) by definition; at λ = 50 the rounding is r_max.
      if (pt.s === 0) continue;
      const direct = unwrapOk(rateFunction(law, lambda, pt.x), `I_λ(${pt.x})`);
      // A curve point is (A'(s), I at A'(s)); its x is A'(s) rounded, which moves I by |s|·ulp(x)
      // (dI/dx is the point's s, relative to λ).
      const slack = Number.isFinite(pt.s) ? 4 * Math.abs(pt.s) * Number.EPSILON * Math.abs(pt.x) : 0;
      assertClose(pt.rate, direct, {
        rel: 1e-9,
        abs: Math.max(1e-300, slack),
        context: { lambda, x: pt.x, s: pt.s, what: 'curve point on I_λ' },
      });
    }
    for (let i = 1; i < curve.points.length; i++)
      assert.ok(curve.points[i].x >= curve.points[i - 1].x, `λ = ${lambda}: points ascending in x`);
  }
});

test('λ and β whose reciprocal is not a double are out-of-range errors; the smallest valid ones work', () => {
  expectError(tiltAtLambda(law, 2, 1e-310), 'out-of-range', 'λ = 1e-310');
  expectError(tiltAtBeta(law, 2, 1e-310), 'out-of-range', 'β = 1e-310');
  const smallest = 5.56268464626801e-309;
  const a = unwrapOk(tiltAtLambda(law, 2, smallest), 'λ = 5.56e-309');
  assert.ok(Number.isFinite(a.beta) && a.beta > 1.79e308, `β = ${a.beta}`);
  const b = unwrapOk(tiltAtBeta(law, 2, smallest), 'β = 5.56e-309');
  assert.ok(Number.isFinite(b.lambda) && b.lambda > 1.79e308, `λ = ${b.lambda}`);
  // λ ≈ 1.8e308: φ is p restricted to r_max up to e^{−1.8e308}, so the reward is n·r_max.
  assert.equal(b.reward, 2 * 2);
});
