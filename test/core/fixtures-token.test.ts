// The token-level core (docs/math.md §2–§5) against the mpmath references of test/fixtures/token.json.
// Tolerance model: fixtureData.ts (rel 1e-10, λ 1e-12, widened only by the reference's own
// condition number or, where noted, by the size of the terms a formula must cancel).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  comparePolicy,
  cramerRate,
  frontier,
  lambdaForBudget,
  logPartition,
  logPartitionViaRenyi,
  rateFunction,
  rateFunctionGrid,
  renyiCrossEntropy,
  scaledCgf,
  sequenceCumulants,
  tiltStats,
  tokenCumulants,
  tokenRewardLaw,
} from '../../src/core/index.js';
import { checkRef, loadFixture, num, ULPS, value } from './fixtureData.js';

interface TiltEntry {
  s: number;
  A: string;
  mean: string;
  variance: string;
  kl: string;
  logMassMax: string;
  cumulants: string[];
  sens: { A: number; kl: number; logMassMax: number; cumulants: number[] };
}
interface BudgetEntry {
  label: string;
  n: number;
  delta: number;
  lambda: string;
  beta: string;
  reward: string;
  kl: string;
  sensLambda: number | null;
}
interface RateEntry {
  lambda: number;
  x: number;
  cramer: string;
  rate: string;
  sensCramer?: number;
  sensRate?: number;
  floorCramer?: number;
  floorRate?: number;
}
interface TokenCase {
  name: string;
  p: number[];
  r: number[];
  law: { values: number[]; logMass: string[]; maxKL: string };
  tilt: TiltEntry[];
  budget: BudgetEntry[];
  rate: RateEntry[];
  scaledCgf: { lambda: number; t: number; value: string; sens: number }[];
  renyi: { alpha: number; crossEntropy: string; logC: string }[];
}
interface PolicyEntry {
  case: string;
  p: number[];
  r: number[];
  q: number[];
  n: number;
  delta: number;
  kl: string;
  reward: string;
  lambda: string;
  frontierReward: string;
  gap: string;
  klToOptimal: string;
}

const fixture = loadFixture<{ cases: TokenCase[]; policies: PolicyEntry[] }>('token.json');
const LAMBDA_REL = 1e-12;

for (const c of fixture.cases) {
  describe(`token fixture: ${c.name}`, () => {
    const law = value(tokenRewardLaw(c.p, c.r), { case: c.name });

    test('reward law: merged values and log-masses', () => {
      // + 0 maps −0 to 0: which of two equal rewards ±0 names the merged value does not matter.
      assert.deepEqual(
        Array.from(law.values, (v) => v + 0),
        c.law.values.map((v) => v + 0),
        `${c.name}: merged reward values`,
      );
      c.law.logMass.forEach((lm, j) => {
        checkRef(law.logMass[j], lm, { case: c.name, quantity: 'logMass', j }, 1);
      });
    });

    test('A, A′, A″, D, log φ_s(M) and cumulants up to order 8', () => {
      for (const e of c.tilt) {
        const ctx = (quantity: string) => ({ case: c.name, s: e.s, quantity });
        const st = value(tiltStats(law, e.s), ctx('tiltStats'));
        checkRef(st.logPartition, e.A, ctx('A(s) via tiltStats'), e.sens.A);
        checkRef(value(logPartition(law, e.s), ctx('A')), e.A, ctx('A(s)'), e.sens.A);
        checkRef(st.mean, e.mean, ctx("A'(s)"), e.sens.cumulants[0]);
        checkRef(st.variance, e.variance, ctx("A''(s)"), e.sens.cumulants[1]);
        checkRef(st.kl, e.kl, ctx('D(s)'), e.sens.kl);
        checkRef(st.logMassMax, e.logMassMax, ctx('log phi_s(M)'), e.sens.logMassMax);
        const kappa = value(tokenCumulants(law, e.s, 8), ctx('tokenCumulants'));
        e.cumulants.forEach((k, m) => {
          checkRef(kappa[m], k, ctx(`cumulant ${m + 1}`), e.sens.cumulants[m]);
        });
        // Cumulants of R under φ_λⁿ are n times the token cumulants (docs/math.md §5).
        if (e.s >= 0) {
          const n = 37;
          const seq = value(sequenceCumulants(law, n, e.s, 8), ctx('sequenceCumulants'));
          e.cumulants.forEach((k, m) => {
            checkRef(
              seq[m],
              String(n * num(k)),
              ctx(`sequence cumulant ${m + 1}, n = ${n}`),
              n * e.sens.cumulants[m],
            );
          });
        }
      }
    });

    test('λ for a budget: λ, β, KL and reward', () => {
      for (const b of c.budget) {
        const ctx = (quantity: string) => ({
          case: c.name,
          budget: b.label,
          n: b.n,
          delta: b.delta,
          quantity,
        });
        const sol = value(lambdaForBudget(law, b.n, b.delta), ctx('lambdaForBudget'));
        checkRef(sol.lambda, b.lambda, ctx('lambda'), b.sensLambda, LAMBDA_REL);
        // β = 1/λ has the relative condition of λ.
        checkRef(
          sol.beta,
          b.beta,
          ctx('beta'),
          b.sensLambda === null ? 0 : (b.sensLambda * num(b.beta)) / num(b.lambda),
          LAMBDA_REL,
        );
        checkRef(sol.kl, b.kl, ctx('kl'));
        checkRef(sol.reward, b.reward, ctx('reward'));
      }
    });

    test('frontier end points agree with the budget references', () => {
      const byN = new Map<number, BudgetEntry[]>();
      for (const b of c.budget) byN.set(b.n, [...(byN.get(b.n) ?? []), b]);
      for (const [n, entries] of byN) {
        const finite = entries.filter((b) => Number.isFinite(num(b.lambda)));
        for (let i = 0; i + 1 < finite.length; i++) {
          const [a, b] = [finite[i], finite[i + 1]];
          if (!(a.delta < b.delta)) continue;
          const ctx = { case: c.name, n, deltaFrom: a.delta, deltaTo: b.delta };
          const f = value(frontier(law, n, { steps: 2, deltaFrom: a.delta, deltaTo: b.delta }), ctx);
          assert.equal(f.points.length, 2, JSON.stringify(ctx));
          for (const [pt, ref] of [
            [f.points[0], a],
            [f.points[1], b],
          ] as const) {
            checkRef(
              pt.lambda,
              ref.lambda,
              { ...ctx, quantity: 'lambda', at: ref.delta },
              ref.sensLambda,
              LAMBDA_REL,
            );
            checkRef(pt.kl, ref.kl, { ...ctx, quantity: 'kl', at: ref.delta });
            checkRef(pt.reward, ref.reward, { ...ctx, quantity: 'reward', at: ref.delta });
          }
          checkRef(f.maxKL, String(n * num(c.law.maxKL)), { ...ctx, quantity: 'maxKL' }, n);
        }
      }
    });

    test('frontier sweep: every point lies on the frontier (direct evaluation at its λ)', () => {
      if (law.values.length < 2) return;
      const n = 3;
      const f = value(frontier(law, n, { steps: 60 }), { case: c.name, n, quantity: 'frontier' });
      assert.equal(f.points.length, 60, `${c.name}: number of frontier points`);
      for (let i = 0; i < f.points.length; i++) {
        const pt = f.points[i];
        const ctx = { case: c.name, n, steps: 60, i, lambda: pt.lambda };
        if (i > 0)
          assert.ok(pt.kl > f.points[i - 1].kl, JSON.stringify({ ...ctx, quantity: 'kl ascending' }));
        if (!Number.isFinite(pt.lambda)) {
          checkRef(pt.kl, String(n * num(c.law.maxKL)), { ...ctx, quantity: 'kl at lambda = inf' }, n);
          assert.equal(
            pt.reward,
            n * law.rMax,
            JSON.stringify({ ...ctx, quantity: 'reward at lambda = inf' }),
          );
          continue;
        }
        // φ_λ in doubles, shifted by the largest exponent; D = Σ φ (λ v − A) is accurate to a few
        // ulp of λ·max|v| + |A| + 1 (its terms; A(0) = log Σ w is 0 only to an ulp).
        const logs = Array.from(law.values, (v, k) => law.logMass[k] + pt.lambda * v);
        const m = Math.max(...logs);
        const z = logs.reduce((acc, l) => acc + Math.exp(l - m), 0);
        const a = m + Math.log(z);
        let mean = 0;
        let kl = 0;
        logs.forEach((l, k) => {
          const phi = Math.exp(l - a);
          mean += phi * law.values[k];
          kl += phi * (l - law.logMass[k] - a);
        });
        const termScale = pt.lambda * Math.max(Math.abs(law.rMin), Math.abs(law.rMax)) + Math.abs(a) + 1;
        checkRef(pt.kl, String(n * kl), { ...ctx, quantity: 'kl = n D(lambda)' }, 64 * n * termScale);
        checkRef(
          pt.reward,
          String(n * mean),
          { ...ctx, quantity: "reward = n A'(lambda)" },
          64 * n * termScale,
        );
      }
    });

    test('Cramér rate A*(x) and I_λ(x), end points and outside [r_min, r_max]', () => {
      for (const e of c.rate) {
        const ctx = (quantity: string) => ({ case: c.name, lambda: e.lambda, x: e.x, quantity });
        // floor*: the second-order error (δμ)²/(2 Var) of a mean computed to 64 ulp, which the
        // first-order sensitivity misses where x is (nearly) the mean and the rate ≈ 0.
        const sensCramer = (e.sensCramer ?? 0) + (e.floorCramer ?? 0) / ULPS;
        const sensRate = (e.sensRate ?? 0) + (e.floorRate ?? 0) / ULPS;
        checkRef(value(cramerRate(law, e.x), ctx('A*')), e.cramer, ctx('A*(x)'), sensCramer);
        checkRef(value(rateFunction(law, e.lambda, e.x), ctx('I')), e.rate, ctx('I_lambda(x)'), sensRate);
      }
      // The warm-started grid evaluation must give the same values.
      for (const lambda of new Set(c.rate.map((e) => e.lambda))) {
        const entries = c.rate.filter((e) => e.lambda === lambda);
        const grid = value(
          rateFunctionGrid(
            law,
            lambda,
            entries.map((e) => e.x),
          ),
          { case: c.name, lambda, quantity: 'rateFunctionGrid' },
        );
        entries.forEach((e, i) => {
          const sensRate = (e.sensRate ?? 0) + (e.floorRate ?? 0) / ULPS;
          checkRef(
            grid[i],
            e.rate,
            { case: c.name, lambda, x: e.x, quantity: 'I_lambda(x) via grid' },
            sensRate,
          );
        });
      }
    });

    test('scaled cumulant generating function Λ(t) = A(λ + t) − A(λ)', () => {
      for (const e of c.scaledCgf) {
        const ctx = { case: c.name, lambda: e.lambda, t: e.t };
        checkRef(value(scaledCgf(law, e.lambda, e.t), ctx), e.value, ctx, e.sens);
      }
    });

    test('Rényi cross entropy H_α(p, softmax r), including α → 1', () => {
      for (const e of c.renyi) {
        const ctx = (quantity: string) => ({ case: c.name, alpha: e.alpha, quantity });
        const h = value(renyiCrossEntropy(c.p, c.r, e.alpha), ctx('renyi'));
        checkRef(h.crossEntropy, e.crossEntropy, ctx('H_alpha'));
        checkRef(h.logC, e.logC, ctx('log C'));
      }
    });

    test('A(s) through the Rényi identity A(s) = s log C − s H_{1+s}', () => {
      const logC = num(c.renyi[0].logC);
      for (const e of c.tilt) {
        if (!(e.s > -1)) continue;
        const ctx = { case: c.name, s: e.s, quantity: 'A via Renyi' };
        // The identity subtracts s·H from s·log C: its error is a few ulp of s(|log C| + |H|) ≈
        // |s|(2|log C| + |A/s|), the size of the cancelling terms, not of A.
        const scale = Math.abs(e.s) * 2 * Math.abs(logC) + Math.abs(num(e.A));
        checkRef(value(logPartitionViaRenyi(c.p, c.r, e.s), ctx), e.A, ctx, e.sens.A + scale);
      }
    });
  });
}

describe('token fixture: stability theorem for memoryless policies', () => {
  for (const e of fixture.policies) {
    test(`${e.case}: q = [${e.q.join(', ')}], n = ${e.n}, Δ = ${e.delta}`, () => {
      const ctx = (quantity: string) => ({ case: e.case, q: e.q, n: e.n, delta: e.delta, quantity });
      const cmp = value(comparePolicy(e.p, e.r, e.q, e.n, e.delta), ctx('comparePolicy'));
      checkRef(cmp.kl, e.kl, ctx('KL(q^n || p^n)'));
      checkRef(cmp.reward, e.reward, ctx('E_q R'));
      checkRef(cmp.lambda, e.lambda, ctx('lambda'), 0, LAMBDA_REL);
      checkRef(cmp.frontierReward, e.frontierReward, ctx('frontier reward'));
      // gap = F − E_q R: a difference, accurate to a few ulp of |F| + |E_q R|.
      const gapScale = Math.abs(num(e.frontierReward)) + Math.abs(num(e.reward));
      checkRef(cmp.gap, e.gap, ctx('gap'), gapScale);
      checkRef(cmp.klToOptimal, e.klToOptimal, ctx('KL(q^n || phi_Delta)'));
      const lambda = num(e.lambda);
      const gap = num(e.gap);
      // The theorem bounds KL(q‖φ_Δ) by λ·gap when the budget binds (λ < ∞) and KL(q‖p) ≤ Δ;
      // otherwise there is no bound (+∞): the optimum is not unique, resp. the excess adds to λ·gap.
      const applies = lambda < Number.POSITIVE_INFINITY && num(e.kl) <= e.delta;
      const bound = applies ? Math.max(0, lambda * gap) : Number.POSITIVE_INFINITY;
      assert.equal(
        cmp.boundStatus,
        lambda === Number.POSITIVE_INFINITY ? 'not-binding' : applies ? 'applies' : 'over-budget',
        JSON.stringify(ctx('boundStatus')),
      );
      checkRef(cmp.bound, String(bound), ctx('bound lambda * gap'), lambda * gapScale);
      assert.ok(cmp.klToOptimal <= cmp.bound, JSON.stringify({ ...ctx('KL(q‖φ_Δ) ≤ bound'), cmp }));
      assert.equal(cmp.withinBudget, num(e.kl) <= e.delta, JSON.stringify(ctx('withinBudget')));
    });
  }
});
