/**
 * Exact law of R by enumerating types (multinomial counts) — for small non-lattice cases.
 *
 * A type is c = (c_1..c_K) with Σ c_k = n; it has probability n!/Π c_k! · Π p_k^{c_k} and reward
 * Σ c_k v_k. There are C(n + K − 1, K − 1) types, so this is only used when that count is small.
 *
 * Method: log-probabilities from a table of log k! (compensated sums of log i, relative error
 * ≈ 1e-16 · log n!), rewards by compensated sums. Types are sorted by reward, and rewards within
 * 8·n ulp of max |v| of each other are merged: different types whose rewards are mathematically
 * equal (e.g. 0 + (1 + √2) and 1 + √2) can differ by a few ulp in floating point, and merging
 * keeps such ties tied (best-of-N breaks ties uniformly, so ties matter).
 */
import { logSumExp, NeumaierSum } from './logspace.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { chargeWork } from './workBudget.js';

/** log C(n + K − 1, K − 1) = number of types, as a logarithm (no overflow). */
export function logTypeCount(n: number, K: number): number {
  const lf = logFactorialTable(n + K - 1);
  return lf[n + K - 1] - lf[K - 1] - lf[n];
}

/** log k! for k = 0..max, by compensated summation of log i. */
export function logFactorialTable(max: number): Float64Array {
  chargeWork(max);
  const out = new Float64Array(max + 1);
  const acc = new NeumaierSum();
  for (let k = 1; k <= max; k++) {
    acc.add(Math.log(k));
    out[k] = acc.value;
  }
  return out;
}

/** Distinct values of R ascending with their log-masses, by type enumeration (exact). */
export function lawByTypes(law: TokenRewardLaw, n: number): { values: Float64Array; logMass: Float64Array } {
  const K = law.values.length;
  const lf = logFactorialTable(n);
  const rewards: number[] = [];
  const logProbs: number[] = [];
  const counts = new Int32Array(K);
  const left = new Int32Array(K);
  // The indices with a nonzero count, ascending (the sums below run in index order, as a scan
  // over all K would): at most n of them, so a type costs O(n), not O(K).
  const nonzero = new Int32Array(Math.min(K, n) + 1);
  let nz = 0;
  const emit = (): void => {
    chargeWork(nz + 1);
    const r = new NeumaierSum();
    const lp = new NeumaierSum();
    lp.add(lf[n]);
    for (let i = 0; i < nz; i++) {
      const t = nonzero[i];
      const c = counts[t];
      r.add(c * law.values[t]);
      lp.add(c * law.logMass[t] - lf[c]);
    }
    rewards.push(r.value);
    logProbs.push(lp.value);
  };
  // Depth-first over c_1..c_{K−1} (each from 0 up); c_K takes what remains. An explicit stack,
  // not recursion: K can be 50,000 (n = 1), far beyond the call stack. When nothing is left the
  // later counts are all 0 and the type is complete at once (no walk through K zero levels).
  if (K === 1) {
    counts[0] = n;
    nonzero[nz++] = 0;
    emit();
  } else {
    let k = 0;
    left[0] = n;
    counts[0] = -1;
    while (k >= 0) {
      if (++counts[k] === 1) nonzero[nz++] = k;
      if (counts[k] > left[k]) {
        if (counts[k] > 1 || left[k] === 0) nz--; // the count was positive: k is the last nonzero
        counts[k] = 0;
        k--;
        continue;
      }
      const rest = left[k] - counts[k];
      if (rest === 0) {
        emit();
        continue;
      }
      if (k + 1 === K - 1) {
        counts[K - 1] = rest;
        nonzero[nz++] = K - 1;
        emit();
        nz--;
        counts[K - 1] = 0;
        continue;
      }
      left[k + 1] = rest;
      k++;
      counts[k] = -1;
    }
  }
  const order = rewards.map((_, i) => i).sort((a, b) => rewards[a] - rewards[b]);
  let magnitude = 0;
  for (let k = 0; k < K; k++) magnitude = Math.max(magnitude, Math.abs(law.values[k]));
  const tol = 8 * n * Number.EPSILON * magnitude;
  const values: number[] = [];
  const logMass: number[] = [];
  let group: number[] = [];
  let groupStart = 0;
  const flush = () => {
    values.push(rewards[order[groupStart]]);
    logMass.push(logSumExp(group));
  };
  for (let t = 0; t < order.length; t++) {
    const x = rewards[order[t]];
    if (t > 0 && x - rewards[order[groupStart]] > tol) {
      flush();
      group = [];
      groupStart = t;
    }
    group.push(logProbs[order[t]]);
  }
  flush();
  return { values: Float64Array.from(values), logMass: Float64Array.from(logMass) };
}
