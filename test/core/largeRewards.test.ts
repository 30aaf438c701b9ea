// Rewards far from 1 (issue #14): ±1e15 … ±1e300, an offset 1e15 with a span of 2, and ±1e-300,
// against the mpmath references of test/fixtures/token.json ("largeRewards", computed with
// enough digits to resolve the rewards' differences), and the exact scale equivariance of every
// quantity: with rewards r·u (u a power of two, so the inputs are exact), λ becomes λ/u, rewards
// and A' become ·u, A'' ·u², κ_j ·uʲ, and A, KL, rates and probabilities do not change.
// Differences beyond the largest double (rewards ±1e308) are an `out-of-range` error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestOfN, bestOfNForLength } from '../../src/core/bestOfN.js';
import { scaledCgf, sequenceCumulants, tokenCumulants } from '../../src/core/cumulants.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { frontier } from '../../src/core/frontier.js';
import { lambdaForBudget, tiltAtBeta, tiltAtLambda } from '../../src/core/klrl.js';
import {
  cramerRate,
  rateFunction,
  rateFunctionCurve,
  rateFunctionGrid,
} from '../../src/core/largeDeviations.js';
import { logPartition, tiltStats } from '../../src/core/logPartition.js';
import { simulate } from '../../src/core/monteCarlo.js';
import { renyiCrossEntropy, renyiCrossEntropyCurve } from '../../src/core/renyi.js';
import { buildTokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { comparePolicy } from '../../src/core/stability.js';
import { tailExponents } from '../../src/core/tails.js';
import { assertClose } from '../helpers/tolerance.js';
import { checkRef, loadFixture, num, value } from './fixtureData.js';
import { expectError } from './sequenceHelpers.js';

interface LargeCase {
  name: string;
  p: number[];
  r: number[];
  maxKL: string;
  renyi: { alpha: number; crossEntropy: string; logC: string }[];
  tilt: { s: number; A: string; kl: string; cumulants: string[] }[];
  budget: { n: number; delta: number; lambda: string; reward: string }[];
  rate: { lambda: number; x: number; rate: string; cramer: string }[];
  bestOfN: {
    n: number;
    levels: number[];
    entries: {
      N?: number;
      logN?: number;
      reward: string;
      kl: string;
      scale: { reward: number; kl: number };
    }[];
  };
}

const fixture = loadFixture<{ largeRewards: LargeCase[] }>('token.json');

/** A reference beyond the double range (e.g. A'' ≈ 1e600) must be an `out-of-range` error. */
const overflows = (s: string) => !Number.isFinite(num(s));

for (const c of fixture.largeRewards) {
  describe(`large rewards: ${c.name}`, () => {
    const law = value(tokenRewardLaw(c.p, c.r), { case: c.name });
    const ctx = (quantity: string, extra: object = {}) => ({
      case: c.name,
      p: c.p,
      r: c.r,
      quantity,
      ...extra,
    });

    test('Rényi cross entropy and log C (issue #14: ±1e15 gave 1.25, ±1e17 gave 0)', () => {
      for (const e of c.renyi) {
        const h = value(renyiCrossEntropy(c.p, c.r, e.alpha), ctx('renyi', { alpha: e.alpha }));
        checkRef(h.crossEntropy, e.crossEntropy, ctx('H_alpha', { alpha: e.alpha }));
        checkRef(h.logC, e.logC, ctx('log C', { alpha: e.alpha }));
      }
      const curve = value(
        renyiCrossEntropyCurve(
          c.p,
          c.r,
          c.renyi.map((e) => e.alpha),
        ),
        ctx('renyi curve'),
      );
      curve.forEach((h, i) => {
        checkRef(h.crossEntropy, c.renyi[i].crossEntropy, ctx('H_alpha (curve)', { alpha: h.alpha }));
      });
    });

    test('A(s), D(s) and the cumulants at s = t/(r_max − r_min)', () => {
      for (const e of c.tilt) {
        checkRef(value(logPartition(law, e.s), ctx('A', { s: e.s })), e.A, ctx('A(s)', { s: e.s }));
        const stats = tiltStats(law, e.s);
        if (overflows(e.cumulants[1])) {
          // A'' ≈ 1e600 is not a double: tiltStats says so; D and A' through the KL-RL solution.
          expectError(stats, 'out-of-range', `${c.name}: tiltStats at s = ${e.s} (A'' = ${e.cumulants[1]})`);
          if (e.s > 0) {
            const sol = value(tiltAtLambda(law, 1, e.s), ctx('tiltAtLambda', { s: e.s }));
            checkRef(sol.klPerToken, e.kl, ctx('D(s)', { s: e.s }));
            checkRef(sol.rewardPerToken, e.cumulants[0], ctx("A'(s)", { s: e.s }));
          }
        } else {
          const st = value(stats, ctx('tiltStats', { s: e.s }));
          checkRef(st.kl, e.kl, ctx('D(s)', { s: e.s }));
          checkRef(st.mean, e.cumulants[0], ctx("A'(s)", { s: e.s }));
          checkRef(
            st.variance,
            e.cumulants[1],
            ctx("A''(s)", { s: e.s }),
            1e3 * Math.max(num(e.cumulants[1]), 0),
          );
        }
        const kappa = tokenCumulants(law, e.s, 4);
        if (e.cumulants.some(overflows)) {
          expectError(kappa, 'out-of-range', `${c.name}: cumulants at s = ${e.s} (${e.cumulants})`);
        } else {
          // κ_j is accurate in absolute terms to ≈ 1e-15·σʲ (docs/math.md): the floor below.
          const sigma = Math.sqrt(Math.max(num(e.cumulants[1]), 0));
          value(kappa, ctx('cumulants', { s: e.s })).forEach((k, j) => {
            assertClose(k, num(e.cumulants[j]), {
              rel: 1e-10,
              abs: Math.max(1e-300, 1e-13 * sigma ** (j + 1)),
              context: ctx(`kappa_${j + 1}`, { s: e.s }),
            });
          });
        }
      }
    });

    test('λ for a budget, the rate function and Cramér’s rate', () => {
      for (const e of c.budget) {
        const sol = value(lambdaForBudget(law, e.n, e.delta), ctx('lambdaForBudget', e));
        checkRef(sol.lambda, e.lambda, ctx('lambda', e));
        checkRef(sol.reward, e.reward, ctx("reward n A'(lambda)", e));
      }
      for (const e of c.rate) {
        checkRef(value(rateFunction(law, e.lambda, e.x), ctx('rate', e)), e.rate, ctx('I_lambda(x)', e));
        checkRef(value(cramerRate(law, e.x), ctx('cramer', e)), e.cramer, ctx('A*(x)', e));
      }
      const grid = value(
        rateFunctionGrid(
          law,
          c.rate[0].lambda,
          c.rate.map((e) => e.x),
        ),
        ctx('rate grid'),
      );
      grid.forEach((v, i) => {
        checkRef(v, c.rate[i].rate, ctx('I_lambda(x) (grid)', c.rate[i]));
      });
    });

    test(`best-of-N over n = ${c.bestOfN.n} tokens`, () => {
      const seq = value(sequenceRewardLaw(law, c.bestOfN.n), ctx('sequenceRewardLaw'));
      // Levels n·a + i·h: two roundings in the core, one in the reference (exact rationals).
      assert.equal(seq.values.length, c.bestOfN.levels.length, JSON.stringify(ctx('number of levels')));
      seq.values.forEach((x, j) => {
        assertClose(x, c.bestOfN.levels[j], { rel: 4 * Number.EPSILON, context: ctx('level', { j }) });
      });
      for (const e of c.bestOfN.entries) {
        const size = e.N !== undefined ? { N: e.N } : { logN: e.logN! };
        const b = value(bestOfN(seq, law, size), ctx('bestOfN', size));
        checkRef(b.reward, e.reward, ctx('E_BoN R', size), e.scale.reward);
        checkRef(b.kl, e.kl, ctx('KL(BoN || p^n)', size), e.scale.kl);
        const direct = value(bestOfNForLength(law, c.bestOfN.n, size), ctx('bestOfNForLength', size));
        checkRef(direct.reward, e.reward, ctx('E_BoN R (bestOfNForLength)', size), e.scale.reward);
      }
    });
  });
}

describe('scale equivariance: rewards ·2^k for k = ±900 (exact inputs), every core function', () => {
  const P = [0.1, 0.3, 0.35, 0.2, 0.05];
  const R = [-1, 0, 0.5, 1, 2];
  const Q = [0.3, 0.1, 0.2, 0.3, 0.1];
  const base = buildTokenRewardLaw(P, R);
  for (const k of [900, -900, 200]) {
    const u = 2 ** k;
    const Ru = R.map((r) => r * u);
    const law = buildTokenRewardLaw(P, Ru);
    const ctx = (quantity: string, extra: object = {}) => ({ k, quantity, ...extra });
    // Dimensionless results agree to the accuracy of the computations themselves (the solvers
    // work on the same rescaled law, but their stopping points and the tilted exponents differ
    // in the last bits): 1e-12 relative.
    const close = (got: number, expected: number, what: string, extra: object = {}) =>
      assertClose(got, expected, { rel: 1e-12, abs: 1e-300, context: ctx(what, extra) });

    test(`k = ${k}: tilt, λ for a budget, frontier, cumulants, Λ`, () => {
      for (const s of [0.3, -1.5, 4]) {
        const a = value(tiltStats(base, s), ctx('base tiltStats'));
        close(value(logPartition(law, s / u), ctx('A', { s })), a.logPartition, 'A', { s });
        const stats = tiltStats(law, s / u);
        if (!Number.isFinite(a.variance * u * u)) {
          expectError(stats, 'out-of-range', `k = ${k}: A'' ≈ ${a.variance}·2^${2 * k} is not a double`);
          continue;
        }
        const b = value(stats, ctx('tiltStats', { s }));
        close(b.mean, a.mean * u, "A'", { s });
        close(b.variance, a.variance * u * u, "A''", { s });
        close(b.kl, a.kl, 'D', { s });
      }
      for (const delta of [1e-9, 0.3, 2]) {
        const a = value(lambdaForBudget(base, 3, delta), ctx('base lambda'));
        const b = value(lambdaForBudget(law, 3, delta), ctx('lambda', { delta }));
        close(b.lambda, a.lambda / u, 'lambda', { delta });
        close(b.reward, a.reward * u, 'reward', { delta });
        close(b.kl, a.kl, 'kl', { delta });
      }
      const fa = value(frontier(base, 3, { steps: 9 }), ctx('base frontier'));
      const fb = value(frontier(law, 3, { steps: 9 }), ctx('frontier'));
      fb.points.forEach((pt, i) => {
        close(pt.lambda, fa.points[i].lambda / u, 'frontier lambda', { i });
        close(pt.reward, fa.points[i].reward * u, 'frontier reward', { i });
        close(pt.kl, fa.points[i].kl, 'frontier kl', { i });
      });
      const ka = value(sequenceCumulants(base, 3, 0.7, 4), ctx('base cumulants'));
      const kb = sequenceCumulants(law, 3, 0.7 / u, 4);
      if (k === 900) expectError(kb, 'out-of-range', 'κ₂ ≈ 1e542 is not a double');
      else
        value(kb, ctx('cumulants')).forEach((v, j) => {
          close(v, ka[j] * u ** (j + 1), `kappa_${j + 1}`);
        });
      close(
        value(scaledCgf(law, 0.7 / u, 0.2 / u), ctx('cgf')),
        value(scaledCgf(base, 0.7, 0.2), ctx('base cgf')),
        'Lambda(t)',
      );
      const ta = value(tiltAtBeta(base, 3, 2), ctx('base beta'));
      const tb = value(tiltAtBeta(law, 3, 2 * u), ctx('beta'));
      close(tb.reward, ta.reward * u, 'reward at beta');
    });

    test(`k = ${k}: rates, rate curve, law of R, tails, best-of-N, equivalence, compare, simulate`, () => {
      const xs = [-0.5, 0.25, 1.5];
      const ga = value(rateFunctionGrid(base, 0.7, xs), ctx('base grid'));
      const gb = value(
        rateFunctionGrid(
          law,
          0.7 / u,
          xs.map((x) => x * u),
        ),
        ctx('grid'),
      );
      gb.forEach((v, i) => {
        close(v, ga[i], 'I_lambda(x)', { x: xs[i] });
      });
      const ca = value(rateFunctionCurve(base, 0.7, 21), ctx('base curve'));
      const cb = value(rateFunctionCurve(law, 0.7 / u, 21), ctx('curve'));
      cb.points.forEach((pt, i) => {
        close(pt.x, ca.points[i].x * u, 'curve x', { i });
        close(pt.rate, ca.points[i].rate, 'curve rate', { i });
      });
      const sa = value(sequenceRewardLaw(base, 6), ctx('base law of R'));
      const sb = value(sequenceRewardLaw(law, 6), ctx('law of R'));
      assert.deepEqual(
        Array.from(sb.values),
        Array.from(sa.values, (x) => x * u),
      );
      sb.logMass.forEach((lw, j) => {
        close(lw, sa.logMass[j], 'log w', { j });
      });
      const ta = value(tailExponents(sa, xs), ctx('base tails'));
      const tb = value(
        tailExponents(
          sb,
          xs.map((x) => x * u),
        ),
        ctx('tails'),
      );
      tb.forEach((t, i) => {
        close(t.exponent, ta[i].exponent, 'tail exponent', { x: xs[i] });
      });
      for (const size of [{ N: 1.5 }, { N: 16 }, { logN: 40 }]) {
        const ba = value(bestOfNForLength(base, 6, size, { lambda: 0.7 }), ctx('base bon'));
        const bb = value(bestOfNForLength(law, 6, size, { lambda: 0.7 / u }), ctx('bon', size));
        close(bb.reward, ba.reward * u, 'E_BoN R', size);
        close(bb.kl, ba.kl, 'KL(BoN || p^n)', size);
        close(bb.klToTilt!, ba.klToTilt!, 'KL(BoN || phi^n)', size);
      }
      const ea = value(equivalenceSeries(base, 0.2, [1, 4, 16]), ctx('base equivalence'));
      const eb = value(equivalenceSeries(law, 0.2, [1, 4, 16]), ctx('equivalence'));
      close(eb.lambda, ea.lambda / u, 'lambda*');
      eb.points.forEach((pt, i) => {
        close(pt.bonRewardPerToken, ea.points[i].bonRewardPerToken * u, 'BoN reward per token', { n: pt.n });
        close(pt.klToRLPerToken, ea.points[i].klToRLPerToken, 'KL to RL per token', { n: pt.n });
      });
      const pa = value(comparePolicy(P, R, Q, 3, 0.5), ctx('base compare'));
      const pb = value(comparePolicy(P, Ru, Q, 3, 0.5), ctx('compare'));
      close(pb.klToOptimal, pa.klToOptimal, 'KL to optimal');
      close(pb.gap, pa.gap * u, 'gap');
      close(pb.bound ?? Number.NaN, pa.bound ?? Number.NaN, 'bound');
      // The Monte Carlo stream is the same; its statistics scale exactly (powers of two).
      const ma = value(
        simulate(base, 5, { method: 'bon', N: 3, samples: 200, seed: 9 }),
        ctx('base simulate'),
      );
      const mb = value(simulate(law, 5, { method: 'bon', N: 3, samples: 200, seed: 9 }), ctx('simulate'));
      assert.equal(mb.mean, ma.mean * u);
      assert.equal(mb.stderr, ma.stderr * u);
      const ra = value(
        renyiCrossEntropy(
          P,
          R.map((r) => r * 2 ** 10),
          2,
        ),
        ctx('renyi'),
      );
      assert.ok(Number.isFinite(ra.crossEntropy));
    });
  }
});

test('differences beyond the largest double and unrepresentable λ, β are out-of-range errors', () => {
  expectError(tokenRewardLaw([0.7, 0.3], [-1e308, 1e308]), 'out-of-range', 'rewards ±1e308');
  expectError(renyiCrossEntropy([0.7, 0.3], [-1e308, 1e308], 2), 'out-of-range', 'Rényi, rewards ±1e308');
  // A p = 0 token may hold a huge reward: it enters only log C, and H_α for α > 1 is finite.
  const h = value(renyiCrossEntropy([0.7, 0.3, 0], [-1e308, 0, 1e308], 2), { what: 'p = 0 token at 1e308' });
  assertClose(h.logC, 1e308, { rel: 1e-15, context: 'log C with a reward 1e308' });
  expectError(renyiCrossEntropy([0.7, 0.3, 0], [-1e308, 0, 1e308], 0.5), 'out-of-range', 'H_½ ≈ 2e308');
  const coin = buildTokenRewardLaw([0.5, 0.5], [0, 1]);
  expectError(tiltAtLambda(coin, 1, 1e-310), 'out-of-range', 'λ = 1e-310 (β = 1e310)');
  expectError(tiltAtBeta(coin, 1, 1e-310), 'out-of-range', 'β = 1e-310 (λ = 1e310)');
  // Total rewards beyond the double range over many tokens.
  expectError(
    tiltAtLambda(buildTokenRewardLaw([0.5, 0.5], [0, 1e300]), 1e9, 1e-300),
    'out-of-range',
    'n·A′ = 1e309',
  );
  expectError(
    logPartition(buildTokenRewardLaw([0.5, 0.5], [0, 1e300]), 1e10),
    'out-of-range',
    'A(1e10) ≈ 1e310',
  );
});
