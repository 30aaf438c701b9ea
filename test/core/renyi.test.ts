// Rényi cross entropy H_α(p, softmax r): closed forms at α ∈ {1/2, 1, 2}, α = 1 ± 1e-9 against
// the series, the identity A(s) = s log C − s H_{1+s} and Λ(t) through H (docs/math.md §5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaledCgf } from '../../src/core/cumulants.js';
import { logPartition } from '../../src/core/logPartition.js';
import { logPartitionViaRenyi, renyiCrossEntropy, scaledCgfViaRenyi } from '../../src/core/renyi.js';
import { tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function val<T>(res: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
const p = [0.1, 0.25, 0, 0.3, 0.2, 0.15];
const r = [-1.5, -0.2, 3, 0.4, 1.1, 2.5]; // the p = 0 token still enters C
const C = r.reduce((a, x) => a + Math.exp(x), 0);
const q = r.map((x) => Math.exp(x) / C);

test('closed forms: α = 1 (cross entropy), α = 2, α = 1/2', () => {
  const h1 = -p.reduce((a, pk, k) => a + (pk > 0 ? pk * Math.log(q[k]) : 0), 0);
  const h2 = -Math.log(p.reduce((a, pk, k) => a + pk * q[k], 0));
  // H_{1/2} = (1/(1 − 1/2)) log Σ p q^{−1/2}.
  const hHalf = 2 * Math.log(p.reduce((a, pk, k) => a + pk / Math.sqrt(q[k]), 0));
  const got1 = val(renyiCrossEntropy(p, r, 1));
  assertClose(got1.crossEntropy, h1, { rel: 1e-14, context: 'α = 1' });
  assertClose(got1.logC, Math.log(C), { rel: 1e-15, context: 'log C' });
  assertClose(val(renyiCrossEntropy(p, r, 2)).crossEntropy, h2, { rel: 1e-14, context: 'α = 2' });
  assertClose(val(renyiCrossEntropy(p, r, 0.5)).crossEntropy, hHalf, { rel: 1e-14, context: 'α = 1/2' });
});

test('α = 1 ± 1e-9 and 1 ± 1e-4: H_{1+β} = H₁ − β·Var_p(r)/2 − β²κ₃/6 + O(β³)', () => {
  const mean = p.reduce((a, pk, k) => a + pk * r[k], 0);
  const variance = p.reduce((a, pk, k) => a + pk * (r[k] - mean) ** 2, 0);
  const k3 = p.reduce((a, pk, k) => a + pk * (r[k] - mean) ** 3, 0);
  const h1 = val(renyiCrossEntropy(p, r, 1)).crossEntropy;
  for (const beta of [1e-9, -1e-9, 1e-4, -1e-4]) {
    const expected = h1 - (beta * variance) / 2 - (beta * beta * k3) / 6;
    // Omitted terms are O(β³·κ₄) ≤ 1e-12·10 relative to H ≈ 2; tolerance 1e-13 + that.
    assertClose(val(renyiCrossEntropy(p, r, 1 + beta)).crossEntropy, expected, {
      rel: 1e-13 + 10 * Math.abs(beta) ** 3,
      context: { alpha: 1 + beta },
    });
  }
});

test('identity A(s) = s log C − s H_{1+s}(p, q) against the log-partition function', () => {
  const law = val(tokenRewardLaw(p, r));
  for (const s of [-0.9, -0.3, 1e-7, 0.5, 2, 25]) {
    const a = val(logPartition(law, s));
    assertClose(val(logPartitionViaRenyi(p, r, s)), a, { rel: 1e-12, abs: 1e-300, context: { s } });
  }
  // Rewards ±1e3 with s = 1e3 (α = 1001): no overflow, same value.
  const big = [1000, -1000];
  const pb = [0.5, 0.5];
  const bigLaw = val(tokenRewardLaw(pb, big));
  assertClose(val(logPartitionViaRenyi(pb, big, 1000)), val(logPartition(bigLaw, 1000)), {
    rel: 1e-13,
    context: 'rewards ±1e3, s = 1e3',
  });
});

test('Λ(t) through Rényi cross entropies equals A(λ+t) − A(λ)', () => {
  const law = val(tokenRewardLaw(p, r));
  for (const [lambda, t] of [
    [0.5, 0.5],
    [2, -1.5],
    [0.1, 3],
  ]) {
    assertClose(val(scaledCgfViaRenyi(p, r, lambda, t)), val(scaledCgf(law, lambda, t)), {
      rel: 1e-12,
      context: { lambda, t },
    });
  }
});

test('invalid input: α ≤ 0, ±∞, NaN; s ≤ −1; bad p or r', () => {
  for (const alpha of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    const res = renyiCrossEntropy(p, r, alpha);
    assert.ok(!res.ok && res.error.code === 'out-of-range', `α = ${alpha}`);
  }
  for (const s of [-1, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.ok(!logPartitionViaRenyi(p, r, s).ok, `s = ${s}`);
  }
  const empty = renyiCrossEntropy([], [], 2);
  assert.ok(!empty.ok && empty.error.code === 'empty-vocabulary');
  const badR = renyiCrossEntropy([0.5, 0], [1, Number.POSITIVE_INFINITY], 2);
  assert.ok(!badR.ok && badR.error.code === 'invalid-reward');
  const badP = renyiCrossEntropy([-0.5, 1.5], [1, 2], 2);
  assert.ok(!badP.ok && badP.error.code === 'invalid-probability');
});
