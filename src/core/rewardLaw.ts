/**
 * The per-token reward law: the distribution of r(y) for one token y ~ p.
 *
 * math.md §2: only the distribution of the reward values under p enters A(s), so tokens with
 * equal reward are merged and tokens with p = 0 are dropped. Every sequence-level quantity is a
 * function of this law alone, which is why a 50,257-token vocabulary with 11 distinct rewards
 * costs the same as an 11-token one.
 *
 * Masses are kept as logarithms: probabilities down to 1e-300 (and their products) stay exact.
 */
import { CoreFailure, type Result, guard, require } from './result.js';

export interface TokenRewardLaw {
  /** Distinct rewards of the tokens with p > 0, strictly ascending. */
  readonly values: Float64Array;
  /** log P_p(r = values[j]); normalised so that logSumExp(logMass) = 0. */
  readonly logMass: Float64Array;
  /** r_min = values[0] and r_max = values[last]. */
  readonly rMin: number;
  readonly rMax: number;
  /** log p(M), M = tokens with r = r_max; −logMassMax is the per-token maximum KL. */
  readonly logMassMax: number;
  /** log p(m), m = tokens with r = r_min. */
  readonly logMassMin: number;
  /** Number of tokens with p > 0 (before merging). */
  readonly tokenCount: number;
  /** Σ p as given (before normalisation), so callers can warn when it is not 1. */
  readonly inputMass: number;
}

/**
 * Builds the reward law from per-token probabilities `p` and rewards `r`.
 *
 * Method: validate, sort the tokens with p > 0 by reward, merge equal rewards by log-sum-exp
 * of their log-probabilities, and subtract log Σp so the law is normalised.
 * Errors: `length-mismatch`, `empty-vocabulary` (no token, or all p = 0), `invalid-probability`
 * (p < 0, NaN, ±∞), `invalid-reward` (NaN, ±∞ for a token with p > 0).
 */
export function tokenRewardLaw(p: ArrayLike<number>, r: ArrayLike<number>): Result<TokenRewardLaw> {
  return guard(() => buildTokenRewardLaw(p, r));
}

/** As `tokenRewardLaw`, but throws a CoreFailure (for use inside the core). */
export function buildTokenRewardLaw(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  require(
    p.length === r.length,
    'length-mismatch',
    `p has ${p.length} entries but the reward has ${r.length}`,
  );
  require(p.length > 0, 'empty-vocabulary', 'the vocabulary is empty');
  let total = 0;
  let maxP = 0;
  const kept: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    if (!(pi >= 0) || pi === Number.POSITIVE_INFINITY) {
      throw new CoreFailure('invalid-probability', `p[${i}] = ${pi} is not a finite non-negative number`);
    }
    if (pi === 0) continue;
    const ri = r[i];
    if (!Number.isFinite(ri)) {
      throw new CoreFailure('invalid-reward', `reward[${i}] = ${ri} is not a finite number`);
    }
    kept.push(i);
    if (pi > maxP) maxP = pi;
  }
  require(kept.length > 0, 'empty-vocabulary', 'no token has positive probability');
  // Sum scaled by the largest p so that a total above the largest double cannot overflow.
  let scaled = 0;
  for (const i of kept) scaled += p[i] / maxP;
  total = scaled * maxP;
  require(
    Number.isFinite(total) && total > 0,
    'invalid-probability',
    `the probabilities sum to ${total}, which cannot be normalised`,
  );
  const logTotal = Math.log(maxP) + Math.log(scaled);

  kept.sort((a, b) => r[a] - r[b]);
  const values: number[] = [];
  const logMass: number[] = [];
  // Merge runs of equal rewards; within a run, sum linearly relative to the run's largest p.
  let start = 0;
  while (start < kept.length) {
    let end = start;
    const v = r[kept[start]];
    let runMax = 0;
    while (end < kept.length && r[kept[end]] === v) {
      runMax = Math.max(runMax, p[kept[end]]);
      end++;
    }
    let runScaled = 0;
    for (let j = start; j < end; j++) runScaled += p[kept[j]] / runMax;
    values.push(v);
    logMass.push(Math.log(runMax) + Math.log(runScaled) - logTotal);
    start = end;
  }
  const last = values.length - 1;
  return {
    values: Float64Array.from(values),
    logMass: Float64Array.from(logMass),
    rMin: values[0],
    rMax: values[last],
    logMassMax: logMass[last],
    logMassMin: logMass[0],
    tokenCount: kept.length,
    inputMass: total,
  };
}
