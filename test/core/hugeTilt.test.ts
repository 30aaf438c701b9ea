// Tilts so large that the tilted token law has masses like e^{−1e40} (issue #14: `rate(m, lambda =
// 1e40, x = 0.5)` never finished). References are closed forms for a Bernoulli law, evaluated
// independently of the core: φ_λ(c) = 1/(1 + e^{−λ}), φ_λ(b) = e^{−λ}/(1 + e^{−λ}), so
//   log φ_λ(b) = −λ − log1p(e^{−λ}),  log φ_λ(c) = −log1p(e^{−λ}),
//   I_λ(x) = KL(Bern x ‖ Bern φ_λ(c)) = x log x + (1−x) log(1−x) − x log φ_λ(c) − (1−x) log φ_λ(b),
//   P(R ≤ k) = Σ_{j ≤ k} C(n, j) φ_λ(c)^j φ_λ(b)^{n−j}   (R = number of c among n tokens).
// At λ = 1e40 the double values are exactly I_λ(x) = (1 − x)·1e40 and −(1/n) log P(R ≤ k) =
// (n − k)·1e40/n: the tilted law is a point mass at r_max up to e^{−1e40}.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tiltAtBeta, tiltAtLambda } from '../../src/core/klrl.js';
import { rateFunction, rateFunctionGrid, tiltedLaw } from '../../src/core/largeDeviations.js';
import { LatticeConvolver } from '../../src/core/latticeConvolution.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { tailExponents } from '../../src/core/tails.js';
import { assertClose } from '../helpers/tolerance.js';
import { expectError, unwrapOk } from './sequenceHelpers.js';

const coin = buildTokenRewardLaw([0.5, 0.5], [0, 1]);

function logPhi(lambda: number): { b: number; c: number } {
  const l1p = Math.log1p(Math.exp(-lambda));
  return { b: -lambda - l1p, c: -l1p };
}

/** I_λ(x) for the fair coin with rewards 0, 1 (closed form above), 0 < x < 1. */
function coinRate(lambda: number, x: number): number {
  const { b, c } = logPhi(lambda);
  return x * Math.log(x) + (1 - x) * Math.log1p(-x) - x * c - (1 - x) * b;
}

/** −(1/n) log P(R ≤ k) under φ_λⁿ, by a log-sum-exp over j ≤ k (closed form above). */
function coinLowerTailExponent(lambda: number, n: number, k: number): number {
  const { b, c } = logPhi(lambda);
  const terms: number[] = [];
  let logBinom = 0;
  for (let j = 0; j <= k; j++) {
    if (j > 0) logBinom += Math.log((n - j + 1) / j);
    terms.push(logBinom + j * c + (n - j) * b);
  }
  const m = Math.max(...terms);
  const sum = terms.reduce((s, t) => s + Math.exp(t - m), 0);
  return -(m + Math.log(sum)) / n;
}

/** What the `rate` query computes (src/language/queryEvaluators.ts): I_λ and the finite-n tails. */
function rateQuery(lambda: number, n: number, xs: number[]) {
  const rates = unwrapOk(rateFunctionGrid(coin, lambda, xs), `I_λ at λ = ${lambda}`);
  const seq = unwrapOk(sequenceRewardLaw(tiltedLaw(coin, lambda), n), `law of R under φ_λ, λ = ${lambda}`);
  const tails = unwrapOk(tailExponents(seq, xs), `tails at λ = ${lambda}`);
  return { rates, tails: tails.map((t) => t.exponent) };
}

test('issue #14: rate at λ = 1e40, x = 0.5 finishes at once with the exact values', { timeout: 5000 }, () => {
  const start = performance.now();
  const { rates, tails } = rateQuery(1e40, 1, [0.5]);
  // In doubles: I = 0.5·1e40 (the entropy terms are far below its ulp), tail = −log φ(b) = 1e40.
  // (Inputs carry log φ(b) = −1e40 to one ulp, 1.1e-16 relative; a few ulps more is all we allow.)
  assertClose(rates[0], 5e39, { rel: 1e-14, context: 'I_λ(0.5), λ = 1e40, n = 1' });
  assertClose(tails[0], 1e40, { rel: 1e-14, context: 'tail exponent, λ = 1e40, n = 1' });
  assert.ok(performance.now() - start < 2000, `took ${performance.now() - start} ms`);
});

test('huge λ (1e10 … 1e300) and β = 1e-40: I_λ and the finite-n tails match the closed forms', {
  timeout: 5000,
}, () => {
  const xs = [0.125, 0.25, 0.5, 0.75, 0.875];
  for (const lambda of [1e10, 1e15, 1e35, 1e40, 1e60, 1e300]) {
    for (const n of [1, 4, 8]) {
      const { rates, tails } = rateQuery(lambda, n, xs);
      for (let i = 0; i < xs.length; i++) {
        const context = { lambda, n, x: xs[i] };
        // 1e-12: the input log φ(b) = −λ is known to one ulp (1.1e-16 relative) and I, the tail
        // exponent are ≈ (1 − x)·λ, so their condition numbers are ≤ 1/(1 − x) ≤ 8; 1e-12 leaves
        // room for the solver's last steps while catching any real loss (0.4 in s at λ = 1e10
        // gave 5e-12).
        assertClose(rates[i], coinRate(lambda, xs[i]), {
          rel: 1e-12,
          context: { ...context, what: 'I_λ(x)' },
        });
        // x is below the mean A'(λ) ≈ 1: the lower tail P(R ≤ n x), k = ⌊n x⌋.
        const k = Math.floor(n * xs[i] + 1e-9);
        assertClose(tails[i], coinLowerTailExponent(lambda, n, k), {
          rel: 1e-12,
          context: { ...context, k, what: '−(1/n) log P(R ≤ n x)' },
        });
      }
    }
  }
  // β = 1e-40 is λ = 1e40.
  const s = unwrapOk(tiltAtBeta(coin, 1, 1e-40), 'β = 1e-40');
  assert.equal(s.lambda, 1e40);
  assertClose(unwrapOk(rateFunction(coin, s.lambda, 0.25), 'I at β = 1e-40'), coinRate(1e40, 0.25), {
    rel: 1e-14,
    context: 'I_λ(0.25) at β = 1e-40',
  });
  const t = unwrapOk(tiltAtLambda(coin, 1, 1e40), 'tilt at λ = 1e40');
  assert.equal(t.rewardPerToken, 1);
  assertClose(t.klPerToken, Math.LN2, { rel: 1e-15, context: 'D(1e40) = −log p(M) = log 2' });
});

test('law of R with masses far below the 32-bit scale range: λ = 1e10, n = 100 (log w down to −1e12)', () => {
  // Point j = number of c tokens: log w_j = log C(100, j) + j log φ(c) + (100 − j) log φ(b).
  const lambda = 1e10;
  const n = 100;
  const { b, c } = logPhi(lambda);
  const seq = unwrapOk(sequenceRewardLaw(tiltedLaw(coin, lambda), n), 'law of R');
  assert.equal(seq.values.length, n + 1);
  let logBinom = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logBinom += Math.log((n - j + 1) / j);
    const expected = logBinom + j * c + (n - j) * b;
    assertClose(seq.logMass[j], expected, {
      rel: 1e-14,
      abs: 1e-12,
      context: { lambda, n, j, what: 'log w_j' },
    });
  }
});

test('λ·(r_max − r_min) beyond the largest double: an out-of-range error, and a kernel mass e^{−∞} is 0', () => {
  // log φ(0) = −1e300·1e10 is not a double: the rates built on the tilted law are not either.
  const law = buildTokenRewardLaw([0.5, 0.5], [0, 1e10]);
  expectError(rateFunction(law, 1e300, 5e9), 'out-of-range', 'I_λ at λ·span = 1e310');
  // The convolver leaves a −∞ kernel mass out (it used to turn into NaN): R = n·(top) surely.
  const conv = new LatticeConvolver([0, 1], [Number.NEGATIVE_INFINITY, 0], 5);
  for (let m = 0; m < 5; m++) conv.step();
  assert.equal(conv.logMassAt(5), 0);
  assert.equal(conv.logMassAt(0), Number.NEGATIVE_INFINITY);
  assert.equal(conv.logMassAt(3), Number.NEGATIVE_INFINITY);
});
