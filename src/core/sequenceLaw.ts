/**
 * The law of the sequence reward R = Σ_{i=1..n} r(y_i) under pⁿ (math.md §6, used by §4's
 * finite-n tails): its distinct values x_1 < … < x_L, log w_j = log P(R = x_j), and the tails
 * log P(R ≥ x_j), log P(R ≤ x_j) summed directly in log space (never 1 − F).
 *
 * Three methods, chosen in this order:
 *  - 'lattice' (exact): the rewards lie on a + hℤ (`detectLattice`); the n-fold convolution on the
 *    n·span + 1 lattice points is computed with a per-point extended exponent
 *    (`LatticeConvolver`), relative error ≤ n·(K + 1) ulp.
 *  - 'types' (exact): the C(n + K − 1, K − 1) multinomial types are enumerated
 *    (`typeEnumeration.ts`) when that count is ≤ maxSupport.
 *  - 'fourier' (approximate, for arbitrary real rewards and n ≥ FOURIER_MIN_LENGTH): Fourier
 *    inversion of the exact characteristic function of R smoothed by εZ, with rigorous bounds on
 *    every quantity built on it (fourierLaw.ts, docs/math-continuous.md): best-of-N, the tails and
 *    the equivalence series use the Fourier engine attached to the law; the law's own levels
 *    (for consumers of the whole law) are the fine lattice's (`fourierSequenceLaw`).
 *  - 'fine-lattice' (approximate): each per-token reward is rounded to the nearest point of the
 *    grid r_min + (r_max − r_min)·i/G (r_min and r_max stay exact) with the largest G the limits
 *    allow, and the grid law is convolved exactly. Rounding moves each token's reward by at most
 *    h/2 (h = (r_max − r_min)/G), so the grid reward R̃ of every sequence satisfies
 *    |R − R̃| ≤ n·h/2 = `errorBound`: expectations of R are off by at most that, and tail
 *    probabilities are bracketed by the approximate tails at x ± errorBound.
 */
import { attachEngine, DEFAULT_FOURIER_ACCURACY, fourierEngine } from './fourierLaw.js';
import { detectLatticeUnchecked, type Lattice } from './lattice.js';
import { LatticeConvolver } from './latticeConvolution.js';
import { logCumulativeInto } from './logCumulative.js';
import { logSumExp, NeumaierSum } from './logspace.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { lawByTypes, logTypeCount } from './typeEnumeration.js';
import { chargeWork } from './workBudget.js';

export type SequenceLawMethod = 'lattice' | 'types' | 'fine-lattice' | 'fourier';

export interface SequenceRewardLaw {
  /** Sequence length. */
  readonly n: number;
  /** Distinct values of R with positive probability, ascending. */
  readonly values: Float64Array;
  /** log P(R = x_j). */
  readonly logMass: Float64Array;
  /** log P(R ≥ x_j). */
  readonly logUpper: Float64Array;
  /** log P(R ≤ x_j). */
  readonly logLower: Float64Array;
  readonly method: SequenceLawMethod;
  /** True for 'lattice' and 'types'. */
  readonly exact: boolean;
  /** 0 when exact; otherwise a sure bound on |R − R̃| for every sequence (n·h/2). */
  readonly errorBound: number;
  /** The per-token lattice used ('lattice', 'fine-lattice'), or null ('types'). */
  readonly lattice: Lattice | null;
  /** E R = Σ w_j x_j (of the computed law). */
  readonly mean: number;
}

export interface SequenceLawOptions {
  /** Largest number of lattice points or of types (default 200,001). */
  readonly maxSupport?: number;
  /** Largest convolution work n·S·K/2 in multiply-adds (default 4e8, ≈ 1 s). */
  readonly maxWork?: number;
  /**
   * The error bound the Fourier method aims at, relative to sd(R) (default 1e-6 up to n = 64,
   * then 1e-6·√(n/64): `defaultFourierAccuracy`). Not a promise: every result states the bound
   * it reached.
   */
  readonly accuracy?: number;
  /**
   * 'auto' (default): exact lattice or types when they fit, else Fourier inversion for
   * n ≥ FOURIER_MIN_LENGTH, else the fine lattice. 'fine-lattice' never uses the Fourier method;
   * 'fourier' uses it whenever the law has two values or more (even where an exact method fits:
   * the tests compare the two).
   */
  readonly method?: 'auto' | 'fourier' | 'fine-lattice';
}

/** Shortest length for which 'auto' uses the Fourier method (below, |ϕ|ⁿ decays too slowly). */
export const FOURIER_MIN_LENGTH = 16;

/**
 * Fewest token values for which 'auto' uses the Fourier method. A law with few values has a
 * characteristic function that never decays (|ϕ| comes back near 1), so only the smoothing ε cuts
 * the frequencies off: the grids grow like 1/ε and the bounds, driven by the atoms of R, are worse
 * than the fine lattice's. Vocabularies are far above this.
 */
export const FOURIER_MIN_VALUES = 257;

export const DEFAULT_MAX_SUPPORT = 200_001;
export const DEFAULT_MAX_WORK = 4e8;

/** A lattice form of a token law: offsets i_k (≥ 0, one is 0), their log-masses, and a, h. */
export interface LatticeKernel {
  readonly lattice: Lattice;
  readonly offsets: Int32Array;
  readonly logMass: Float64Array;
  readonly exact: boolean;
  readonly errorBound: number;
}

/**
 * The law of R for sequences of length n (see the module comment).
 * Errors: `invalid-argument` (n not a positive integer, bad options), `too-large` (even the
 * coarsest grid exceeds the limits).
 */
export function sequenceRewardLaw(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions = {},
): Result<SequenceRewardLaw> {
  return guard(() => buildSequenceRewardLaw(law, n, options));
}

/**
 * Whether the law of R for length n is exact within the limits (a lattice convolution or an
 * enumeration of types, no fine grid) — decided from the sizes alone, without computing it.
 * Errors: invalid n or options.
 */
export function exactLawFits(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions = {},
): Result<boolean> {
  return guard(() => {
    requireLength(n);
    if (law.values.length === 1) return true;
    // The exact methods only: when neither fits, the answer is no — without building the fine
    // lattice's kernel (a pass over every value of the law) to read that it is not exact.
    return exactKernel(law, n, options, true) !== undefined;
  });
}

export function requireLength(n: number): void {
  // Checked before the message is built (here and in `limits`): they run for every law of R.
  if (!(Number.isSafeInteger(n) && n >= 1))
    throw new CoreFailure('invalid-argument', `the sequence length n = ${n} must be a positive integer`);
}

export function limits(options: SequenceLawOptions): { maxSupport: number; maxWork: number } {
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'fourier' && method !== 'fine-lattice')
    throw new CoreFailure(
      'invalid-argument',
      `method = ${String(method)} must be 'auto', 'fourier' or 'fine-lattice'`,
    );
  const accuracy = options.accuracy ?? DEFAULT_FOURIER_ACCURACY;
  if (!(typeof accuracy === 'number' && accuracy > 0 && accuracy < 1))
    throw new CoreFailure('invalid-argument', `accuracy = ${accuracy} must be a number in (0, 1)`);
  const maxSupport = options.maxSupport ?? DEFAULT_MAX_SUPPORT;
  const maxWork = options.maxWork ?? DEFAULT_MAX_WORK;
  if (!(Number.isFinite(maxSupport) && maxSupport >= 1))
    throw new CoreFailure('invalid-argument', `maxSupport = ${maxSupport} must be a finite number ≥ 1`);
  if (!(Number.isFinite(maxWork) && maxWork >= 1))
    throw new CoreFailure('invalid-argument', `maxWork = ${maxWork} must be a finite number ≥ 1`);
  return { maxSupport, maxWork };
}

/** Multiply-adds of a full n-step convolution with K kernel entries and span D. */
function convolutionWork(n: number, D: number, K: number): number {
  return (n * (n * D + 2) * K) / 2;
}

/**
 * The lattice kernel for `law` at length n: exact when the rewards lie on a lattice small enough
 * for the limits, otherwise the finest admissible grid (null when exact types should be used).
 */
export function latticeKernel(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions,
  allowTypes: boolean,
): LatticeKernel | null {
  const exact = exactKernel(law, n, options, allowTypes);
  if (exact !== undefined) return exact;
  return fineKernel(law, n, options);
}

/**
 * The exact method for `law` at length n: the lattice kernel, null for types, undefined when
 * neither fits the limits.
 */
function exactKernel(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions,
  allowTypes: boolean,
): LatticeKernel | null | undefined {
  const { maxSupport, maxWork } = limits(options);
  const K = law.values.length;
  const lattice = detectLatticeUnchecked(law.values);
  if (lattice !== null) {
    const support = n * lattice.span + 1;
    if (support <= maxSupport && convolutionWork(n, lattice.span, K) <= maxWork) {
      return mergeKernel(lattice, law.logMass, true, 0);
    }
  }
  // There are at least n + 1 types when K ≥ 2, so large n never builds the log-factorial table.
  if (allowTypes && n + 1 <= maxSupport && logTypeCount(n, K) <= Math.log(maxSupport)) return null;
  return undefined;
}

/** The largest grid count G the limits allow for the fine lattice (0 when none does). */
function fineGridCount(law: TokenRewardLaw, n: number, options: SequenceLawOptions): number {
  const { maxSupport, maxWork } = limits(options);
  const K = law.values.length;
  // Finest grid: n·G + 1 ≤ maxSupport and the work with ≤ min(K, G + 1) kernel entries ≤ maxWork.
  let G = Math.floor((maxSupport - 1) / n);
  while (G >= 1 && convolutionWork(n, G, Math.min(K, G + 1)) > maxWork) G = Math.floor(G / 2);
  return Math.max(0, G);
}

/** The finest fine-lattice kernel the limits allow (`too-large` if none). */
function fineKernel(law: TokenRewardLaw, n: number, options: SequenceLawOptions): LatticeKernel {
  const { maxSupport, maxWork } = limits(options);
  const K = law.values.length;
  const G = fineGridCount(law, n, options);
  require(G >=
    1, 'too-large', `the law of R for n = ${n} needs more than maxSupport = ${maxSupport} points or maxWork = ${maxWork}`);
  const span = law.rMax - law.rMin;
  const step = span / G;
  const indices = new Int32Array(K);
  for (let k = 0; k < K; k++) indices[k] = Math.round(((law.values[k] - law.rMin) / span) * G);
  const grid: Lattice = { offset: law.rMin, step, indices, span: G };
  return mergeKernel(grid, law.logMass, false, (n * step) / 2);
}

/** The fine lattice's bound n·h/2 for `law` at n (∞ when no grid fits the limits). */
export function fineLatticeBound(law: TokenRewardLaw, n: number, options: SequenceLawOptions): number {
  const G = fineGridCount(law, n, options);
  return G >= 1 ? (n * ((law.rMax - law.rMin) / G)) / 2 : Number.POSITIVE_INFINITY;
}

/**
 * Whether the law of R for (law, n, options) is computed by the Fourier method: 'fourier' forces
 * it (two values or more); 'auto' uses it for n ≥ FOURIER_MIN_LENGTH and at least
 * FOURIER_MIN_VALUES token values when the rewards are not on a lattice and types do not fit.
 */
export function fourierApplies(law: TokenRewardLaw, n: number, options: SequenceLawOptions): boolean {
  limits(options);
  if (law.values.length < 2) return false;
  const method = options.method ?? 'auto';
  if (method === 'fourier') return true;
  if (method === 'fine-lattice' || n < FOURIER_MIN_LENGTH || law.values.length < FOURIER_MIN_VALUES)
    return false;
  // A lattice law's characteristic function is periodic (|ϕ| returns to 1), so the Fourier
  // method has nothing to gain there: too large for the exact convolution, it keeps the fine grid.
  if (detectLatticeUnchecked(law.values) !== null) return false;
  return exactKernel(law, n, options, true) === undefined;
}

/** Merges kernel entries that share a lattice index (log-sum-exp of their masses). */
function mergeKernel(
  lattice: Lattice,
  logMass: Float64Array,
  exact: boolean,
  errorBound: number,
): LatticeKernel {
  const byIndex = new Map<number, number[]>();
  for (let k = 0; k < lattice.indices.length; k++) {
    const list = byIndex.get(lattice.indices[k]) ?? [];
    list.push(logMass[k]);
    byIndex.set(lattice.indices[k], list);
  }
  const keys = [...byIndex.keys()].sort((a, b) => a - b);
  return {
    lattice,
    offsets: Int32Array.from(keys),
    logMass: Float64Array.from(keys.map((i) => logSumExp(byIndex.get(i)!))),
    exact,
    errorBound,
  };
}

/** The value of lattice point i of R after n tokens: n·a + i·h. */
export function latticePointValue(lattice: Lattice, n: number, i: number): number {
  return n * lattice.offset + i * lattice.step;
}

export function buildSequenceRewardLaw(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions,
): SequenceRewardLaw {
  requireLength(n);
  limits(options);
  if (law.values.length === 1) {
    // One value: R = n·v surely, whatever n (no convolution of 10⁹ trivial steps).
    const only = Float64Array.of(n * law.values[0]);
    const lattice: Lattice = { offset: law.values[0], step: 1, indices: new Int32Array(1), span: 0 };
    return assemble(n, only, Float64Array.of(0), 'lattice', true, 0, lattice);
  }
  if (fourierApplies(law, n, options)) return fourierSequenceLaw(law, n, options);
  const kernel = latticeKernel(law, n, options, true);
  if (kernel === null) {
    const { values, logMass } = lawByTypes(law, n);
    return assemble(n, values, logMass, 'types', true, 0, null);
  }
  const conv = new LatticeConvolver(kernel.offsets, kernel.logMass, n);
  for (let m = 0; m < n; m++) conv.step();
  const { values, logMass } = collectPoints(conv, kernel.lattice, n);
  return assemble(
    n,
    values,
    logMass,
    kernel.exact ? 'lattice' : 'fine-lattice',
    kernel.exact,
    kernel.errorBound,
    kernel.lattice,
  );
}

/** The reachable points of a convolver's current window as (x_j, log w_j), ascending. */
export function collectPoints(
  conv: LatticeConvolver,
  lattice: Lattice,
  n: number,
): { values: number[]; logMass: number[] } {
  const values: number[] = [];
  const logMass: number[] = [];
  chargeWork(conv.hi - conv.lo + 1);
  for (let i = conv.lo; i <= conv.hi; i++) {
    const lw = conv.logMassAt(i);
    if (lw === Number.NEGATIVE_INFINITY) continue;
    values.push(latticePointValue(lattice, n, i));
    logMass.push(lw);
  }
  return { values, logMass };
}

/**
 * The law from its points: the four columns share one allocation (views of one buffer), since
 * every typed array beyond 64 bytes lives outside the JS heap and costs microseconds to create.
 */
export function assemble(
  n: number,
  values: ArrayLike<number>,
  logMass: ArrayLike<number>,
  method: SequenceLawMethod,
  exact: boolean,
  errorBound: number,
  lattice: Lattice | null,
): SequenceRewardLaw {
  const L = values.length;
  chargeWork(3 * L);
  const columns = new Float64Array(4 * L);
  const x = columns.subarray(0, L);
  const w = columns.subarray(L, 2 * L);
  x.set(values);
  w.set(logMass);
  const mean = new NeumaierSum();
  for (let j = 0; j < L; j++) mean.add(Math.exp(w[j]) * x[j]);
  return {
    n,
    values: x,
    logMass: w,
    logUpper: logCumulativeInto(w, true, columns.subarray(2 * L, 3 * L)),
    logLower: logCumulativeInto(w, false, columns.subarray(3 * L)),
    method,
    exact,
    errorBound,
    lattice,
    mean: mean.value,
  };
}

/**
 * The law of R where the Fourier method applies. Best-of-N, the tails and the equivalence series
 * read the Fourier engine attached to it (`engineOf`), with their own stated bounds
 * (math-continuous.md). Consumers of the whole law (its levels: the chart of R, the methods of
 * issue 11, …) get the fine lattice, computed when a column is first read, exactly as before: its
 * `method`, `exact` and `errorBound` (n·h/2, a sure bound per sequence) are the fine lattice's.
 */
export function fourierSequenceLaw(
  law: TokenRewardLaw,
  n: number,
  options: SequenceLawOptions,
): SequenceRewardLaw {
  const engine = fourierEngine(law, n, options);
  const out = new FourierSequenceLaw(n, () =>
    buildSequenceRewardLaw(law, n, { ...options, method: 'fine-lattice' }),
  );
  attachEngine(out, engine);
  return out;
}

/**
 * The number of levels of a law of R without building them: +∞ for a 'fourier' law (its levels,
 * the fine lattice's, are computed only when read; a curve over many N need not read them).
 */
export function levelCountHint(law: SequenceRewardLaw): number {
  return law instanceof FourierSequenceLaw ? Number.POSITIVE_INFINITY : law.values.length;
}

/** A law of R with a Fourier engine attached; its levels are the fine lattice's (see above). */
class FourierSequenceLaw implements SequenceRewardLaw {
  private computed: SequenceRewardLaw | null = null;

  constructor(
    readonly n: number,
    private readonly compute: () => SequenceRewardLaw,
  ) {}

  private get full(): SequenceRewardLaw {
    if (this.computed === null) this.computed = this.compute();
    return this.computed;
  }

  get method(): SequenceLawMethod {
    return this.full.method;
  }
  get exact(): boolean {
    return this.full.exact;
  }
  get lattice(): Lattice | null {
    return this.full.lattice;
  }
  get values(): Float64Array {
    return this.full.values;
  }
  get logMass(): Float64Array {
    return this.full.logMass;
  }
  get logUpper(): Float64Array {
    return this.full.logUpper;
  }
  get logLower(): Float64Array {
    return this.full.logLower;
  }
  get mean(): number {
    return this.full.mean;
  }
  get errorBound(): number {
    return this.full.errorBound;
  }
}
