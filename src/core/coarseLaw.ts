/**
 * A compressed copy of a large reward law, used only to find starting points for exact root
 * solves (klrl.ts): solving on it costs ~1/5 of one exact evaluation on 50k values, and its root
 * is close enough (≈ 4e-7 relative) that one Halley step on the exact law finishes the solve.
 *
 * Method: values are grouped greedily in ascending order; a group starting at v_b accepts v_k
 * while v_k − v_b ≤ α·min(v_b − r_min, r_max − v_k), α = 1/1000 (or 1/100, see ALPHAS), i.e. groups are narrow relative
 * to their distance from the nearer end. Why: a tilt s concentrates φ_s at distance ~1/|s| from
 * an end, so the relative widths s·(group width) stay ≲ α·(a few) where φ_s lives, and the
 * merged law's D(s) is within ~α²·(a few) relative of the exact one for every s (merging
 * keeps the mean, so the error is second order in the widths). Each group keeps
 * its total mass and its mass-weighted mean (so A'(0) is preserved); the end values r_min and
 * r_max are single-value groups, so p(M), p(m) and hence the range of D are exact.
 * For K values the result has O(log(range/gap)/α) groups (≈ 1,800 for the 50,257-value bench;
 * α = 1/100 gave 267 groups, a root within 5e-5, and one more exact evaluation per solve).
 */
import type { TokenRewardLaw } from './rewardLaw.js';

/** Laws up to this size are solved directly (compressing would not save anything). */
const COARSE_MIN_VALUES = 4096;
/**
 * Group widths tried, finest first: the finest that still compresses the law to a quarter of its
 * size (a law of a few thousand values may need the coarser one to compress at all).
 */
const ALPHAS = [0.001, 0.01];

const cache = new WeakMap<TokenRewardLaw, TokenRewardLaw | null>();

/** The compressed law (cached per law), or null when the law is small or barely compresses. */
export function coarseLaw(law: TokenRewardLaw): TokenRewardLaw | null {
  let c = cache.get(law);
  if (c === undefined) {
    c = null;
    for (const alpha of ALPHAS) {
      c = build(law, alpha);
      if (c !== null) break;
    }
    cache.set(law, c);
  }
  return c;
}

function build(law: TokenRewardLaw, alpha: number): TokenRewardLaw | null {
  const { values, logMass, rMin, rMax } = law;
  const K = values.length;
  if (K < COARSE_MIN_VALUES) return null;
  const outV: number[] = [];
  const outM: number[] = [];
  let k = 0;
  while (k < K) {
    const vb = values[k];
    let end = k + 1;
    // r_min and r_max always stay alone (their exact masses fix the limits of D).
    if (k !== 0) {
      while (end < K - 1 && values[end] - vb <= alpha * Math.min(vb - rMin, rMax - values[end])) end++;
    }
    // Mass and mass-weighted mean of the group, scaled by its largest mass (no underflow).
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = k; j < end; j++) if (logMass[j] > mx) mx = logMass[j];
    let sum = 0;
    let first = 0;
    for (let j = k; j < end; j++) {
      const w = Math.exp(logMass[j] - mx);
      sum += w;
      first += w * (values[j] - vb);
    }
    // The mean lies inside [v_b, v_{end−1}], so groups stay strictly ascending.
    outV.push(end - k === 1 ? vb : Math.min(values[end - 1], vb + first / sum));
    outM.push(mx + Math.log(sum));
    k = end;
    if (outV.length > K / 4) return null; // barely compresses: stop early
  }
  const last = outV.length - 1;
  return {
    values: Float64Array.from(outV),
    logMass: Float64Array.from(outM),
    rMin,
    rMax,
    logMassMax: outM[last],
    logMassMin: outM[0],
    tokenCount: law.tokenCount,
    inputMass: law.inputMass,
  };
}
