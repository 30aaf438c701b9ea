// The stability theorem: KL(φ‖φ_Δ) = [KL(φ‖pⁿ) − Δ] + λ(E_{φ_Δ} R − E_φ R), checked with every
// side computed directly, by brute-force enumeration of sequences, and in the special cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
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
  // φ₀ is p exactly (its log masses are the law's), so KL(p‖φ₀) is exactly 0 ≤ the bound 0.
  assert.equal(same.klToOptimal, 0);
  assert.equal(same.bound, 0);
  assert.equal(same.boundStatus, 'applies');
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
  // Beyond the budget the theorem gives no bound.
  assert.equal(c.boundStatus, 'over-budget');
  assert.equal(c.bound, Number.POSITIVE_INFINITY);
  // Δ beyond the maximum: λ = ∞, q supported on M = {token 1} → KL to φ_∞ = KL(q‖δ) finite = 0;
  // the budget does not bind, so there is no bound either (the optimum is not unique).
  const onTop = val(comparePolicy(pz, rz, [0, 1, 0], 2, 100));
  assert.equal(onTop.lambda, Number.POSITIVE_INFINITY);
  assert.equal(onTop.klToOptimal, 0);
  assert.equal(onTop.boundStatus, 'not-binding');
  assert.equal(onTop.bound, Number.POSITIVE_INFINITY);
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

test('property: KL(qⁿ‖φ_Δ) ≤ bound in every case; the bound is λ·ε exactly when the theorem applies', () => {
  // Random laws (integer, decimal and 1e15-offset rewards, zero masses), policies (with zero and
  // foreign masses), lengths and budgets (none, below, at, above KL(q‖p), beyond the maximum,
  // 0). Issue #14: at a budget that does not bind the bound was 0 while KL(q‖φ_Δ) > 0, beyond
  // the budget it was λε < KL(q‖φ_Δ), and with rewards 1e15 + k the gap rounded to 0.
  const rewards = fc.oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.constantFrom(-1.5, -0.2, 0.1, 0.4, 2.5),
    fc.integer({ min: 0, max: 3 }).map((k) => 1e15 + k),
  );
  const caseArb = fc
    .integer({ min: 2, max: 5 })
    .chain((K) =>
      fc.record({
        p: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), {
          minLength: K,
          maxLength: K,
        }),
        r: fc.array(rewards, { minLength: K, maxLength: K }),
        q: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), {
          minLength: K,
          maxLength: K,
        }),
        n: fc.integer({ min: 1, max: 40 }),
        budget: fc.constantFrom('default', 'zero', 'below', 'at', 'above', 'beyond-max'),
      }),
    )
    .filter((c) => c.p.some((x) => x > 0) && c.q.some((x) => x > 0) && new Set(c.r).size === c.r.length);
  fc.assert(
    fc.property(caseArb, (c) => {
      const law = tokenRewardLaw(c.p, c.r);
      if (!law.ok) return true;
      const probe = comparePolicy(c.p, c.r, c.q, c.n, Number.POSITIVE_INFINITY);
      if (!probe.ok) throw new Error(`${JSON.stringify(c)}: ${probe.error.message}`);
      const kl = probe.value.kl;
      const maxKL = c.n * (law.value.values.length === 1 ? 0 : -law.value.logMassMax);
      const delta =
        c.budget === 'default'
          ? undefined
          : c.budget === 'zero'
            ? 0
            : c.budget === 'beyond-max'
              ? 2 * maxKL + 1
              : !Number.isFinite(kl)
                ? maxKL / 2
                : { below: 0.5, at: 1, above: 1.5 }[c.budget as 'below' | 'at' | 'above'] * kl;
      const res = comparePolicy(c.p, c.r, c.q, c.n, delta);
      if (delta === undefined && !Number.isFinite(kl)) {
        assert.equal(res.ok, false, `${JSON.stringify(c)}: Δ is required when KL = ∞`);
        return true;
      }
      if (!res.ok) throw new Error(`${JSON.stringify(c)}: ${res.error.message}`);
      const v = res.value;
      const context = JSON.stringify({ ...c, delta, v }, (_k, x) =>
        typeof x === 'number' && !Number.isFinite(x) ? String(x) : x,
      );
      // Which hypothesis holds decides whether there is a bound at all.
      const expected =
        v.lambda === Number.POSITIVE_INFINITY ? 'not-binding' : v.kl <= v.budget ? 'applies' : 'over-budget';
      assert.equal(v.boundStatus, expected, context);
      if (v.boundStatus !== 'applies') {
        assert.equal(v.bound, Number.POSITIVE_INFINITY, context);
        return true;
      }
      // The identity KL(q‖φ_Δ) = [KL − Δ] + λε ≤ λε: equality at Δ = KL. Every term has a few ulp
      // of relative error; the gap's terms (φ_k − q_k)(r_k − r_max) have magnitude ≤ 2 span, so
      // λε is accurate to ≈ 64ε·λ·n·2·span absolute, besides 1e-10 relative.
      const span = law.value.rMax - law.value.rMin;
      const tol =
        1e-10 * v.bound + 64 * Number.EPSILON * (v.lambda * c.n * 2 * span + v.klToOptimal) + 1e-300;
      assert.ok(v.klToOptimal <= v.bound + tol, `KL(q‖φ_Δ) > bound: ${context}`);
      const identity = v.kl - v.budget + v.lambda * v.gap;
      assertClose(v.klToOptimal, identity, {
        rel: 1e-9,
        abs: tol + 64 * Number.EPSILON * (v.kl + v.budget),
        context: `identity: ${context}`,
      });
      return true;
    }),
    { numRuns: 400, seed: 20261205 },
  );
});
