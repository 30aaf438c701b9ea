/**
 * Best-of-N over sequences (math.md §6): draw N sequences from pⁿ, keep one with the largest R,
 * ties broken uniformly. N is any real ≥ 1, given as N or as log N (N = e^{1000} works).
 *
 *   P_BoN(R = x_j) = b_j = F_j^N − F_{j−1}^N        (level law, `bonLevels.ts`)
 *   BoN(y) = pⁿ(y) b_j / w_j for R(y) = x_j          (uniform tie-breaking)
 *   E_BoN R = Σ b_j x_j
 *   KL(BoN ‖ pⁿ) = Σ b_j log(b_j / w_j) ≤ log N − (N − 1)/N   (equality iff no ties)
 *   KL(BoN ‖ φ_λⁿ) = Σ b_j [log(b_j/w_j) − λ(x_j − n A'(λ)) − n D(λ)]
 * The last form is log(b_j / (w_j e^{λ x_j − n A(λ)})) rewritten with λx − nA = λ(x − nA') + nD,
 * which keeps the two large terms centred. λ = ∞ (φ = p restricted to M): the KL is +∞ as soon as
 * R has two values (b_j > 0 on every level for finite N), 0 for a one-value law.
 *
 * `bestOfNForLength` computes the law of R itself and, for large N, only the top levels: levels
 * with N·P(R ≥ x) ≥ 800 have F^N ≤ e^{−800}, so everything below the first such level carries
 * total BoN mass < 1e-340 and is left out (the cut is verified on the computed tail, not guessed).
 */
import {
  type BonLevelInput,
  type BonLevelParts,
  bonKLTerm,
  bonLevelParts,
  bonLevelPartsForSums,
  bonLogRatios,
  bonLogRatiosFromParts,
  bonSums,
  type TiltTerms,
  WinRateSums,
} from './bonLevels.js';
import { type BonSize, bonKLBound, type ParsedSize, parseBonSize } from './bonSize.js';
import { engineOf, type FourierEngine, fourierEngine, tryFourier } from './fourierLaw.js';
import { solveTiltForKL } from './klrl.js';
import { LatticeConvolver } from './latticeConvolution.js';
import { LogTailAccumulator, logCumulativeInto } from './logCumulative.js';
import { evaluateTilt, requireTilt } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import { CoreFailure, guard, type Result } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import {
  buildSequenceRewardLaw,
  fineLatticeBound,
  fourierApplies,
  type LatticeKernel,
  latticeKernel,
  latticePointValue,
  requireLength,
  type SequenceLawMethod,
  type SequenceLawOptions,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

export { type BonSize, bonKLBound, type ParsedSize, parseBonSize } from './bonSize.js';

/** Best-of-N's numbers without its per-level arrays (`bestOfNSummary`). */
export interface BestOfNSummary {
  readonly n: number;
  /** N (+∞ when e^{log N} exceeds the largest double). */
  readonly N: number;
  readonly logN: number;
  /** E_BoN R and E_BoN R / n. */
  readonly reward: number;
  readonly rewardPerToken: number;
  /** KL(BoN ‖ pⁿ) ≥ 0. */
  readonly kl: number;
  /** The win rate against pⁿ (math.md (8.5)) and 1 − W, each summed directly. */
  readonly winRate: number;
  readonly lossRate: number;
  /** log N − (N − 1)/N. */
  readonly klBound: number;
  /** λ of the comparison tilt and KL(BoN ‖ φ_λⁿ) (null when no λ was given). */
  readonly lambda: number | null;
  readonly klToTilt: number | null;
  readonly method: SequenceLawMethod;
  readonly exact: boolean;
  /**
   * 0 when exact; 'fine-lattice': every sequence reward is within ±errorBound of the grid's (so E R
   * is); 'fourier': a bound on |reported − exact| of E_BoN R itself (units of R).
   */
  readonly errorBound: number;
  /** 'fourier' only: bounds on |reported − exact| of KL(BoN‖pⁿ) and KL(BoN‖φ_λⁿ), in nats. */
  readonly klErrorBound?: number;
  readonly klToTiltErrorBound?: number | null;
}

export interface BestOfN extends BestOfNSummary {
  /** The levels x_j taken into account (all of them, or the top ones for large N). */
  readonly values: Float64Array;
  /** log b_j. */
  readonly logLevelMass: Float64Array;
  /** ℓ_j = log(b_j / w_j): log BoN(y) = log pⁿ(y) + ℓ_j for R(y) = x_j. */
  readonly logRatio: Float64Array;
}

export interface BonOptions extends SequenceLawOptions {
  /** Compare with φ_λⁿ (λ ∈ [0, ∞]). */
  readonly lambda?: number;
  /**
   * The law of R for this token law, n and options, when the caller has built it already (for a
   * curve over N, say): used wherever the whole law is needed, instead of building it again.
   * Huge N still takes the top-window path, which needs only the upper end of the law.
   */
  readonly sequenceLaw?: SequenceRewardLaw;
}

/** Best-of-N from a computed law of R (see the module comment). Errors: bad N, NaN λ, λ < 0. */
export function bestOfN(
  seqLaw: SequenceRewardLaw,
  law: TokenRewardLaw,
  size: BonSize,
  lambda?: number,
): Result<BestOfN> {
  return guard(() => bestOfNFromLaw(seqLaw, law, parseBonSize(size), lambda));
}

/** Best-of-N for length n, computing only the levels N needs (see the module comment). */
export function bestOfNForLength(
  law: TokenRewardLaw,
  n: number,
  size: BonSize,
  options: BonOptions = {},
): Result<BestOfN> {
  return guard(() => bestOfNForLengthUnchecked(law, n, parseBonSize(size), options));
}

function requireLambda(lambda: number | undefined): void {
  if (lambda === undefined) return;
  requireTilt(lambda, 'λ');
  if (!(lambda >= 0))
    throw new CoreFailure('out-of-range', `λ = ${lambda} is negative; the comparison tilt needs λ ≥ 0`);
}

export function bestOfNFromLaw(
  seqLaw: SequenceRewardLaw,
  law: TokenRewardLaw | ComparisonTilt,
  size: ParsedSize,
  lambda?: number,
): BestOfN {
  requireLambda(lambda);
  const engine = engineOf(seqLaw);
  if (engine !== undefined) return fourierBestOfN(engine, size, lambda);
  const { levels, parts } = levelsOfLaw(seqLaw, size);
  const single = seqLaw.values.length === 1;
  return summarise(seqLaw.n, seqLaw.values, levels, size, law, lambda, seqLaw, single, parts);
}

/**
 * Best-of-N by the Fourier method (fourierLaw.ts, math-continuous.md §6–§7): E_BoN R, both KLs and
 * their bounds; the per-level arrays are the quadrature's cells. Where its bound on E_BoN R would
 * exceed the fine lattice's n·h/2 (a law whose |ϕ|ⁿ does not decay: few values, small n), or under
 * 'auto' it runs out of its own work budget or has no finite result (`tryFourier`), the fine
 * lattice is used instead, so the answer is never less accurate than before.
 */
export function fourierBestOfN(engine: FourierEngine, size: ParsedSize, lambda: number | undefined): BestOfN {
  return (
    fourierBestOfNOrNull(engine, size, lambda) ??
    bestOfNForLengthUnchecked(engine.law, engine.n, size, {
      ...engine.options,
      method: 'fine-lattice',
      lambda,
    })
  );
}

/**
 * `fourierBestOfN`, or null where it would use the fine lattice (the caller has its own: a curve
 * reads the law's shared levels, a series its shared convolution). `shared`: one of many N of a
 * curve (tilts shared, `FourierEngine.bestOfN`).
 */
export function fourierBestOfNOrNull(
  engine: FourierEngine,
  size: ParsedSize,
  lambda: number | undefined,
  shared = false,
): BestOfN | null {
  const law = engine.law;
  const n = engine.n;
  const r = tryFourier(
    engine,
    () => engine.bestOfN(size, lambda, shared),
    (b) =>
      Number.isFinite(b.reward) &&
      Number.isFinite(b.rewardError) &&
      Number.isFinite(b.kl) &&
      Number.isFinite(b.klError) &&
      (b.klToTilt === null || !Number.isNaN(b.klToTilt)) &&
      (b.klToTiltError === null || !Number.isNaN(b.klToTiltError)),
  );
  const fine = fineLatticeBound(law, n, engine.options);
  if (r === null || (!(r.rewardError <= fine) && Number.isFinite(fine))) return null;
  const L = r.values.length;
  const logRatio = new Float64Array(L);
  for (let j = 0; j < L; j++) logRatio[j] = r.logLevelMass[j] - r.logMass[j];
  return {
    n,
    N: size.N,
    logN: size.logN,
    values: r.values,
    logLevelMass: r.logLevelMass,
    logRatio,
    reward: r.reward,
    rewardPerToken: r.reward / n,
    kl: r.kl,
    ...smoothedWinRates(size),
    klBound: bonKLBound(size.logN),
    lambda: lambda ?? null,
    klToTilt: r.klToTilt,
    method: 'fourier',
    exact: false,
    errorBound: r.rewardError,
    klErrorBound: r.klError,
    klToTiltErrorBound: r.klToTiltError,
  };
}

/**
 * The win rate of best-of-N against pⁿ for a law of R without atoms, which the Fourier method's
 * smoothed law R + εZ is: the best of N draws beats an (N+1)-th with probability N/(N+1), so
 * W = N/(N+1) and 1 − W = 1/(N+1) = e^{−log N − log(1 + 1/N)}. Exact for the smoothed law; for R
 * itself ties at the top add at most half their probability (math-continuous.md §7: no bound is
 * stated for it).
 */
function smoothedWinRates(size: ParsedSize): { winRate: number; lossRate: number } {
  const lossRate = Math.exp(-size.logN - Math.log1p(Math.exp(-size.logN)));
  return { winRate: 1 - lossRate, lossRate };
}

/**
 * The level inputs of a law of R and, for N > 1, their N-independent parts. They depend on the
 * law only: a curve of many N over one law (the preview's `bon.curve`) computes them once (laws
 * are never mutated).
 */
function levelsOfLaw(
  seqLaw: SequenceRewardLaw,
  size: ParsedSize,
): { levels: BonLevelInput; parts: BonLevelParts | null } {
  const L = seqLaw.values.length;
  let cached = LEVELS_OF_LAW.get(seqLaw);
  if (cached === undefined) {
    const logAbove = new Array<number>(L);
    for (let j = 0; j < L; j++) logAbove[j] = j + 1 < L ? seqLaw.logUpper[j + 1] : Number.NEGATIVE_INFINITY;
    cached = { levels: { logMass: seqLaw.logMass, logAbove, logCdf: seqLaw.logLower }, parts: null };
    LEVELS_OF_LAW.set(seqLaw, cached);
  }
  if (cached.parts === null && size.logNm1 !== Number.NEGATIVE_INFINITY)
    cached.parts = bonLevelParts(cached.levels);
  return cached;
}

const LEVELS_OF_LAW = new WeakMap<
  SequenceRewardLaw,
  { levels: BonLevelInput; parts: BonLevelParts | null }
>();

/**
 * `bestOfN` without the per-level arrays, for curves of many N over one law of R (the preview's
 * `bon.curve`): the same numbers, bit for bit (`bonSums` adds the same terms in the same order,
 * leaving out only levels whose b_j is exactly 0 — for large N most of the law). Errors: bad N,
 * NaN λ, λ < 0.
 */
export function bestOfNSummary(
  seqLaw: SequenceRewardLaw,
  law: TokenRewardLaw,
  size: BonSize,
  lambda?: number,
): Result<BestOfNSummary> {
  // A 'fourier' law: the engine, whose points share their grids and tilts (the bulk grid of the
  // largest N serves every smaller one; the top form's tilts lie on a ladder); where it would use
  // the fine lattice, the law's own levels (the fine lattice's, built once for the curve).
  return guard(() => {
    const parsed = parseBonSize(size);
    const engine = engineOf(seqLaw);
    if (engine !== undefined) {
      requireLambda(lambda);
      const b = fourierBestOfNOrNull(engine, parsed, lambda, true);
      if (b !== null) return summaryOf(b);
    }
    return bestOfNSummaryWithTilt(seqLaw, law, parsed, lambda);
  });
}

/** A best-of-N's numbers without its per-level arrays. */
function summaryOf(b: BestOfN): BestOfNSummary {
  const { values: _v, logLevelMass: _l, logRatio: _r, ...numbers } = b;
  return numbers;
}

/**
 * Best-of-N from a computed law of R, compared with a given tilt (a Markov chain's φ_λ): the
 * numbers of `bestOfN`. Internal (throws).
 */
export function bestOfNWithTilt(
  seqLaw: SequenceRewardLaw,
  tilt: ComparisonTilt,
  size: ParsedSize,
  lambda?: number,
): BestOfN {
  requireLambda(lambda);
  const { levels, parts } = levelsOfLaw(seqLaw, size);
  return summarise(
    seqLaw.n,
    seqLaw.values,
    levels,
    size,
    tilt,
    lambda,
    seqLaw,
    seqLaw.values.length === 1,
    parts,
  );
}

/** `bestOfNSummary` compared with a token law's tilt or a given one (a chain's). Internal (throws). */
export function bestOfNSummaryWithTilt(
  seqLaw: SequenceRewardLaw,
  tilt: TokenRewardLaw | ComparisonTilt,
  size: ParsedSize,
  lambda?: number,
): BestOfNSummary {
  requireLambda(lambda);
  const { levels, parts } = levelsOfLaw(seqLaw, size);
  return summariseSums(
    seqLaw.n,
    seqLaw.values,
    levels,
    size,
    tilt,
    lambda,
    seqLaw,
    seqLaw.values.length === 1,
    parts,
  );
}

/**
 * Best-of-N from the top levels of a law of R, gathered from the top (`values`, `logMass`
 * ascending, ending at the largest value), with the cut of (6.13) verified on the way: null when
 * the levels end before N·P(R ≥ x) reaches 800 and `complete` is false (the caller widens its
 * window). `complete`: the levels are the whole law (the lower tail is then summed directly).
 * Internal (throws).
 */
export function bestOfNFromTopLevels(
  n: number,
  values: readonly number[],
  logMass: readonly number[],
  complete: boolean,
  size: ParsedSize,
  tilt: ComparisonTilt,
  lambda: number | undefined,
  meta: LawMeta,
): BestOfN | null {
  requireLambda(lambda);
  const useCut = size.logN >= LOG_CUT;
  const acc = new LogTailAccumulator();
  const L = values.length;
  chargeWork(L);
  let first = 0;
  const logUpper = new Array<number>(L);
  let cut = false;
  for (let j = L - 1; j >= 0; j--) {
    logUpper[j] = acc.add(logMass[j]);
    if (useCut && size.logN + logUpper[j] >= LOG_CUT) {
      first = j;
      cut = true;
      break;
    }
  }
  if (!cut && !complete) return null;
  const vs = values.slice(first);
  const lm = logMass.slice(first);
  const lu = logUpper.slice(first);
  const M = vs.length;
  const logAbove = new Array<number>(M);
  for (let j = 0; j < M; j++) logAbove[j] = j + 1 < M ? lu[j + 1] : Number.NEGATIVE_INFINITY;
  const logCdf = cut ? null : logCumulativeInto(lm, false, new Array<number>(M));
  return summarise(
    n,
    Float64Array.from(vs),
    { logMass: lm, logAbove, logCdf },
    size,
    tilt,
    lambda,
    meta,
    M === 1 && !cut,
  );
}

/** BoN needs the levels with N·P(R ≥ x) below this (F^N ≤ e^{−800} below it). */
const LOG_CUT = Math.log(800);

export function bestOfNForLengthUnchecked(
  law: TokenRewardLaw,
  n: number,
  size: ParsedSize,
  options: BonOptions,
): BestOfN {
  requireLength(n);
  requireLambda(options.lambda);
  const given = options.sequenceLaw === undefined ? undefined : engineOf(options.sequenceLaw);
  if (given !== undefined) return fourierBestOfN(given, size, options.lambda);
  if (options.sequenceLaw === undefined && fourierApplies(law, n, options))
    return fourierBestOfN(fourierEngine(law, n, options), size, options.lambda);
  const full = () =>
    bestOfNFromLaw(options.sequenceLaw ?? buildSequenceRewardLaw(law, n, options), law, size, options.lambda);
  if (size.logN < LOG_CUT || law.values.length === 1) return full();
  const kernel = latticeKernel(law, n, options, true);
  if (kernel === null) return full();
  const span = n * kernel.lattice.span;
  let keep = initialWindow(law, n, size.logN, kernel.lattice.step, kernel.lattice.span);
  for (;;) {
    const conv = new LatticeConvolver(kernel.offsets, kernel.logMass, n, keep);
    for (let m = 0; m < n; m++) conv.step();
    const bon = bestOfNFromConvolver(conv, kernel, n, size, law, options.lambda);
    if (bon !== null) return bon;
    keep = Math.min(span, 2 * keep);
  }
}

/**
 * Best-of-N from a convolver that has done n steps: levels are gathered from the top, summing the
 * upper tail on the way, until N·P(R ≥ x) ≥ 800 (the verified cut). Returns null when the
 * convolver's window ends before the cut; with the whole law at hand, the full computation is used.
 */
export function bestOfNFromConvolver(
  conv: LatticeConvolver,
  kernel: LatticeKernel,
  n: number,
  size: ParsedSize,
  law: TokenRewardLaw,
  lambda: number | undefined,
): BestOfN | null {
  const top = topLevels(conv, kernel, n, size);
  return top && summarise(n, Float64Array.from(top.values), top.levels, size, law, lambda, top.meta, false);
}

/**
 * `bestOfNFromConvolver` without the per-level arrays (see `bestOfNSummary`), for series over many
 * lengths (equivalence.ts): the same numbers, and q_j, a_j, ℓ_j only where b_j is not exactly 0.
 */
export function bestOfNSummaryFromConvolver(
  conv: LatticeConvolver,
  kernel: LatticeKernel,
  n: number,
  size: ParsedSize,
  law: TokenRewardLaw,
  lambda: number | undefined,
): BestOfNSummary | null {
  const top = topLevels(conv, kernel, n, size);
  if (top === null) return null;
  const parts =
    size.logNm1 === Number.NEGATIVE_INFINITY ? null : bonLevelPartsForSums(top.levels, size.logNm1);
  return summariseSums(n, top.values, top.levels, size, law, lambda, top.meta, false, parts);
}

/**
 * The levels best-of-N needs from a convolver (see `bestOfNFromConvolver`); null: window too
 * short. In plain arrays: working data, rebuilt for every length of a series, where typed
 * arrays (outside the JS heap beyond 64 bytes) cost more to create than to fill.
 */
function topLevels(
  conv: LatticeConvolver,
  kernel: LatticeKernel,
  n: number,
  size: ParsedSize,
): { values: number[]; levels: BonLevelInput; meta: LawMeta } | null {
  const useCut = size.logN >= LOG_CUT;
  // At most the convolver's window (already paid for step by step); charged as a whole.
  chargeWork(conv.hi - conv.lo + 1);
  const acc = new LogTailAccumulator();
  const values: number[] = [];
  const logMass: number[] = [];
  const logUpper: number[] = [];
  let cut = false;
  for (let i = conv.hi; i >= conv.lo && !cut; i--) {
    const lw = conv.logMassAt(i);
    if (lw === Number.NEGATIVE_INFINITY) continue;
    const up = acc.add(lw);
    values.push(latticePointValue(kernel.lattice, n, i));
    logMass.push(lw);
    logUpper.push(up);
    cut = useCut && size.logN + up >= LOG_CUT;
  }
  values.reverse();
  logMass.reverse();
  logUpper.reverse();
  const method = kernel.exact ? 'lattice' : 'fine-lattice';
  if (!cut && conv.lo > 0) return null;
  const L = values.length;
  const logAbove = new Array<number>(L);
  for (let j = 0; j < L; j++) logAbove[j] = j + 1 < L ? logUpper[j + 1] : Number.NEGATIVE_INFINITY;
  // The whole law is at hand when the cut was not reached: the lower tail is summed directly.
  const logCdf = cut ? null : logCumulativeInto(logMass, false, new Array<number>(L));
  const meta = { method, exact: kernel.exact, errorBound: kernel.errorBound } as const;
  return { values, levels: { logMass, logAbove, logCdf }, meta };
}

/**
 * Lattice points below the top that the window should hold: down to n·A'(s) with
 * D(s) = (log N − log 800 − log n − 8)/n, i.e. where the Chernoff estimate of N·P(R ≥ x) is still
 * far above 800 (the slack covers the polynomial prefactor of the true tail), plus a margin.
 */
export function initialWindow(
  law: TokenRewardLaw,
  n: number,
  logN: number,
  step: number,
  spanPerToken: number,
): number {
  const span = n * spanPerToken;
  const margin = 4 * spanPerToken + 32;
  const d = (logN - LOG_CUT - Math.log(n) - 8) / n;
  const dMax = law.values.length === 1 ? 0 : -law.logMassMax;
  if (!(d > 0)) return span;
  if (d >= dMax) return Math.min(span, margin);
  const mean = solveTiltForKL(law, d).mean;
  return Math.min(span, Math.ceil((n * (law.rMax - mean)) / step) + margin);
}

export interface LawMeta {
  readonly method: SequenceLawMethod;
  readonly exact: boolean;
  readonly errorBound: number;
}

/**
 * The model best-of-N is compared with: the terms of KL(BoN ‖ φ_λ) at a finite λ (the tilt's
 * mean n·A′(λ) and KL n·D(λ) for a memoryless law; E_φ R and KL(φ_λ‖p) for a Markov chain), and
 * whether R takes a single value (then KL to φ_∞ is 0).
 */
export interface ComparisonTilt {
  terms(lambda: number): TiltTerms;
  readonly single: boolean;
}

const lawTilts = new WeakMap<TokenRewardLaw, Map<number, ComparisonTilt>>();

/** The comparison tilt of a memoryless law at length n (cached per law and n). */
function lawTilt(law: TokenRewardLaw, n: number): ComparisonTilt {
  let byN = lawTilts.get(law);
  if (byN === undefined) {
    byN = new Map();
    lawTilts.set(law, byN);
  }
  let t = byN.get(n);
  if (t === undefined) {
    t = { terms: (lambda) => tiltTerms(law, n, lambda), single: law.values.length === 1 };
    byN.set(n, t);
  }
  return t;
}

function summarise(
  n: number,
  values: Float64Array,
  levels: BonLevelInput,
  size: ParsedSize,
  law: TokenRewardLaw | ComparisonTilt,
  lambda: number | undefined,
  meta: LawMeta,
  singleValue: boolean,
  parts: BonLevelParts | null = null,
): BestOfN {
  const tilt = 'terms' in law ? law : lawTilt(law, n);
  const logMass = levels.logMass;
  const logRatio =
    parts === null
      ? bonLogRatios(levels, size.logN, size.logNm1)
      : bonLogRatiosFromParts(parts, size.logN, size.logNm1);
  const L = values.length;
  chargeWork(2 * L);
  const logLevelMass = new Float64Array(L);
  const levelMass = new Array<number>(L); // working data: a plain array (see `topLevels`)
  const reward = new NeumaierSum();
  const kl = new NeumaierSum();
  const win = new WinRateSums(levels);
  // Below N = 2 the KL is summed in the form Σ w f(ℓ) (see `bonKLTerm`).
  const nearOne = size.logN < Math.LN2;
  for (let j = 0; j < L; j++) {
    const lb = logRatio[j] + logMass[j];
    logLevelMass[j] = lb;
    const b = Math.exp(lb);
    levelMass[j] = b;
    if (b === 0) continue; // also avoids 0·(−∞)
    reward.add(b * values[j]);
    kl.add(bonKLTerm(nearOne, logMass[j], logRatio[j], b));
    win.add(j, lb);
  }
  let klToTilt: number | null = null;
  if (lambda !== undefined) {
    if (lambda === Number.POSITIVE_INFINITY) klToTilt = singleValue || tilt.single ? 0 : lambda;
    else {
      const { centre, nD } = tilt.terms(lambda);
      const acc = new NeumaierSum();
      for (let j = 0; j < L; j++) {
        const b = levelMass[j];
        if (b === 0) continue;
        acc.add(b * (logRatio[j] - lambda * (values[j] - centre) - nD));
      }
      klToTilt = Math.max(0, acc.value);
    }
  }
  const rewardValue = reward.value;
  return {
    n,
    N: size.N,
    logN: size.logN,
    values,
    logLevelMass,
    logRatio,
    reward: rewardValue,
    rewardPerToken: rewardValue / n,
    kl: Math.max(0, kl.value),
    ...win.rates(),
    klBound: bonKLBound(size.logN),
    lambda: lambda ?? null,
    klToTilt,
    method: meta.method,
    exact: meta.exact,
    errorBound: meta.errorBound,
  };
}

/** The comparison tilt φ_λⁿ's terms of KL(BoN ‖ φ_λⁿ), λ finite (see the module comment). */
function tiltTerms(law: TokenRewardLaw, n: number, lambda: number): TiltTerms {
  const st = evaluateTilt(law, lambda).stats;
  return { lambda, centre: n * st.mean, nD: n * st.kl };
}

/** `summarise` without the per-level arrays: the same sums (`bonSums`), the same numbers. */
function summariseSums(
  n: number,
  values: ArrayLike<number>,
  levels: BonLevelInput,
  size: ParsedSize,
  law: TokenRewardLaw | ComparisonTilt,
  lambda: number | undefined,
  meta: LawMeta,
  singleValue: boolean,
  parts: BonLevelParts | null,
): BestOfNSummary {
  const source = 'terms' in law ? law : lawTilt(law, n);
  const finiteTilt = lambda !== undefined && lambda !== Number.POSITIVE_INFINITY;
  const tilt = finiteTilt ? source.terms(lambda) : null;
  const sums = bonSums(parts, values, levels, size.logN, size.logNm1, tilt);
  let klToTilt: number | null = null;
  if (lambda === Number.POSITIVE_INFINITY) klToTilt = singleValue || source.single ? 0 : lambda;
  else if (finiteTilt) klToTilt = Math.max(0, sums.klToTilt);
  return {
    n,
    N: size.N,
    logN: size.logN,
    reward: sums.reward,
    rewardPerToken: sums.reward / n,
    kl: Math.max(0, sums.kl),
    winRate: sums.winRate,
    lossRate: sums.lossRate,
    klBound: bonKLBound(size.logN),
    lambda: lambda ?? null,
    klToTilt,
    method: meta.method,
    exact: meta.exact,
    errorBound: meta.errorBound,
  };
}
