// Cumulants A^(j)(s): Bernoulli closed forms (κ_{j+1} = φ(1−φ) dκ_j/dφ), direct moments of the
// tilted distribution, finite differences of A; sequence cumulants and Λ(t).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaledCgf, sequenceCumulants, tokenCumulants } from '../../src/core/cumulants.js';
import { tiltStats } from '../../src/core/logPartition.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: number[], r: number[]): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
function cumulants(l: TokenRewardLaw, s: number, order: number): Float64Array {
  const res = tokenCumulants(l, s, order);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/** Bernoulli cumulants as polynomials in φ: κ₁ = φ, κ_{j+1} = φ(1−φ)·dκ_j/dφ (exact integers). */
function bernoulliCumulantPolys(order: number): number[][] {
  const polys: number[][] = [[0, 1]];
  for (let j = 1; j < order; j++) {
    const prev = polys[j - 1];
    const deriv = prev.slice(1).map((c, i) => c * (i + 1));
    const next = new Array(deriv.length + 2).fill(0);
    // (φ − φ²)·deriv
    deriv.forEach((c, i) => {
      next[i + 1] += c;
      next[i + 2] -= c;
    });
    polys.push(next);
  }
  return polys;
}

test('Bernoulli: κ₁..κ₈ equal the closed-form polynomials in φ = φ_s(1)', () => {
  const polys = bernoulliCumulantPolys(8);
  for (const q of [0.3, 0.5, 0.05]) {
    const l = law([1 - q, q], [0, 1]);
    for (const s of [-1, 0, 0.7, 3]) {
      const phi = 1 / (1 + ((1 - q) / q) * Math.exp(-s));
      const got = cumulants(l, s, 8);
      for (let j = 0; j < 8; j++) {
        const terms = polys[j].map((c, i) => c * phi ** i);
        const expected = terms.reduce((a, b) => a + b, 0);
        // The alternating polynomial and the moment recursion both lose ≈ ulp·Σ|terms|;
        // the tolerance is that scale (times 64 for the recursion's combinatorial factors).
        const scale = terms.reduce((a, b) => a + Math.abs(b), 0);
        assertClose(got[j], expected, {
          rel: 1e-12,
          abs: 64 * Number.EPSILON * scale,
          context: { q, s, order: j + 1 },
        });
      }
    }
  }
});

test('5-value law: cumulants equal those of the explicitly tilted distribution (raw moments)', () => {
  const p = [0.1, 0.25, 0.3, 0.2, 0.15];
  const r = [-1.5, -0.2, 0.4, 1.1, 2.5];
  const l = law(p, r);
  for (const s of [-0.8, 0.4, 1.5]) {
    const w = p.map((pk, k) => pk * Math.exp(s * r[k]));
    const Z = w.reduce((a, b) => a + b, 0);
    // Raw moments m_j = E r^j, then κ_j = m_j − Σ_{i=1}^{j−1} C(j−1, i−1) κ_i m_{j−i}.
    const m = [1];
    for (let j = 1; j <= 6; j++) m.push(w.reduce((a, wk, k) => a + (wk / Z) * r[k] ** j, 0));
    const kappa = [0];
    const binom = (n: number, k: number) => {
      let out = 1;
      for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
      return out;
    };
    for (let j = 1; j <= 6; j++) {
      let acc = m[j];
      for (let i = 1; i < j; i++) acc -= binom(j - 1, i - 1) * kappa[i] * m[j - i];
      kappa.push(acc);
    }
    const got = cumulants(l, s, 6);
    for (let j = 1; j <= 6; j++) {
      // Raw-moment recursion cancels: tolerance ≈ ulp·max raw moment scale.
      const scale = Math.max(...m.slice(1).map(Math.abs)) * 2 ** j;
      assertClose(got[j - 1], kappa[j], { rel: 1e-12, abs: 64 * Number.EPSILON * scale, context: { s, j } });
    }
  }
});

test("κ₂, κ₃ equal finite differences of A' and A''", () => {
  const l = law([0.1, 0.25, 0.3, 0.2, 0.15], [-1.5, -0.2, 0.4, 1.1, 2.5]);
  const h = 1e-5;
  for (const s of [-1, 0.5, 2]) {
    const at = (t: number) => {
      const st = tiltStats(l, t);
      assert.ok(st.ok);
      return st.value;
    };
    const got = cumulants(l, s, 3);
    // Central differences: truncation h²|κ_{j+2}|/6 ≈ 1e-11, rounding ulp/h ≈ 2e-11; 1e-8 is safe.
    assertClose(got[1], (at(s + h).mean - at(s - h).mean) / (2 * h), { rel: 1e-8, context: { s, j: 2 } });
    assertClose(got[2], (at(s + h).variance - at(s - h).variance) / (2 * h), {
      rel: 1e-7,
      context: { s, j: 3 },
    });
  }
});

test('sequence cumulants are n times the token cumulants; infinite λ has zero spread', () => {
  const l = law([0.2, 0.5, 0.3], [0, 1, 4]);
  const tok = cumulants(l, 0.3, 8);
  const seq = sequenceCumulants(l, 12, 0.3, 8);
  assert.ok(seq.ok);
  for (let j = 0; j < 8; j++)
    assertClose(seq.value[j], 12 * tok[j], { rel: 1e-15, abs: 1e-300, context: { j } });
  const inf = cumulants(l, Number.POSITIVE_INFINITY, 4);
  assert.deepEqual(Array.from(inf), [4, 0, 0, 0]);
});

test('Λ(t) = A(λ+t) − A(λ); Λ′(0) = A′(λ)', () => {
  const l = law([0.2, 0.5, 0.3], [0, 1, 4]);
  const A = (s: number) => {
    const st = tiltStats(l, s);
    assert.ok(st.ok);
    return st.value;
  };
  for (const [lambda, t] of [
    [0.5, 0.25],
    [2, -1.5],
    [0, 3],
    [1, -4],
  ]) {
    const got = scaledCgf(l, lambda, t);
    assert.ok(got.ok);
    const expected = A(lambda + t).logPartition - A(lambda).logPartition;
    const scale = Math.abs(A(lambda + t).logPartition) + Math.abs(A(lambda).logPartition);
    assertClose(got.value, expected, { rel: 1e-13, abs: 8 * Number.EPSILON * scale, context: { lambda, t } });
  }
  const h = 1e-6;
  const plus = scaledCgf(l, 1.2, h);
  const minus = scaledCgf(l, 1.2, -h);
  assert.ok(plus.ok && minus.ok);
  assertClose((plus.value - minus.value) / (2 * h), A(1.2).mean, { rel: 1e-8, context: "Λ'(0)" });
});

test('invalid input: order, λ, t, n', () => {
  const l = law([0.5, 0.5], [0, 1]);
  for (const order of [0, 9, 2.5, Number.NaN]) {
    const res = tokenCumulants(l, 1, order);
    assert.ok(!res.ok && res.error.code === 'out-of-range', `order ${order}`);
  }
  const nan = tokenCumulants(l, Number.NaN, 2);
  assert.ok(!nan.ok && nan.error.code === 'invalid-argument');
  const badN = sequenceCumulants(l, 0, 1, 2);
  assert.ok(!badN.ok);
  for (const [lambda, t] of [
    [Number.NaN, 1],
    [1, Number.NaN],
    [Number.POSITIVE_INFINITY, 1],
    [1, Number.NEGATIVE_INFINITY],
  ]) {
    const res = scaledCgf(l, lambda, t);
    assert.ok(!res.ok && res.error.code === 'invalid-argument', `Λ(${t}) at λ=${lambda}`);
  }
});
