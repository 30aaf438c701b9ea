// The fused kernel of the backward recursion (markovMessages.ts `fastRow`: linear space, one loop
// per row, the KL by E_q[d] − log Σ P e^d with a rounding check) against the careful row pass
// (log space, expm1, the non-negative KL terms P·f(u); `careful: true`), which tilts below the
// kernel's threshold use and which the brute-force and mpmath tests check. Same chain, n, tilt
// and cumulant order (2, and 4 through the jets): every total agrees to 1e-12 relative — at
// n = 1000, where the periodic-regime jump runs too, on dense, sparse, periodic chains and chains
// with transition rewards, at tilts from the threshold (s·scale = 1e-3) to s = ∞; and s = 0 is p
// itself (KL exactly 0).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activeChain, buildMarkovChain, type MarkovChain } from '../../src/core/markovChain.js';
import { backwardPass } from '../../src/core/markovMessages.js';
import { assertClose } from '../helpers/tolerance.js';
import { coreChain, randomChain, sparseChain } from './markovHelpers.js';

/** A chain of period 3 (rings of states), rewards 0, 1, 2 around the ring. */
function periodicChain(): MarkovChain {
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const K = 9;
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++)
      if (j % 3 === (i + 1) % 3) {
        from.push(i);
        to.push(j);
        weight.push(1 + ((i * 7 + j * 3) % 5));
      }
  return buildMarkovChain({
    start: new Array(K).fill(1),
    from,
    to,
    weight,
    reward: Array.from({ length: K }, (_, j) => (j % 3) + 0.25 * (j >> 2)),
  });
}

const chains: Array<[string, MarkovChain]> = [
  ['dense K = 12 with transition rewards', coreChain(randomChain(12, 7, true))],
  ['dense K = 40', sparseChain(40, 40, 3, false)],
  ['sparse K = 300 (8 per row), transition rewards', sparseChain(300, 8, 5, true)],
  ['periodic (period 3)', periodicChain()],
];

describe('Markov backward pass: the fused kernel agrees with the careful rows', () => {
  for (const [name, chain] of chains) {
    const ac = activeChain(chain);
    const threshold = 1e-3 / ac.scale;
    for (const n of [1, 7, 1000]) {
      test(`${name}, n = ${n}`, () => {
        for (const s of [
          threshold * 1.0001,
          0.03 / ac.scale,
          0.3 / ac.scale,
          1,
          3,
          40,
          1e6,
          Number.POSITIVE_INFINITY,
        ]) {
          const fast = backwardPass(ac, n, s, { order: 2 });
          const careful = backwardPass(ac, n, s, { order: 2, careful: true });
          const context = `${name}, n = ${n}, s = ${s}`;
          const rel = 1e-12;
          assertClose(fast.kl, careful.kl, { rel, abs: 1e-300, context: `${context}: KL` });
          assertClose(fast.cumulants[0], careful.cumulants[0], {
            rel,
            abs: 1e-12 * ac.scale,
            context: `${context}: E R`,
          });
          // Var R relative to the natural scale (n·scale²) where it is tiny (huge tilts).
          assertClose(fast.cumulants[1], careful.cumulants[1], {
            rel,
            abs: 1e-12 * n * ac.scale ** 2,
            context: `${context}: Var R`,
          });
          assertClose(fast.gap, careful.gap, { rel, abs: 1e-12 * ac.scale, context: `${context}: gap` });
          assertClose(fast.logResidual, careful.logResidual, {
            rel,
            abs: 1e-300,
            context: `${context}: log Z̃`,
          });
          assert.equal(fast.rMax, careful.rMax, `${context}: R*`);
        }
      });
    }
  }

  test('order 4: κ₁ … κ₄ through the jets agree with the careful rows', () => {
    for (const [name, chain] of chains) {
      const ac = activeChain(chain);
      for (const n of [7, 1000])
        for (const s of [0.03 / ac.scale, 0.3 / ac.scale, 2, 40]) {
          const fast = backwardPass(ac, n, s, { order: 4 });
          const careful = backwardPass(ac, n, s, { order: 4, careful: true });
          const context = `${name}, n = ${n}, s = ${s}`;
          assertClose(fast.kl, careful.kl, { rel: 1e-12, abs: 1e-300, context: `${context}: KL` });
          for (let k = 0; k < 4; k++)
            // Central cumulants of either sign, to 1e-12 of their natural scale n·scaleᵏ as well.
            assertClose(fast.cumulants[k], careful.cumulants[k], {
              rel: 1e-12,
              abs: 1e-12 * n * ac.scale ** (k + 1),
              context: `${context}: κ${k + 1}`,
            });
        }
    }
  });

  test('without the gap (a frontier point, a solve below K_max/2) the other totals are the same', () => {
    for (const [name, chain] of chains) {
      const ac = activeChain(chain);
      for (const s of [0.3 / ac.scale, 2]) {
        const full = backwardPass(ac, 1000, s, { order: 2 });
        const lean = backwardPass(ac, 1000, s, { order: 2, gap: false });
        const context = `${name}, s = ${s}`;
        assert.ok(Number.isNaN(lean.gap), `${context}: gap not computed, so NaN (got ${lean.gap})`);
        assertClose(lean.kl, full.kl, { rel: 1e-13, context: `${context}: KL` });
        assertClose(lean.cumulants[0], full.cumulants[0], { rel: 1e-13, context: `${context}: E R` });
        assertClose(lean.cumulants[1], full.cumulants[1], { rel: 1e-12, context: `${context}: Var R` });
        assertClose(lean.logResidual, full.logResidual, { rel: 1e-13, context: `${context}: log Z̃` });
      }
    }
  });

  test('s = 0 is p itself: KL exactly 0, E R and Var R those of the careful rows', () => {
    for (const [name, chain] of chains) {
      const ac = activeChain(chain);
      const fast = backwardPass(ac, 1000, 0, { order: 2 });
      const careful = backwardPass(ac, 1000, 0, { order: 2, careful: true });
      assert.equal(fast.kl, 0, `${name}: KL at s = 0`);
      assertClose(fast.cumulants[0], careful.cumulants[0], { rel: 1e-12, context: `${name}: E_p R` });
      assertClose(fast.cumulants[1], careful.cumulants[1], { rel: 1e-12, context: `${name}: Var_p R` });
    }
  });
});
