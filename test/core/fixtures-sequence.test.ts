// The sequence-level core (docs/math.md §4 finite-n tails, §6 best-of-N and the equivalence) against
// the exact references of test/fixtures/sequence.json: the law of R from an exact big-integer
// convolution, best-of-N for N = 1 … e^1000 at 60 digits. Tolerance model: fixtureData.ts; sums
// of terms of both signs (E R, KLs) are compared to a few ulp of the sum of the terms'
// magnitudes (the `scale` fields), which only matters where the result is near 0.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestOfN, bestOfNForLength, bestOfNSummary } from '../../src/core/bestOfN.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { tokenRewardLaw } from '../../src/core/index.js';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { tailExponent } from '../../src/core/tails.js';
import { checkRef, loadFixture, num, REL, ULPS, value } from './fixtureData.js';

interface BonEntry {
  N?: number;
  logN: string;
  reward: string;
  kl: string;
  klBound: string;
  lambdaStar: string;
  klToTiltStar: string;
  klToTiltFixed: string;
  logLevelMass?: string[];
  /** λ of KL-RL at Δ = KL(BoN‖pⁿ) (the near-N = 1 cases only). */
  sameKlLambda?: string;
  /** Its relative condition number Δ/(n λ² A''(λ)) (absent for λ = 0 or ∞). */
  sameKlCondition?: number;
  scale: { reward: number; kl: number; klToTiltStar: number | null; klToTiltFixed: number };
}
interface ByN {
  n: number;
  levels: number;
  x: number[];
  logMass: string[];
  tails: { x: number; side: 'upper' | 'lower'; exponent: string }[];
  bestOfN: BonEntry[];
}
interface SeqCase {
  name: string;
  p: number[];
  r: number[];
  maxKL: string;
  byN: ByN[];
}
interface Equivalence {
  case: string;
  delta: number;
  p: number[];
  r: number[];
  lambda: string;
  rlRewardPerToken: string;
  points: {
    n: number;
    bonRewardPerToken: string;
    klPerToken: string;
    klToRlPerToken: string;
    scale: { reward: number; kl: number; klToRl: number };
  }[];
}

const fixture = loadFixture<{ fixedLambda: number; cases: SeqCase[]; equivalence: Equivalence }>(
  'sequence.json',
);

for (const c of fixture.cases) {
  describe(`sequence fixture: ${c.name}`, () => {
    const law = value(tokenRewardLaw(c.p, c.r), { case: c.name });
    for (const e of c.byN) {
      const ctx = (quantity: string, extra: object = {}) => ({ case: c.name, n: e.n, quantity, ...extra });
      const seq = value(sequenceRewardLaw(law, e.n), ctx('sequenceRewardLaw'));

      test(`n = ${e.n}: exact law of R (${e.levels} levels)`, () => {
        assert.equal(seq.exact, true, JSON.stringify(ctx('exact')));
        assert.deepEqual(Array.from(seq.values), e.x, JSON.stringify(ctx('levels')));
        // log w_j: a few ulp per convolution step relative to the mass (n·ε), i.e. an absolute
        // error of n·ε in the log; the sensitivity of log w_j to the per-token log-masses is ≤ n.
        e.logMass.forEach((lm, j) => {
          checkRef(seq.logMass[j], lm, ctx('log P(R = x)', { x: e.x[j] }), 4 * e.n);
        });
      });

      test(`n = ${e.n}: finite-n tail exponents`, () => {
        for (const t of e.tails) {
          const got = value(tailExponent(seq, t.x), ctx('tailExponent', { x: t.x }));
          assert.equal(got.side, t.side, JSON.stringify(ctx('side', { x: t.x })));
          checkRef(got.exponent, t.exponent, ctx('tail exponent', { x: t.x, side: t.side }), 4);
        }
      });

      for (const b of e.bestOfN) {
        const size = b.N !== undefined ? { N: b.N } : { logN: num(b.logN) };
        test(`n = ${e.n}: best-of-N, ${JSON.stringify(size)}`, () => {
          const at = (quantity: string, extra: object = {}) => ctx(quantity, { ...size, ...extra });
          const lambdaStar = num(b.lambdaStar);
          const star = value(bestOfN(seq, law, size, lambdaStar), at('bestOfN', { lambda: lambdaStar }));
          checkRef(star.reward, b.reward, at('E_BoN R'), b.scale.reward);
          checkRef(star.kl, b.kl, at('KL(BoN || p^n)'), b.scale.kl);
          checkRef(star.klBound, b.klBound, at('log N - (N-1)/N'));
          assert.ok(star.kl <= star.klBound * (1 + 1e-12) + 1e-15, JSON.stringify(at('KL <= bound', star)));
          checkRef(
            star.klToTilt ?? Number.NaN,
            b.klToTiltStar,
            at('KL(BoN || phi_lambda*^n)', { lambda: lambdaStar }),
            b.scale.klToTiltStar,
          );
          // The path that computes only the top levels N needs must give the same numbers.
          const direct = value(
            bestOfNForLength(law, e.n, size, { lambda: lambdaStar }),
            at('bestOfNForLength', { lambda: lambdaStar }),
          );
          checkRef(direct.reward, b.reward, at('E_BoN R (bestOfNForLength)'), b.scale.reward);
          checkRef(direct.kl, b.kl, at('KL(BoN || p^n) (bestOfNForLength)'), b.scale.kl);
          checkRef(
            direct.klToTilt ?? Number.NaN,
            b.klToTiltStar,
            at('KL(BoN || phi_lambda*^n) (bestOfNForLength)', { lambda: lambdaStar }),
            b.scale.klToTiltStar,
          );
          if (b.sameKlLambda !== undefined) {
            // Near N = 1 the KL is ≈ (N − 1)² from terms ≈ (N − 1) that cancel (issue #14); it is
            // summed as Σ w f(ℓ) with f ≥ 0 (bonLevels.ts), so every term keeps the few-ulp
            // relative accuracy of ℓ_j and the sum is compared at 1e-10 relative, with no floor
            // from the terms' magnitudes. λ at Δ = KL (same_kl.lambda) has κ times the KL's
            // relative error, κ = Δ/(n λ² A''(λ)) the condition number (≈ ½ for small Δ); where
            // κ·64ε ≥ 1 (Δ within an ulp of the maximum KL) λ is not determined by the double Δ:
            // then only λ ≥ the reference is required (the core may say ∞, not binding).
            const summary = value(bestOfNSummary(seq, law, size), at('bestOfNSummary'));
            for (const [path, kl] of [
              ['bestOfN', star.kl],
              ['bestOfNForLength', direct.kl],
              ['bestOfNSummary', summary.kl],
            ] as const) {
              checkRef(kl, b.kl, at(`KL(BoN || p^n), relative (${path})`));
              const same = value(lambdaForBudget(law, e.n, kl), at('lambdaForBudget(KL)', { kl }));
              const kappa = b.sameKlCondition ?? 0;
              if (kappa * ULPS < 1) {
                const rel = Math.max(REL, kappa * ULPS);
                checkRef(
                  same.lambda,
                  b.sameKlLambda,
                  at(`lambda at the same KL (${path})`, { kl, kappa }),
                  0,
                  rel,
                );
              } else {
                assert.ok(
                  same.lambda >= num(b.sameKlLambda) * (1 - 1e-10),
                  JSON.stringify(
                    at(`lambda at the same KL, ill-conditioned (${path})`, { kl, kappa, got: same.lambda }),
                  ),
                );
              }
            }
          }
          const fixed = value(bestOfN(seq, law, size, fixture.fixedLambda), at('bestOfN fixed lambda'));
          checkRef(
            fixed.klToTilt ?? Number.NaN,
            b.klToTiltFixed,
            at('KL(BoN || phi_0.5^n)', { lambda: fixture.fixedLambda }),
            b.scale.klToTiltFixed,
          );
          if (b.logLevelMass) {
            // The core may leave out levels whose BoN mass is below 1e-340 (bestOfN.ts); every
            // level it reports must match, and every omitted one must be negligible.
            const index = new Map(e.x.map((x, j) => [x, j]));
            star.values.forEach((x, i) => {
              const j = index.get(x);
              assert.ok(j !== undefined, JSON.stringify(at('unknown level', { x })));
              checkRef(star.logLevelMass[i], b.logLevelMass![j], at('log b_j', { x }), 4 * e.n + num(b.logN));
            });
            const reported = new Set(star.values);
            e.x.forEach((x, j) => {
              if (!reported.has(x))
                assert.ok(num(b.logLevelMass![j]) < -700, JSON.stringify(at('omitted level', { x })));
            });
          }
        });
      }
    }
  });
}

describe('sequence fixture: best-of-N ≈ KL-RL (equivalence series)', () => {
  const eq = fixture.equivalence;
  test(`${eq.case}, δ = ${eq.delta}`, () => {
    const law = value(tokenRewardLaw(eq.p, eq.r), { case: eq.case });
    const ns = eq.points.map((pt) => pt.n);
    const ctx = (quantity: string, n?: number) => ({ case: eq.case, delta: eq.delta, n, quantity });
    const series = value(equivalenceSeries(law, eq.delta, ns), ctx('equivalenceSeries'));
    checkRef(series.lambda, eq.lambda, ctx('lambda*'), 0, 1e-12);
    checkRef(series.rlRewardPerToken, eq.rlRewardPerToken, ctx("A'(lambda*)"));
    assert.deepEqual(
      series.points.map((pt) => pt.n),
      ns,
      JSON.stringify(ctx('lengths')),
    );
    eq.points.forEach((ref, i) => {
      const pt = series.points[i];
      checkRef(
        pt.bonRewardPerToken,
        ref.bonRewardPerToken,
        ctx('BoN reward per token', ref.n),
        ref.scale.reward,
      );
      checkRef(pt.klPerToken, ref.klPerToken, ctx('KL(BoN || p^n) / n', ref.n), ref.scale.kl);
      checkRef(pt.klToRLPerToken, ref.klToRlPerToken, ctx('KL(BoN || phi^n) / n', ref.n), ref.scale.klToRl);
    });
  });
});
