// The memoryless reduction (docs/math-markov.md §8): a chain whose start and every row are p must
// give the numbers of the memoryless core for p — every function, to 1e-12 relative (cumulants of
// order ≥ 3 to 1e-12 of their natural scale n·σᵐ, where both sides have absolute errors). The two
// computations share nothing: the chain goes through the backward recursion, the Perron iteration
// and the (state, lattice) programme; the memoryless core through A(s), the convolution and its
// own solvers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bestOfNForLength,
  compareChains,
  comparePolicy,
  equivalenceSeries,
  frontier,
  lambdaForBudget,
  markovAsymptoticTilt,
  markovBestOfN,
  markovCgfLimit,
  markovCumulants,
  markovEquivalencePoints,
  markovFrontier,
  markovLambdaForBudget,
  markovMaxKL,
  markovRateFunction,
  markovRewardLaw,
  markovScaledCgf,
  markovTiltAtLambda,
  maxKL,
  memorylessChain,
  perronPoint,
  rateFunctionGrid,
  scaledCgfCurve,
  sequenceCumulants,
  sequenceRewardLaw,
  tailExponents,
  tiltAtLambda,
  tiltedLaw,
  tiltedRewardLaw,
  tiltMarginals,
  tokenCumulants,
  tokenRewardLaw,
  tokenTilt,
  unwrap,
} from '../../src/core/index.js';
import { assertClose } from '../helpers/tolerance.js';

const REL = 1e-12;

const MODELS = [
  { name: 'four tokens', p: [0.4, 0.3, 0.2, 0.1], r: [0, 1, 2, 3], n: 32 },
  { name: 'signed rewards, a zero', p: [0.25, 0.25, 0.5, 0], r: [-1, 0.5, 2, 5], n: 7 },
  { name: 'skewed', p: [0.9, 0.09, 0.01], r: [0, 1, 4], n: 100 },
];

for (const m of MODELS) {
  const law = unwrap(tokenRewardLaw(m.p, m.r));
  const chain = unwrap(memorylessChain(m.p, m.r));
  const { n } = m;
  describe(`memoryless reduction: ${m.name} (n = ${n})`, () => {
    test('maximum KL, tilt at λ, λ for a budget', () => {
      assertClose(unwrap(markovMaxKL(chain, n)), unwrap(maxKL(law, n)), { rel: REL, context: m });
      for (const lambda of [0, 0.01, 0.5, 2, 40]) {
        const a = unwrap(markovTiltAtLambda(chain, n, lambda));
        const b = unwrap(tiltAtLambda(law, n, lambda));
        assertClose(a.kl, b.kl, { rel: REL, abs: 1e-300, context: { ...m, lambda, what: 'KL' } });
        assertClose(a.reward, b.reward, { rel: REL, context: { ...m, lambda, what: 'reward' } });
      }
      const kmax = unwrap(maxKL(law, n));
      for (const frac of [1e-6, 0.05, 0.5, 0.95]) {
        const a = unwrap(markovLambdaForBudget(chain, n, frac * kmax));
        const b = unwrap(lambdaForBudget(law, n, frac * kmax));
        assertClose(a.lambda, b.lambda, { rel: REL, context: { ...m, frac, what: 'λ(Δ)' } });
        assertClose(a.reward, b.reward, { rel: REL, context: { ...m, frac, what: 'F(Δ)' } });
      }
    });

    test('frontier: the same points', () => {
      const a = unwrap(markovFrontier(chain, n, { steps: 17 }));
      const b = unwrap(frontier(law, n, { steps: 17 }));
      assert.equal(a.points.length, b.points.length);
      a.points.forEach((pt, i) => {
        const q = b.points[i];
        if (Number.isFinite(q.lambda)) assertClose(pt.lambda, q.lambda, { rel: REL, context: { ...m, i } });
        else assert.equal(pt.lambda, q.lambda);
        assertClose(pt.kl, q.kl, { rel: REL, abs: 1e-300, context: { ...m, i } });
        assertClose(pt.reward, q.reward, { rel: REL, context: { ...m, i } });
      });
      assertClose(a.maxReward, b.maxReward, { rel: REL, context: m });
    });

    test('law of R and its tails under φ_λ', () => {
      const a = unwrap(markovRewardLaw(chain, n));
      const b = unwrap(sequenceRewardLaw(law, n));
      assert.equal(a.values.length, b.values.length);
      for (let j = 0; j < a.values.length; j++) {
        assertClose(a.values[j], b.values[j], { rel: REL, abs: 1e-12, context: { ...m, j } });
        assertClose(a.logMass[j], b.logMass[j], { rel: REL, abs: REL, context: { ...m, j, what: 'log w' } });
      }
      const lambda = 0.7;
      const xs = [law.rMin, 0.3 * law.rMin + 0.7 * law.rMax, law.rMax];
      const ta = unwrap(tailExponents(tiltedRewardLaw(a, lambda), xs));
      const tb = unwrap(tailExponents(unwrap(sequenceRewardLaw(tiltedLaw(law, lambda), n)), xs));
      ta.forEach((t, i) => {
        assertClose(t.exponent, tb[i].exponent, { rel: 1e-11, context: { ...m, x: xs[i] } });
      });
    });

    test('best-of-N, the equivalence series', () => {
      for (const size of [{ N: 1 }, { N: 16 }, { logN: 5 }, { logN: 60 }]) {
        const a = unwrap(markovBestOfN(chain, n, size, { lambda: 0.5 }));
        const b = unwrap(bestOfNForLength(law, n, size, { lambda: 0.5 }));
        const ctx = { ...m, size };
        assertClose(a.reward, b.reward, { rel: REL, context: ctx });
        assertClose(a.kl, b.kl, { rel: 1e-11, abs: 1e-300, context: ctx });
        assertClose(a.klToTilt as number, b.klToTilt as number, { rel: 1e-11, context: ctx });
      }
      const ns = [1, 3, 8];
      const delta = 0.2;
      const a = unwrap(markovEquivalencePoints(chain, delta, ns));
      const b = unwrap(equivalenceSeries(law, delta, ns));
      a.forEach((pt, i) => {
        const q = b.points[i];
        assertClose(pt.bonRewardPerToken, q.bonRewardPerToken, { rel: REL, context: { ...m, n: pt.n } });
        assertClose(pt.klPerToken, q.klPerToken, { rel: 1e-11, context: { ...m, n: pt.n } });
        assertClose(pt.klToRLPerToken, q.klToRLPerToken, { rel: 1e-11, context: { ...m, n: pt.n } });
        assertClose(pt.rlLambda, b.lambda, { rel: REL, context: { ...m, n: pt.n, what: 'λ_n = λ*' } });
      });
      const asym = unwrap(markovAsymptoticTilt(chain, delta));
      assertClose(asym.lambda, b.lambda, { rel: REL, context: { ...m, what: 'λ*' } });
      assertClose(asym.rewardRate, b.rlRewardPerToken, {
        rel: REL,
        context: { ...m, what: 'Λ′(λ*) = A′(λ*)' },
      });
    });

    test('cumulants, the scaled CGF and its limit, the Perron root, the rate function', () => {
      for (const lambda of [0, 0.8]) {
        const a = unwrap(markovCumulants(chain, n, lambda, 6));
        const b = unwrap(sequenceCumulants(law, n, lambda, 6));
        const sigma = Math.sqrt(b[1] / n);
        a.forEach((k, j) => {
          assertClose(k, b[j], {
            rel: REL,
            abs: REL * n * sigma ** (j + 1),
            context: { ...m, lambda, order: j + 1 },
          });
        });
        const ts = [-1.5, -1e-6, 0.3, 2];
        const ca = unwrap(markovScaledCgf(chain, n, lambda, ts));
        const cl = unwrap(markovCgfLimit(chain, lambda, ts));
        const cb = unwrap(scaledCgfCurve(law, lambda, ts));
        ts.forEach((t, i) => {
          assertClose(ca[i], cb[i], { rel: 1e-11, context: { ...m, lambda, t, what: 'finite-n Λ(t)' } });
          assertClose(cl[i], cb[i], { rel: 1e-11, context: { ...m, lambda, t, what: 'limit Λ(t)' } });
        });
        const pp = unwrap(perronPoint(chain, lambda, 4));
        const kappa = unwrap(tokenCumulants(law, lambda, 4));
        pp.derivatives.forEach((d, j) => {
          assertClose(d, kappa[j], {
            rel: 1e-11,
            abs: 1e-11 * sigma ** (j + 1),
            context: { ...m, lambda, order: j + 1 },
          });
        });
        const xs = [law.rMin, (law.rMin + law.rMax) / 2, kappa[0], law.rMax - 1e-3, law.rMax];
        const ra = unwrap(markovRateFunction(chain, lambda, xs));
        const rb = unwrap(rateFunctionGrid(law, lambda, xs));
        xs.forEach((x, i) => {
          assertClose(ra[i], rb[i], { rel: 1e-11, abs: 1e-15, context: { ...m, lambda, x } });
        });
      }
    });

    test('marginals are φ_λ at every position; a memoryless policy compares the same', () => {
      const lambda = 0.9;
      const phi = unwrap(tokenTilt(m.p, m.r, lambda));
      const marg = unwrap(tiltMarginals(chain, n, lambda, [1, Math.ceil(n / 2), n]));
      for (const v of [...marg.marginals, marg.average])
        v.forEach((x, j) => {
          assertClose(x, phi[j], { rel: REL, abs: 1e-300, context: { ...m, j } });
        });
      // A policy on p's support (elsewhere KL(q‖p) = ∞ for both).
      const raw = m.p.map((x, j) => (x > 0 ? x + 0.1 * (j + 1) : 0));
      const q = raw.map((x) => x / raw.reduce((a, y) => a + y, 0));
      const qChain = unwrap(memorylessChain(q, m.r));
      for (const delta of [undefined, 0.5]) {
        const a = unwrap(compareChains(chain, qChain, n, delta));
        const b = unwrap(comparePolicy(m.p, m.r, q, n, delta));
        for (const key of ['kl', 'reward', 'frontierReward', 'gap', 'lambda', 'klToOptimal'] as const)
          assertClose(a[key], b[key], { rel: 1e-11, abs: 1e-12, context: { ...m, delta, key } });
        assert.equal(a.boundStatus, b.boundStatus);
      }
    });
  });
}
