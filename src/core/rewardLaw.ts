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
import { CoreFailure, guard, type Result, require } from './result.js';

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
 * Method: validate, sort the tokens with p > 0 by reward, merge equal rewards (linear sums
 * scaled by the run's largest p), and normalise relative to the heaviest group with log1p, so
 * that a mass 1 − 1e-300 keeps its 1e-300.
 * Errors: `length-mismatch`, `empty-vocabulary` (no token, or all p = 0), `invalid-probability`
 * (p < 0, NaN, ±∞), `invalid-reward` (NaN, ±∞ for a token with p > 0), `out-of-range` (r_max − r_min
 * beyond the largest double, e.g. rewards ±1e308: no reward difference would be representable).
 */
export function tokenRewardLaw(p: ArrayLike<number>, r: ArrayLike<number>): Result<TokenRewardLaw> {
  return guard(() => buildTokenRewardLaw(p, r));
}

/** As `tokenRewardLaw`, but throws a CoreFailure (for use inside the core). */
export function buildTokenRewardLaw(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  require(p.length ===
    r.length, 'length-mismatch', `p has ${p.length} entries but the reward has ${r.length}`);
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
  // Checked before the message is built (formatting the sum costs more than the check).
  if (!(Number.isFinite(total) && total > 0))
    throw new CoreFailure(
      'invalid-probability',
      `the probabilities sum to ${total}, which cannot be normalised`,
    );

  // Distinct rewards: a native numeric sort of a typed array (no comparator calls, so 10^6
  // tokens take milliseconds), then each token finds its group by binary search.
  // (plain loops: Float64Array.from with a callback is ~10× slower on 50k entries)
  const sorted = new Float64Array(kept.length);
  for (let t = 0; t < kept.length; t++) sorted[t] = r[kept[t]];
  sorted.sort();
  const values: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) values.push(sorted[k]);
  const sortedValues = new Float64Array(values);
  // Every quantity of the law is a function of reward differences; beyond the largest double
  // they have no representation (r_max − r_min = 2e300 is fine, 2e308 is not).
  const span = values[values.length - 1] - values[0];
  if (!Number.isFinite(span))
    throw new CoreFailure(
      'out-of-range',
      `the rewards of the tokens with p > 0 span from ${values[0]} to ${values[values.length - 1]}: their difference exceeds the largest double (≈ 1.8e308); rescale the rewards`,
    );
  // Working arrays in plain arrays: a law is built for every model of a document (a thousand in
  // a 10,000-line file), and typed arrays are costly objects to create for a few entries.
  const group = new Array<number>(kept.length);
  // Within a group, sum linearly relative to the group's largest p (no overflow, no underflow).
  const groupMax = new Array<number>(values.length).fill(0);
  for (let t = 0; t < kept.length; t++) {
    const j = lowerBound(sortedValues, r[kept[t]]);
    group[t] = j;
    groupMax[j] = Math.max(groupMax[j], p[kept[t]]);
  }
  const groupScaled = new Array<number>(values.length).fill(0);
  for (let t = 0; t < kept.length; t++) groupScaled[group[t]] += p[kept[t]] / groupMax[group[t]];
  // log of each merged group's mass (unnormalised)
  const groupLog = new Array<number>(values.length);
  for (let j = 0; j < values.length; j++) groupLog[j] = Math.log(groupMax[j]) + Math.log(groupScaled[j]);
  // Normalise relative to the heaviest group J: log(G_j / Σ G) = log G_j − log G_J − log1p(ρ),
  // ρ = Σ_{j≠J} G_j / G_J. The log1p keeps masses like 1 − 1e-300 exact (log Σ p would round
  // the 1e-300 away, and with it A(s) ≈ 1e-300·(eˢ − 1)).
  let heavy = 0;
  for (let j = 1; j < groupLog.length; j++) if (groupLog[j] > groupLog[heavy]) heavy = j;
  let rho = 0;
  for (let j = 0; j < groupLog.length; j++) if (j !== heavy) rho += Math.exp(groupLog[j] - groupLog[heavy]);
  const logNorm = groupLog[heavy] + Math.log1p(rho);
  const logMass = new Float64Array(values.length);
  for (let j = 0; j < values.length; j++) logMass[j] = j === heavy ? -Math.log1p(rho) : groupLog[j] - logNorm;
  const last = values.length - 1;
  return {
    values: sortedValues,
    logMass,
    rMin: values[0],
    rMax: values[last],
    logMassMax: logMass[last],
    logMassMin: logMass[0],
    tokenCount: kept.length,
    inputMass: total,
  };
}

/** First index j with values[j] ≥ v (values ascending). */
function lowerBound(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
