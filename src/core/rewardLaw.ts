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
  /**
   * Optional: for each token of the p and r the law was built from, the index in `values` of its
   * reward (−1 for p = 0). tokenTilt reads it instead of a binary search per token (a million
   * tokens: twenty cache misses each).
   */
  readonly valueIndexOfToken?: Int32Array;
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
  const keptIndex = new Int32Array(p.length);
  let keptCount = 0;
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
    keptIndex[keptCount++] = i;
    if (pi > maxP) maxP = pi;
  }
  const kept = keptIndex.subarray(0, keptCount);
  require(kept.length > 0, 'empty-vocabulary', 'no token has positive probability');
  // Sum scaled by the largest p so that a total above the largest double cannot overflow.
  let scaled = 0;
  for (let t = 0; t < kept.length; t++) scaled += p[kept[t]] / maxP;
  total = scaled * maxP;
  // Checked before the message is built (formatting the sum costs more than the check).
  if (!(Number.isFinite(total) && total > 0))
    throw new CoreFailure(
      'invalid-probability',
      `the probabilities sum to ${total}, which cannot be normalised`,
    );

  // Tokens in reward order (ties in vocabulary order), then runs of equal reward are the groups.
  // Within a group the tokens come in vocabulary order, so its sums are added in that order.
  const order = orderByReward(r, kept);
  // Gathered once in that order: the loops below then read memory in sequence (a million tokens
  // in random order cost a cache miss per read).
  const rs = new Float64Array(order.length);
  const ps = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    rs[k] = r[order[k]];
    ps[k] = p[order[k]];
  }
  // Typed arrays sized for the worst case (every reward distinct), cut to the groups found.
  const groupsAtMost = order.length;
  const allValues = new Float64Array(groupsAtMost);
  const groupMax = new Float64Array(groupsAtMost);
  const groupOf = new Int32Array(kept.length); // by position in `order`
  let groups = 0;
  for (let k = 0; k < order.length; k++) {
    if (k === 0 || rs[k] !== rs[k - 1]) allValues[groups++] = rs[k];
    const j = groups - 1;
    groupOf[k] = j;
    if (ps[k] > groupMax[j]) groupMax[j] = ps[k];
  }
  // (Every reward distinct, as continuous rewards are: the array itself, no copy.)
  const values = groups === allValues.length ? allValues : allValues.slice(0, groups);
  const valueIndexOfToken = new Int32Array(p.length).fill(-1);
  for (let k = 0; k < order.length; k++) valueIndexOfToken[order[k]] = groupOf[k];
  // Every quantity of the law is a function of reward differences; beyond the largest double
  // they have no representation (r_max − r_min = 2e300 is fine, 2e308 is not).
  const span = values[values.length - 1] - values[0];
  if (!Number.isFinite(span))
    throw new CoreFailure(
      'out-of-range',
      `the rewards of the tokens with p > 0 span from ${values[0]} to ${values[values.length - 1]}: their difference exceeds the largest double (≈ 1.8e308); rescale the rewards`,
    );
  // Within a group, sum linearly relative to the group's largest p (no overflow, no underflow).
  const groupScaled = new Float64Array(groups);
  for (let k = 0; k < order.length; k++) groupScaled[groupOf[k]] += ps[k] / groupMax[groupOf[k]];
  // log of each merged group's mass (unnormalised)
  // (A group of one token has groupScaled = 1 exactly, whose log 0 would add nothing.)
  // In place of the scales (each read before its log is written): one array of a million fewer.
  const groupLog = groupScaled;
  for (let j = 0; j < groups; j++)
    groupLog[j] =
      groupScaled[j] === 1 ? Math.log(groupMax[j]) : Math.log(groupMax[j]) + Math.log(groupScaled[j]);
  // Normalise relative to the heaviest group J: log(G_j / Σ G) = log G_j − log G_J − log1p(ρ),
  // ρ = Σ_{j≠J} G_j / G_J. The log1p keeps masses like 1 − 1e-300 exact (log Σ p would round
  // the 1e-300 away, and with it A(s) ≈ 1e-300·(eˢ − 1)).
  let heavy = 0;
  for (let j = 1; j < groupLog.length; j++) if (groupLog[j] > groupLog[heavy]) heavy = j;
  let rho = 0;
  for (let j = 0; j < groupLog.length; j++) if (j !== heavy) rho += Math.exp(groupLog[j] - groupLog[heavy]);
  const logNorm = groupLog[heavy] + Math.log1p(rho);
  // In place of the logs too (the law keeps it; the logs are not needed after).
  const logMass = groupLog;
  for (let j = 0; j < values.length; j++) logMass[j] = j === heavy ? -Math.log1p(rho) : groupLog[j] - logNorm;
  const last = values.length - 1;
  return {
    values,
    logMass,
    rMin: values[0],
    rMax: values[last],
    logMassMax: logMass[last],
    logMassMin: logMass[0],
    tokenCount: kept.length,
    inputMass: total,
    valueIndexOfToken,
  };
}

/** Below this many tokens a comparison sort is cheaper than the radix passes. */
const RADIX_FROM = 2048;
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * The entries of `indices` ordered by r[index] ascending, equal rewards in the order given (a
 * stable sort; −0 before +0, which compare equal). Large inputs: an LSD radix sort on the
 * IEEE-754 bits made order-preserving (sign bit flipped for x ≥ 0, every bit for x < 0), six
 * passes of 11 bits — linear, where a comparison sort with a callback costs ~20 calls per token
 * and a sort-then-binary-search ~20 cache misses per token of a 1,000,000-token vocabulary.
 * Rewards must be finite (checked by the caller).
 */
export function orderByReward(r: ArrayLike<number>, indices: Int32Array): Int32Array {
  const n = indices.length;
  if (n < RADIX_FROM) {
    return Int32Array.from(indices).sort((a, b) => {
      const d = r[a] - r[b];
      // Equal values, and −0/+0: −0 first, then the given (index) order.
      if (d !== 0) return d;
      const za = Object.is(r[a], -0) ? 0 : 1;
      const zb = Object.is(r[b], -0) ? 0 : 1;
      return za - zb || a - b;
    });
  }
  // Order-preserving 64-bit keys as (hi, lo) 32-bit halves, moved together with the indices:
  // each pass reads its arrays in order (keys left in place and read through a permutation cost
  // a cache miss per token and pass), and 11-bit digits keep the 2048 bucket heads in cache.
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const [loWord, hiWord] = little ? [0, 1] : [1, 0];
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let at = Int32Array.from(indices);
  for (let k = 0; k < n; k++) {
    bits[0] = r[at[k]];
    let h = words[hiWord];
    let l = words[loWord];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    hi[k] = h >>> 0;
    lo[k] = l >>> 0;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let at2 = new Int32Array(n);
  const count = new Int32Array(1 << DIGIT_BITS);
  // Stable counting sorts, least significant digit first: bits 0–10, 11–21, 22–31 of each half.
  for (let pass = 0; pass < 6; pass++) {
    const key = pass < 3 ? lo : hi;
    const shift = (pass % 3) * DIGIT_BITS;
    count.fill(0);
    for (let k = 0; k < n; k++) count[(key[k] >>> shift) & DIGIT_MASK]++;
    // A digit every key shares (the sign and exponent bits, often) leaves the order as it is.
    if (count[(key[0] >>> shift) & DIGIT_MASK] === n) continue;
    let sum = 0;
    for (let b = 0; b < count.length; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const d = count[(key[k] >>> shift) & DIGIT_MASK]++;
      hi2[d] = hi[k];
      lo2[d] = lo[k];
      at2[d] = at[k];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [at, at2] = [at2, at];
  }
  return at;
}
