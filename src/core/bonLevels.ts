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
import { log1mExp } from './logspace.js';

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
 * over one law of R) computes these once and then only the N-dependent terms per N.
 */
export interface BonLevelParts {
  readonly logT: Float64Array;
  readonly q: Float64Array;
  readonly logA: Float64Array;
}

export function bonLevelParts(levels: BonLevelInput): BonLevelParts {
  const L = levels.logMass.length;
  const logT = new Float64Array(L);
  const qs = new Float64Array(L);
  const logAs = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    const above = levels.logAbove[j];
    // t = −log F and log F from the upper tail while it is below 1/2 (exact even when e^{above}
    // underflows), else from the directly summed lower tail.
    let logF: number;
    if (above < -Math.LN2 || levels.logCdf === null) {
      logF = above === Number.NEGATIVE_INFINITY ? 0 : log1mExp(Math.min(0, above));
      logT[j] = logNegLog1mExp(Math.min(0, above));
    } else {
      logF = Math.min(0, levels.logCdf[j]);
      logT[j] = Math.log(-logF);
    }
    // q = log(w/F) ≤ 0; the lowest level of a full law has w = F (q = 0, a = ∞).
    const q = Math.min(0, levels.logMass[j] - logF);
    qs[j] = q;
    logAs[j] = q === 0 ? Number.POSITIVE_INFINITY : logNegLog1mExp(q);
  }
  return { logT, q: qs, logA: logAs };
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
  const small = logN < Math.LN2;
  const { logT, q: qs, logA: logAs } = parts;
  for (let j = 0; j < L; j++) {
    // −(N − 1)·t_j. Even when b_j underflows as a double (N = 1e6 makes the bottom level
    // e^{−98440}), its logarithm is finite and reported exactly: the preview plots log b_j.
    const drift = -Math.exp(logNm1 + logT[j]);
    const q = qs[j];
    const logA = logAs[j];
    let jump: number;
    if (small) {
      // log1p(e^{−a}·(1 − e^{−(N−1)a})/e^{q}); e^{−a} = 1 − e^{q}.
      const keep = logA === Number.POSITIVE_INFINITY ? 0 : -Math.expm1(q);
      jump = keep === 0 ? 0 : Math.log1p(keep * Math.exp(logOneMinusExpNeg(logNm1 + logA) - q));
    } else {
      jump = logOneMinusExpNeg(logN + logA) - q;
    }
    out[j] = drift + jump;
  }
  return out;
}
