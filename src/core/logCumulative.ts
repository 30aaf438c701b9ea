/**
 * Cumulative sums of masses given as logarithms, e.g. log P(R ≥ x_j) = log Σ_{i ≥ j} w_i.
 *
 * Method: the running sum is kept as acc · e^{c} with a Neumaier-compensated linear accumulator
 * `acc` and a log-scale c. A term log w is added as e^{log w − c}; when a term is more than
 * e^{RESCALE} larger than the scale, the accumulator is rescaled to the new term first (a single
 * multiplication, ≈ 1 ulp). All terms are non-negative, so the result has a relative error of a
 * few ulp whatever the number of terms, and masses far below 1e-308 (log w = −2398) are summed as
 * easily as ordinary ones: the tail is summed directly, never formed as 1 − F.
 */
import { chargeWork } from './workBudget.js';

/** Rescale the accumulator when a term exceeds the current scale by more than e^{RESCALE}. */
const RESCALE = 300;

/**
 * Incremental form: add log-masses one at a time (in the order of the tail being summed) and read
 * log Σ so far. Same method and accuracy as `logCumulative`.
 */
export class LogTailAccumulator {
  private scale = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private comp = 0;

  /** Adds e^x (x = −∞ adds nothing) and returns log of the running sum. */
  add(x: number): number {
    if (x !== Number.NEGATIVE_INFINITY) {
      if (this.scale === Number.NEGATIVE_INFINITY || x > this.scale + RESCALE) {
        const factor = this.scale === Number.NEGATIVE_INFINITY ? 0 : Math.exp(this.scale - x);
        this.sum *= factor;
        this.comp *= factor;
        this.scale = x;
      }
      const term = Math.exp(x - this.scale);
      const next = this.sum + term;
      this.comp += Math.abs(this.sum) >= term ? this.sum - next + term : term - next + this.sum;
      this.sum = next;
    }
    return this.value;
  }

  /** log of the running sum (−∞ while empty). */
  get value(): number {
    return this.scale === Number.NEGATIVE_INFINITY ? this.scale : this.scale + Math.log(this.sum + this.comp);
  }
}

/**
 * out[j] = log Σ of logMass over j..end (fromTop = true) or 0..j (fromTop = false).
 * Entries equal to −∞ (zero mass) are allowed; an all-zero prefix yields −∞.
 */
export function logCumulative(logMass: ArrayLike<number>, fromTop: boolean): Float64Array {
  return logCumulativeInto(logMass, fromTop, new Float64Array(logMass.length));
}

/** `logCumulative` written into `out` (as long as logMass), which is returned. */
export function logCumulativeInto<T extends { [j: number]: number }>(
  logMass: ArrayLike<number>,
  fromTop: boolean,
  out: T,
): T {
  const L = logMass.length;
  chargeWork(L);
  const acc = new LogTailAccumulator();
  for (let t = 0; t < L; t++) {
    const j = fromTop ? L - 1 - t : t;
    out[j] = acc.add(logMass[j]);
  }
  return out;
}
