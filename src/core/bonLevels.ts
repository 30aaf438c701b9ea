/**
 * The best-of-N level law from the law of R (math.md §6), for any real N ≥ 1 given by log N.
 *
 * With F_j = P(R ≤ x_j): b_j = F_j^N − F_{j−1}^N. Nothing is formed as 1 − F or as a
 * difference of powers. With
 *   t_j = −log F_j           (from the upper tail: t_j = −log(1 − P(R > x_j)))
 *   q_j = log(w_j / F_j)     (so 1 − F_{j−1}/F_j = e^{q_j}, and a_j = −log(1 − e^{q_j}))
 * the log-ratio to the base law, ℓ_j = log(b_j / w_j), is
 *   N ≥ 2:  ℓ_j = −(N − 1)·t_j + log(1 − e^{−N a_j}) − q_j
 *   N < 2:  ℓ_j = −(N − 1)·t_j + log1p( e^{−a_j} · (1 − e^{−(N−1) a_j}) / e^{q_j} )
 * The second form has no cancellation when N − 1 is tiny (N = 1 + 1e-12): every piece is O(N − 1)
 * and computed with relative accuracy. Products like N·t_j are formed as exp(log N + log t_j), so
 * N = e^{1000} is as easy as N = 10, and log t_j, log a_j come from `logNegLog1mExp` (exact when
 * the tail is e^{−2000}). Every level gets a finite ℓ_j, also where b_j underflows as a double
 * (N·log F_j = −98440 for N = 1e6). Then log b_j = ℓ_j + log w_j, and with ties broken uniformly the BoN
 * probability of one sequence y with R(y) = x_j is pⁿ(y)·e^{ℓ_j}.
 */
import { klTerm } from './logPartition.js';
import { log1mExp, log1pExp, logAddExp, NeumaierSum } from './logspace.js';
import { chargeWork } from './workBudget.js';

/** log(−log(1 − eˣ)) for x < 0, accurate when eˣ is far below 1e-308 (x = −2000). */
export function logNegLog1mExp(x: number): number {
  if (x === Number.NEGATIVE_INFINITY) return x;
  if (x < -20) {
    // −log(1 − u)/u = 1 + u/2 + u²/3 + …; the omitted terms are below u³/4 < 1e-26.
    const u = Math.exp(x);
    return x + Math.log1p(u / 2 + (u * u) / 3);
  }
  return Math.log(-log1mExp(x));
}

/**
 * log(log(1 + e^y)), accurate for every y: log(1 + e^y) = e^y(1 − e^y/2 + …) below y = −37, where
 * its log is y + log1p(−e^y/2) (the omitted terms are below e^{2y}/3 < 1e-32); y = ±∞ → ±∞.
 */
export function logLog1pExp(y: number): number {
  if (y < -37) return y + Math.log1p(-Math.exp(y) / 2);
  return Math.log(log1pExp(y));
}

/** log(1 − e^{−y}) for y = e^{ly} ≥ 0 given by its log; ly = +∞ → 0, ly = −∞ → −∞. */
export function logOneMinusExpNeg(ly: number): number {
  if (ly < -30) return ly - Math.exp(ly) / 2; // 1 − e^{−y} = y(1 − y/2 + …), y < 1e-13
  return log1mExp(-Math.exp(ly));
}

export interface BonLevelInput {
  /** log w_j, ascending levels. */
  readonly logMass: ArrayLike<number>;
  /** log P(R > x_j) (−∞ at the top level). */
  readonly logAbove: ArrayLike<number>;
  /**
   * log F_j = log P(R ≤ x_j) summed directly, used where P(R > x_j) ≥ 1/2 (there 1 − P(R > x_j)
   * would lose digits); null when only the top of the law is known (see `bestOfNFromConvolver`).
   */
  readonly logCdf: ArrayLike<number> | null;
}

/**
 * The N-independent part of ℓ_j per level: log t_j, q_j and log a_j. A best-of-N curve (many N
 * over one law of R) computes these once and then only the N-dependent terms per N. Plain arrays:
 * they are working data, and a typed array beyond 64 bytes (outside the JS heap) costs
 * microseconds to create under V8's concurrent GC — more than filling it.
 */
export interface BonLevelParts {
  readonly logT: number[];
  readonly q: number[];
  readonly logA: number[];
}

/** Parts for L levels, NaN until computed (NaN, a double: the arrays hold doubles from the start). */
function newParts(L: number): BonLevelParts {
  return {
    logT: new Array<number>(L).fill(Number.NaN),
    q: new Array<number>(L).fill(Number.NaN),
    logA: new Array<number>(L).fill(Number.NaN),
  };
}

export function bonLevelParts(levels: BonLevelInput): BonLevelParts {
  chargeWork(levels.logMass.length);
  const parts = newParts(levels.logMass.length);
  for (let j = 0; j < parts.logT.length; j++) {
    parts.logT[j] = levelLogT(levels, j);
    setJumpParts(parts, levels, j);
  }
  return parts;
}

/**
 * `bonLevelParts` for sums at one N (`bonSums`): log t_j for every level, q_j and log a_j only
 * for the levels those sums cannot skip (`LOG_DRIFT_UNDERFLOW`); the others stay NaN and are
 * never read. For large N that spares most of the law three or four transcendental functions.
 */
export function bonLevelPartsForSums(levels: BonLevelInput, logNm1: number): BonLevelParts {
  chargeWork(levels.logMass.length);
  const parts = newParts(levels.logMass.length);
  for (let j = 0; j < parts.logT.length; j++) {
    parts.logT[j] = levelLogT(levels, j);
    if (!(logNm1 + parts.logT[j] > LOG_DRIFT_UNDERFLOW)) setJumpParts(parts, levels, j);
  }
  return parts;
}

/**
 * Whether level j's F and t come from the upper tail: while P(R > x_j) < 1/2 (exact even when
 * e^{above} underflows), or when the lower tail is unknown; else from the directly summed lower
 * tail (there 1 − P(R > x_j) would lose digits).
 */
function fromUpperTail(levels: BonLevelInput, j: number): boolean {
  return levels.logAbove[j] < -Math.LN2 || levels.logCdf === null;
}

/** log t_j = log(−log F_j). */
function levelLogT(levels: BonLevelInput, j: number): number {
  if (fromUpperTail(levels, j)) return logNegLog1mExp(Math.min(0, levels.logAbove[j]));
  return Math.log(-Math.min(0, levels.logCdf![j]));
}

/** log F_j, by the same route as t_j (`fromUpperTail`). */
function levelLogF(levels: BonLevelInput, j: number): number {
  if (!fromUpperTail(levels, j)) return Math.min(0, levels.logCdf![j]);
  const above = levels.logAbove[j];
  return above === Number.NEGATIVE_INFINITY ? 0 : log1mExp(Math.min(0, above));
}

/**
 * log F_{j−1} = log P(R < x_j): −∞ below the lowest level of a whole law (logCdf given); below
 * the lowest level of a top window, log(1 − P(R ≥ x_0)); otherwise log F of the level below,
 * by the route its t uses.
 */
function logCdfBelow(levels: BonLevelInput, j: number): number {
  if (j > 0) return levelLogF(levels, j - 1);
  if (levels.logCdf !== null) return Number.NEGATIVE_INFINITY;
  const atLeast = logAddExp(levels.logMass[0], levels.logAbove[0]);
  return log1mExp(Math.min(0, atLeast));
}

/**
 * q_j = log(w_j / F_j) ≤ 0 and log a_j, a_j = log(F_j / F_{j−1}), of level j, into `parts`.
 * Both come from d = log F_{j−1} − log w_j (F_j = F_{j−1} + w_j): q_j = −log(1 + e^d) and
 * a_j = log(1 + e^{−d}), so q_j has the relative accuracy of the smaller of F_{j−1} and w_j, and
 * the lowest level of a whole law (F_{−1} = 0) gets q = 0 and a = ∞ exactly.
 * Why not q_j = log w_j − log F_j: the two logs come by different routes (log w_j from the law,
 * log F_j from the upper tail when F_j is near 1), so their difference carries the rounding of
 * both. For p = (1 − 3e-12, 3e-12), n = 2, that made q₀ = −8.9e-17 instead of 0 — of the order
 * of ℓ₀ = −(N − 1)t₀ itself near N = 1 — and KL(BoN‖pⁿ) 1000 times too large at N = 1 + 1e-6.
 */
function setJumpParts(parts: BonLevelParts, levels: BonLevelInput, j: number): void {
  const below = logCdfBelow(levels, j);
  if (below === Number.NEGATIVE_INFINITY) {
    parts.q[j] = 0;
    parts.logA[j] = Number.POSITIVE_INFINITY;
    return;
  }
  const d = below - levels.logMass[j];
  parts.q[j] = Math.min(0, -log1pExp(d));
  parts.logA[j] = logLog1pExp(-d);
}

/**
 * ℓ_j = log(b_j / w_j) for every level (see the module comment).
 * @param logN log N ≥ 0
 * @param logNm1 log(N − 1) (−∞ for N = 1), passed separately so N = 1 + 1e-12 keeps its digits
 */
export function bonLogRatios(levels: BonLevelInput, logN: number, logNm1: number): Float64Array {
  if (logNm1 === Number.NEGATIVE_INFINITY) return new Float64Array(levels.logMass.length); // N = 1
  return bonLogRatiosFromParts(bonLevelParts(levels), logN, logNm1);
}

/** `bonLogRatios` from precomputed `bonLevelParts` (the same numbers, bit for bit). */
export function bonLogRatiosFromParts(parts: BonLevelParts, logN: number, logNm1: number): Float64Array {
  const L = parts.q.length;
  const out = new Float64Array(L);
  if (logNm1 === Number.NEGATIVE_INFINITY) return out; // N = 1: b = w
  chargeWork(L);
  for (let j = 0; j < L; j++) out[j] = bonLogRatioAt(parts, j, logN, logNm1);
  return out;
}

/** ℓ_j for one level j and N > 1 (log(N − 1) finite); see the module comment. */
export function bonLogRatioAt(parts: BonLevelParts, j: number, logN: number, logNm1: number): number {
  // −(N − 1)·t_j. Even when b_j underflows as a double (N = 1e6 makes the bottom level
  // e^{−98440}), its logarithm is finite and reported exactly: the preview plots log b_j.
  const drift = -Math.exp(logNm1 + parts.logT[j]);
  const q = parts.q[j];
  const logA = parts.logA[j];
  let jump: number;
  if (logN < Math.LN2) {
    // log1p(e^{−a}·(1 − e^{−(N−1)a})/e^{q}); e^{−a} = 1 − e^{q}.
    const keep = logA === Number.POSITIVE_INFINITY ? 0 : -Math.expm1(q);
    jump = keep === 0 ? 0 : Math.log1p(keep * Math.exp(logOneMinusExpNeg(logNm1 + logA) - q));
  } else {
    jump = logOneMinusExpNeg(logN + logA) - q;
  }
  return drift + jump;
}

/**
 * Levels with log(N − 1) + log t_j above this carry b_j = 0 exactly as a double, so sums over
 * the levels (E R, the KL) may skip them without computing ℓ_j. Why: ℓ_j + log w_j ≤ drift + log F_j
 * (the jump is at most −q_j, and log w_j − q_j = log F_j ≤ 0), the drift −(N − 1)·t_j is below
 * −1000 there, and e^{−1000} underflows to 0 (so does anything below −745.2).
 */
export const LOG_DRIFT_UNDERFLOW = Math.log(1000);

/** The comparison tilt of KL(BoN ‖ φ_λⁿ): λ (finite), n·A'(λ) and n·D(λ). */
export interface TiltTerms {
  readonly lambda: number;
  readonly centre: number;
  readonly nD: number;
}

export interface BonSums {
  /** E_BoN R = Σ b_j x_j. */
  readonly reward: number;
  /**
   * The win rate against pⁿ, W = Σ b_j (F_{j−1} + w_j/2), and 1 − W = Σ b_j (P(R > x_j) + w_j/2),
   * each summed directly (math.md (8.5)); W = 1 − (1 − W) where the lower tail is unknown (a top
   * window: then N ≥ 800 and 1 − W is small).
   */
  readonly winRate: number;
  readonly lossRate: number;
  /** KL(BoN ‖ pⁿ) = Σ b_j ℓ_j (before clamping at 0). */
  readonly kl: number;
  /** KL(BoN ‖ φ_λⁿ) = Σ b_j [ℓ_j − λ(x_j − n A'(λ)) − n D(λ)] (0 without a tilt; not clamped). */
  readonly klToTilt: number;
}

/**
 * Level j's term of KL(BoN ‖ pⁿ). For N ≥ 2: b_j ℓ_j. For N < 2: w_j f(ℓ_j), f(u) = 1 + (u − 1)eᵘ
 * (`klTerm`) — Σ_j w_j f(ℓ_j) = Σ b_j ℓ_j because Σ b_j = Σ w_j = 1, but every term is ≥ 0 and
 * ≈ w_j ℓ_j²/2, while the terms b_j ℓ_j ≈ w_j ℓ_j cancel to first order in N − 1 (at N = 1 + 1e-6
 * the KL is 3e-24 from terms of 6e-18): near N = 1 the f-form keeps full relative accuracy, and
 * any first-order inconsistency between the w_j and the tails they were summed into cancels in it.
 * |ℓ| ≥ ½: w + (ℓ − 1)·b (b = w eˡ directly).
 */
export function bonKLTerm(nearOne: boolean, logW: number, ratio: number, b: number): number {
  if (!nearOne) return b * ratio;
  if (ratio < 0.5 && ratio > -0.5) return Math.exp(logW) * klTerm(ratio);
  return Math.exp(logW) + (ratio - 1) * b;
}

/**
 * The sums of best-of-N over the levels (x_j = values[j], log w_j = logMass[j]), compensated, with
 * the terms in level order and b_j = 0 skipped — exactly as `bestOfN` forms them. Levels whose b_j
 * is exactly 0 (`LOG_DRIFT_UNDERFLOW`) are skipped before ℓ_j is computed — for large N most of
 * the law — so the sums are those of the full per-level computation, bit for bit.
 * @param parts null for N = 1 (then ℓ_j = 0 and b = w)
 */
export function bonSums(
  parts: BonLevelParts | null,
  values: ArrayLike<number>,
  levels: BonLevelInput,
  logN: number,
  logNm1: number,
  tilt: TiltTerms | null,
): BonSums {
  const logMass = levels.logMass;
  const reward = new NeumaierSum();
  const kl = new NeumaierSum();
  const toTilt = new NeumaierSum();
  const win = new WinRateSums(levels);
  const nearOne = logN < Math.LN2;
  chargeWork(values.length);
  for (let j = 0; j < values.length; j++) {
    let ratio = 0;
    if (parts !== null) {
      if (logNm1 + parts.logT[j] > LOG_DRIFT_UNDERFLOW) continue;
      ratio = bonLogRatioAt(parts, j, logN, logNm1);
    }
    const b = Math.exp(ratio + logMass[j]);
    if (b === 0) continue;
    reward.add(b * values[j]);
    kl.add(bonKLTerm(nearOne, logMass[j], ratio, b));
    win.add(j, ratio + logMass[j]);
    if (tilt !== null) toTilt.add(b * (ratio - tilt.lambda * (values[j] - tilt.centre) - tilt.nD));
  }
  return { reward: reward.value, kl: kl.value, klToTilt: toTilt.value, ...win.rates() };
}

/**
 * The win-rate sums of a best-of-N level law (see `BonSums`): level j adds b_j·(F_{j−1} + w_j/2)
 * and b_j·(P(R > x_j) + w_j/2), both non-negative terms.
 */
export class WinRateSums {
  private readonly win = new NeumaierSum();
  private readonly loss = new NeumaierSum();
  constructor(private readonly levels: BonLevelInput) {}

  /** Adds level j with log b_j. */
  add(j: number, logB: number): void {
    const { logMass, logAbove, logCdf } = this.levels;
    const half = logMass[j] - Math.LN2;
    this.loss.add(Math.exp(logB + logAddExp(logAbove[j], half)));
    if (logCdf !== null) {
      const below = j > 0 ? logCdf[j - 1] : Number.NEGATIVE_INFINITY;
      this.win.add(Math.exp(logB + logAddExp(below, half)));
    }
  }

  rates(): { winRate: number; lossRate: number } {
    const loss = Math.min(1, Math.max(0, this.loss.value));
    const win = this.levels.logCdf !== null ? Math.min(1, Math.max(0, this.win.value)) : 1 - loss;
    return { winRate: win, lossRate: loss };
  }
}
