/**
 * Exact finite-n tail exponents of the average reward R/n under pⁿ (math.md §4, "finite-n check").
 *
 *   above the mean (x ≥ E R/n):  −(1/n) log P(R/n ≥ x)
 *   below the mean (x < E R/n):  −(1/n) log P(R/n ≤ x)
 *
 * These tend to Cramér's rate A*(x) from above with an O(log n / n) gap (for the tilted model
 * φ_λ use the law of R under φ_λⁿ, i.e. the same code with the tilted token law). The
 * probabilities come from the log-space tails of the sequence law, so exponents of 2.4 nats per
 * token at n = 1000 (P = e^{−2398}) are exact. A level outside [n·r_min, n·r_max] has
 * probability 0 and exponent +∞.
 *
 * Comparison of n·x with the lattice values uses a tolerance of 8·n ulp of the largest |value|
 * (the lattice points n·a + i·h and the user's n·x are both rounded doubles), at most a quarter
 * of the smallest gap between levels (rewards far from 0 relative to their spacing).
 */
import { engineOf, FOURIER_AUTO_WORK, type FourierEngine, tryFourier } from './fourierLaw.js';
import { CoreFailure, guard, type Result } from './result.js';
import {
  buildSequenceRewardLaw,
  fineLatticeBound,
  type SequenceLawMethod,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { chargeWork, withWorkBudget, workUsed } from './workBudget.js';

export interface TailExponent {
  /** The per-token level x. */
  readonly x: number;
  readonly side: 'upper' | 'lower';
  /** log P(R ≥ n x) (upper) or log P(R ≤ n x) (lower); −∞ when the probability is 0. */
  readonly logProbability: number;
  /** −logProbability / n ∈ [0, ∞]; +∞ when the probability is 0. */
  readonly exponent: number;
  /**
   * A level shift a (units of R) with P(R ≥ nx + a) ≤ reported ≤ P(R ≥ nx − a) (mirrored below
   * the mean): 0 when exact, n·h/2 on the fine lattice, computed for the Fourier method.
   */
  readonly errorBound: number;
  /** A bound on |exponent − exact exponent| (Fourier method; 0 when exact; absent otherwise). */
  readonly exponentError?: number;
  /** How the probability was computed (the law's method; 'fine-lattice' where the Fourier
   * method fell back to it). */
  readonly method: SequenceLawMethod;
}

/** The tail exponent at per-token level x (see the module comment). Errors: x NaN or ±∞. */
export function tailExponent(law: SequenceRewardLaw, x: number): Result<TailExponent> {
  return guard(() => tailExponentUnchecked(law, x));
}

/** Tail exponents at several levels (one Result for all: the first invalid x fails it). */
export function tailExponents(law: SequenceRewardLaw, xs: ArrayLike<number>): Result<TailExponent[]> {
  return guard(() => {
    const engine = engineOf(law);
    if (engine === undefined) {
      chargeWork(xs.length * Math.ceil(Math.log2(law.values.length + 1)));
      return Array.from(xs, (x) => tailExponentUnchecked(law, x));
    }
    // Several levels share spectra: their tilts lie on a ladder (`FourierEngine.tail`). Under
    // 'auto' each level may use half of FOURIER_AUTO_WORK and all of them together twice it
    // (about 4 s); levels beyond that read the fine lattice, each stating its bound.
    chargeWork(xs.length);
    for (let i = 0; i < xs.length; i++)
      if (!Number.isFinite(xs[i]))
        throw new CoreFailure('invalid-argument', `the tail level x = ${xs[i]} is not a finite number`);
    const shared = xs.length > 1;
    // Nearest the mean first: the far levels (the costliest, and those most likely to fall back)
    // then cannot use up the budget of the others.
    const order = Array.from(xs, (_, i) => i).sort(
      (a, b) => Math.abs(xs[a] - engine.mean) - Math.abs(xs[b] - engine.mean),
    );
    const out = new Array<TailExponent>(xs.length);
    let left = xs.length > 1 ? 2 * FOURIER_AUTO_WORK : FOURIER_AUTO_WORK;
    const perLevel = xs.length > 1 ? FOURIER_AUTO_WORK / 2 : FOURIER_AUTO_WORK;
    // (an inner budget without limits of its own, so that the work of each level is measured)
    withWorkBudget({}, () => {
      for (const i of order) {
        if (left <= 0) {
          out[i] = tailExponentUnchecked(fineFallback(engine), xs[i]);
          continue;
        }
        const before = workUsed();
        out[i] = fourierTail(engine, xs[i], shared, Math.min(left, perLevel));
        left -= workUsed() - before;
      }
    });
    return out;
  });
}

export function tailExponentUnchecked(law: SequenceRewardLaw, x: number): TailExponent {
  // Checked before the message is built (formatting x as text is not free; this runs per level x).
  if (!Number.isFinite(x))
    throw new CoreFailure('invalid-argument', `the tail level x = ${x} is not a finite number`);
  const engine = engineOf(law);
  if (engine !== undefined) return fourierTail(engine, x, false, FOURIER_AUTO_WORK);
  const { n, values } = law;
  const L = values.length;
  const level = n * x;
  const magnitude = Math.max(Math.abs(values[0]), Math.abs(values[L - 1]), Math.abs(level));
  // At most a quarter of the smallest gap between levels: levels 3e15, 3e15 + 1, … are exact,
  // but 8n ulp of 3e15 is 16, and x would match the wrong level.
  const tol = Math.min(8 * n * Number.EPSILON * magnitude, smallestGap(law) / 4);
  const upper = level >= law.mean;
  let logProbability: number;
  if (upper) {
    // First j with x_j ≥ level − tol.
    const j = lowerBound(values, level - tol);
    logProbability = j < L ? law.logUpper[j] : Number.NEGATIVE_INFINITY;
  } else {
    // Last j with x_j ≤ level + tol.
    const j = firstIndexAbove(values, level + tol) - 1;
    logProbability = j >= 0 ? law.logLower[j] : Number.NEGATIVE_INFINITY;
  }
  // log P ≤ 0 mathematically; rounding can give +1e-16, which would be an exponent of −0.
  const exponent =
    logProbability === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.max(0, -logProbability / n);
  return {
    x,
    side: upper ? 'upper' : 'lower',
    logProbability: Math.min(0, logProbability),
    exponent,
    errorBound: law.errorBound,
    ...(law.exact ? { exponentError: 0 } : {}),
    method: law.method,
  };
}

/** Fine-lattice laws built for tails whose Fourier bound was worse (few values, small n). */
const FALLBACKS = new WeakMap<FourierEngine, SequenceRewardLaw>();

/**
 * The tail by the Fourier method (math-continuous.md §8): tilted at the saddle point, with the
 * level shift that brackets it; the fine lattice where that shift would exceed n·h/2.
 */
function fourierTail(engine: FourierEngine, x: number, shared: boolean, maxUnits: number): TailExponent {
  const n = engine.n;
  const level = n * x;
  const upper = level >= n * engine.mean;
  const t = tryFourier(
    engine,
    () => engine.tail(level, upper, shared),
    (r) => !Number.isNaN(r.logProbability) && !Number.isNaN(r.shift) && !Number.isNaN(r.logError),
    maxUnits,
  );
  const fine = fineLatticeBound(engine.law, n, engine.options);
  if (t === null || (!(t.shift <= fine) && Number.isFinite(fine))) {
    return tailExponentUnchecked(fineFallback(engine), x);
  }
  const logProbability = Math.min(0, t.logProbability);
  const exponent =
    logProbability === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.max(0, -logProbability / n);
  return {
    x,
    side: upper ? 'upper' : 'lower',
    logProbability,
    exponent,
    errorBound: t.shift,
    // Stated only when the bracket at x excludes 0 (a finite bound).
    ...(Number.isFinite(t.logError) ? { exponentError: t.logError / n } : {}),
    method: 'fourier',
  };
}

/** The fine-lattice law of R for an engine's token law and n (built once per engine). */
function fineFallback(engine: FourierEngine): SequenceRewardLaw {
  let coarse = FALLBACKS.get(engine);
  if (coarse === undefined) {
    coarse = buildSequenceRewardLaw(engine.law, engine.n, { ...engine.options, method: 'fine-lattice' });
    FALLBACKS.set(engine, coarse);
  }
  return coarse;
}

const GAPS = new WeakMap<SequenceRewardLaw, number>();

/** The smallest difference between consecutive levels (∞ for one level); cached per law. */
export function smallestGap(law: SequenceRewardLaw): number {
  let gap = GAPS.get(law);
  if (gap === undefined) {
    gap = Number.POSITIVE_INFINITY;
    const v = law.values;
    for (let j = 1; j < v.length; j++) gap = Math.min(gap, v[j] - v[j - 1]);
    GAPS.set(law, gap);
  }
  return gap;
}

/** Smallest j with values[j] ≥ t (values ascending); values.length when none. */
function lowerBound(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Smallest j with values[j] > t (values ascending); values.length when none. */
function firstIndexAbove(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
