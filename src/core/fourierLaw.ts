/**
 * The law of R for arbitrary real rewards by Fourier inversion of its exact characteristic
 * function, and the quantities built on it with rigorous error bounds (math-continuous.md).
 *
 * R_ε = R + εZ (Z standard normal, independent) has the absolutely integrable characteristic
 * function ψ(ω)e^{−ε²ω²/2}, ψ = ϕⁿ exact (no rounding of rewards). Its distribution function,
 * density and exponentially tilted tails are inverted on grids (fourierInversion.ts) with bounds on
 * every value; R itself is then bracketed pointwise: |P(R ≤ x) − P(R_ε ≤ x)| ≤ √(π/2)·ε·f_ε(x)
 * (C.2). From these brackets:
 *  - best-of-N: E_BoN R by quadrature of ∫(F − F^N) (N < 800, no tilt) or of ∫(1 − F^N) over the
 *    top of the law (N ≥ 800, tilted at λ with nD(λ) = log N), each with the quadrature error, the
 *    numerical errors and the smoothing error bounded (§6);
 *  - KL(BoN‖pⁿ) = log N − (N−1)/N − Gap with 0 ≤ Gap ≤ a bound from the largest atoms of R (§7);
 *  - KL(BoN‖φ_λⁿ) = KL(BoN‖pⁿ) − λ(E_BoN R − nA'(λ)) − nD(λ);
 *  - tail probabilities P(R ≥ x), P(R ≤ x), tilted at the saddle point, with a relative bracket and
 *    the level shift that brackets them like the fine lattice's (§8).
 */

import { logNegLog1mExp } from './bonLevels.js';
import { bonKLBound, type ParsedSize } from './bonSize.js';
import { gridLength, type InversionGrid, invert, PointInverter } from './fourierInversion.js';
import { TiltSpectrum, tiltStatsOf } from './fourierSpectrum.js';
import { solveTiltForKL } from './klrl.js';
import { cramerPoint } from './largeDeviations.js';
import { log1mExp, NeumaierSum } from './logspace.js';
import { CoreFailure } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { chargeWork, checkWorkBudget, withWorkBudget } from './workBudget.js';

const U = 2 ** -53;
/** β/ε in |F − F_ε| ≤ β f_ε (C.2). */
const BETA = Math.sqrt(Math.PI / 2);

/** Default accuracy up to n = ACCURACY_LENGTH: the stated error bound aimed at, relative to sd(R). */
export const DEFAULT_FOURIER_ACCURACY = 1e-6;
const ACCURACY_LENGTH = 64;

/**
 * The default accuracy at length n: 1e-6 up to n = 64, then 1e-6·√(n/64). sd(R) grows as √n, so
 * beyond n = 64 the bound aimed at on the reward per token, R/n, stays what it is at n = 64
 * (1e-6·sd(r)/8), while the cost of a bound relative to sd(R) grows with n: at n = 1024 this
 * aims at 4e-6·sd(R) and takes about half the time that 1e-6·sd(R) does.
 */
export function defaultFourierAccuracy(n: number): number {
  return n <= ACCURACY_LENGTH
    ? DEFAULT_FOURIER_ACCURACY
    : DEFAULT_FOURIER_ACCURACY * Math.sqrt(n / ACCURACY_LENGTH);
}

/** Shares of the error budget: smoothing, quadrature, window tails. */
const SMOOTH_SHARE = 0.7;
const QUAD_SHARE = 0.2;
const TAIL_SHARE = 0.005;
/** Largest inversion grid (points). */
const MAX_GRID = 1 << 21;
/**
 * Shared evaluations (a bon curve's many N, a rate's many levels) use tilts on a ladder of step
 * TILT_STEP/sd(R) and periods rounded up to sd·2^k, so that they meet on a few spectra and
 * prepared frequency sets (math-continuous.md §10).
 */
const TILT_STEP = 2;

/** s rounded to the tilt ladder, away from 0 (the sign of the kernel is kept). */
function ladderTilt(s: number, sd: number): number {
  if (s === 0) return 0;
  const k = Math.max(1, Math.round((Math.abs(s) * sd) / TILT_STEP));
  return (Math.sign(s) * k * TILT_STEP) / sd;
}

/** The period P rounded up to sd·2^k (shared prepared frequencies). */
function ladderPeriod(P: number, sd: number): number {
  return sd * 2 ** Math.ceil(Math.log2(P / sd));
}

/** Best-of-N by the Fourier method: the numbers and their bounds. */
export interface FourierBon {
  readonly reward: number;
  /** Bound on |reported − exact| of E_BoN R (units of R). */
  readonly rewardError: number;
  readonly kl: number;
  readonly klError: number;
  /** KL(BoN‖φ_λⁿ) and its bound (null without λ). */
  readonly klToTilt: number | null;
  readonly klToTiltError: number | null;
  /** The cells of the quadrature (for the per-level arrays): midpoints, log b, log w. */
  readonly values: Float64Array;
  readonly logLevelMass: Float64Array;
  readonly logMass: Float64Array;
  readonly smoothing: number;
}

export interface FourierTail {
  /** log of the reported probability (the computed P(R_ε ≥ x), resp. ≤). */
  readonly logProbability: number;
  /** A bound on |log P − log P̂| (∞ when the bracket includes 0). */
  readonly logError: number;
  /** The shift a (units of R): P(R ≥ x + a) ≤ P̂ ≤ P(R ≥ x − a) (resp. ≤); ∞ if none found. */
  readonly shift: number;
}

function logAbs(x: number): number {
  return x > 0 ? Math.log(x) : Number.NEGATIVE_INFINITY;
}

/** M·log(1 − e^{logG}) for M ≥ 0 (0 when M = 0), exact for tiny G. */
function powerLog(logM: number, logG: number): number {
  if (logM === Number.NEGATIVE_INFINITY || logG === Number.NEGATIVE_INFINITY) return 0;
  if (logG >= 0) return Number.NEGATIVE_INFINITY;
  return -Math.exp(logM + logNegLog1mExp(logG));
}

/** 1 − (1 − G)^N = −expm1(N log(1 − G)), G = e^{logG}. */
function oneMinusPower(logN: number, logG: number): number {
  return -Math.expm1(powerLog(logN, logG));
}

/** log of the number M = N − k for k = 0, 1, 2 given log N and log(N − 1) (−∞ when M ≤ 0). */
function logNMinus(size: ParsedSize, k: number): number {
  if (k === 0) return size.logN;
  if (k === 1) return size.logNm1;
  const m = size.N - 2;
  if (Number.isFinite(size.N)) return m > 0 ? Math.log(m) : Number.NEGATIVE_INFINITY;
  return size.logN + Math.log1p(-2 * Math.exp(-size.logN));
}

/** The options of the law of R that the engine keeps (for a fallback to the fine lattice). */
export interface EngineOptions {
  readonly maxSupport?: number;
  readonly maxWork?: number;
  readonly accuracy?: number;
  readonly method?: 'auto' | 'fourier' | 'fine-lattice';
}

/**
 * Work units the Fourier method may use under 'auto' before the fine lattice is used instead
 * (≈ 2 s; the 50,257-token model at n = 64 needs ≈ 1e8). Laws whose |ϕ|ⁿ decays slowly (a few
 * hundred values, n near 16) need far more and gain little over the fine lattice.
 */
export const FOURIER_AUTO_WORK = 2e8;

/**
 * Runs one Fourier computation. Under 'auto' it has a work budget of its own (FOURIER_AUTO_WORK)
 * and returns null — use the fine lattice — when that runs out or the result is not `usable`
 * (not finite); forced ('fourier'), an unusable result is a `numerical-failure`.
 */
export function tryFourier<T>(
  engine: FourierEngine,
  compute: () => T,
  usable: (r: T) => boolean,
  maxUnits: number = FOURIER_AUTO_WORK,
): T | null {
  if (engine.options.method === 'fourier') {
    const r = compute();
    if (!usable(r))
      throw new CoreFailure(
        'numerical-failure',
        `the Fourier method gave no finite result with a finite bound for n = ${engine.n}`,
      );
    return r;
  }
  try {
    const r = withWorkBudget({ maxUnits: Math.min(maxUnits, FOURIER_AUTO_WORK) }, compute);
    return usable(r) ? r : null;
  } catch (e) {
    // Only the inner budget's own limit is caught: if the host's budget is spent too, its next
    // charge (in the fallback) says so.
    if (e instanceof CoreFailure && e.code === 'work-budget-exceeded') {
      checkWorkBudget();
      return null;
    }
    throw e;
  }
}

const ENGINES = new WeakMap<TokenRewardLaw, Map<string, FourierEngine>>();
const ATTACHED = new WeakMap<object, FourierEngine>();

/** The engine for (law, n, accuracy), shared by every caller with the same token-law object. */
export function fourierEngine(law: TokenRewardLaw, n: number, options: EngineOptions): FourierEngine {
  const accuracy = options.accuracy ?? defaultFourierAccuracy(n);
  let byKey = ENGINES.get(law);
  if (byKey === undefined) {
    byKey = new Map();
    ENGINES.set(law, byKey);
  }
  const key = `${n}/${accuracy}/${options.maxSupport ?? ''}/${options.maxWork ?? ''}/${options.method ?? ''}`;
  let e = byKey.get(key);
  if (e === undefined) {
    const kept: EngineOptions = {
      ...(options.maxSupport !== undefined ? { maxSupport: options.maxSupport } : {}),
      ...(options.maxWork !== undefined ? { maxWork: options.maxWork } : {}),
      ...(options.method !== undefined ? { method: options.method } : {}),
      accuracy,
    };
    e = new FourierEngine(law, n, accuracy, kept);
    byKey.set(key, e);
  }
  return e;
}

/** Marks a law of R as computed by `engine` (its best-of-N and tails then use the engine). */
export function attachEngine(seqLaw: object, engine: FourierEngine): void {
  ATTACHED.set(seqLaw, engine);
}

/** The engine behind a 'fourier' law of R (undefined for the other methods). */
export function engineOf(seqLaw: object): FourierEngine | undefined {
  return ATTACHED.get(seqLaw);
}

/**
 * One token law and length n: the spectra (per tilt) and the quantities. Internal; the sequence
 * functions reach it through `fourierEngine`.
 */
export class FourierEngine {
  readonly law: TokenRewardLaw;
  readonly n: number;
  readonly accuracy: number;
  readonly options: EngineOptions;
  /** Mean and variance of one token's reward (s = 0). */
  readonly mean: number;
  readonly variance: number;
  /** sd(R) = √(n·Var r). */
  readonly sd: number;
  /** The error budget (units of R) and the smoothing ε. */
  readonly target: number;
  readonly eps: number;
  private readonly spectra = new Map<number, TiltSpectrum>();

  constructor(
    law: TokenRewardLaw,
    n: number,
    accuracy: number = defaultFourierAccuracy(n),
    options: EngineOptions = {},
  ) {
    if (!(accuracy > 0 && accuracy < 1))
      throw new CoreFailure('invalid-argument', `accuracy = ${accuracy} must lie in (0, 1)`);
    this.options = options;
    this.law = law;
    this.n = n;
    this.accuracy = accuracy;
    const st = tiltStatsOf(law, 0);
    this.mean = st.mean;
    this.variance = st.variance;
    this.sd = Math.sqrt(n * st.variance);
    this.target = accuracy * this.sd;
    this.eps = (SMOOTH_SHARE * this.target) / BETA;
  }

  spectrum(s: number): TiltSpectrum {
    let sp = this.spectra.get(s);
    if (sp === undefined) {
      sp = new TiltSpectrum(this.law, this.n, s, { eps: this.eps });
      this.spectra.set(s, sp);
    }
    return sp;
  }

  /** log E e^{θ(R − nμ)} + θ²ε²/2: the Chernoff exponent of R_ε − nμ (and of R, without ε). */
  private logMgfCentred(theta: number, withEps: boolean): number {
    const a = tiltStatsOf(this.law, theta).logPartition;
    return this.n * (a - theta * this.mean) + (withEps ? (theta * theta * this.eps * this.eps) / 2 : 0);
  }

  /**
   * Chernoff bound on ∫_W^∞ P(R_ε − nμ ≥ x) dx (upper) or ∫_{−∞}^{−W} P(R_ε − nμ ≤ x) dx (lower),
   * W > 0: ≤ e^{Λ(±θ) − θW}/θ for every θ > 0; θ = W/sd² (the Gaussian optimum).
   */
  private tailIntegral(W: number, upper: boolean): number {
    const theta = Math.min(W / (this.sd * this.sd), 50 / this.sd);
    return Math.exp(this.logMgfCentred(upper ? theta : -theta, true) - theta * W) / theta;
  }

  // ---- best-of-N ----------------------------------------------------------------------------

  /**
   * Best-of-N at one N. `shared` (a point of a curve over many N): the top form is tilted on the
   * ladder (`ladderTilt`) and its period rounded up, so that the points share spectra — unless
   * that bound exceeds the target, then at the point's own tilt.
   */
  bestOfN(size: ParsedSize, lambda?: number, shared = false): FourierBon {
    // (a shared point is a curve's: its per-level arrays are not wanted)
    const base = size.logN < Math.log(800) ? this.bonBulk(size, !shared) : this.bonTopAt(size, shared);
    const K = bonKLBound(size.logN);
    const kl = Math.max(0, K - base.gap / 2);
    const klError = base.gap / 2 + 4 * U * K;
    let klToTilt: number | null = null;
    let klToTiltError: number | null = null;
    if (lambda !== undefined) {
      if (lambda === Number.POSITIVE_INFINITY) {
        klToTilt = Number.POSITIVE_INFINITY;
        klToTiltError = 0;
      } else {
        const st = tiltStatsOf(this.law, lambda);
        // E_BoN R − nA'(λ) = (E − nμ) − n(A'(λ) − μ), the second from the mean gaps.
        const excess = base.excess - this.n * (st.mean - this.mean);
        const value = kl - lambda * excess - this.n * st.kl;
        klToTilt = Math.max(0, value);
        klToTiltError =
          klError + lambda * base.error + 8 * U * (Math.abs(kl) + Math.abs(lambda * excess) + this.n * st.kl);
      }
    }
    return {
      reward: base.reward,
      rewardError: base.error,
      kl,
      klError,
      klToTilt,
      klToTiltError,
      values: base.values,
      logLevelMass: base.logLevelMass,
      logMass: base.logMass,
      smoothing: this.eps,
    };
  }

  private bonTopAt(size: ParsedSize, shared: boolean): BonPart {
    const own = this.topTilt(size.logN);
    if (shared) {
      const part = this.bonTop(size, ladderTilt(own, this.sd), true, false);
      if (part.error <= this.target) return part;
    }
    return this.bonTop(size, own, false, !shared);
  }

  /** The tilt of the top form: nD(s) = log N (capped below D_max). */
  private topTilt(logN: number): number {
    const dMax = this.law.values.length === 1 ? 0 : -this.law.logMassMax;
    const d = Math.min(logN / this.n, 0.95 * dMax);
    return solveTiltForKL(this.law, d).s;
  }

  /**
   * E_BoN R − nμ = ∫ Ψ(F(x)) dx with Ψ(u) = u − u^N (math-continuous.md (C.8)), by the trapezoid rule
   * on the untilted inversion grid.
   */
  private bonBulk(size: ParsedSize, arrays = true): BonPart {
    const N = size.N;
    const sd = this.sd;
    const budget = this.target;
    // Window [−Wlo, Whi] around nμ: the integrals outside are below TAIL_SHARE of the budget.
    const tailMax = TAIL_SHARE * budget;
    const weightHi = Math.max(1, N - 1);
    let Wlo = 6 * sd;
    while (this.tailIntegral(Wlo, false) > tailMax && Wlo < 200 * sd) Wlo *= 1.2;
    let Whi = 6 * sd;
    while (weightHi * this.tailIntegral(Whi, true) > tailMax && Whi < 200 * sd) Whi *= 1.2;
    const lower = this.tailIntegral(Wlo, false);
    const upper = this.tailIntegral(Whi, true);
    const outside = { psi: lower + weightHi * upper, pow: lower + N * upper };
    // Grid spacing from the third-order trapezoid bound (h⁴/12)·Σ sup|φ'''| ≈ (h³/12)∫|φ'''| with
    // ∫|φ'''| ≈ (3(2 log N)^{3/2} + 2)/sd³ (normal approximation), for the quadrature share of the
    // budget; halved while the computed bound exceeds it. A grid computed for a larger N (finer,
    // wider) serves smaller N at a power-of-two stride.
    const C3 = (3 * (2 * Math.log(Math.max(2, N))) ** 1.5 + 2) / sd ** 3;
    let dx = Math.min(sd / 4, Math.cbrt((12 * QUAD_SHARE * budget) / C3));
    const spec = this.spectrum(0);
    if (spec.direct) dx = Math.max(Math.min(dx, 0.25 * this.eps), (Wlo + Whi + 20 * sd) / MAX_GRID);
    // After the first attempt, a spacing that was fine enough for a larger N (the quadrature error
    // grows with N) is tried next instead of a halving sequence: a curve's points take one or two
    // quadratures each.
    let known = Number.POSITIVE_INFINITY;
    for (const done of this.bulkSpacings) if (done.logN >= size.logN) known = Math.min(known, done.dx);
    for (let attempt = 0; ; attempt++) {
      const bg = this.bulkGrid(dx, Wlo, Whi);
      let stride = 1;
      while (bg.grid.dx * stride * 2 <= dx * (1 + 1e-9)) stride *= 2;
      const part = bulkQuadrature(bg, stride, size, -Wlo, Whi, this.eps, this.n * this.mean, outside, arrays);
      const ok = part.quadError <= QUAD_SHARE * budget;
      if (ok) this.bulkSpacings.push({ logN: size.logN, dx: bg.grid.dx * stride });
      if (ok || attempt >= 12 || bg.grid.M >= MAX_GRID) return part;
      dx = (bg.grid.dx * stride) / 2;
      if (attempt === 0 && known < dx) dx = known;
    }
  }

  /** Spacings that met the quadrature share in the bulk form, by the N they were for. */
  private readonly bulkSpacings: { logN: number; dx: number }[] = [];

  private readonly bulkGrids: BulkGrid[] = [];

  /** An untilted inversion grid with spacing ≤ dx covering [−Wlo, Whi] (cached, reused). */
  private bulkGrid(dx: number, Wlo: number, Whi: number): BulkGrid {
    for (const bg of this.bulkGrids)
      if (bg.grid.dx <= dx * (1 + 1e-9) && bg.lo <= -Wlo && bg.hi >= Whi) return bg;
    const sd = this.sd;
    const P = Wlo + Whi + 20 * sd;
    const M = gridLength(P, dx);
    const x0 = -Wlo - (M * dx - Wlo - Whi) / 2;
    const grid = invert(this.law, this.spectrum(0), { x0, dx, M, lo: -Wlo, hi: Whi });
    const i0 = Math.max(0, Math.floor((-Wlo - x0) / dx));
    const i1 = Math.min(M - 1, Math.ceil((Whi - x0) / dx));
    const L = i1 - i0 + 1;
    chargeWork(4 * L);
    const F = new Float64Array(L);
    const eF = new Float64Array(L);
    const f = new Float64Array(L);
    const fHi = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      const i = i0 + k;
      const x = x0 + i * dx;
      F[k] = Math.min(1, Math.max(0, grid.value[i]));
      eF[k] = grid.errValue + grid.aliasValue(x);
      f[k] = grid.density[i];
      fHi[k] = Math.max(0, grid.density[i]) + grid.errDensity + grid.aliasDensity(x);
    }
    const bg: BulkGrid = { grid, lo: x0 + i0 * dx, hi: x0 + i1 * dx, i0, F, eF, f, fHi };
    // Keep the finest grids first (a later, coarser request finds them).
    this.bulkGrids.push(bg);
    this.bulkGrids.sort((a, b) => a.grid.dx - b.grid.dx);
    return bg;
  }

  /** E_BoN R = a + ∫_a^∞ (1 − F^N) − ∫_{−∞}^a F^N on the grid tilted at s (math-continuous.md (C.9)). */
  private bonTop(size: ParsedSize, s: number, shared = false, arrays = true): BonPart {
    const spec = this.spectrum(s);
    const sdS = spec.sd;
    const budget = this.target;
    // Window in x' = x − n A'(s): N·G ≥ 800 at its low end, N·G ≤ e^{−60} at its high end
    // (estimates; checked on the computed values, and widened if needed). Off the tilt's own N
    // (shared), moved by (log N − nD(s))/s, where N·e^{−nD(s) − s x'} = 1.
    const offset = shared ? (size.logN - this.n * tiltStatsOf(this.law, s).kl) / s : 0;
    let lo = offset - (Math.log(800) + Math.log(2.5 * s * sdS + 1) + 8) / s;
    let hi = offset + (60 + 4) / s;
    // Third-order trapezoid bound: ∫|φ'''| ≈ 3s³ for the Gumbel-like top (see bonBulk).
    const C3 = 3 * s * s * s + 3 / sdS ** 3;
    let dx = Math.min(sdS / 4, 1 / s, Math.cbrt((12 * QUAD_SHARE * budget) / C3));
    for (let attempt = 0; ; attempt++) {
      const width = hi - lo;
      const need = Math.max(
        (size.logN + 120) / s,
        width + 30 * sdS,
        2 * Math.max(Math.abs(lo), Math.abs(hi)),
      );
      const P = shared ? ladderPeriod(need, sdS) : Math.max((size.logN + 120) / s, width + 30 * sdS);
      if (spec.direct && attempt === 0) dx = Math.max(Math.min(dx, 0.25 * this.eps), P / MAX_GRID);
      const M = gridLength(P, dx);
      const x0 = lo - (M * dx - width) / 2;
      const grid = invert(this.law, spec, { x0, dx, M, lo, hi });
      const part = topQuadrature(grid, size, lo, hi, this, arrays);
      if (part.widen === 0 && (part.quadError <= QUAD_SHARE * budget || attempt >= 12 || M >= MAX_GRID))
        return part;
      if (part.widen < 0) lo -= (hi - lo) / 2;
      else if (part.widen > 0) hi += (hi - lo) / 2;
      else dx /= 2;
      if (attempt >= 16) return part;
    }
  }

  /** Chernoff bounds of the top form's outside terms (math-continuous.md (C.10)). */
  topOutside(
    size: ParsedSize,
    s: number,
    xa: number,
    xb: number,
    logGaLo: number,
  ): { above: number; below: number; gapAbove: number } {
    // ∫_{xb}^∞ (1 − F^N) ≤ N ∫_{xb}^∞ P(R_ε ≥ x) dx ≤ N e^{nA(θ) + θ²ε²/2 − θ xb}/θ, θ > 0.
    const theta = s * 1.05 + 1 / this.sd;
    const a = tiltStatsOf(this.law, theta).logPartition;
    const logTail = this.n * a + (theta * theta * this.eps * this.eps) / 2 - theta * xb;
    const above = Math.exp(size.logN + logTail - Math.log(theta));
    const gapAbove = Math.exp(size.logN + logTail) * bonKLBound(size.logN);
    // ∫_{−∞}^{xa} F^N ≤ F(xa)^{N−1} E(xa − R)_+ ≤ F(xa)^{N−1} √((xa − nμ)² + n Var + ε²).
    const spread = Math.sqrt((xa - this.n * this.mean) ** 2 + this.sd * this.sd + this.eps * this.eps);
    const below = Math.exp(powerLog(size.logNm1, logGaLo)) * spread;
    return { above, below, gapAbove };
  }

  // ---- tails --------------------------------------------------------------------------------

  /** P(R ≥ X) (upper) or P(R ≤ X) (lower) with its bracket and level shift (math-continuous.md §8). */
  tail(X: number, upper: boolean, shared = false): FourierTail {
    const n = this.n;
    const law = this.law;
    if (upper && X > n * law.rMax) return { logProbability: Number.NEGATIVE_INFINITY, logError: 0, shift: 0 };
    if (!upper && X < n * law.rMin)
      return { logProbability: Number.NEGATIVE_INFINITY, logError: 0, shift: 0 };
    const point = cramerPoint(law, X / n);
    let s = Number.isFinite(point.s)
      ? point.s
      : upper
        ? 50 / (law.rMax - law.rMin)
        : -50 / (law.rMax - law.rMin);
    if (Math.abs(s) * this.sd < 1.5) s = 0;
    // One of several levels: a tilt of the ladder (the level then lies within sd(R) of its centre).
    if (shared) s = ladderTilt(s, this.sd);
    const spec = this.spectrum(s);
    const c = spec.law.centre;
    const xp = X - n * c;
    const sdS = Math.max(spec.sd, 1e-300);
    const logEst = -n * Math.max(0, point.rate);
    const need =
      s === 0
        ? 2 * (Math.abs(xp) + 14 * sdS)
        : Math.max((Math.abs(logEst) + 120) / Math.abs(s), 2 * Math.abs(xp) + 40 * sdS);
    const P = shared ? ladderPeriod(need, sdS) : need;
    const inv = new PointInverter(law, spec, P, xp - 3 * sdS, xp + 3 * sdS);
    // The bracket of P(R ≥ x) (or ≤) at a level x' (log scale: [lo, hi], and the reported value).
    const bracket = (y: number): { lo: number; hi: number; mid: number } => {
      const v = inv.at(y);
      const eV = v.errValue;
      if (s === 0) {
        // value = F_ε; the aliasing is two-sided.
        const e = eV + v.aliasValue;
        const fHi = v.density + v.errDensity + v.aliasDensity;
        const mid = upper ? 1 - v.value : v.value;
        return { lo: mid - e - BETA * this.eps * fHi, hi: mid + e + BETA * this.eps * fHi, mid };
      }
      // value = e^{nD + s x'}·(tail of R_ε); aliasing ≥ 0 subtracts.
      const scale = -inv.nD - s * y;
      const hiV = v.value + eV;
      const loV = v.value - eV - v.aliasValue;
      const midV = v.value - v.aliasValue / 2;
      const fHi = Math.exp(scale) * (v.density + v.errDensity);
      const beta = BETA * this.eps * fHi;
      return {
        lo: Math.exp(scale) * loV - beta,
        hi: Math.exp(scale) * hiV + beta,
        mid: Math.exp(scale) * midV,
      };
    };
    const b = bracket(xp);
    const logP = logAbs(b.mid);
    const logError =
      b.lo > 0 ? Math.max(Math.log(b.hi) - logP, logP - Math.log(b.lo)) : Number.POSITIVE_INFINITY;
    // The shift: upper: hi(x + a) ≤ P̂ ≤ lo(x − a); lower: hi(x − a) ≤ P̂ ≤ lo(x + a).
    const fMid = inv.at(xp);
    const dens = s === 0 ? fMid.density : Math.exp(-inv.nD - s * xp) * fMid.density;
    let shift = Number.POSITIVE_INFINITY;
    let a = dens > 0 ? (1.05 * (b.hi - b.lo)) / (2 * dens) : this.target;
    for (let k = 0; k < 40 && Number.isFinite(logP); k++) {
      const further = bracket(upper ? xp + a : xp - a);
      const nearer = bracket(upper ? xp - a : xp + a);
      if (further.hi <= b.mid && nearer.lo >= b.mid) {
        shift = a + 8 * U * (Math.abs(X) + 1);
        break;
      }
      a *= 1.5;
    }
    return { logProbability: Math.min(0, logP), logError, shift };
  }
}

/** One best-of-N evaluation's numbers before the KL assembly. */
interface BonPart {
  readonly reward: number;
  /** E_BoN R − nμ. */
  readonly excess: number;
  readonly error: number;
  readonly quadError: number;
  readonly gap: number;
  readonly values: Float64Array;
  readonly logLevelMass: Float64Array;
  readonly logMass: Float64Array;
  /** Top form: −1/+1 when the window's low/high end was not verified (widen), else 0. */
  readonly widen: number;
}

/** An untilted inversion grid with its per-point values over the window (N-independent). */
interface BulkGrid {
  readonly grid: InversionGrid;
  /** The window's first and last grid points (x'). */
  readonly lo: number;
  readonly hi: number;
  /** Grid index of the window's first point. */
  readonly i0: number;
  /** Per window point: F_ε clamped to [0, 1], the bound on its error (aliasing included), the
   * density and an upper bound on it. */
  readonly F: Float64Array;
  readonly eF: Float64Array;
  readonly f: Float64Array;
  readonly fHi: Float64Array;
}

/** Ψ(u) = u − u^N, computed as u·(−expm1((N−1) log u)) (full accuracy for N near 1); nm1 = N − 1. */
function psiN(u: number, nm1: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 0;
  if (nm1 === 0) return 0;
  return -u * Math.expm1(nm1 * Math.log(u));
}

/** max |1 − N u^{N−1}| over u ∈ [a, b] ⊂ [0, 1] (|Ψ'|; monotone in u). */
function psiSlope(a: number, b: number, N: number): number {
  // (no inner closure: this runs per cell)
  return Math.max(Math.abs(1 - N * Math.max(0, a) ** (N - 1)), Math.abs(1 - N * Math.min(1, b) ** (N - 1)));
}

/** max of u^p over u ∈ [a, b] ⊂ [0, 1] (∞ for p < 0 and a = 0). */
function maxPower(a: number, b: number, p: number): number {
  if (p === 0) return 1;
  if (p > 0) return b ** p;
  return a > 0 ? a ** p : Number.POSITIVE_INFINITY;
}

/**
 * Bounds on a density and its first two derivatives over the cell [x_i, x_{i+1}] (spacing h),
 * from its computed values at x_{i−1} … x_{i+2} with errors ≤ e and a global bound B3 on the third
 * derivative (math-continuous.md (C.11)): a second difference at a node next to the cell equals
 * the second derivative at a point within h of the cell, so on the cell it is ≤ |D²f| + 4e/h² +
 * 2h·B3; the slope over the cell is the first derivative somewhere in it, so that one is
 * ≤ |slope| + 2e/h + h·(bound on the second); and f ≤ max(f_i, f_{i+1}) + e + h²/8·(the same).
 */
function cellDensity(
  f: Float64Array,
  e: number,
  i: number,
  h: number,
  B3: number,
): { f0: number; f1: number; f2: number } {
  const L = f.length;
  const a = f[Math.max(0, i - 1)];
  const b = f[i];
  const c = f[Math.min(L - 1, i + 1)];
  const d = f[Math.min(L - 1, i + 2)];
  const d2 = Math.max(Math.abs(a - 2 * b + c), Math.abs(b - 2 * c + d)) / (h * h);
  const f2 = d2 + (4 * e) / (h * h) + 2 * h * B3;
  const f1 = Math.abs(c - b) / h + (2 * e) / h + h * f2;
  const f0 = Math.max(0, b, c) + e + (h * h * f2) / 8;
  return { f0, f1, f2 };
}

/**
 * The error of the composite trapezoid rule over runs of cells where the third derivative of the
 * integrand φ is bounded (math-continuous.md (C.11)): on a run [a, b] of cells of width h,
 * |T − ∫φ − (h²/12)(φ'(b) − φ'(a))| ≤ (h⁴/12)·Σ_cells sup|φ'''|, so the run costs
 * (h⁴/12)Σ sup|φ'''| + (h²/12)(|φ'(a)| + |φ'(b)|); a cell without a smaller bound costs its range,
 * h·(max φ − min φ), and ends the run.
 */
class TrapezoidError {
  private total = 0;
  private inRun = false;
  private lastSlope = 0;
  constructor(private readonly h: number) {}

  /** A cell with sup|φ'''| ≤ phi3 and |φ'| ≤ slope on it, or its range bound when smaller. */
  add(phi3: number, slope: number, range: number): void {
    const h = this.h;
    const taylor = ((h * h * h * h) / 12) * phi3;
    const ends = ((h * h) / 12) * slope;
    if (Number.isFinite(taylor) && taylor + (this.inRun ? 0 : 2 * ends) < range) {
      if (!this.inRun) this.total += ends;
      this.total += taylor;
      this.inRun = true;
      this.lastSlope = slope;
    } else {
      if (this.inRun) this.total += ((h * h) / 12) * this.lastSlope;
      this.total += range;
      this.inRun = false;
    }
  }

  get value(): number {
    return this.total + (this.inRun ? ((this.h * this.h) / 12) * this.lastSlope : 0);
  }
}

function bulkQuadrature(
  bg: BulkGrid,
  stride: number,
  size: ParsedSize,
  lo: number,
  hi: number,
  eps: number,
  meanR: number,
  outside: { psi: number; pow: number },
  arrays: boolean,
): BonPart {
  const { N, logNm1 } = size;
  const g = bg.grid;
  const h = g.dx * stride;
  const base = bg.lo;
  const count = Math.floor((bg.F.length - 1) / stride) + 1;
  const k0 = Math.max(0, Math.floor((lo - base) / h));
  const k1 = Math.min(count - 1, Math.ceil((hi - base) / h));
  const B3 = g.densityBounds[3];
  const beta = BETA * eps;
  const atomScale = Math.sqrt(2 * Math.PI) * eps;
  const K = bonKLBound(size.logN);
  const errV = g.errValue;
  // The strided node values.
  const F = new Float64Array(count);
  const eF = new Float64Array(count);
  const f = new Float64Array(count);
  let eD = 0;
  for (let k = 0; k < count; k++) {
    F[k] = bg.F[k * stride];
    eF[k] = bg.eF[k * stride];
    f[k] = bg.f[k * stride];
    eD = Math.max(eD, bg.fHi[k * stride] - Math.max(0, bg.f[k * stride]));
  }
  chargeWork(30 * (k1 - k0 + 1));
  const q = new NeumaierSum();
  const trap = new TrapezoidError(h);
  let numeric = 0;
  let smoothPsi = 0;
  let smoothPow = 0;
  let gap = 0;
  const cells = k1 - k0;
  const values = new Float64Array(arrays ? cells : 0);
  const logLevelMass = new Float64Array(arrays ? cells : 0);
  const logMass = new Float64Array(arrays ? cells : 0);
  const uStar = N > 1 ? N ** (-1 / (N - 1)) : 1;
  // N − 1 = e^{log(N − 1)} once, not per call of Ψ (0 for N = 1)
  const nm1 = Math.exp(logNm1);
  let psiL = psiN(F[k0], nm1);
  for (let i = k0; i < k1; i++) {
    const psiR = psiN(F[i + 1], nm1);
    q.add((h * (psiL + psiR)) / 2);
    const e = Math.max(eF[i], eF[i + 1]) + errV;
    const Fl = Math.max(0, Math.min(F[i], F[i + 1]) - e);
    const Fr = Math.min(1, Math.max(F[i], F[i + 1]) + e);
    const { f0, f1, f2 } = cellDensity(f, eD, i, h, B3);
    // φ = Ψ∘F_T, φ''' = Ψ'''·f³ + 3Ψ''·f·f' + Ψ'·f''.
    const d1 = psiSlope(Fl, Fr, N);
    const d2 = N * (N - 1) * maxPower(Fl, Fr, N - 2);
    const d3 = N * (N - 1) * Math.abs(N - 2) * maxPower(Fl, Fr, N - 3);
    const phi3 = N === 1 ? 0 : (d3 === 0 ? 0 : d3 * f0 * f0 * f0) + 3 * d2 * f0 * f1 + d1 * f2;
    const top = psiN(Math.min(Math.max(uStar, Fl), Fr), nm1);
    const range = h * (top - Math.min(psiN(Fl, nm1), psiN(Fr, nm1)));
    trap.add(phi3, d1 * f0, range);
    // Numerical: the nodes' errors and the frequencies beyond T_c (|F_ε − F_T| ≤ errValue).
    numeric += h * d1 * (e + errV);
    // Smoothing (C.7): the exact F ∈ [F_ε − βf, F_ε + βf] ∩ [0, 1].
    const tl = Math.max(0, Fl - beta * f0);
    const tr = Math.min(1, Fr + beta * f0);
    smoothPsi += h * f0 * psiSlope(tl, tr, N);
    smoothPow += h * f0 * N * tr ** (N - 1);
    // KL gap (C.13): P_BoN(cell) ≤ tr^N − tl^N; atoms ≤ √(2π)ε f; a ≤ atom/F(left).
    const pBon = tr ** N - tl ** N;
    if (pBon > 0 && N > 1) {
      const aMax = tl > 0 ? (atomScale * f0) / tl : Number.POSITIVE_INFINITY;
      const xg = (N - 1) * aMax;
      gap += pBon * Math.min(K, xg, (xg * xg) / 8);
    }
    const c = i - k0;
    if (arrays) {
      values[c] = meanR + base + (i + 0.5) * h;
      logMass[c] = logAbs(F[i + 1] - F[i]);
      logLevelMass[c] = logAbs(F[i + 1] ** N - F[i] ** N);
    }
    psiL = psiR;
  }
  const quad = trap.value;
  // Below the window: P_BoN(R ≤ lo) ≤ F(lo)^N; above: ≤ N·G(hi).
  const fEnd = (k: number) => Math.max(0, f[k]) + eD;
  const Flo = Math.min(1, F[k0] + eF[k0] + beta * fEnd(k0));
  const Ghi = Math.min(1, 1 - F[k1] + eF[k1] + beta * fEnd(k1));
  gap += (Flo ** N + Math.min(1, N * Ghi)) * K;
  const Q = q.value;
  const smooth = Math.min(beta * smoothPsi + 2 * outside.psi, beta * smoothPow + 2 * outside.pow);
  const error = quad + numeric + smooth + outside.psi + 4 * U * (Math.abs(Q) + cells * h);
  return {
    reward: meanR + Q,
    excess: Q,
    error,
    quadError: quad,
    gap,
    values,
    logLevelMass,
    logMass,
    widen: 0,
  };
}

function topQuadrature(
  g: InversionGrid,
  size: ParsedSize,
  lo: number,
  hi: number,
  eng: FourierEngine,
  arrays: boolean,
): BonPart {
  const { logN } = size;
  const h = g.dx;
  const s = g.s;
  const eps = g.eps;
  const beta = BETA * eps;
  const logAtom = Math.log(Math.sqrt(2 * Math.PI) * eps);
  const K = bonKLBound(logN);
  const logN1 = logNMinus(size, 1);
  const logN2 = logNMinus(size, 2);
  const logN3 =
    size.N >= 3 ? (Number.isFinite(size.N) ? Math.log(size.N - 3) : logN) : Number.NEGATIVE_INFINITY;
  const B3 = g.densityBounds[3];
  const nc = g.n * g.centre;
  const i0g = Math.max(0, Math.ceil((lo - g.x0) / h));
  const i1g = Math.min(g.M - 1, Math.floor((hi - g.x0) / h));
  chargeWork(30 * (i1g - i0g + 1));
  const x = (i: number) => g.x0 + i * h;
  // log G_ε bracket and the reported value at grid point i (aliasing ≥ 0 is subtracted).
  const logScale = (i: number) => -g.nD - s * x(i);
  const logGmid = (i: number) => logAbs(g.value[i] - g.aliasValue(x(i)) / 2) + logScale(i);
  const logGhi = (i: number) => logAbs(g.value[i] + g.errValue) + logScale(i);
  const logGlo = (i: number) => logAbs(g.value[i] - g.errValue - g.aliasValue(x(i))) + logScale(i);
  // Window: low end with N·G_lo ≥ 800 (so F^N ≤ e^{−800} below), high end with N·G_hi ≤ e^{−60}.
  const logCut = Math.log(800);
  let a = -1;
  for (let i = Math.min(i1g, Math.max(i0g, Math.round(-g.x0 / h))); i >= i0g; i--) {
    if (logN + logGlo(i) >= logCut) {
      a = i;
      break;
    }
  }
  let b = -1;
  for (let i = Math.max(i0g, a); i <= i1g; i++) {
    if (logN + logGhi(i) <= -60) {
      b = i;
      break;
    }
  }
  const empty = new Float64Array(0);
  if (a < 0 || b < 0) {
    return {
      reward: Number.NaN,
      excess: Number.NaN,
      error: Number.POSITIVE_INFINITY,
      quadError: Number.POSITIVE_INFINITY,
      gap: Number.POSITIVE_INFINITY,
      values: empty,
      logLevelMass: empty,
      logMass: empty,
      widen: a < 0 ? -1 : 1,
    };
  }
  // The tilted density's error over the window (for the cell derivative bounds).
  let eD = 0;
  for (let i = a; i <= b; i++) eD = Math.max(eD, g.errDensity + g.aliasDensity(x(i)));
  const q = new NeumaierSum();
  const trap = new TrapezoidError(h);
  let smooth = 0;
  let gap = 0;
  let numeric = 0;
  const cells = b - a;
  const values = new Float64Array(arrays ? cells : 0);
  const logLevelMass = new Float64Array(arrays ? cells : 0);
  const logMass = new Float64Array(arrays ? cells : 0);
  let midL = logGmid(a);
  let hiL = logGhi(a);
  let loL = logGlo(a);
  let xiL = oneMinusPower(logN, midL);
  for (let i = a; i < b; i++) {
    const midR = logGmid(i + 1);
    const hiR = logGhi(i + 1);
    const loR = logGlo(i + 1);
    const xiR = oneMinusPower(logN, midR);
    q.add((h * (xiL + xiR)) / 2);
    // On the cell G_ε ∈ [gMin, gMax] (decreasing; the computed values inside too).
    const gMin = Math.min(loR, midR, midL, loL);
    const gMax = Math.max(hiL, midL, midR, hiR);
    const range = h * (oneMinusPower(logN, gMax) - oneMinusPower(logN, gMin));
    // f = E·g with E = e^{−nD − s x'} ≤ e^{−nD − s x_i} on the cell (s > 0):
    // |f| ≤ E g0, |f'| ≤ E(g1 + s g0), |f''| ≤ E(g2 + 2s g1 + s² g0).
    const c0 = cellDensity(g.density, eD, i, h, B3);
    const logE = -g.nD - s * x(i);
    const lf0 = logE + logAbs(c0.f0);
    const lf1 = logE + logAbs(c0.f1 + s * c0.f0);
    const lf2 = logE + logAbs(c0.f2 + 2 * s * c0.f1 + s * s * c0.f0);
    // φ = 1 − F^N with F = 1 − G: |φ'| = N F^{N−1} f and the third derivative is at most
    // N(N−1)(N−2)F^{N−3}f³ + 3N(N−1)F^{N−2}f|f'| + N F^{N−1}|f''|, F ≤ 1 − G_min on the cell.
    const lF1 = powerLog(logN1, gMin);
    const lF2 = powerLog(logN2, gMin);
    const lF3 = size.N >= 3 ? powerLog(logN3, gMin) : Number.NEGATIVE_INFINITY;
    const phi3 =
      Math.exp(logN + logN1 + logN2 + lF3 + 3 * lf0) +
      3 * Math.exp(logN + logN1 + lF2 + lf0 + lf1) +
      Math.exp(logN + lF1 + lf2);
    const slope = Math.exp(logN + lF1 + lf0);
    trap.add(size.N >= 3 ? phi3 : Number.POSITIVE_INFINITY, slope, range);
    // Numerical: |Ξ'| = N F^{N−1} times the G errors at both nodes, and beyond T_c.
    const dG = (lh: number, ll: number, lm: number) =>
      Math.max(Math.exp(lh) - Math.exp(lm), Math.exp(lm) - Math.exp(ll));
    numeric +=
      h *
      Math.exp(logN + lF1) *
      (Math.max(dG(hiL, loL, midL), dG(hiR, loR, midR)) + Math.exp(logE) * g.errValue);
    // Smoothing (C.7): |Ξ(G) − Ξ(G_ε)| ≤ N F^{N−1} β f with F ≤ 1 − (G_min − βf).
    const fMaxLin = Math.exp(lf0);
    const gTrue = logAbs(Math.max(0, Math.exp(gMin) - beta * fMaxLin));
    smooth += h * Math.exp(logN + powerLog(logN1, gTrue) + Math.log(beta) + lf0);
    // Gap (C.13): P_BoN(cell) ≤ F_r^N − F_l^N, a ≤ atom/F_l.
    const gTrueHi = Math.log(Math.min(1, Math.exp(gMax) + beta * fMaxLin));
    const pBon = Math.exp(powerLog(logN, gTrue)) - Math.exp(powerLog(logN, gTrueHi));
    if (pBon > 0) {
      const logFl = log1mExp(Math.min(0, gTrueHi));
      const xg = Math.exp(logN1 + logAtom + lf0 - logFl);
      gap += pBon * Math.min(K, xg, (xg * xg) / 8);
    }
    const c = i - a;
    if (arrays) {
      values[c] = nc + x(i) + h / 2;
      logMass[c] = logAbs(Math.exp(midL) - Math.exp(midR));
      logLevelMass[c] = logAbs(Math.exp(powerLog(logN, midR)) - Math.exp(powerLog(logN, midL)));
    }
    midL = midR;
    hiL = hiR;
    loL = loR;
    xiL = xiR;
  }
  const xa = nc + x(a);
  const xb = nc + x(b);
  const logGaLo = logGlo(a);
  const gTrueA = logAbs(
    Math.max(0, Math.exp(logGaLo) - beta * Math.exp(-g.nD - s * x(a) + logAbs(g.density[a] + eD))),
  );
  const out = eng.topOutside(size, s, xa, xb, gTrueA);
  gap += out.gapAbove + Math.exp(powerLog(logN, gTrueA)) * K;
  const Q = q.value;
  const reward = xa + Q;
  const quad = trap.value;
  const error =
    quad + numeric + smooth + out.above + out.below + 8 * U * (Math.abs(xa) + Math.abs(Q) + cells * h);
  return {
    reward,
    excess: reward - g.n * eng.mean,
    error,
    quadError: quad,
    gap,
    values,
    logLevelMass,
    logMass,
    widen: 0,
  };
}
