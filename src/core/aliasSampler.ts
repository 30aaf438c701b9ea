/**
 * Vose's alias method (M. D. Vose, "A linear algorithm for generating random numbers with a given
 * distribution", IEEE Trans. Softw. Eng. 17(9), 1991): O(K) set-up, O(1) per draw — one uniform
 * column and one biased coin — for a law on K outcomes.
 *
 * Set-up works with the probabilities scaled by K; columns below 1 are "small", others "large";
 * each small column is topped up by a large one, which becomes its alias. Rounding leaves a few
 * columns marginally off 1 at the end; they are set to 1 (their alias is never used), the standard
 * numerically safe finish.
 */
import type { Xoshiro128 } from './prng.js';

export class AliasSampler {
  private readonly threshold: Float64Array;
  private readonly alias: Int32Array;

  /** @param probabilities non-negative, summing to 1 (up to rounding), at least one positive */
  constructor(probabilities: ArrayLike<number>) {
    const K = probabilities.length;
    let total = 0;
    for (let k = 0; k < K; k++) total += probabilities[k];
    const scaled = new Float64Array(K);
    for (let k = 0; k < K; k++) scaled[k] = (probabilities[k] * K) / total;
    this.threshold = new Float64Array(K);
    this.alias = new Int32Array(K);
    const small: number[] = [];
    const large: number[] = [];
    for (let k = 0; k < K; k++) (scaled[k] < 1 ? small : large).push(k);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.threshold[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const k of large) {
      this.threshold[k] = 1;
      this.alias[k] = k;
    }
    for (const k of small) {
      this.threshold[k] = 1;
      this.alias[k] = k;
    }
  }

  /** One draw: an outcome index in [0, K). */
  sample(rng: Xoshiro128): number {
    const u = rng.nextDouble() * this.threshold.length;
    const column = Math.floor(u);
    return u - column < this.threshold[column] ? column : this.alias[column];
  }
}
