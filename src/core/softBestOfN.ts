/**
 * Soft best-of-N (math.md (8.7)–(8.10), math-methods.md §2): draw N sequences from pⁿ and return
 * sequence i with probability e^{λR_i} / Σ_k e^{λR_k}. It changes pⁿ only through R:
 *
 *   g(x) = N e^{λx} E[1/(e^{λx} + S)],  S = Σ_{k=2..N} e^{λR_k},
 *        = N ∫ G(a + u) Λ̃(u) du,  G(v) = e^{v − e^v},  a = λ(x − x_top),
 *   Λ̃(u) = L̃(e^u)^{N−1},  L̃(s) = Σ_j w_j exp(−s e^{a_j}),
 *
 * from 1/c = ∫_0^∞ e^{−tc} dt, t = e^{u − λx_top} (so every a_j ≤ 0). N is any real ≥ 1, given
 * by log N (N = e^{1000} works: only log N and log(N − 1) enter).
 *
 * Quadrature: the trapezoid rule in u with step h = 1/4 on the whole line. The integrand of every
 * level is analytic in the strip |Im u| < π/2 and, on each line of the strip, bounded by the real
 * integrand shifted by log cos(Im u) (|L̃(e^{u+iy})| ≤ L̃(e^u cos y)), so the error is at most
 * 2·(2π/h)·e·e^{−π²/h} ≈ 1e-15 relative to each level's integral, for every N and every law.
 * The infinite sum is evaluated exactly in pieces, never truncated where it matters:
 *  - a level's own window v = a + u ∈ [−9, 3.75] (51 points) is summed term by term;
 *  - left of it G(v) = e^v − e^{2v} + e^{3v}/2 − e^{4v}/6 (error < e^{5v}/24 ≤ 1e-21), so the
 *    points there enter through four prefix sums P_m = Σ h e^{mu + log Λ̃} shared by all levels;
 *  - right of it G(v) ≤ e^{−e^{3.75}}: the rest is below 4e-19 of the level's integral;
 *  - where no level is in its window and log Λ̃ is constant to e^{−40} (a plateau), the prefix sums
 *    over the skipped points are geometric series, summed in closed form;
 *  - left of the first point, Λ̃ = 1 to 1e-18 (geometric tail); the march stops once
 *    log Λ̃ < −42 − log N, after which every level's remaining integral is below e^{−42}/N.
 * log Λ̃ = (N − 1)·log L̃ is formed from 1 − L̃ summed directly in log space (levels below their
 * window through the series 1 − e^{−t} = t − t²/2 + t³/6 − t⁴/24 and prefix sums of w_j e^{m a_j},
 * levels above it exactly as their upper tail), so 1 − L̃ = e^{−1000} is exact; where L̃ < ½ the sum
 * is L̃ itself. Work: about 51 points per level plus one bump of ≈ 180 points, each point a walk over
 * the levels in its window: O(L) with a constant of ≈ 100, independent of N.
 *
 * When λ·(smallest gap between levels) exceeds log(N − 1) + 46, the soft choice differs from the
 * hard one with probability < (N − 1)e^{−λ·gap} < e^{−46} (total variation), and best-of-N's level
 * law (bonLevels.ts) is returned; λ = ∞ is best-of-N itself. λ = 0 or N = 1 is pⁿ (g ≡ 1).
 */
import { bonLogRatios, logNegLog1mExp } from './bonLevels.js';
import { LogTailAccumulator } from './logCumulative.js';
import { log1mExp, logAddExp, NeumaierSum } from './logspace.js';
import { CoreFailure } from './result.js';
import type { SequenceRewardLaw } from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

/** Trapezoid step in u = log t. */
export const SOFT_BON_STEP = 0.25;
/** A level's window in v = a + u: term by term inside, series left of it, negligible right of it. */
const WIN_LO = -9;
const WIN_HI = 3.75;
/** e^{u + a} beyond which 1 − e^{−t} is 1 to e^{−40} (a level fully "off"). */
const OFF_T = 40;
/** Relative size below which a change of log Λ̃ is ignored (a plateau). */
const FLAT = -40;
/** Best-of-N is used when (N − 1)·e^{−λ·gap} < e^{−BON_MARGIN}. */
const BON_MARGIN = 46;

export type SoftBonRoute = 'base' | 'best-of-n' | 'quadrature';

export interface SoftBonLevels {
  /** ℓ_j = log g_j, normalised (Σ w_j e^{ℓ_j} = 1). */
  readonly logRatio: Float64Array;
  /**
   * ρ_j = log(g_j / ĝ_j), ĝ_j = e^{λx_j − nA(λ)} the tilt's ratio, normalised — computed directly
   * (not as ℓ_j minus the tilt's), so that KL(soft‖φ_λⁿ) = Σ φ_j f(ρ_j) keeps its digits when it
   * is tiny (large N). null unless the route is the quadrature.
   */
  readonly logRatioToTilt: Float64Array | null;
  /** log Σ_j φ_j (φ_λⁿ's level masses, e^{λ(x − x_top)} w / M̃), for the ρ form; 0 otherwise. */
  readonly logTiltMass: Float64Array | null;
  /** Σ w_j g_j − 1 before normalisation (the quadrature's error; 0 for the exact routes). */
  readonly massError: number;
  readonly route: SoftBonRoute;
  /** Quadrature points evaluated explicitly. */
  readonly points: number;
}

/**
 * The soft best-of-N level law on a law of R. λ ∈ [0, ∞], log N ≥ 0 with log(N − 1) (−∞ for N = 1).
 * @param step trapezoid step (tests use 1/8 to check the default's error)
 */
export function softBestOfNLevels(
  law: SequenceRewardLaw,
  logN: number,
  logNm1: number,
  lambda: number,
  step = SOFT_BON_STEP,
): SoftBonLevels {
  const L = law.values.length;
  if (L === 1 || lambda === 0 || logNm1 === Number.NEGATIVE_INFINITY) return base(L);
  const x = law.values;
  let gap = Number.POSITIVE_INFINITY;
  for (let j = 0; j + 1 < L; j++) gap = Math.min(gap, x[j + 1] - x[j]);
  if (lambda === Number.POSITIVE_INFINITY || logNm1 - lambda * gap < -BON_MARGIN)
    return hard(law, logN, logNm1);
  return quadrature(law, logN, logNm1, lambda, step);
}

function base(L: number): SoftBonLevels {
  return {
    logRatio: new Float64Array(L),
    logRatioToTilt: null,
    logTiltMass: null,
    massError: 0,
    route: 'base',
    points: 0,
  };
}

function hard(law: SequenceRewardLaw, logN: number, logNm1: number): SoftBonLevels {
  const levels = {
    logMass: law.logMass,
    logAbove: Array.from(law.logUpper, (_, j) =>
      j + 1 < law.logUpper.length ? law.logUpper[j + 1] : Number.NEGATIVE_INFINITY,
    ),
    logCdf: law.logLower,
  };
  return {
    logRatio: bonLogRatios(levels, logN, logNm1),
    logRatioToTilt: null,
    logTiltMass: null,
    massError: 0,
    route: 'best-of-n',
    points: 0,
  };
}

/** log F_j = log P(R ≤ x_j), from the smaller of the two tails (as bonLevels does). */
function logCdfAt(law: SequenceRewardLaw, j: number): number {
  const L = law.values.length;
  if (j < 0) return Number.NEGATIVE_INFINITY;
  if (j + 1 >= L) return 0;
  const above = law.logUpper[j + 1];
  return above < -Math.LN2 ? log1mExp(above) : Math.min(0, law.logLower[j]);
}

/** log(1 − t/2 + t²/6 − t³/24) for the ratios of the series, given log of the ratios. */
function seriesFactor(r2: number, r3: number, r4: number): number {
  return Math.log1p(-Math.exp(r2) / 2 + Math.exp(r3) / 6 - Math.exp(r4) / 24);
}

function quadrature(
  law: SequenceRewardLaw,
  logN: number,
  logNm1: number,
  lambda: number,
  h: number,
): SoftBonLevels {
  const L = law.values.length;
  const x = law.values;
  const lw = law.logMass;
  const top = x[L - 1];
  chargeWork(8 * L);
  const a = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    a[j] = lambda * (x[j] - top);
    if (!(a[j] > Number.NEGATIVE_INFINITY))
      throw new CoreFailure(
        'out-of-range',
        `soft best-of-N: λ·(x_top − x) = ${lambda}·${top - x[j]} exceeds the largest double`,
      );
  }
  // Prefix sums over the levels from the bottom: log S_m[j] = log Σ_{i≤j} w_i e^{m a_i}, m = 1..4.
  const logS: Float64Array[] = [];
  for (let m = 1; m <= 4; m++) {
    const acc = new LogTailAccumulator();
    const s = new Float64Array(L);
    for (let j = 0; j < L; j++) s[j] = acc.add(lw[j] + m * a[j]);
    logS.push(s);
  }
  const logM = logS[0][L - 1]; // log M̃ = log E e^{λ(R − x_top)} ≤ 0
  const nm1Log = logNm1;
  const cutoff = -42 - logN;
  const lnH = Math.log(h);

  // The march over u_k = k·h.
  const kTop = Math.ceil((WIN_LO - a[L - 1]) / h);
  const uLow = Math.log(0.5e-18) - logN - logM;
  let k = Math.min(Math.floor(uLow / h), kTop - 1);
  // Prefix sums P_m over the points before k: Λ̃ = 1 there, a geometric tail.
  const P = [new ScaledSum(), new ScaledSum(), new ScaledSum(), new ScaledSum()];
  for (let m = 1; m <= 4; m++) P[m - 1].add(lnH + m * k * h - m * h - Math.log(-Math.expm1(-m * h)));
  const snaps = new Float64Array(4 * L).fill(Number.NaN);
  let nextSnap = L - 1; // levels L−1, L−2, … enter their windows in this order
  let jLin = L - 1; // levels 0..jLin have u + a_j < WIN_LO
  let logF = 0; // log F_{jLin}, updated when jLin moves
  const storedK: number[] = [];
  const storedLogLam: number[] = [];
  const tScratch: number[] = [];
  let points = 0;
  for (;;) {
    const u = k * h;
    if (jLin >= 0 && u + a[jLin] >= WIN_LO) {
      while (jLin >= 0 && u + a[jLin] >= WIN_LO) jLin--;
      logF = logCdfAt(law, jLin);
    } else if (points === 0) logF = logCdfAt(law, jLin);
    while (nextSnap > jLin) {
      for (let m = 0; m < 4; m++) snaps[4 * nextSnap + m] = P[m].log();
      nextSnap--;
    }
    // 1 − L̃ = C (log C): the linear levels by their series, the window levels term by term
    // (relative to ref = log P(R ≥ x_{jLin+1}), which bounds each of them), the rest as a tail.
    let logClin = Number.NEGATIVE_INFINITY;
    if (jLin >= 0) {
      const s1 = logS[0][jLin];
      logClin =
        u + s1 + seriesFactor(u + logS[1][jLin] - s1, 2 * u + logS[2][jLin] - s1, 3 * u + logS[3][jLin] - s1);
    }
    const ref = jLin + 1 < L ? law.logUpper[jLin + 1] : Number.NEGATIVE_INFINITY;
    let cSum = 0;
    let walked = 0;
    let j = jLin + 1;
    for (; j < L; j++) {
      const ua = u + a[j];
      const t = Math.exp(ua);
      if (ua > WIN_HI && t >= OFF_T) break;
      tScratch[walked++] = t;
      cSum += Math.exp(lw[j] - ref) * -Math.expm1(-t);
    }
    if (j < L) cSum += Math.exp(law.logUpper[j] - ref);
    const logC = logAddExp(logClin, cSum > 0 ? ref + Math.log(cSum) : Number.NEGATIVE_INFINITY);
    let logLt: number;
    let logNegLogLt: number;
    if (logC <= -Math.LN2) {
      logLt = log1mExp(Math.min(0, logC));
      logNegLogLt = logNegLog1mExp(Math.min(0, logC));
    } else {
      // L̃ < ½: sum it directly, levels above the window while not negligible.
      const lin =
        jLin >= 0 ? logF + Math.log1p(-Math.min(1, Math.exp(logClin - logF))) : Number.NEGATIVE_INFINITY;
      let lSum = 0;
      for (let i = 0; i < walked; i++) lSum += Math.exp(lw[jLin + 1 + i] - ref - tScratch[i]);
      let logWin = lSum > 0 ? ref + Math.log(lSum) : Number.NEGATIVE_INFINITY;
      logLt = logAddExp(lin, logWin);
      const margin = OFF_T + Math.max(0, nm1Log);
      for (; j < L; j++) {
        const t = Math.exp(u + a[j]);
        if (t > margin - logLt) break;
        lSum += Math.exp(lw[j] - ref - t);
        walked++;
      }
      logWin = lSum > 0 ? ref + Math.log(lSum) : Number.NEGATIVE_INFINITY;
      logLt = Math.min(logAddExp(lin, logWin), 0);
      logNegLogLt = Math.log(-logLt);
    }
    chargeWork(walked + 8);
    const logLam = -Math.exp(nm1Log + logNegLogLt); // log Λ̃ = (N − 1)·log L̃ ≤ 0
    storedK.push(k);
    storedLogLam.push(logLam);
    points++;
    for (let m = 1; m <= 4; m++) P[m - 1].add(lnH + m * u + logLam);
    if (logLam < cutoff) break;
    if (jLin < 0 && u + a[0] > WIN_HI) break; // every level is past its window
    if (walked === 0) {
      // A plateau: no level in its window and Λ̃ constant to e^{−40} until the next level enters
      // or the linear levels start to move it.
      const kNext = jLin >= 0 ? Math.ceil((WIN_LO - a[jLin]) / h) : Number.POSITIVE_INFINITY;
      let kBump = Number.POSITIVE_INFINITY;
      if (jLin >= 0) {
        const uBump = FLAT + Math.log(Math.max(1, -logLam)) + logLt - nm1Log - logS[0][jLin];
        kBump = Math.floor(uBump / h) + 1;
      }
      const target = Math.min(kNext, kBump);
      if (target > k + 1 && target < Number.POSITIVE_INFINITY) {
        const skipped = target - k - 1;
        for (let m = 1; m <= 4; m++) {
          const mh = m * h;
          const span = mh * skipped;
          // log((e^{span} − 1)/(e^{mh} − 1)), exact for any span
          const logGeom = span + log1mExp(-span) - Math.log(Math.expm1(mh));
          P[m - 1].add(lnH + logLam + m * (u + h) + logGeom);
        }
        k = target;
        continue;
      }
      if (target === Number.POSITIVE_INFINITY) break; // nothing left to change
    }
    k++;
  }
  while (nextSnap >= 0) {
    for (let m = 0; m < 4; m++) snaps[4 * nextSnap + m] = P[m].log();
    nextSnap--;
  }

  // Each level: log K_i = log(g_i / (N e^{a_i})) = left series + its window's terms.
  const logK = new Float64Array(L);
  const nStored = storedK.length;
  const terms: number[] = [];
  chargeWork(60 * L);
  for (let i = L - 1; i >= 0; i--) {
    const p1 = snaps[4 * i];
    const ai = a[i];
    const left =
      p1 === Number.NEGATIVE_INFINITY
        ? Number.NEGATIVE_INFINITY
        : p1 +
          seriesFactorSigned(
            ai + snaps[4 * i + 1] - p1,
            2 * ai + snaps[4 * i + 2] - p1,
            3 * ai + snaps[4 * i + 3] - p1,
          );
    const kA = Math.ceil((WIN_LO - ai) / h);
    const kB = Math.floor((WIN_HI - ai) / h);
    let count = 0;
    let top = left;
    for (let s = lowerBoundK(storedK, kA, nStored); s < nStored && storedK[s] <= kB; s++) {
      const uk = storedK[s] * h;
      const term = lnH + uk - Math.exp(ai + uk) + storedLogLam[s];
      terms[count++] = term;
      if (term > top) top = term;
    }
    if (top === Number.NEGATIVE_INFINITY) {
      logK[i] = top;
      continue;
    }
    let sum = Math.exp(left - top);
    for (let c = 0; c < count; c++) sum += Math.exp(terms[c] - top);
    logK[i] = top + Math.log(sum);
  }
  // ℓ_j = log N + a_j + log K_j and ρ_j = log N + log M̃ + log K_j, both normalised.
  const logRatio = new Float64Array(L);
  const rho = new Float64Array(L);
  const logPhi = new Float64Array(L);
  const total = new LogTailAccumulator();
  const sumPhi = new NeumaierSum();
  const corr = new NeumaierSum(); // Σ φ_j expm1(ρ_j), for ρ's normalisation
  for (let j = 0; j < L; j++) {
    logRatio[j] = logN + a[j] + logK[j];
    total.add(lw[j] + logRatio[j]);
    rho[j] = logN + logM + logK[j];
    logPhi[j] = lw[j] + a[j] - logM;
    const phi = Math.exp(logPhi[j]);
    sumPhi.add(phi);
    corr.add(phi * Math.expm1(rho[j]));
  }
  const logTotal = total.value;
  // Normalised so that Σ φ_j e^{ρ_j} = Σ φ_j exactly: the f-form of KL(π‖φ) then has no offset.
  const logTotalRho = Math.log1p(corr.value / sumPhi.value);
  for (let j = 0; j < L; j++) {
    logRatio[j] -= logTotal;
    rho[j] -= logTotalRho;
  }
  return {
    logRatio,
    logRatioToTilt: rho,
    logTiltMass: logPhi,
    massError: Math.expm1(logTotal),
    route: 'quadrature',
    points,
  };
}

/**
 * Σ e^{x_i} over terms added one at a time, read as a log only when asked: a linear sum relative to
 * a scale that moves up when a term exceeds it by e^{300} (prefix sums grow by many orders).
 */
class ScaledSum {
  private scale = Number.NEGATIVE_INFINITY;
  private sum = 0;

  add(x: number): void {
    if (x === Number.NEGATIVE_INFINITY) return;
    if (x > this.scale + 300) {
      this.sum = this.scale === Number.NEGATIVE_INFINITY ? 0 : this.sum * Math.exp(this.scale - x);
      this.scale = x;
    }
    this.sum += Math.exp(x - this.scale);
  }

  log(): number {
    return this.scale === Number.NEGATIVE_INFINITY ? this.scale : this.scale + Math.log(this.sum);
  }
}

/** log(1 − e^{r2} + e^{r3}/2 − e^{r4}/6): the series of G(v)/e^v left of a window. */
function seriesFactorSigned(r2: number, r3: number, r4: number): number {
  return Math.log1p(-Math.exp(r2) + Math.exp(r3) / 2 - Math.exp(r4) / 6);
}

/** First index s < end with ks[s] ≥ k (ks ascending). */
function lowerBoundK(ks: number[], k: number, end: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ks[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
