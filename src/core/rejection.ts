/**
 * Rejection sampling at a threshold (math.md (8.13)–(8.14)): draw from pⁿ until R ≥ τ. It
 * changes pⁿ only through R: g_j = 1{x_j ≥ τ}/P(R ≥ τ), so KL(·‖pⁿ) = −log P(R ≥ τ), and it needs
 * 1/P(R ≥ τ) draws (n/P(R ≥ τ) tokens) on average per output. R is discrete, so the three ways
 * of naming τ select a level of R:
 *  - `threshold` τ: the lowest level x_j ≥ τ (within 8n ulp, at most a quarter of the smallest gap
 *    between levels, as the tails do); τ above n·r_max accepts nothing: `out-of-range`;
 *  - `accept` a ∈ (0, 1]: the highest level with P(R ≥ x_j) ≥ a;
 *  - `delta` Δ ≥ 0: the highest level with −log P(R ≥ x_j) ≤ Δ.
 * (The last two compare logarithms within 1e-13 relative: a probability computed as 0.4999…9
 * for an exact ½ still counts as ½.)
 */
import { CoreFailure } from './result.js';
import type { SequenceRewardLaw } from './sequenceLaw.js';
import { smallestGap } from './tails.js';

export type RejectionTarget =
  | { readonly threshold: number }
  | { readonly accept: number }
  | { readonly delta: number };

export interface RejectionLevel {
  /** Index of the lowest accepted level of R. */
  readonly index: number;
  /** That level, x_j: the smallest accepted value of R. */
  readonly threshold: number;
  /** log P(R ≥ x_j) = −KL. */
  readonly logAccept: number;
}

const LOG_SLACK = 1e-13;

/** The accepted level for a target (see the module comment). Errors: invalid or unreachable targets. */
export function rejectionLevel(law: SequenceRewardLaw, target: RejectionTarget): RejectionLevel {
  const L = law.values.length;
  const x = law.values;
  let index: number;
  if ('threshold' in target) {
    const tau = target.threshold;
    if (!Number.isFinite(tau))
      throw new CoreFailure('invalid-argument', `the threshold τ = ${tau} is not a finite number`);
    const magnitude = Math.max(Math.abs(x[0]), Math.abs(x[L - 1]), Math.abs(tau));
    const tol = Math.min(8 * law.n * Number.EPSILON * magnitude, smallestGap(law) / 4);
    index = 0;
    while (index < L && x[index] < tau - tol) index++;
    if (index === L)
      throw new CoreFailure(
        'out-of-range',
        `the threshold τ = ${tau} is above the largest sequence reward ${x[L - 1]} (n·r_max for a memoryless model): no sequence is ever accepted`,
      );
  } else if ('accept' in target) {
    const a = target.accept;
    if (!(a > 0 && a <= 1))
      throw new CoreFailure('out-of-range', `the acceptance probability ${a} must lie in (0, 1]`);
    const logA = Math.log(a);
    const slack = LOG_SLACK * Math.max(1, -logA);
    index = 0;
    while (index + 1 < L && law.logUpper[index + 1] >= logA - slack) index++;
  } else {
    const delta = (target as { delta: number }).delta;
    if (!(delta >= 0 && delta < Number.POSITIVE_INFINITY))
      throw new CoreFailure('out-of-range', `the KL budget Δ = ${delta} must be a finite number ≥ 0`);
    const slack = LOG_SLACK * Math.max(1, delta);
    index = 0;
    while (index + 1 < L && -law.logUpper[index + 1] <= delta + slack) index++;
  }
  return { index, threshold: x[index], logAccept: Math.min(0, law.logUpper[index]) };
}

/** The level log-ratios of rejection at level j: −log P(R ≥ x_j) from j on, −∞ below. */
export function rejectionLogRatios(law: SequenceRewardLaw, level: RejectionLevel): Float64Array {
  const out = new Float64Array(law.values.length).fill(Number.NEGATIVE_INFINITY);
  for (let j = level.index; j < out.length; j++) out[j] = -level.logAccept;
  return out;
}
