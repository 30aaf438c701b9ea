// Cramér's rate and the rate function I_λ: Bernoulli closed form, D(λ) = A*(A'(λ)) (docs/math.md §7),
// I_λ(x) = A*(x) − λx + A(λ), exact endpoints, grid = pointwise, the parametric curve, invalid input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cramerRate,
  rateFunction,
  rateFunctionCurve,
  rateFunctionGrid,
} from '../../src/core/largeDeviations.js';
import { tiltStats } from '../../src/core/logPartition.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
function val<T>(res: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
const P = [0.1, 0.25, 0.3, 0.2, 0.15];
const R = [-1.5, -0.2, 0.4, 1.1, 2.5];

test('Bernoulli: A*(x) = KL(Bern x ‖ Bern q)', () => {
  const q = 0.3;
  const l = law([1 - q, q], [0, 1]);
  for (const x of [0.01, 0.2, 0.31, 0.5, 0.9, 0.999999]) {
    const t1 = x * Math.log(x / q);
    const t2 = (1 - x) * Math.log((1 - x) / (1 - q));
    const expected = t1 + t2;
    // The closed form cancels; it is good to ≈ ulp·(1 + |t1| + |t2|) absolute.
    const abs = 8 * Number.EPSILON * (1 + Math.abs(t1) + Math.abs(t2));
    assertClose(val(cramerRate(l, x)), expected, { rel: 1e-12, abs, context: { q, x } });
  }
});

test('D(λ) = A*(A′(λ)) for λ of both signs', () => {
  const l = law(P, R);
  for (const lambda of [-6, -1, -0.01, 0.3, 2, 9]) {
    const st = val(tiltStats(l, lambda));
    assertClose(val(cramerRate(l, st.mean)), st.kl, { rel: 1e-12, context: { lambda, x: st.mean } });
  }
});

test('endpoints, outside and the mean', () => {
  const l = law(P, R);
  assertClose(val(cramerRate(l, 2.5)), -Math.log(0.15), { rel: 1e-15, context: 'x = r_max' });
  assertClose(val(cramerRate(l, -1.5)), -Math.log(0.1), { rel: 1e-15, context: 'x = r_min' });
  assert.equal(val(cramerRate(l, 2.5000001)), Number.POSITIVE_INFINITY);
  assert.equal(val(cramerRate(l, -1.6)), Number.POSITIVE_INFINITY);
  const mean = P.reduce((a, p, k) => a + p * R[k], 0);
  assertClose(val(cramerRate(l, mean)), 0, { rel: 0, abs: 1e-28, context: 'x = mean' });
  // Just below r_max the rate approaches −log p(M) from below.
  const near = val(cramerRate(l, 2.5 - 1e-9));
  assert.ok(near < -Math.log(0.15) && near > -Math.log(0.15) - 1e-6, `A*(r_max − 1e-9) = ${near}`);
});

test('I_λ(x) = A*(x) − λx + A(λ); zero at the mean; endpoints −log φ_λ(M), −log φ_λ(m)', () => {
  const l = law(P, R);
  for (const lambda of [-1, 0.5, 3]) {
    const st = val(tiltStats(l, lambda));
    assertClose(val(rateFunction(l, lambda, st.mean)), 0, { rel: 0, abs: 1e-20, context: { lambda } });
    for (const x of [-1.2, -0.1, 0.9, 2.2]) {
      const aStar = val(cramerRate(l, x));
      const expected = aStar - lambda * x + st.logPartition;
      const abs = 8 * Number.EPSILON * (aStar + Math.abs(lambda * x) + Math.abs(st.logPartition));
      assertClose(val(rateFunction(l, lambda, x)), expected, { rel: 1e-12, abs, context: { lambda, x } });
    }
    assertClose(val(rateFunction(l, lambda, 2.5)), -st.logMassMax, {
      rel: 1e-14,
      context: { lambda, x: 'r_max' },
    });
    assertClose(val(rateFunction(l, lambda, -1.5)), -st.logMassMin, {
      rel: 1e-14,
      context: { lambda, x: 'r_min' },
    });
  }
  // λ = ∞: φ is p restricted to M: I = 0 at r_max, ∞ elsewhere.
  assert.equal(val(rateFunction(l, Number.POSITIVE_INFINITY, 2.5)), 0);
  assert.equal(val(rateFunction(l, Number.POSITIVE_INFINITY, 2)), Number.POSITIVE_INFINITY);
});

test('grid (warm-started) equals pointwise evaluation', () => {
  const l = law(P, R);
  const xs = Array.from({ length: 41 }, (_, i) => -1.6 + (4.2 * i) / 40);
  const grid = val(rateFunctionGrid(l, 0.7, xs));
  xs.forEach((x, i) => {
    assertClose(grid[i], val(rateFunction(l, 0.7, x)), { rel: 1e-13, abs: 1e-300, context: { x } });
  });
});

test('curve: ascending, exact endpoints, each point on I_λ, convex', () => {
  let seed = 9;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const K = 400;
  const p = Array.from({ length: K }, () => rnd() + 0.01);
  const r = Array.from({ length: K }, () => 4 * rnd() - 2);
  const l = law(p, r);
  const lambda = 0.8;
  const curve = val(rateFunctionCurve(l, lambda, 101));
  const pts = curve.points;
  assert.equal(pts.length, 101);
  const st = val(tiltStats(l, lambda));
  assertClose(curve.mean, st.mean, { rel: 1e-13, context: 'mean' });
  assert.equal(pts[0].x, l.rMin);
  assertClose(pts[0].rate, -st.logMassMin, { rel: 1e-13, context: 'I(r_min)' });
  assertClose(pts[100].rate, -st.logMassMax, { rel: 1e-13, context: 'I(r_max)' });
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].x > pts[i - 1].x, `x not ascending at ${i}`);
  for (let i = 1; i < 100; i++) {
    const ref = val(rateFunction(l, lambda, pts[i].x));
    assertClose(pts[i].rate, ref, { rel: 1e-10, abs: 1e-15, context: { i, x: pts[i].x } });
  }
  for (let i = 2; i < pts.length; i++) {
    const s1 = (pts[i - 1].rate - pts[i - 2].rate) / (pts[i - 1].x - pts[i - 2].x);
    const s2 = (pts[i].rate - pts[i - 1].rate) / (pts[i].x - pts[i - 1].x);
    assert.ok(s2 >= s1 - 1e-9 * Math.abs(s1), `not convex at ${i}: ${s1} > ${s2}`);
  }
});

test('invalid input', () => {
  const l = law(P, R);
  assert.ok(!cramerRate(l, Number.NaN).ok);
  const nanL = rateFunction(l, Number.NaN, 0);
  assert.ok(!nanL.ok && nanL.error.code === 'invalid-argument');
  assert.ok(!rateFunctionGrid(l, 1, [0, Number.NaN]).ok);
  for (const steps of [2, 3.5, Number.NaN]) {
    const res = rateFunctionCurve(l, 1, steps);
    assert.ok(!res.ok && res.error.code === 'out-of-range', `steps = ${steps}`);
  }
  // One-value law (λ = ∞): the single point.
  const single = val(rateFunctionCurve(l, Number.POSITIVE_INFINITY, 10));
  assert.deepEqual(single.points, [{ x: 2.5, rate: 0, s: 0 }]);
});
