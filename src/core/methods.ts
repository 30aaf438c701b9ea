/**
 * Alignment methods side by side (math.md §8, math-methods.md): soft best-of-N, blockwise
 * best-of-N, rejection sampling and the win-rate frontier, next to best-of-N and KL-RL, each
 * reporting E R, KL(·‖pⁿ), the KL to a tilt, the win rate against pⁿ and the tokens it samples.
 * Everything is a sum over the exact law of R (levelPolicy.ts), computed once per query.
 *
 * `klToTilt` is KL(·‖φ_λⁿ) with the method's own λ for soft best-of-N, and for every other method
 * with the λ of the KL-RL tilt that has the method's KL — by the stability identity (3.8) that is
 * λ·(F(KL) − E R): how far the method is from the optimal policy at its own KL.
 *
 * The base model enters only through its law of R and its KL-RL tilt φ_λ (`MethodBase`): a token
 * law (φ_λⁿ, here) or a Markov chain (markovMethods.ts: the chain's law of R and its φ_λ). Every
 * method but blockwise best-of-N is a level policy, so the same sums serve both.
 */
import {
  type BonSize,
  bestOfNFromLaw,
  type ComparisonTilt,
  type ParsedSize,
  parseBonSize,
} from './bestOfN.js';
import { blockBestOfNUnchecked, blockLaws } from './blockBestOfN.js';
import { type FrontierPoint, frontierUnchecked } from './frontier.js';
import {
  lambdaForBudgetUnchecked,
  maxKLPerToken,
  requireSequenceLength,
  tiltAtLambdaUnchecked,
} from './klrl.js';
import {
  type LevelPolicySummary,
  levelPolicyKLToTilt,
  summariseLevelPolicy,
  summariseNormalised,
  tiltLogRatios,
} from './levelPolicy.js';
import { klTerm, requireTilt } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import { type RejectionTarget, rejectionLevel, rejectionLogRatios } from './rejection.js';
import { CoreFailure, guard, type Result } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import {
  buildSequenceRewardLaw,
  type SequenceLawMethod,
  type SequenceLawOptions,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { type SoftBonRoute, softBestOfNLevels } from './softBestOfN.js';
import { winRateFrontierAt, winRateFrontierCurve } from './winRateFrontier.js';
import { chargeWork } from './workBudget.js';

/** One method's numbers (math.md (8.2)–(8.5)). */
export interface MethodPoint {
  /** E R. */
  readonly reward: number;
  /** KL(·‖pⁿ). */
  readonly kl: number;
  /** KL(·‖φ_λⁿ): see the module comment (+∞ when the tilt has λ = ∞ and the method is not on the top). */
  readonly klToTilt: number;
  /** The win rate W against pⁿ and 1 − W, each summed directly. */
  readonly winRate: number;
  readonly lossRate: number;
  /** The expected number of tokens sampled per output (+∞ beyond the largest double). */
  readonly tokens: number;
}

export interface TiltPoint extends MethodPoint {
  /** λ of the KL-RL tilt φ_λⁿ (∞ at a budget that does not bind). */
  readonly lambda: number;
}

export interface BonPoint extends MethodPoint {
  readonly logN: number;
}

/**
 * What the methods need of the base model besides its law of R: its KL-RL tilt φ_λ — λ for a
 * budget, E_{φ_λ} R and KL(φ_λ‖p), the terms of KL(·‖φ_λ), the maximum KL, the frontier.
 */
export interface MethodBase {
  readonly n: number;
  /** The comparison tilt: the token law itself, or a chain's E_{φ_λ} R and KL(φ_λ‖p). */
  readonly tilt: TokenRewardLaw | ComparisonTilt;
  /** −log p(S*), the largest useful KL. */
  maxKL(): number;
  /** λ ∈ [0, ∞] of the KL-RL tilt with KL Δ (∞ at Δ ≥ the maximum KL). */
  lambdaForBudget(delta: number): number;
  /** E_{φ_λ} R and KL(φ_λ‖p) at λ ∈ [0, ∞]. */
  tiltAt(lambda: number): { readonly reward: number; readonly kl: number };
  /** The KL–reward frontier on `steps` points of KL from 0 to `deltaTo`. */
  frontier(steps: number, deltaTo: number): readonly FrontierPoint[];
}

/** The base of a memoryless model: φ_λⁿ from the token law (klrl.ts, frontier.ts). */
export function memorylessBase(law: TokenRewardLaw, n: number): MethodBase {
  return {
    n,
    tilt: law,
    maxKL: () => n * maxKLPerToken(law),
    lambdaForBudget: (delta) => lambdaForBudgetUnchecked(law, n, delta).lambda,
    tiltAt: (lambda) => tiltAtLambdaUnchecked(law, n, lambda),
    frontier: (steps, deltaTo) => frontierUnchecked(law, n, { steps, deltaTo }).points,
  };
}

/** The law of R these numbers were computed on. */
export interface LawInfo {
  readonly n: number;
  readonly method: SequenceLawMethod;
  readonly exact: boolean;
  /** 0 when exact; a sure bound on |R − R̃| otherwise (6.5). */
  readonly errorBound: number;
}

export interface MethodOptions extends SequenceLawOptions {
  /** The law of R for this token law, n and options, when the caller has it already. */
  readonly sequenceLaw?: SequenceRewardLaw;
}

function lawOf(law: TokenRewardLaw, n: number, options: MethodOptions): SequenceRewardLaw {
  requireSequenceLength(n);
  const shared = options.sequenceLaw;
  if (shared !== undefined && shared.n === n) return shared;
  return buildSequenceRewardLaw(law, n, options);
}

function info(seq: SequenceRewardLaw): LawInfo {
  return { n: seq.n, method: seq.method, exact: seq.exact, errorBound: seq.errorBound };
}

/** A level policy's point, with its KL to the tilt that has the same KL. */
function levelPoint(
  seq: SequenceRewardLaw,
  base: MethodBase,
  logRatio: ArrayLike<number>,
  tokens: number,
): MethodPoint {
  const s = summariseLevelPolicy(seq, logRatio);
  return pointWithSameKL(seq, base, s, s.logRatio, tokens);
}

function pointWithSameKL(
  seq: SequenceRewardLaw,
  base: MethodBase,
  s: LevelPolicySummary,
  ell: ArrayLike<number>,
  tokens: number,
): MethodPoint {
  const lambda = base.lambdaForBudget(s.kl);
  return {
    reward: s.reward,
    kl: s.kl,
    klToTilt: levelPolicyKLToTilt(seq, base.tilt, ell, lambda),
    winRate: s.winRate,
    lossRate: s.lossRate,
    tokens,
  };
}

/** KL-RL at λ ∈ [0, ∞]: E R = nA'(λ), KL = nD(λ), its win rate from the levels, n tokens. */
function tiltPoint(seq: SequenceRewardLaw, base: MethodBase, lambda: number): TiltPoint {
  const sol = base.tiltAt(lambda);
  const s = summariseLevelPolicy(seq, tiltLogRatios(seq, base.tilt, lambda));
  return {
    lambda,
    reward: sol.reward,
    kl: sol.kl,
    klToTilt: 0,
    winRate: s.winRate,
    lossRate: s.lossRate,
    tokens: seq.n,
  };
}

/** KL-RL at the budget Δ (the tilt with KL Δ, or the top-reward policy beyond the maximum KL). Internal. */
export function tiltAtBudget(seq: SequenceRewardLaw, base: MethodBase, delta: number): TiltPoint {
  return tiltPoint(seq, base, base.lambdaForBudget(delta));
}

export function bonPoint(seq: SequenceRewardLaw, base: MethodBase, size: ParsedSize): BonPoint {
  // best-of-N's own sums (exact 0 at N = 1), and its KL to the tilt with the same KL.
  const b = bestOfNFromLaw(seq, base.tilt, size);
  const lambda = base.lambdaForBudget(b.kl);
  return {
    reward: b.reward,
    kl: b.kl,
    klToTilt: levelPolicyKLToTilt(seq, base.tilt, b.logRatio, lambda),
    winRate: b.winRate,
    lossRate: b.lossRate,
    tokens: bonTokens(size, seq.n),
    logN: size.logN,
  };
}

/**
 * The win rate of KL-RL's φ_λⁿ against pⁿ (λ ∈ [0, ∞]) from the law of R, and the law's
 * exactness. Errors: λ NaN or negative, the law's limits.
 */
export function tiltWinRate(
  law: TokenRewardLaw,
  n: number,
  lambda: number,
  options: MethodOptions = {},
): Result<{ readonly winRate: number; readonly lossRate: number } & LawInfo> {
  return guard(() => {
    const seq = lawOf(law, n, options);
    const t = tiltPoint(seq, memorylessBase(law, n), lambda);
    return { ...info(seq), winRate: t.winRate, lossRate: t.lossRate };
  });
}

// ---- soft best-of-N ----------------------------------------------------------------------------

export interface SoftBonPoint extends MethodPoint {
  readonly logN: number;
  readonly lambda: number;
  /** Σ w g − 1 of the quadrature before normalisation (0 for the exact routes). */
  readonly massError: number;
  readonly route: SoftBonRoute;
}

export interface SoftBonComparison extends LawInfo {
  readonly N: number;
  readonly logN: number;
  readonly lambda: number;
  /** Soft best-of-N; klToTilt = KL(soft‖φ_λⁿ) at its own λ. */
  readonly soft: SoftBonPoint;
  /** Best-of-N with the same N (klToTilt at the tilt with its own KL). */
  readonly bon: BonPoint;
  /** φ_λⁿ itself, the limit N → ∞. */
  readonly tilt: TiltPoint;
}

function requireSoftLambda(lambda: number): void {
  requireTilt(lambda, 'λ');
  if (!(lambda >= 0))
    throw new CoreFailure('out-of-range', `λ = ${lambda} is negative; soft best-of-N needs λ ≥ 0`);
}

/** Soft best-of-N at (N, λ) on a law of R. */
export function softPoint(
  seq: SequenceRewardLaw,
  base: MethodBase,
  size: ParsedSize,
  lambda: number,
): SoftBonPoint {
  requireSoftLambda(lambda);
  const levels = softBestOfNLevels(seq, size.logN, size.logNm1, lambda);
  // pⁿ itself (N = 1, λ = 0, one level): g ≡ 1 exactly, no renormalisation noise.
  const s =
    levels.route === 'base'
      ? { ...summariseNormalised(seq, levels.logRatio), logRatio: levels.logRatio }
      : summariseLevelPolicy(seq, levels.logRatio);
  let klToTilt: number;
  if (levels.logRatioToTilt !== null && levels.logTiltMass !== null) {
    // KL(π‖φ) = Σ φ_j f(ρ_j): tiny when N is large, and summed without cancellation.
    const acc = new NeumaierSum();
    const rho = levels.logRatioToTilt;
    chargeWork(rho.length);
    for (let j = 0; j < rho.length; j++) {
      const lp = levels.logTiltMass[j];
      const r = rho[j];
      acc.add(r > -0.5 && r < 0.5 ? Math.exp(lp) * klTerm(r) : Math.exp(lp) + (r - 1) * Math.exp(lp + r));
    }
    klToTilt = Math.max(0, acc.value);
  } else klToTilt = levelPolicyKLToTilt(seq, base.tilt, s.logRatio, lambda);
  return {
    reward: s.reward,
    kl: s.kl,
    klToTilt,
    winRate: s.winRate,
    lossRate: s.lossRate,
    tokens: bonTokens(size, seq.n),
    logN: size.logN,
    lambda,
    massError: levels.massError,
    route: levels.route,
  };
}

/**
 * Soft best-of-N with N candidates at inverse temperature λ ∈ [0, ∞], next to best-of-N with the
 * same N and to φ_λⁿ. Errors: bad N, λ NaN or negative, those of the law of R.
 */
export function softBestOfN(
  law: TokenRewardLaw,
  n: number,
  size: BonSize,
  lambda: number,
  options: MethodOptions = {},
): Result<SoftBonComparison> {
  return guard(() => softBestOfNOn(lawOf(law, n, options), memorylessBase(law, n), size, lambda));
}

/** `softBestOfN` on a given law of R and base model. Internal (throws). */
export function softBestOfNOn(
  seq: SequenceRewardLaw,
  base: MethodBase,
  size: BonSize,
  lambda: number,
): SoftBonComparison {
  const parsed = parseBonSize(size);
  requireSoftLambda(lambda);
  return {
    ...info(seq),
    N: parsed.N,
    logN: parsed.logN,
    lambda,
    soft: softPoint(seq, base, parsed, lambda),
    bon: bonPoint(seq, base, parsed),
    tilt: tiltPoint(seq, base, lambda),
  };
}

// ---- blockwise best-of-N -----------------------------------------------------------------------

export interface BlockBonComparison extends LawInfo {
  readonly N: number;
  readonly logN: number;
  readonly block: number;
  readonly blocks: number;
  /** Blockwise best-of-N (klToTilt at the tilt with its own KL). */
  readonly blockwise: MethodPoint;
  /** Best-of-N over whole sequences with the same N. */
  readonly bon: BonPoint;
  /** KL-RL at the blockwise method's KL. */
  readonly tilt: TiltPoint;
}

function blockPoint(
  law: TokenRewardLaw,
  n: number,
  size: ParsedSize,
  block: number,
  options: MethodOptions,
  withTilt: boolean,
): { point: MethodPoint; laws: ReturnType<typeof blockLaws>; blocks: number } {
  const laws = blockLaws(law, n, block, options);
  const r = blockBestOfNUnchecked(law, laws, size);
  // Curves do not read the KL to the tilt (+∞ stands for "not computed" there).
  let klToTilt = Number.POSITIVE_INFINITY;
  if (withTilt) {
    const lambda = memorylessBase(law, n).lambdaForBudget(r.kl);
    if (lambda === Number.POSITIVE_INFINITY) {
      // φ_∞ⁿ lives on the top level; blockwise best-of-N has mass on every level for finite N.
      klToTilt = laws.full.values.length === 1 ? 0 : Number.POSITIVE_INFINITY;
    } else klToTilt = r.blocks * (bestOfNFromLaw(laws.block, law, size, lambda).klToTilt ?? 0);
  }
  return {
    point: {
      reward: r.reward,
      kl: r.kl,
      klToTilt,
      winRate: r.winRate,
      lossRate: r.lossRate,
      tokens: bonTokens(size, n),
    },
    laws,
    blocks: r.blocks,
  };
}

/**
 * Blockwise best-of-N with N candidates per block of b tokens (b divides n), next to best-of-N
 * with the same N and KL-RL at the same KL. Errors: b not a divisor of n, bad N, the law's limits.
 */
export function blockBestOfN(
  law: TokenRewardLaw,
  n: number,
  size: BonSize,
  block: number,
  options: MethodOptions = {},
): Result<BlockBonComparison> {
  return guard(() => {
    requireSequenceLength(n);
    const parsed = parseBonSize(size);
    const { point, laws, blocks } = blockPoint(law, n, parsed, block, options, true);
    const full = laws.full;
    const base = memorylessBase(law, n);
    return {
      ...info(full),
      N: parsed.N,
      logN: parsed.logN,
      block,
      blocks,
      blockwise: point,
      bon: bonPoint(full, base, parsed),
      tilt: tiltAtBudget(full, base, point.kl),
    };
  });
}

// ---- rejection sampling ------------------------------------------------------------------------

export interface RejectionComparison extends LawInfo {
  /** The smallest accepted value of R (a level of R). */
  readonly threshold: number;
  /** P(R ≥ threshold) and its log. */
  readonly accept: number;
  readonly logAccept: number;
  readonly rejection: MethodPoint;
  /** Best-of-N with N = 1/accept: the same expected number of draws. */
  readonly bon: BonPoint;
  /** KL-RL at the same KL. */
  readonly tilt: TiltPoint;
}

function rejectionPoint(
  seq: SequenceRewardLaw,
  base: MethodBase,
  target: RejectionTarget,
): { point: MethodPoint; threshold: number; logAccept: number } {
  const level = rejectionLevel(seq, target);
  const s = summariseLevelPolicy(seq, rejectionLogRatios(seq, level));
  // KL = −log P(R ≥ τ) exactly (the f-form sum agrees to rounding).
  const exact = { ...s, kl: Math.max(0, -level.logAccept) };
  return {
    point: pointWithSameKL(seq, base, exact, s.logRatio, tokensFromLog(Math.log(seq.n) - level.logAccept)),
    threshold: level.threshold,
    logAccept: level.logAccept,
  };
}

/**
 * Rejection sampling at a threshold, an acceptance probability or a KL budget (rejection.ts),
 * next to best-of-N with as many draws and KL-RL at the same KL.
 */
export function rejectionSampling(
  law: TokenRewardLaw,
  n: number,
  target: RejectionTarget,
  options: MethodOptions = {},
): Result<RejectionComparison> {
  return guard(() => rejectionSamplingOn(lawOf(law, n, options), memorylessBase(law, n), target));
}

/** `rejectionSampling` on a given law of R and base model. Internal (throws). */
export function rejectionSamplingOn(
  seq: SequenceRewardLaw,
  base: MethodBase,
  target: RejectionTarget,
): RejectionComparison {
  const r = rejectionPoint(seq, base, target);
  return {
    ...info(seq),
    threshold: r.threshold,
    accept: Math.exp(r.logAccept),
    logAccept: r.logAccept,
    rejection: r.point,
    bon: bonPoint(seq, base, parseBonSize({ logN: Math.max(0, -r.logAccept) })),
    tilt: tiltAtBudget(seq, base, r.point.kl),
  };
}

// ---- win rates at one KL -----------------------------------------------------------------------

export interface WinRateComparison extends LawInfo {
  readonly delta: number;
  /** The win-rate frontier at Δ: μ (∞: the top level only), KL, W, and the policy's E R. */
  readonly frontier: {
    readonly mu: number;
    readonly kl: number;
    readonly winRate: number;
    readonly lossRate: number;
    readonly reward: number;
  };
  readonly tilt: TiltPoint;
  /** Best-of-N with KL(BoN‖pⁿ) = Δ (logN = ∞ beyond the maximum KL: the top level). */
  readonly bon: BonPoint;
  /** Soft best-of-N at temperature λ with N such that its KL is Δ; null when nD(λ) ≤ Δ. */
  readonly soft: SoftBonPoint | null;
  readonly softLambda: number;
  /** Rejection at the highest threshold with KL ≤ Δ. */
  readonly rejection: MethodPoint & { readonly threshold: number; readonly accept: number };
}

/** log N ≥ 0 with kl(log N) = Δ for an increasing kl with kl(0) = 0 (∞ when never reached). */
function solveLogN(kl: (logN: number) => number, delta: number, supremum: number): number {
  if (!(delta > 0)) return 0;
  if (delta >= supremum * (1 - 1e-12)) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let flo = -delta;
  let hi = Math.max(1, delta);
  let fhi = kl(hi) - delta;
  while (fhi < 0) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    if (hi > 1e7) return Number.POSITIVE_INFINITY;
    fhi = kl(hi) - delta;
  }
  // Illinois (regula falsi with halving), bisection when the secant stalls.
  let side = 0;
  for (let iter = 0; iter < 200; iter++) {
    let t = (lo * fhi - hi * flo) / (fhi - flo);
    if (!(t > lo && t < hi) || iter % 8 === 7) t = 0.5 * (lo + hi);
    const ft = kl(t) - delta;
    if (Math.abs(ft) <= 1e-13 * delta || hi - lo <= 1e-14 * Math.max(1, hi)) return t;
    if (ft < 0) {
      lo = t;
      flo = ft;
      if (side === -1) fhi /= 2;
      side = -1;
    } else {
      hi = t;
      fhi = ft;
      if (side === 1) flo /= 2;
      side = 1;
    }
  }
  return 0.5 * (lo + hi);
}

function sizeOfLogN(logN: number): ParsedSize {
  return parseBonSize({ logN });
}

/**
 * The win-rate frontier at Δ and KL-RL, best-of-N, soft best-of-N and rejection sampling tuned to
 * the same KL. Soft best-of-N runs at λ = `softLambda` (default: the KL-RL λ of the budget 2Δ, i.e.
 * half the temperature of the optimal policy at 2Δ) with N solved for KL = Δ.
 */
export function winRateComparison(
  law: TokenRewardLaw,
  n: number,
  delta: number,
  softLambda: number | undefined,
  options: MethodOptions = {},
): Result<WinRateComparison> {
  return guard(() => {
    requireBudget(delta);
    return winRateComparisonOn(lawOf(law, n, options), memorylessBase(law, n), delta, softLambda);
  });
}

function requireBudget(delta: number): void {
  if (!(delta >= 0 && delta < Number.POSITIVE_INFINITY))
    throw new CoreFailure('out-of-range', `the KL budget Δ = ${delta} must be a finite number ≥ 0`);
}

/** `winRateComparison` on a given law of R and base model. Internal (throws). */
export function winRateComparisonOn(
  seq: SequenceRewardLaw,
  base: MethodBase,
  delta: number,
  softLambda: number | undefined,
): WinRateComparison {
  requireBudget(delta);
  const maxKL = base.maxKL();
  const w = winRateFrontierAt(seq, delta);
  const ws = summariseLevelPolicy(seq, w.logRatio);
  const tilt = tiltAtBudget(seq, base, delta);
  const bonLogN = solveLogN((t) => bestOfNFromLaw(seq, base.tilt, sizeOfLogN(t)).kl, delta, maxKL);
  const bon: BonPoint =
    bonLogN === Number.POSITIVE_INFINITY
      ? { ...levelPoint(seq, base, topOnly(seq), Number.POSITIVE_INFINITY), logN: Number.POSITIVE_INFINITY }
      : bonPoint(seq, base, sizeOfLogN(bonLogN));
  const lambdaS = softLambda ?? base.lambdaForBudget(Math.min(2 * delta, maxKL));
  requireSoftLambda(lambdaS);
  let soft: SoftBonPoint | null = null;
  const softMax = lambdaS === Number.POSITIVE_INFINITY ? maxKL : base.tiltAt(lambdaS).kl;
  const softLogN = solveLogN((t) => softPoint(seq, base, sizeOfLogN(t), lambdaS).kl, delta, softMax);
  if (softLogN < Number.POSITIVE_INFINITY) soft = softPoint(seq, base, sizeOfLogN(softLogN), lambdaS);
  const rej = rejectionPoint(seq, base, { delta });
  return {
    ...info(seq),
    delta,
    frontier: { mu: w.mu, kl: w.kl, winRate: w.winRate, lossRate: w.lossRate, reward: ws.reward },
    tilt,
    bon,
    soft,
    softLambda: lambdaS,
    rejection: { ...rej.point, threshold: rej.threshold, accept: Math.exp(rej.logAccept) },
  };
}

/** Level log-ratios of the policy on the top level of R only. */
function topOnly(seq: SequenceRewardLaw): Float64Array {
  const L = seq.values.length;
  const out = new Float64Array(L).fill(Number.NEGATIVE_INFINITY);
  out[L - 1] = -seq.logMass[L - 1];
  return out;
}

// ---- curves ------------------------------------------------------------------------------------

export interface CurvePoint {
  /** The method's parameter at this point: log N (best-of-N kinds), the threshold (rejection), λ (KL-RL), μ (win-rate frontier). */
  readonly parameter: number;
  readonly kl: number;
  readonly reward: number;
  readonly winRate: number;
  readonly lossRate: number;
  /** Expected tokens sampled per output (+∞ beyond the largest double). */
  readonly tokens: number;
}

export interface MethodCurves extends LawInfo {
  readonly softLambda: number;
  readonly block: number;
  readonly bon: CurvePoint[];
  readonly soft: CurvePoint[];
  readonly blockwise: CurvePoint[];
  readonly rejection: CurvePoint[];
  /** The KL–reward frontier (KL-RL), with the win rates of its policies. */
  readonly tilt: CurvePoint[];
  /** The win-rate frontier (reward: NaN-free, the E R of its policies). */
  readonly winRateFrontier: CurvePoint[];
}

export interface CurveOptions {
  /** log N of the first and last points (geometric in N), 0 ≤ from ≤ to. */
  readonly logNFrom: number;
  readonly logNTo: number;
  /** Points per method, 2..1000. */
  readonly steps: number;
  /** Soft best-of-N's λ (default: the KL-RL λ at Δ = log N_max). */
  readonly softLambda?: number;
  /** Blockwise best-of-N's block (default: the largest divisor of n that is ≤ n/4, 1 for n < 4). */
  readonly block?: number;
}

/** The largest divisor of n that is at most n/4 (1 when n < 4). */
export function defaultBlock(n: number): number {
  for (let b = Math.floor(n / 4); b >= 2; b--) if (n % b === 0) return b;
  return 1;
}

/**
 * Every method across its parameter, for the (KL, E R), (KL, W) and (tokens, E R) planes: best-of-N,
 * soft and blockwise best-of-N on `steps` values of N geometric from e^{logNFrom} to e^{logNTo};
 * rejection at up to `steps` thresholds with acceptance ≥ 1/N_max (spread evenly in KL); the
 * KL-RL frontier and the win-rate frontier over KL from 0 to the largest KL of the methods.
 */
export function methodCurves(
  law: TokenRewardLaw,
  n: number,
  curve: CurveOptions,
  options: MethodOptions = {},
): Result<MethodCurves> {
  return guard(() => {
    requireCurve(curve);
    const seq = lawOf(law, n, options);
    const block = curve.block ?? defaultBlock(n);
    return methodCurvesOn(
      seq,
      memorylessBase(law, n),
      curve,
      block,
      (size) => blockPoint(law, n, size, block, { ...options, sequenceLaw: seq }, false).point,
    );
  });
}

function requireCurve(curve: CurveOptions): void {
  const { logNFrom, logNTo, steps } = curve;
  if (!(logNFrom >= 0 && logNTo >= logNFrom && Number.isFinite(logNTo)))
    throw new CoreFailure(
      'out-of-range',
      `the range of log N ${logNFrom}..${logNTo} must satisfy 0 ≤ from ≤ to`,
    );
  if (!(Number.isInteger(steps) && steps >= 2 && steps <= 1000))
    throw new CoreFailure('out-of-range', `steps = ${steps} is not a whole number in 2..1000`);
}

/**
 * `methodCurves` on a given law of R and base model; `blockwise(size)` is blockwise best-of-N's
 * point at N (its klToTilt is not read), or null for no blockwise curve. Internal (throws).
 */
export function methodCurvesOn(
  seq: SequenceRewardLaw,
  base: MethodBase,
  curve: CurveOptions,
  block: number,
  blockwise: ((size: ParsedSize) => MethodPoint) | null,
): MethodCurves {
  requireCurve(curve);
  const { logNFrom, logNTo, steps } = curve;
  const n = seq.n;
  const maxKL = base.maxKL();
  const softLambda = curve.softLambda ?? base.lambdaForBudget(Math.min(logNTo, maxKL));
  requireSoftLambda(softLambda);
  const logNs: number[] = [];
  for (let i = 0; i < steps; i++)
    logNs.push(i === steps - 1 ? logNTo : logNFrom + ((logNTo - logNFrom) * i) / (steps - 1));
  const bon: CurvePoint[] = [];
  const soft: CurvePoint[] = [];
  const blockCurve: CurvePoint[] = [];
  for (const t of logNs) {
    const size = sizeOfLogN(t);
    const b = bestOfNFromLaw(seq, base.tilt, size);
    bon.push({
      parameter: t,
      kl: b.kl,
      reward: b.reward,
      winRate: b.winRate,
      lossRate: b.lossRate,
      tokens: bonTokens(size, n),
    });
    const s = softPoint(seq, base, size, softLambda);
    soft.push({ parameter: t, ...rates(s), tokens: bonTokens(size, n) });
    if (blockwise !== null) {
      const k = blockwise(size);
      blockCurve.push({ parameter: t, ...rates(k), tokens: bonTokens(size, n) });
    }
  }
  // Rejection: levels with acceptance ≥ 1/N_max, `steps` targets evenly spread in KL.
  const rejection: CurvePoint[] = [];
  const klTop = Math.min(logNTo, maxKL);
  let last = -1;
  for (let i = 0; i < steps; i++) {
    const level = rejectionLevelForKL(seq, (klTop * i) / (steps - 1));
    if (level <= last) continue;
    last = level;
    const r = rejectionPoint(seq, base, { delta: -seq.logUpper[level] });
    rejection.push({ parameter: r.threshold, ...rates(r.point), tokens: r.point.tokens });
  }
  let klMax = 0;
  for (const c of [bon, soft, blockCurve, rejection]) for (const p of c) klMax = Math.max(klMax, p.kl);
  klMax = Math.min(klMax, maxKL);
  const tilt: CurvePoint[] = [];
  const winRateFrontier: CurvePoint[] = [];
  if (klMax > 0) {
    for (const p of base.frontier(steps, klMax)) {
      const s = summariseLevelPolicy(seq, tiltLogRatios(seq, base.tilt, p.lambda));
      tilt.push({ parameter: p.lambda, kl: p.kl, reward: p.reward, ...winOf(s), tokens: n });
    }
    for (const p of winRateFrontierCurve(seq, steps, klMax)) {
      const w = winRateFrontierAt(seq, p.kl);
      const ws = summariseNormalised(seq, normalised(seq, w.logRatio));
      winRateFrontier.push({
        parameter: p.mu,
        kl: p.kl,
        reward: ws.reward,
        ...winOf(p),
        tokens: n,
      });
    }
  } else {
    const base = summariseLevelPolicy(seq, new Float64Array(seq.values.length));
    tilt.push({ parameter: 0, kl: 0, reward: base.reward, ...winOf(base), tokens: n });
    winRateFrontier.push({
      parameter: 0,
      kl: 0,
      reward: base.reward,
      ...winOf(base),
      tokens: n,
    });
  }
  return {
    ...info(seq),
    softLambda,
    block,
    bon,
    soft,
    blockwise: blockCurve,
    rejection,
    tilt,
    winRateFrontier,
  };
}

function winOf(m: { winRate: number; lossRate: number }): { winRate: number; lossRate: number } {
  return { winRate: m.winRate, lossRate: m.lossRate };
}

function rates(m: MethodPoint): { kl: number; reward: number; winRate: number; lossRate: number } {
  return { kl: m.kl, reward: m.reward, winRate: m.winRate, lossRate: m.lossRate };
}

function normalised(seq: SequenceRewardLaw, logRatio: Float64Array): Float64Array {
  return summariseLevelPolicy(seq, logRatio).logRatio;
}

/** The highest level whose rejection KL −log P(R ≥ x_j) is at most Δ. */
function rejectionLevelForKL(seq: SequenceRewardLaw, delta: number): number {
  let j = 0;
  const L = seq.values.length;
  while (j + 1 < L && -seq.logUpper[j + 1] <= delta * (1 + 1e-13)) j++;
  return j;
}

/** N·n tokens for a best-of-N kind: exact for an N given as a number, +∞ beyond the double range. */
function bonTokens(size: ParsedSize, n: number): number {
  return size.N * n;
}

/** Tokens sampled from their logarithm: +∞ beyond the largest double (N = e^{1000}). */
export function tokensFromLog(logTokens: number): number {
  return logTokens < Math.log(Number.MAX_VALUE) ? Math.exp(logTokens) : Number.POSITIVE_INFINITY;
}
