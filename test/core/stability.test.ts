// The stability theorem: KL(φ‖φ_Δ) = [KL(φ‖pⁿ) − Δ] + λ(E_{φ_Δ} R − E_φ R), checked with every
// side computed directly, by brute-force enumeration of sequences, and in the special cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { tokenTilt } from '../../src/core/logPartition.js';
import { tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { comparePolicy } from '../../src/core/stability.js';
import { assertClose } from '../helpers/tolerance.js';

function val<T>(res: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
const p = [0.1, 0.25, 0.3, 0.2, 0.15];
const r = [-1.5, -0.2, 0.4, 1.1, 2.5];
const q = [0.05, 0.1, 0.3, 0.3, 0.25];

test('identity with Δ given (below, at and above KL(q‖p)) and with the default Δ = KL', () => {
  const n = 3;
  const base = val(comparePolicy(p, r, q, n));
  // Default Δ = KL(qⁿ‖pⁿ): the identity reduces to KL(qⁿ‖φ_Δ) = λ·ε = bound.
  assertClose(base.klToOptimal, base.bound, { rel: 1e-12, context: 'default Δ' });
  assert.equal(base.budget, base.kl);
  assert.ok(base.withinBudget && base.gap > 0);
  for (const delta of [0.2 * base.kl, base.kl, 1.7 * base.kl]) {
    const c = val(comparePolicy(p, r, q, n, delta));
    const rhs = c.kl - delta + c.lambda * (c.frontierReward - c.reward);
    const scale = c.kl + delta + c.lambda * (Math.abs(c.frontierReward) + Math.abs(c.reward));
    assertClose(c.klToOptimal, rhs, { rel: 1e-12, abs: 8 * Number.EPSILON * scale, context: { delta } });
  }
});

test('brute force over all 5² sequences: KL(q²‖φ_Δ), KL(q²‖p²), E R', () => {
  const n = 2;
  const c = val(comparePolicy(p, r, q, n));
  const phi = val(tokenTilt(p, r, c.lambda));
  let klQP = 0;
  let klQPhi = 0;
  let reward = 0;
  for (let a = 0; a < 5; a++) {
    for (let b = 0; b < 5; b++) {
      const qq = q[a] * q[b];
      klQP += qq * Math.log(qq / (p[a] * p[b]));
      klQPhi += qq * Math.log(qq / (phi[a] * phi[b]));
      reward += qq * (r[a] + r[b]);
    }
  }
  assertClose(c.kl, klQP, { rel: 1e-13, context: 'KL(q²‖p²)' });
  assertClose(c.klToOptimal, klQPhi, { rel: 1e-12, context: 'KL(q²‖φ_Δ)' });
  assertClose(c.reward, reward, { rel: 1e-14, context: 'E R' });
  const sol = val(lambdaForBudget(val(tokenRewardLaw(p, r)), n, c.kl));
  assertClose(c.frontierReward, sol.reward, { rel: 1e-15, context: 'F(Δ)' });
});

test('q = φ_λ is optimal (ε = 0, KL to optimal 0); q = p gives λ = 0', () => {
  const lambda = 0.9;
  const phi = val(tokenTilt(p, r, lambda));
  const c = val(comparePolicy(p, r, phi, 4));
  assertClose(c.lambda, lambda, { rel: 1e-12, context: 'λ recovered' });
  assertClose(c.gap, 0, { rel: 0, abs: 1e-13, context: 'gap' });
  assertClose(c.klToOptimal, 0, { rel: 0, abs: 1e-14, context: 'KL(φ‖φ_Δ)' });
  const same = val(comparePolicy(p, r, p, 4));
  assert.equal(same.kl, 0);
  assert.equal(same.lambda, 0);
  // log φ₀ per token is log p up to rounding (≈ 1e-16), so KL(p‖φ₀) is O(1e-32), not exactly 0.
  assertClose(same.klToOptimal, 0, { rel: 0, abs: 1e-28, context: 'KL(p‖φ_0)' });
  assert.equal(same.bound, 0);
});

test('q with mass where p has none: KL = ∞; needs Δ; KL to optimal = ∞', () => {
  const pz = [0.5, 0.5, 0];
  const rz = [0, 1, 2];
  const qz = [0.2, 0.3, 0.5];
  const noBudget = comparePolicy(pz, rz, qz, 2);
  assert.ok(!noBudget.ok && noBudget.error.code === 'invalid-argument', JSON.stringify(noBudget));
  const c = val(comparePolicy(pz, rz, qz, 2, 0.3));
  assert.equal(c.kl, Number.POSITIVE_INFINITY);
  assert.equal(c.klToOptimal, Number.POSITIVE_INFINITY);
  assert.equal(c.withinBudget, false);
  // Δ beyond the maximum: λ = ∞, q supported on M = {token 1} → KL to φ_∞ = KL(q‖δ) finite = 0.
  const onTop = val(comparePolicy(pz, rz, [0, 1, 0], 2, 100));
  assert.equal(onTop.lambda, Number.POSITIVE_INFINITY);
  assert.equal(onTop.klToOptimal, 0);
  assert.equal(onTop.bound, 0);
});

test('invalid input', () => {
  const cases: [number[], string][] = [
    [[0.5, 0.5], 'length-mismatch'],
    [[-0.1, 0.2, 0.3, 0.3, 0.3], 'invalid-probability'],
    [[Number.NaN, 0.2, 0.3, 0.3, 0.2], 'invalid-probability'],
    [[0, 0, 0, 0, 0], 'invalid-probability'],
  ];
  for (const [qq, code] of cases) {
    const res = comparePolicy(p, r, qq, 1);
    assert.ok(!res.ok && res.error.code === code, `q = ${JSON.stringify(qq)}: ${JSON.stringify(res)}`);
  }
  assert.ok(!comparePolicy(p, r, q, 0).ok);
  assert.ok(!comparePolicy(p, r, q, 1, -1).ok);
  assert.ok(!comparePolicy(p, r, q, 1, Number.NaN).ok);
  assert.ok(!comparePolicy([], [], [], 1).ok);
});
