// KL-constrained RL: λ for a budget against the closed form of the Bernoulli case, round trips
// through D(λ), F'(Δ) = 1/λ by finite differences, the non-binding and degenerate cases, extreme
// regimes and invalid input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaForBudget, maxKL, type TiltSolution, tiltAtBeta, tiltAtLambda } from '../../src/core/klrl.js';
import { tiltStats } from '../../src/core/logPartition.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
function solve(l: TokenRewardLaw, n: number, delta: number): TiltSolution {
  const res = lambdaForBudget(l, n, delta);
  if (!res.ok) throw new Error(`lambdaForBudget(n=${n}, Δ=${delta}): ${res.error.message}`);
  return res.value;
}
function D(l: TokenRewardLaw, s: number): number {
  const res = tiltStats(l, s);
  if (!res.ok) throw new Error(res.error.message);
  return res.value.kl;
}

test('Bernoulli: λ for a budget matches logit(φ) − logit(q) with Δ = n·KL(Bern φ‖Bern q)', () => {
  const q = 0.3;
  const l = law([1 - q, q], [0, 1]);
  for (const phi of [0.45, 0.6, 0.9, 0.999]) {
    const t1 = phi * Math.log(phi / q);
    const t2 = (1 - phi) * Math.log((1 - phi) / (1 - q));
    const kl = t1 + t2;
    const lambda = Math.log(phi / (1 - phi)) - Math.log(q / (1 - q));
    const n = 7;
    const sol = solve(l, n, n * kl);
    // The reference Δ carries ≈ ulp·(1+|t1|+|t2|) absolute error, which moves λ by that over
    // dD/dλ = λ·φ(1−φ); the tolerance is that propagated error plus 1e-13.
    const dLambda = (8 * Number.EPSILON * (1 + Math.abs(t1) + Math.abs(t2))) / (lambda * phi * (1 - phi));
    const context = { q, phi, n, delta: n * kl };
    assertClose(sol.lambda, lambda, { rel: 1e-13 + dLambda / lambda, context });
    assertClose(sol.rewardPerToken, phi, { rel: 1e-12, context });
    assertClose(sol.reward, n * sol.rewardPerToken, { rel: 1e-15, context });
    assert.equal(sol.kl, n * kl);
    assert.equal(sol.binding, true);
    assertClose(sol.beta, 1 / sol.lambda, { rel: 1e-15, context });
  }
});

test('round trip λ → Δ = n·D(λ) → λ to 1e-13 relative, across 6 orders of magnitude of λ', () => {
  const l = law([0.1, 0.25, 0.3, 0.2, 0.15], [-1.5, -0.2, 0.4, 1.1, 2.5]);
  for (const lambda of [1e-6, 1e-3, 0.1, 1, 5, 12, 20]) {
    const n = 3;
    const delta = n * D(l, lambda);
    const sol = solve(l, n, delta);
    // Conditioning: rounding Δ (≈ 2 ulp) moves λ by dΔ/(n·D'(λ)), D'(λ) = λ·A''(λ); near the
    // maximum (λ = 80) A'' is tiny and λ is determined by Δ only that well.
    const st = tiltStats(l, lambda);
    assert.ok(st.ok);
    const propagated = (2 * Number.EPSILON * delta) / (n * lambda * st.value.variance) / lambda;
    assertClose(sol.lambda, lambda, { rel: 1e-13 + propagated, context: { lambda, delta, n, propagated } });
  }
});

test("F'(Δ) = 1/λ by central finite differences", () => {
  const l = law([0.1, 0.25, 0.3, 0.2, 0.15], [-1.5, -0.2, 0.4, 1.1, 2.5]);
  const n = 4;
  const max = n * -Math.log(0.15);
  for (const frac of [0.05, 0.3, 0.7, 0.95]) {
    const delta = frac * max;
    const h = 1e-4 * delta;
    const slope = (solve(l, n, delta + h).reward - solve(l, n, delta - h).reward) / (2 * h);
    // Truncation error h²|F'''|/6 and rounding ≈ ulp·|F|/h: with h = 1e-4·Δ both are < 1e-7
    // relative for these smooth, O(1) values, so 1e-6 is a safe, still meaningful tolerance.
    assertClose(slope, 1 / solve(l, n, delta).lambda, { rel: 1e-6, context: { delta, h } });
  }
});

test('Δ = 0 → λ = 0 (β = ∞); Δ ≥ max → λ = ∞, not binding, restricted solution', () => {
  const q = 0.2;
  const l = law([0.5, 0.3, q], [-1, 0, 2]);
  const n = 5;
  const zero = solve(l, n, 0);
  assert.equal(zero.lambda, 0);
  assert.equal(zero.beta, Number.POSITIVE_INFINITY);
  assert.equal(zero.kl, 0);
  assertClose(zero.reward, n * (0.5 * -1 + 0.2 * 2), { rel: 1e-15, context: 'n·E_p r' });
  const dMax = n * -Math.log(q);
  const m = maxKL(l, n);
  assert.ok(m.ok);
  assertClose(m.value, dMax, { rel: 1e-15, context: 'maxKL' });
  for (const delta of [dMax, 2 * dMax, Number.POSITIVE_INFINITY]) {
    const top = solve(l, n, delta);
    assert.equal(top.lambda, Number.POSITIVE_INFINITY, `Δ = ${delta}`);
    assert.equal(top.beta, 0);
    assert.equal(top.binding, false);
    assert.equal(top.reward, n * 2);
    assertClose(top.kl, dMax, { rel: 1e-15, context: { delta } });
  }
});

test('one-value law: every Δ ≥ 0 reaches the maximum KL 0 → λ = ∞ with KL 0 (math.md §3)', () => {
  const l = law([0.4, 0.6], [1, 1]);
  for (const delta of [0, 0.5]) {
    const any = solve(l, 2, delta);
    assert.equal(any.lambda, Number.POSITIVE_INFINITY, `Δ = ${delta}`);
    assert.equal(any.kl, 0);
    assert.equal(any.reward, 2);
    assert.equal(any.binding, false);
  }
});

test('tiltAtLambda and tiltAtBeta agree and handle λ ∈ {0, ∞}', () => {
  const l = law([0.1, 0.25, 0.3, 0.2, 0.15], [-1.5, -0.2, 0.4, 1.1, 2.5]);
  const a = tiltAtLambda(l, 3, 2);
  const b = tiltAtBeta(l, 3, 0.5);
  assert.ok(a.ok && b.ok);
  assertClose(b.value.reward, a.value.reward, { rel: 1e-15, context: 'β = 1/λ' });
  assertClose(a.value.kl, 3 * D(l, 2), { rel: 1e-15, context: 'kl = nD(λ)' });
  const inf = tiltAtBeta(l, 3, 0);
  assert.ok(inf.ok && inf.value.lambda === Number.POSITIVE_INFINITY && inf.value.reward === 7.5);
  const zero = tiltAtBeta(l, 3, Number.POSITIVE_INFINITY);
  assert.ok(zero.ok && zero.value.lambda === 0 && zero.value.kl === 0);
});

test('extreme: rewards ±1e3 and λ = 1e3 round trip; Δ near the maximum uses the complement', () => {
  const l = law([0.3, 0.3, 0.4], [-1000, 999.99, 1000]);
  const lambda = 1000; // Dmax − D(λ) ≈ e^{−10}: representable, so λ is recoverable
  const delta = D(l, lambda);
  const sol = solve(l, 1, delta);
  assertClose(sol.lambda, lambda, { rel: 1e-10, context: { lambda, delta } });
  // Within 1e-12 of the maximum: still binding and finite.
  const dMax = -Math.log(0.4);
  const near = solve(l, 1, dMax * (1 - 1e-12));
  assert.ok(near.binding && Number.isFinite(near.lambda) && near.lambda > 0, JSON.stringify(near));
  assertClose(D(l, near.lambda), dMax * (1 - 1e-12), { rel: 1e-15, context: 'D(λ) = Δ near max' });
});

test('extreme: 10^6 tokens with distinct rewards', () => {
  const N = 1_000_000;
  const p = new Float64Array(N);
  const r = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    p[i] = 1 + (i % 13);
    r[i] = Math.sin(i) * 3 + i * 1e-7; // distinct
  }
  const l = law(p, r);
  assert.equal(l.values.length, N);
  const sol = solve(l, 10, 25);
  assertClose(10 * D(l, sol.lambda), 25, { rel: 1e-13, context: { N, delta: 25 } });
});

test('invalid input: n, Δ, λ, β', () => {
  const l = law([0.5, 0.5], [0, 1]);
  for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const res = lambdaForBudget(l, n, 0.1);
    assert.ok(!res.ok && res.error.code === 'invalid-argument', `n = ${n}: ${JSON.stringify(res)}`);
  }
  for (const delta of [-1, Number.NaN, Number.NEGATIVE_INFINITY]) {
    const res = lambdaForBudget(l, 1, delta);
    assert.ok(!res.ok && res.error.code === 'invalid-argument', `Δ = ${delta}: ${JSON.stringify(res)}`);
  }
  const nanL = tiltAtLambda(l, 1, Number.NaN);
  assert.ok(!nanL.ok && nanL.error.code === 'invalid-argument');
  const negL = tiltAtLambda(l, 1, -1);
  assert.ok(!negL.ok && negL.error.code === 'out-of-range');
  for (const beta of [-1, Number.NaN]) {
    const res = tiltAtBeta(l, 1, beta);
    assert.ok(!res.ok, `β = ${beta}`);
  }
  const badN = maxKL(l, 0);
  assert.ok(!badN.ok);
});
