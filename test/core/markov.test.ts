// Markov models against brute-force enumeration of every sequence (K ≤ 4, n ≤ 8; markovHelpers.ts):
// the tilt (log Z, E R, Var, κ₃, κ₄, KL), λ for a budget, the maximum KL, the law of R and its
// tails, best-of-N (level law by definition, E R, both KLs), φ_λ's marginals, a chain policy's
// KLs and the stability identity, the finite-n scaled CGF; Monte Carlo within 5 standard errors.
// Tolerance 1e-9 relative (docs/math-markov.md §9); central moments of both signs are compared
// to 1e-9 of the natural scale σᵐ.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareChains,
  markovBestOfN,
  markovChain,
  markovCumulants,
  markovFrontier,
  markovLambdaForBudget,
  markovMaxKL,
  markovRewardLaw,
  markovScaledCgf,
  markovSimulate,
  markovTiltAtLambda,
  tailExponents,
  tiltedRewardLaw,
  tiltMarginals,
  unwrap,
  withWorkBudget,
} from '../../src/core/index.js';
import { activeChain, chainStructure } from '../../src/core/markovChain.js';
import { backwardPass } from '../../src/core/markovMessages.js';
import { assertClose } from '../helpers/tolerance.js';
import {
  coreChain,
  enumerate,
  kl,
  lawOf,
  logPartition,
  moments,
  randomChain,
  type SmallChain,
  tilted,
} from './markovHelpers.js';

const REL = 1e-9;

const CASES: { name: string; chain: SmallChain }[] = [
  {
    name: 'sticky 3-state',
    chain: {
      start: [0.2, 0.5, 0.3],
      P: [
        [0.6, 0.3, 0.1],
        [0.1, 0.6, 0.3],
        [0.05, 0.25, 0.7],
      ],
      r: [-1, 0, 1],
      c: null,
    },
  },
  {
    name: 'transition rewards',
    chain: {
      start: [0.5, 0.5, 0],
      P: [
        [0, 0.7, 0.3],
        [0.4, 0.2, 0.4],
        [0.5, 0, 0.5],
      ],
      r: [0, 1, 2],
      c: [
        [0, -0.5, 1],
        [0.5, 0, -1],
        [0, 1, 0],
      ],
    },
  },
  { name: 'random 4-state', chain: randomChain(4, 7, false) },
  { name: 'random 4-state with bonus', chain: randomChain(4, 11, true) },
];

const NS = [1, 2, 5, 8];
const LAMBDAS = [0, 0.37, 2.5];

describe('a Markov model against brute-force enumeration', () => {
  for (const { name, chain } of CASES) {
    const core = coreChain(chain);
    for (const n of NS) {
      if (chain.r.length ** n > 70_000) continue;
      const e = enumerate(chain, n);
      test(`${name}, n = ${n}: log Z, cumulants, KL at fixed λ`, () => {
        for (const lambda of LAMBDAS) {
          const ctx = { chain: name, n, lambda };
          const phi = tilted(e, lambda);
          const m = moments(phi, e.reward);
          const pass = backwardPass(activeChain(core), n, lambda, { order: 4 });
          assertClose(lambda * pass.rMax + pass.logResidual, logPartition(e, lambda), {
            rel: REL,
            abs: 1e-12,
            context: { ...ctx, what: 'log Z' },
          });
          const sigma = Math.sqrt(m.m2);
          assertClose(pass.cumulants[0], m.mean, {
            rel: REL,
            abs: REL * sigma,
            context: { ...ctx, what: 'E R' },
          });
          assertClose(pass.cumulants[1], m.m2, { rel: REL, abs: 1e-14, context: { ...ctx, what: 'Var R' } });
          assertClose(pass.cumulants[2], m.m3, {
            rel: REL,
            abs: REL * sigma ** 3,
            context: { ...ctx, what: 'κ₃' },
          });
          assertClose(pass.cumulants[3], m.m4 - 3 * m.m2 * m.m2, {
            rel: REL,
            abs: REL * sigma ** 4,
            context: { ...ctx, what: 'κ₄' },
          });
          // The reference sums Kⁿ terms φ·log(φ/p): its own rounding is ≈ 1e-14 absolute.
          assertClose(pass.kl, kl(phi, e.prob), {
            rel: REL,
            abs: 1e-13,
            context: { ...ctx, what: 'KL(φ‖p)' },
          });
          const sol = unwrap(markovTiltAtLambda(core, n, lambda));
          assertClose(sol.reward, m.mean, {
            rel: REL,
            abs: REL * sigma,
            context: { ...ctx, what: 'tilt reward' },
          });
          const kappa = unwrap(markovCumulants(core, n, lambda, 4));
          assertClose(kappa[1], m.m2, { rel: REL, abs: 1e-14, context: { ...ctx, what: 'cumulants κ₂' } });
        }
      });
      test(`${name}, n = ${n}: maximum KL, λ for a budget, frontier`, () => {
        const top = Math.max(...e.reward);
        const pTop = e.prob.reduce((a, p, k) => a + (e.reward[k] === top ? p : 0), 0);
        const kmax = unwrap(markovMaxKL(core, n));
        assertClose(kmax, -Math.log(pTop), {
          rel: REL,
          abs: 1e-15,
          context: { chain: name, n, what: 'max KL' },
        });
        if (!(kmax > 0)) return;
        for (const frac of [1e-4, 0.3, 0.9, 0.999]) {
          const delta = frac * kmax;
          const sol = unwrap(markovLambdaForBudget(core, n, delta));
          const phi = tilted(e, sol.lambda);
          const ctx = { chain: name, n, delta, lambda: sol.lambda };
          assertClose(kl(phi, e.prob), delta, { rel: 1e-8, context: { ...ctx, what: 'KL at the solved λ' } });
          assertClose(sol.reward, moments(phi, e.reward).mean, {
            rel: REL,
            abs: 1e-12,
            context: { ...ctx, what: 'reward' },
          });
        }
        const f = unwrap(markovFrontier(core, n, { steps: 9 }));
        assert.equal(f.points.length, 9);
        for (const pt of f.points.slice(1, -1)) {
          const phi = tilted(e, pt.lambda);
          assertClose(pt.kl, kl(phi, e.prob), { rel: REL, context: { chain: name, n, point: pt } });
          assertClose(pt.reward, moments(phi, e.reward).mean, {
            rel: REL,
            abs: 1e-12,
            context: { chain: name, n, point: pt },
          });
        }
        assert.equal(f.points[8].lambda, Number.POSITIVE_INFINITY);
        assertClose(f.maxReward, top, { rel: 1e-14, abs: 1e-14, context: { chain: name, n } });
      });
      test(`${name}, n = ${n}: law of R, tails under φ_λ, best-of-N`, () => {
        const law = unwrap(markovRewardLaw(core, n));
        const ref = lawOf(e.prob, e.reward);
        assert.equal(law.values.length, ref.x.length, `${name} n = ${n}: levels`);
        for (let j = 0; j < ref.x.length; j++) {
          assertClose(law.values[j], ref.x[j], { rel: 1e-12, abs: 1e-12, context: { chain: name, n, j } });
          assertClose(Math.exp(law.logMass[j]), ref.mass[j], {
            rel: REL,
            context: { chain: name, n, j, what: 'w_j' },
          });
          const upper = ref.mass.slice(j).reduce((a, b) => a + b, 0);
          assertClose(Math.exp(law.logUpper[j]), upper, {
            rel: REL,
            context: { chain: name, n, j, what: 'P(R ≥ x_j)' },
          });
        }
        // Tails under φ_λ: the law re-weighted by e^{λx}.
        const lambda = 0.8;
        const phiLaw = lawOf(tilted(e, lambda), e.reward);
        const tails = unwrap(
          tailExponents(
            tiltedRewardLaw(law, lambda),
            phiLaw.x.map((x) => x / n),
          ),
        );
        const mean = moments(tilted(e, lambda), e.reward).mean;
        tails.forEach((t, j) => {
          const p =
            phiLaw.x[j] >= mean
              ? phiLaw.mass.slice(j).reduce((a, b) => a + b, 0)
              : phiLaw.mass.slice(0, j + 1).reduce((a, b) => a + b, 0);
          assertClose(t.exponent, -Math.log(p) / n, {
            rel: REL,
            abs: 1e-15,
            context: { chain: name, n, x: phiLaw.x[j] },
          });
        });
        // Best-of-N by its definition on the levels: b_j = F_j^N − F_{j−1}^N.
        for (const N of [1, 3, 16.5]) {
          const bon = unwrap(markovBestOfN(core, n, { N }, { lambda }));
          let F = 0;
          let reward = 0;
          let klP = 0;
          let klPhi = 0;
          const logZ = logPartition(e, lambda);
          for (let j = 0; j < ref.x.length; j++) {
            const b = (F + ref.mass[j]) ** N - F ** N;
            F += ref.mass[j];
            if (b === 0) continue;
            reward += b * ref.x[j];
            klP += b * Math.log(b / ref.mass[j]);
            klPhi += b * Math.log(b / (ref.mass[j] * Math.exp(lambda * ref.x[j] - logZ)));
          }
          const ctx = { chain: name, n, N };
          assertClose(bon.reward, reward, { rel: REL, abs: 1e-12, context: { ...ctx, what: 'E_BoN R' } });
          assertClose(bon.kl, klP, { rel: 1e-8, abs: 1e-14, context: { ...ctx, what: 'KL(BoN‖p)' } });
          assertClose(bon.klToTilt as number, klPhi, {
            rel: 1e-8,
            abs: 1e-13,
            context: { ...ctx, what: 'KL(BoN‖φ)' },
          });
          assert.ok(
            bon.kl <= bon.klBound + 1e-15,
            `KL ${bon.kl} ≤ bound ${bon.klBound} (${name}, n = ${n}, N = ${N})`,
          );
        }
      });
      test(`${name}, n = ${n}: marginals of φ_λ, scaled CGF`, () => {
        const lambda = 0.6;
        const phi = tilted(e, lambda);
        const positions = Array.from({ length: n }, (_, t) => t + 1);
        const m = unwrap(tiltMarginals(core, n, lambda, positions));
        const K = chain.r.length;
        for (let t = 0; t < n; t++)
          for (let j = 0; j < K; j++) {
            const ref = phi.reduce((a, w, k) => a + (e.tokens[k][t] === j ? w : 0), 0);
            assertClose(m.marginals[t][j], ref, {
              rel: REL,
              abs: 1e-15,
              context: { chain: name, n, t: t + 1, j },
            });
          }
        const ts = [-1.3, -1e-7, 2e-6, 0.4, 3];
        const cgf = unwrap(markovScaledCgf(core, n, lambda, ts));
        ts.forEach((t, k) => {
          // (1/n)·log E_φ e^{tR} = (1/n)·log1p(Σ φ·(e^{tR} − 1)): no difference of two log Z.
          const ref = Math.log1p(phi.reduce((a, w, i) => a + w * Math.expm1(t * e.reward[i]), 0)) / n;
          assertClose(cgf[k], ref, { rel: 1e-9, abs: 1e-16, context: { chain: name, n, t } });
        });
      });
    }
  }
});

describe('a policy given as a chain', () => {
  const base = CASES[0].chain;
  const q: SmallChain = {
    start: [0.1, 0.3, 0.6],
    P: [
      [0.3, 0.3, 0.4],
      [0.05, 0.55, 0.4],
      [0.02, 0.08, 0.9],
    ],
    r: base.r,
    c: null,
  };
  for (const n of [1, 3, 7]) {
    test(`n = ${n}: KL(q‖p), E_q R and KL(q‖φ_Δ) by enumeration; the stability identity`, () => {
      const ep = enumerate(base, n);
      const eq = enumerate(q, n);
      const klqp = kl(eq.prob, ep.prob);
      const rq = moments(eq.prob, eq.reward).mean;
      for (const delta of [undefined, 0.5 * klqp, 2 * klqp]) {
        const c = unwrap(compareChains(coreChain(base), coreChain(q), n, delta));
        const ctx = { n, delta };
        assertClose(c.kl, klqp, { rel: REL, context: { ...ctx, what: 'KL(q‖p)' } });
        assertClose(c.reward, rq, { rel: REL, abs: 1e-13, context: { ...ctx, what: 'E_q R' } });
        const phi = tilted(ep, c.lambda);
        assertClose(c.klToOptimal, kl(eq.prob, phi), { rel: REL, context: { ...ctx, what: 'KL(q‖φ_Δ)' } });
        // (M3.1): KL(q‖φ_Δ) = [KL(q‖p) − Δ] + λ·(F(Δ) − E_q R).
        assertClose(c.klToOptimal, c.kl - c.budget + c.lambda * c.gap, {
          rel: 1e-12,
          abs: 1e-14,
          context: { ...ctx, what: 'stability identity' },
        });
        if (c.boundStatus === 'applies') assert.ok(c.klToOptimal <= c.bound * (1 + 1e-12) + 1e-15);
      }
    });
  }
});

describe('structure, limits, extremes', () => {
  test('a periodic chain (a → b → a): tilt, law of R, the periodic jump over n = 10⁹', () => {
    const chain = unwrap(
      markovChain({ start: [1, 0], from: [0, 1], to: [1, 0], weight: [1, 1], reward: [0, 1] }),
    );
    assert.equal(chainStructure(chain).classes[0].period, 2);
    const sol = unwrap(markovTiltAtLambda(chain, 7, 1));
    assert.equal(sol.kl, 0);
    assert.equal(sol.reward, 3);
    const law = unwrap(markovRewardLaw(chain, 7));
    assert.deepEqual(Array.from(law.values), [3]);
    const huge = unwrap(markovTiltAtLambda(chain, 1e9, 1));
    assert.equal(huge.reward, 5e8);
  });

  test('huge and infinite tilts do not hang and reach the limit p(· | S*)', () => {
    const core = coreChain(CASES[0].chain);
    const top = unwrap(markovTiltAtLambda(core, 64, Number.POSITIVE_INFINITY));
    for (const lambda of [1e6, 1e40, 1.7e308]) {
      const t0 = performance.now();
      const sol = unwrap(markovTiltAtLambda(core, 64, lambda));
      assert.ok(performance.now() - t0 < 5000, `λ = ${lambda} took too long`);
      assertClose(sol.reward, top.reward, { rel: 1e-12, context: { lambda } });
      assertClose(sol.kl, top.kl, { rel: 1e-12, context: { lambda } });
    }
    assertClose(top.kl, -Math.log(0.3) - 63 * Math.log(0.7), {
      rel: 1e-14,
      context: 'max KL of the sticky chain',
    });
  });

  test('long sequences: per-token reward and KL approach Λ′ and λΛ′ − Λ; n = 10⁹ costs a few positions', () => {
    const core = coreChain(CASES[0].chain);
    const ac = activeChain(core);
    const a = backwardPass(ac, 1e6, 0.7, { order: 2 });
    const b = backwardPass(ac, 2e6, 0.7, { order: 2 });
    // The boundary terms cancel in the difference: (E_{2e6} − E_{1e6})/1e6 is the rate itself.
    const rate = (b.cumulants[0] - a.cumulants[0]) / 1e6;
    const klRate = (b.kl - a.kl) / 1e6;
    assert.ok(a.settledAt > 1e6 - 200, `settled after ${1e6 - a.settledAt} positions`);
    const t0 = performance.now();
    const c = backwardPass(ac, 1e9, 0.7, { order: 2 });
    assert.ok(performance.now() - t0 < 2000, 'n = 1e9 is not computed position by position');
    assertClose((c.cumulants[0] - a.cumulants[0]) / (1e9 - 1e6), rate, { rel: 1e-9, context: 'E R/n' });
    assertClose((c.kl - a.kl) / (1e9 - 1e6), klRate, { rel: 1e-9, context: 'KL/n' });
  });

  test('a chain whose classes do not communicate settles in the affine regime and stays exact', () => {
    // Two absorbing states with different rewards reached from a transient start.
    const m: SmallChain = {
      start: [1, 0, 0],
      P: [
        [0.5, 0.3, 0.2],
        [0, 1, 0],
        [0, 0, 1],
      ],
      r: [0, 1, 2],
      c: null,
    };
    const core = coreChain(m);
    const e = enumerate(m, 8);
    for (const lambda of [0.3, 3]) {
      const pass = backwardPass(activeChain(core), 8, lambda, { order: 2 });
      assertClose(pass.kl, kl(tilted(e, lambda), e.prob), { rel: REL, context: { lambda } });
    }
    // n = 1e5, the closed form: E r(y_t) = 1.4·(1 − 0.5^{t−1}), so E R = 1.4n − 2.8(1 − 0.5ⁿ).
    const big = backwardPass(activeChain(core), 100_000, 0, { order: 1 });
    const expected = 1.4 * 100_000 - 2.8;
    assertClose(big.cumulants[0], expected, { rel: 1e-12, context: 'E R for n = 1e5' });
    assert.ok(big.settledAt > 0, 'the affine regime is detected');
  });

  test('Monte Carlo agrees with the exact values within 5 standard errors', () => {
    const core = coreChain(CASES[1].chain);
    const n = 12;
    const exact = {
      base: unwrap(markovTiltAtLambda(core, n, 0)).reward,
      tilt: unwrap(markovTiltAtLambda(core, n, 0.9)).reward,
      bon: unwrap(markovBestOfN(core, n, { N: 5 })).reward,
    };
    for (const method of ['base', 'tilt', 'bon'] as const) {
      const r = unwrap(markovSimulate(core, n, { method, lambda: 0.9, N: 5, samples: 20_000, seed: 7 }));
      assert.ok(
        Math.abs(r.mean - exact[method]) <= 5 * r.stderr,
        `${method}: mean ${r.mean} ± ${r.stderr}, exact ${exact[method]}`,
      );
    }
  });

  test('the work budget stops a long recursion cleanly', () => {
    const core = coreChain(randomChain(4, 3, true));
    const r = withWorkBudget({ maxUnits: 200 }, () => markovLambdaForBudget(core, 1000, 1));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'work-budget-exceeded');
  });

  test('input errors are Results, never throws or NaN', () => {
    const bad = markovChain({ start: [1, 0], from: [0], to: [1], weight: [1], reward: [0, 1] });
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error.message : '', /token 1 has no transitions/);
    const core = coreChain(CASES[0].chain);
    assert.equal(markovTiltAtLambda(core, 4, -1).ok, false);
    assert.equal(markovTiltAtLambda(core, 4, Number.NaN).ok, false);
    assert.equal(markovLambdaForBudget(core, 0, 1).ok, false);
    assert.equal(markovLambdaForBudget(core, 4, -1).ok, false);
  });
});
