// A(s), the tilted distribution and D(s) against closed forms (Bernoulli), direct sums on small
// laws, and the limits s → ±∞; extreme regimes; invalid input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logPartition, tiltedLogMass, tiltStats, tokenTilt } from '../../src/core/logPartition.js';
import { unwrap } from '../../src/core/result.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: number[] | Float64Array, r: number[] | Float64Array): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
function stats(l: TokenRewardLaw, s: number) {
  const res = tiltStats(l, s);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/** Bernoulli(q) on {0, 1}: A(s) = log(1 − q + q eˢ), φ = logistic(s + logit q), A'' = φ(1−φ). */
function bernoulli(q: number, s: number) {
  const A = Math.log1p(q * Math.expm1(s));
  const phi = 1 / (1 + ((1 - q) / q) * Math.exp(-s));
  const oneMinusPhi = 1 / (1 + (q / (1 - q)) * Math.exp(s)); // not 1 − φ: that would cancel
  // D = KL(Bern(φ)‖Bern(q)); the two-term form is accurate when D is not tiny (|s| ≥ 0.1 here).
  const t1 = phi * Math.log(phi / q);
  const t2 = oneMinusPhi * Math.log(oneMinusPhi / (1 - q));
  const D = t1 + t2;
  // The two terms can cancel and each log carries an absolute error ≈ ulp, so the reference is
  // only good to ≈ ulp·(φ + (1−φ) + |t1| + |t2|)/D relative.
  const dTolerance = Math.max(1e-13, (8 * Number.EPSILON * (1 + Math.abs(t1) + Math.abs(t2))) / D);
  return { A, phi, variance: phi * oneMinusPhi, D, dTolerance };
}

test('Bernoulli: A, A′, A″ and D match the closed forms', () => {
  for (const q of [0.3, 0.5, 0.9, 1e-3]) {
    const l = law([1 - q, q], [0, 1]);
    for (const s of [-5, -0.7, 0.1, 0.5, 2, 7]) {
      const got = stats(l, s);
      const ref = bernoulli(q, s);
      const context = { q, s };
      assertClose(got.logPartition, ref.A, { rel: 1e-14, context: { ...context, what: 'A' } });
      assertClose(got.mean, ref.phi, { rel: 1e-14, context: { ...context, what: "A'" } });
      assertClose(got.variance, ref.variance, { rel: 1e-13, context: { ...context, what: "A''" } });
      assertClose(got.kl, ref.D, { rel: ref.dTolerance, context: { ...context, what: 'D' } });
      assertClose(got.kl, s * got.mean - got.logPartition, {
        rel: 1e-12,
        context: { ...context, what: 'sA′−A' },
      });
    }
  }
});

test('tiny s: D(s) keeps full relative accuracy (series, no cancellation)', () => {
  // D(s) = s²κ₂/2 + s³·κ₃/3 + O(s⁴) (D = Σ_{j≥2} (j−1) κ_j s^j / j!); for Bernoulli(q),
  // κ₂ = q(1−q), κ₃ = q(1−q)(1−2q).
  const q = 0.3;
  const l = law([1 - q, q], [0, 1]);
  for (const s of [1e-8, -1e-8, 1e-5]) {
    const k2 = q * (1 - q);
    const k3 = k2 * (1 - 2 * q);
    const k4 = k2 * (1 - 6 * k2);
    const expected = (s * s * k2) / 2 + (s ** 3 * k3) / 3 + (s ** 4 * k4) / 8;
    assertClose(stats(l, s).kl, expected, { rel: 1e-14, context: { q, s } });
  }
  assert.equal(stats(l, 0).kl, 0);
  assert.equal(stats(l, 0).logPartition, 0);
});

test('near the limit: Dmax − D(s) is accurate where D itself has rounded to Dmax', () => {
  const q = 0.3;
  const l = law([1 - q, q], [0, 1]);
  for (const s of [20, 40, 300]) {
    // Dmax − D = s(1 − φ) + log1p(T/p(M)), T/p(M) = (1−q)/q · e^{−s}; 1 − φ = x/(1+x).
    const x = ((1 - q) / q) * Math.exp(-s);
    const expected = (s * x) / (1 + x) + Math.log1p(x);
    const got = stats(l, s);
    // e^{−s·…} is evaluated from an argument rounded to ≈ s·ulp, so the tolerance scales with s.
    const rel = Math.max(1e-14, 4 * s * Number.EPSILON);
    assertClose(got.klToLimit, expected, { rel, context: { q, s } });
    assertClose(got.meanGapMax, x / (1 + x), { rel, context: { q, s, what: 'r_max − A′' } });
    assertClose(got.logMassMax, -Math.log1p(x), { rel, context: { q, s, what: 'log φ(M)' } });
  }
});

test('a 5-value law: A, A′, A″, D agree with direct sums at moderate s', () => {
  const p = [0.1, 0.25, 0.3, 0.2, 0.15];
  const r = [-1.5, -0.2, 0.4, 1.1, 2.5];
  const l = law(p, r);
  for (const s of [-2, -0.3, 0.6, 1.7, 3]) {
    const w = p.map((pk, k) => pk * Math.exp(s * r[k]));
    const Z = w.reduce((a, b) => a + b, 0);
    const phi = w.map((x) => x / Z);
    const mean = phi.reduce((a, f, k) => a + f * r[k], 0);
    const variance = phi.reduce((a, f, k) => a + f * (r[k] - mean) ** 2, 0);
    const D = phi.reduce((a, f, k) => a + f * Math.log(f / p[k]), 0);
    const got = stats(l, s);
    const context = { p, r, s };
    assertClose(got.logPartition, Math.log(Z), { rel: 1e-14, context });
    assertClose(got.mean, mean, { rel: 1e-14, context });
    assertClose(got.variance, variance, { rel: 1e-13, context });
    assertClose(got.kl, D, { rel: 1e-12, context });
    // φ per merged value.
    const lm = tiltedLogMass(l, s);
    assert.ok(lm.ok);
    for (let k = 0; k < 5; k++)
      assertClose(Math.exp(lm.value[k]), phi[k], { rel: 1e-13, context: { ...context, k } });
  }
});

test('D(s) is increasing for s ≥ 0 and decreasing for s ≤ 0', () => {
  const l = law([0.1, 0.25, 0.3, 0.2, 0.15], [-1.5, -0.2, 0.4, 1.1, 2.5]);
  let prev = -1;
  for (let s = 0; s <= 60; s += 0.25) {
    const d = stats(l, s).kl;
    assert.ok(d >= prev, `D(${s}) = ${d} < D(${s - 0.25}) = ${prev}`);
    prev = d;
  }
  prev = -1;
  for (let s = 0; s >= -60; s -= 0.25) {
    const d = stats(l, s).kl;
    assert.ok(d >= prev, `D(${s}) = ${d} < previous ${prev}`);
    prev = d;
  }
});

test('s = ±∞ are the limits: φ restricted to M (m)', () => {
  const q = 0.3;
  const l = law([0.5, 0.2, q], [-2, 1, 3]);
  const up = stats(l, Number.POSITIVE_INFINITY);
  assert.equal(up.mean, 3);
  assert.equal(up.variance, 0);
  assertClose(up.kl, -Math.log(q), { rel: 1e-15, context: 's = +∞' });
  assert.equal(up.logPartition, Number.POSITIVE_INFINITY);
  assert.equal(up.logMassMax, 0);
  const down = stats(l, Number.NEGATIVE_INFINITY);
  assert.equal(down.mean, -2);
  assertClose(down.kl, -Math.log(0.5), { rel: 1e-15, context: 's = −∞' });
  assert.equal(down.logPartition, Number.POSITIVE_INFINITY); // s·r_min = (−∞)(−2) = +∞
  // r_max = 0: A(+∞) = log p(M).
  const zeroTop = law([0.4, 0.6], [-1, 0]);
  assertClose(stats(zeroTop, Number.POSITIVE_INFINITY).logPartition, Math.log(0.6), {
    rel: 1e-15,
    context: 'r_max = 0',
  });
  // The finite-s values converge to the limits.
  assertClose(stats(l, 200).kl, -Math.log(q), { rel: 1e-15, context: 's = 200' });
});

test('extreme regime: rewards ±1e3 with s = ±1e3 (no overflow)', () => {
  const l = law([0.5, 0.5], [-1000, 1000]);
  const got = stats(l, 1000);
  // A = 1e6 + log(1/2) + log1p(e^{−2e6}) = 1e6 − log 2 exactly in doubles.
  assertClose(got.logPartition, 1e6 - Math.LN2, { rel: 1e-16, context: 'A(1e3)' });
  assert.equal(got.mean, 1000);
  assertClose(got.kl, Math.LN2, { rel: 1e-15, context: 'D(1e3)' });
  const neg = stats(l, -1000);
  assertClose(neg.logPartition, 1e6 - Math.LN2, { rel: 1e-16, context: 'A(−1e3)' });
  assert.equal(neg.mean, -1000);
});

test('extreme regime: probabilities down to 1e-300', () => {
  const eps = 1e-300;
  const l = law([1, eps], [0, 1]);
  for (const s of [1, 300, 700, 690.7755278982137]) {
    // A(s) = log(1 − ε + ε eˢ) = logaddexp(log(1−ε), log ε + s).
    const a = Math.log1p(-eps);
    const b = Math.log(eps) + s;
    const expected = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    const got = stats(l, s);
    // The exponent log ε + s is rounded to ≈ (s + |log ε|)·ulp (in the reference as in the
    // core), so the tolerance scales with it.
    const rel = 4 * (s + Math.abs(Math.log(eps))) * Number.EPSILON;
    assertClose(got.logPartition, expected, { rel, context: { s, eps } });
    assert.ok(Number.isFinite(got.kl) && got.kl >= 0, `D(${s}) = ${got.kl}`);
  }
  assertClose(stats(l, Number.POSITIVE_INFINITY).kl, -Math.log(eps), {
    rel: 1e-15,
    context: 'Dmax, p(M) = 1e-300',
  });
});

test('10^6 tokens with 7 distinct rewards merge into a 7-value law with the exact counts', () => {
  const N = 1_000_000;
  const p = new Float64Array(N).fill(1 / N);
  const r = new Float64Array(N);
  for (let i = 0; i < N; i++) r[i] = i % 7;
  const l = law(p, r);
  assert.equal(l.values.length, 7);
  assert.equal(l.tokenCount, N);
  const counts = Array.from({ length: 7 }, (_, j) => Math.floor((N - 1 - j) / 7) + 1);
  for (const s of [-1, 0.5, 4]) {
    const Z = counts.reduce((a, c, j) => a + (c / N) * Math.exp(s * j), 0);
    const ZS = counts.reduce((a, c, j) => a + (c / N) * j * Math.exp(s * j), 0);
    assertClose(stats(l, s).logPartition, Math.log(Z), { rel: 1e-14, context: { s } });
    assertClose(stats(l, s).mean, ZS / Z, { rel: 1e-14, context: { s } });
  }
});

test('one-value law: A(s) = s·v, D = 0, A″ = 0', () => {
  const l = law([0.2, 0.8], [1.5, 1.5]);
  const got = stats(l, 3);
  assertClose(got.logPartition, 4.5, { rel: 1e-15, context: 'K = 1' });
  assert.equal(got.kl, 0);
  assert.equal(got.variance, 0);
  assert.equal(stats(l, Number.POSITIVE_INFINITY).kl, 0);
});

test('tokenTilt gives φ_s per original token (tied tokens share in proportion to p)', () => {
  const p = [0.2, 0.1, 0, 0.3, 0.4];
  const r = [1, 1, 5, 0, -1];
  const s = 0.8;
  const res = tokenTilt(p, r, s);
  assert.ok(res.ok);
  const w = p.map((pk, k) => pk * Math.exp(s * r[k]));
  const Z = w.reduce((a, b) => a + b, 0);
  for (let k = 0; k < p.length; k++) assertClose(res.value[k], w[k] / Z, { rel: 1e-14, context: { k, s } });
  assert.equal(res.value[2], 0);
  const inf = tokenTilt(p, r, Number.POSITIVE_INFINITY);
  assert.ok(inf.ok);
  assertClose(inf.value[0], 2 / 3, { rel: 1e-15, context: 'φ_∞ on M' });
  assertClose(inf.value[1], 1 / 3, { rel: 1e-15, context: 'φ_∞ on M' });
  assert.equal(inf.value[3], 0);
});

test('tokenTilt keeps relative accuracy where p is subnormal or φ/p overflows', () => {
  // φ_s(k) = exp(log p_k + s r_k − log Σ p e^{s r}) from logs (the reference); the product
  // p_k·(φ/p) form must give way to it where p is subnormal or φ/p exceeds the largest double.
  const cases: [number[], number[], number][] = [
    [[1e-310, 0.5, 0.5], [1000, 0, 1], 1], // e^{1000}: φ/p of the top value overflows
    [[5e-324, 0.25, 0.75], [3, 1, 2], 2], // the smallest subnormal p
    [[0.3, 0.7, 1e-300], [-800, 0, 800], 0.9], // ratios near both ends of the double range
  ];
  for (const [p, r, s] of cases) {
    const logW = p.map((pk, k) => Math.log(pk) + s * r[k]);
    const top = Math.max(...logW);
    const logZ = top + Math.log(logW.reduce((a, x) => a + Math.exp(x - top), 0));
    const got = unwrap(tokenTilt(p, r, s));
    for (let k = 0; k < p.length; k++) {
      const want = Math.exp(logW[k] - logZ);
      // Subnormal results carry absolute precision only.
      const tol = want < 2 ** -1022 ? { rel: 0, abs: 2 ** -1070 } : { rel: 1e-13 };
      assertClose(got[k], want, { ...tol, context: { p, r, s, k } });
    }
  }
});

test('invalid input gives typed errors, never NaN', () => {
  const l = law([0.5, 0.5], [0, 1]);
  const nan = logPartition(l, Number.NaN);
  assert.ok(!nan.ok && nan.error.code === 'invalid-argument', JSON.stringify(nan));
  const cases: [number[], number[], string][] = [
    [[], [], 'empty-vocabulary'],
    [[0, 0], [1, 2], 'empty-vocabulary'],
    [[-0.1, 1.1], [0, 1], 'invalid-probability'],
    [[Number.NaN, 1], [0, 1], 'invalid-probability'],
    [[Number.POSITIVE_INFINITY, 1], [0, 1], 'invalid-probability'],
    [[0.5, 0.5], [0, Number.NaN], 'invalid-reward'],
    [[0.5, 0.5], [0, Number.POSITIVE_INFINITY], 'invalid-reward'],
    [[0.5, 0.5], [0], 'length-mismatch'],
  ];
  for (const [p, r, code] of cases) {
    const res = tokenTilt(p, r, 1);
    assert.ok(!res.ok, `tokenTilt(${JSON.stringify(p)}, ${JSON.stringify(r)}) should fail`);
    assert.equal(res.error.code, code, `p=${JSON.stringify(p)} r=${JSON.stringify(r)}: ${res.error.message}`);
  }
  const badS = tokenTilt([1], [0], Number.NaN);
  assert.ok(!badS.ok && badS.error.code === 'invalid-argument');
});
