/**
 * The log-partition function A(s) = log Σ_k p_k e^{s r_k} of one token's reward and the
 * quantities of the tilted distribution φ_s(k) = p_k e^{s r_k − A(s)} (math.md §2).
 *
 * Method (one evaluation = one exp per distinct reward value):
 *  - Shift at the mode: c = the value maximising log p_k + s v_k, t* = log p(c). With
 *    e_k = exp(log p_k − t* + s(v_k − c)) ≤ 1 and Z = Σ e_k ≥ 1, A(s) = s c + t* + log Z. No
 *    exponent is ever positive, so rewards ±1e3 with s = ±1e3 cannot overflow.
 *  - Central moments of φ_s are taken about the shifted mean c + m₁ (no large offsets).
 *  - D(s) = KL(φ_s‖p) = Σ p_k f(u_k), u_k = s v_k − A(s) = s(v_k − c) − (A − s c),
 *    f(u) = 1 + (u − 1)eᵘ ≥ 0: a sum of non-negative terms, hence no cancellation even where
 *    D(s) ≈ s²A''(0)/2 is tiny. For |u| < 0.5, f(u) = Σ_{j≥2} uʲ(j−1)/j! (the closed form
 *    would cancel); otherwise p_k + (u_k − 1)φ_k (φ_k computed directly, so p_k may underflow).
 *  - The distance to the limit, e.g. for s > 0: Dmax − D(s) = s Σ_{k∉M} φ_k (r_max − v_k)
 *    + log1p(T/p(M)), T = Σ_{k∉M} p_k e^{−s(r_max − v_k)}: both terms ≥ 0, so D close to
 *    Dmax = −log p(M) keeps full relative accuracy in Dmax − D. Mirrored for s < 0 with m, r_min.
 *  - s = ±∞ are the limits: φ_{+∞} = p restricted to M, φ_{−∞} = p restricted to m.
 */
import { fastExp } from './fastExp.js';
import { log1pExp, NeumaierSum } from './logspace.js';
import { CoreFailure, guard, type Result } from './result.js';
import { buildTokenRewardLaw, type TokenRewardLaw } from './rewardLaw.js';
import { rewardUnit, scaledLaw, unscaleStats } from './rewardScale.js';
import type { TiltStats } from './tiltStats.js';
import { chargeWork } from './workBudget.js';

export type { TiltStats };

/** TiltStats plus the central moments μ_j = E_{φ_s}(r − A'(s))ʲ, j = 0..order (μ₀ = 1, μ₁ = 0). */
export interface TiltMoments {
  readonly stats: TiltStats;
  readonly central: Float64Array;
  /**
   * The mode shift (finite s only): log φ_s(v_k) = log p_k − tStar + s(v_k − c) − logZ, exact to
   * a few ulp of its own size even for the mode (−logZ = −log1p(Σ_{k≠mode} e_k)).
   */
  readonly shift?: { readonly c: number; readonly tStar: number; readonly logZ: number };
}

// Coefficients (j − 1)/j! of f(u)/u² = Σ_{j≥2} u^{j−2} (j−1)/j!; 15 terms reach 1e-17 at |u| = 0.5.
const F_SERIES: readonly number[] = (() => {
  const out: number[] = [];
  let fact = 2;
  for (let j = 2; j <= 16; j++) {
    if (j > 2) fact *= j;
    out.push((j - 1) / fact);
  }
  return out;
})();
const [F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14] = F_SERIES;

/**
 * f(u) = 1 + (u − 1)eᵘ = KL contribution per unit base mass, ≥ 0, f(0) = 0.
 * Series for |u| < 0.5, closed form otherwise. The series is evaluated by Estrin's scheme, not
 * Horner's: its products are independent, so a loop calling it per transition (markovMessages.ts)
 * is not held up by one long chain of dependent multiply-adds.
 */
export function klTerm(u: number): number {
  if (Math.abs(u) < 0.5) {
    const u2 = u * u;
    const u4 = u2 * u2;
    const u8 = u4 * u4;
    const a = F0 + F1 * u + (F2 + F3 * u) * u2 + (F4 + F5 * u + (F6 + F7 * u) * u2) * u4;
    const b = F8 + F9 * u + (F10 + F11 * u) * u2 + (F12 + F13 * u + F14 * u2) * u4;
    return u2 * (a + b * u8);
  }
  return 1 + (u - 1) * Math.exp(u);
}

const linearMassCache = new WeakMap<TokenRewardLaw, Float64Array>();
const baseMeanCache = new WeakMap<TokenRewardLaw, number>();

/** μ₀ = E_p r with Neumaier compensation (cached per law). */
export function baseMean(law: TokenRewardLaw): number {
  let mu = baseMeanCache.get(law);
  if (mu === undefined) {
    const p = linearMass(law);
    const acc = new NeumaierSum();
    for (let k = 0; k < p.length; k++) acc.add(p[k] * law.values[k]);
    mu = acc.value;
    baseMeanCache.set(law, mu);
  }
  return mu;
}

/**
 * A(s) and A'(s) for small |s|·(r_max − r_min) ≤ 1/2, to full relative accuracy even when
 * A(s) ≈ s²A''(0)/2 (E_p r = 0) — where s·c + (A − s c) or s·A' − D would lose digits.
 * With d_k = v_k − μ₀ and x_k = expm1(s d_k): A = s μ₀ + B, B = log1p(S), S = s δ + Σ p_k (x_k − s d_k),
 * δ = Σ p_k d_k (≈ 0; compensated), x − sd by its series; A' = μ₀ + (δ + Σ p_k x_k d_k)/(1 + S).
 * B and μ₀ are returned for `smallTiltKL`.
 * Why D from here (`smallTiltKL`): the main pass forms u_k = s(v_k − c) − (A − s c) about the
 * mode, and A − s c ≈ −log p(mode) carries an absolute rounding error δ ≈ 1e-16; D = Σ p f(u) is
 * insensitive to it to first order but not to second: an error ≈ δ²/2 ≈ 1e-32, which is 1e-8
 * relative when D = 1e-24 (λ at the KL of best-of-N near N = 1).
 */
function smallTilt(
  law: TokenRewardLaw,
  s: number,
): { logPartition: number; mean: number; B: number; mu0: number } {
  const mu0 = baseMean(law);
  const p = linearMass(law);
  chargeWork(p.length);
  const delta = new NeumaierSum();
  const second = new NeumaierSum();
  const slope = new NeumaierSum();
  for (let k = 0; k < p.length; k++) {
    const d = law.values[k] - mu0;
    const u = s * d;
    delta.add(p[k] * d);
    second.add(p[k] * expm1MinusLinear(u));
    slope.add(p[k] * Math.expm1(u) * d);
  }
  const S = s * delta.value + second.value;
  const B = Math.log1p(S);
  const m = (delta.value + slope.value) / (1 + S);
  return { logPartition: s * mu0 + B, mean: mu0 + m, B, mu0 };
}

/**
 * D(s) = Σ p_k f(u_k) with u_k = s(v_k − μ₀) − B = log(φ_s(k)/p_k), B = A(s) − sμ₀ from
 * `smallTilt` (full relative accuracy): every u_k is accurate to a few ulp, so D ≈ s²A''(0)/2
 * keeps its digits down to D = 1e-300 and below. (As s·m − B the two terms share sδ, δ = Σ p_k d_k
 * ≈ 1e-17 the rounding of μ₀, which swamps s²A'' once s < 1e-17: Δ = 1e-300 gave the λ of 1e-66.)
 */
function smallTiltKL(law: TokenRewardLaw, s: number, B: number, mu0: number): number {
  const p = linearMass(law);
  chargeWork(p.length);
  const sum = new NeumaierSum();
  for (let k = 0; k < p.length; k++) sum.add(p[k] * klTerm(s * (law.values[k] - mu0) - B));
  return Math.max(0, sum.value);
}

/** eᵘ − 1 − u for |u| ≤ 1/2 by its series Σ_{j≥2} uʲ/j! (17 terms: < 1e-17 relative). */
function expm1MinusLinear(u: number): number {
  let term = u;
  let sum = 0;
  for (let j = 2; j <= 18; j++) {
    term *= u / j;
    sum += term;
  }
  return sum;
}

/** p_k = exp(logMass_k) per merged value (cached per law; entries below 1e-308 may be 0). */
export function linearMass(law: TokenRewardLaw): Float64Array {
  let p = linearMassCache.get(law);
  if (p === undefined) {
    p = new Float64Array(law.logMass.length);
    for (let k = 0; k < p.length; k++) p[k] = fastExp(law.logMass[k]);
    linearMassCache.set(law, p);
  }
  return p;
}

let scratch = new Float64Array(0);
function scratchBuffer(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(Math.max(size, 2 * scratch.length));
  return scratch;
}

/** Validates a tilt parameter: any real or ±∞; NaN is an error. */
export function requireTilt(s: number, name = 's'): void {
  // The message is built only on failure: this check runs in every evaluation of a root solver.
  if (typeof s !== 'number' || Number.isNaN(s))
    throw new CoreFailure('invalid-argument', `${name} = ${s} is not a number`);
}

function infiniteTilt(law: TokenRewardLaw, s: number): TiltStats {
  const up = s > 0;
  const v = up ? law.rMax : law.rMin;
  const logMass = up ? law.logMassMax : law.logMassMin;
  const single = law.values.length === 1;
  const logPartition = v === 0 ? logMass : v > 0 === up ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return {
    s,
    logPartition,
    mean: v,
    variance: 0,
    kl: single ? 0 : -logMass,
    klToLimit: 0,
    meanGapMax: up ? 0 : law.rMax - law.rMin,
    meanGapMin: up ? law.rMax - law.rMin : 0,
    logMassMax: up || single ? 0 : Number.NEGATIVE_INFINITY,
    logMassMin: !up || single ? 0 : Number.NEGATIVE_INFINITY,
  };
}

/** Terms per block in blocked summation: plain sums inside a block, compensated across blocks. */
const BLOCK = 64;

/**
 * The compensated (Neumaier) accumulators of one evaluation, as (sum, compensation) pairs in one
 * reusable array rather than nine NeumaierSum objects per call: an evaluation runs in the inner
 * loop of every root solver and curve. Same arithmetic as NeumaierSum, bit for bit. Safe to share:
 * an evaluation reads its sums before anything else can evaluate.
 */
const SUMS = new Float64Array(18);
const Z_REST = 0;
const FIRST_MOMENT = 1;
const OFF_MAX = 2;
const OFF_MIN = 3;
const KL_SUM = 4;
const GAP_MAX = 5;
const GAP_MIN = 6;
const MOMENT2 = 7;
const MOMENT3 = 8;

function addToSum(which: number, x: number): void {
  const sum = SUMS[2 * which];
  const t = sum + x;
  if (Math.abs(sum) >= Math.abs(x)) SUMS[2 * which + 1] += sum - t + x;
  else SUMS[2 * which + 1] += x - t + sum;
  SUMS[2 * which] = t;
}

function sumOf(which: number): number {
  return SUMS[2 * which] + SUMS[2 * which + 1];
}

/**
 * Evaluates the tilt at s with central moments up to `order` (2..8). Internal: throws
 * CoreFailure on NaN s. See the module comment for the method.
 *
 * Summation: every sum is blocked — plain within blocks of 64 terms, Neumaier-compensated
 * across blocks — so the rounding error is ≈ (64 + 2)·ulp·Σ|terms| for any vocabulary size
 * (10^6 values included) at nearly the cost of plain summation.
 */
export function evaluateTilt(law: TokenRewardLaw, s: number, order = 2): TiltMoments {
  return evaluateTiltWith(law, s, order, true);
}

/**
 * `evaluateTilt` with a choice: `smallTiltExact = false` skips the extra compensated pass that
 * gives A(s) and A'(s) full relative accuracy for |s|·(r_max − r_min) ≤ 1/2 (A and A' then carry
 * ≈ ulp·(|s c| + |A|) absolute error; D, A'', the complements are unaffected). Root solvers use
 * it for their intermediate iterates, which only need D and A''.
 */
export function evaluateTiltWith(
  law: TokenRewardLaw,
  s: number,
  order: number,
  smallTiltExact: boolean,
): TiltMoments {
  requireTilt(s);
  const central = new Float64Array(order + 1);
  central[0] = 1;
  if (!Number.isFinite(s)) return { stats: infiniteTilt(law, s), central };
  const r = evaluateFiniteTilt(law, s, order, smallTiltExact, central, RESULT);
  return { stats: copyTiltStats(r), central, shift: { c: r.c, tStar: r.tStar, logZ: r.logZ } };
}

/**
 * One evaluation's numbers, written in place: the TiltStats fields and the mode shift. Root
 * solvers evaluate the tilt a few times per solve and read a handful of fields from each iterate,
 * so `evaluateTiltIterate` hands them a reused record instead of four new objects per iterate.
 */
class TiltRecord implements TiltStats {
  s = 0;
  logPartition = 0;
  mean = 0;
  variance = 0;
  kl = 0;
  klToLimit = 0;
  meanGapMax = 0;
  meanGapMin = 0;
  logMassMax = 0;
  logMassMin = 0;
  /** The mode shift of TiltMoments.shift (finite s). */
  c = 0;
  tStar = 0;
  logZ = 0;
}

/** Scratch of `evaluateTiltWith` (copied out before it returns). */
const RESULT = new TiltRecord();
/** The reused results of `evaluateTiltIterate`. */
const ITERATE = new TiltRecord();
const ITERATE_RESULT = { stats: ITERATE as TiltStats, central: new Float64Array(9) } as const;

/** A TiltStats object with the fields of `st` (an iterate's record, kept beyond the next one). */
export function copyTiltStats(st: TiltStats): TiltStats {
  return {
    s: st.s,
    logPartition: st.logPartition,
    mean: st.mean,
    variance: st.variance,
    kl: st.kl,
    klToLimit: st.klToLimit,
    meanGapMax: st.meanGapMax,
    meanGapMin: st.meanGapMin,
    logMassMax: st.logMassMax,
    logMassMin: st.logMassMin,
  };
}

/**
 * `evaluateTiltWith` for a root solver's iterates: the same numbers, in a record and a moments
 * array that are reused — valid until the next call, so a solver keeps what it needs (or
 * `copyTiltStats`) before evaluating again. No allocation per iterate.
 */
export function evaluateTiltIterate(
  law: TokenRewardLaw,
  s: number,
  order: number,
  smallTiltExact: boolean,
): { readonly stats: TiltStats; readonly central: Float64Array } {
  requireTilt(s);
  const central = ITERATE_RESULT.central;
  central.fill(0);
  central[0] = 1;
  if (Number.isFinite(s)) evaluateFiniteTilt(law, s, order, smallTiltExact, central, ITERATE);
  else Object.assign(ITERATE, infiniteTilt(law, s)); // rare: an iterate that overflowed
  return ITERATE_RESULT;
}

/** The evaluation itself for finite s, into `out` and `central` (central[0] = 1 already). */
function evaluateFiniteTilt(
  law: TokenRewardLaw,
  s: number,
  order: number,
  smallTiltExact: boolean,
  central: Float64Array,
  out: TiltRecord,
): TiltRecord {
  const { values, logMass } = law;
  const K = values.length;
  const last = K - 1;
  // Work: the mode search and two passes over the K values (more below for high orders).
  chargeWork(3 * K);

  // Mode of φ_s: the shift that makes every exponent ≤ 0. Where s·v could overflow (rewards
  // 1e300, or s = 1e300), the search is relative to the end the tilt favours: same argmax, and
  // log p_k + s(v_k − ref) ≤ log p_k cannot overflow (with s·v = ∞ for every value, value 0 won).
  const ref =
    Math.abs(s) * Math.max(Math.abs(law.rMax), Math.abs(law.rMin)) > 1e300
      ? s > 0
        ? law.rMax
        : law.rMin
      : 0;
  let mode = 0;
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const t = logMass[k] + s * (values[k] - ref);
    if (t > best) {
      best = t;
      mode = k;
    }
  }
  const c = values[mode];
  const tStar = logMass[mode];

  // Pass 1: e_k = φ_k·Z (≤ 1, = 1 at the mode); Z − 1, Σ e_k (v_k − c), and the masses off M
  // and off m for the complements.
  const e = scratchBuffer(K);
  SUMS.fill(0);
  for (let start = 0; start < K; start += BLOCK) {
    const end = Math.min(K, start + BLOCK);
    let bz = 0;
    let b1 = 0;
    for (let k = start; k < end; k++) {
      const d = values[k] - c;
      const ek = k === mode ? 1 : fastExp(logMass[k] - tStar + s * d);
      e[k] = ek;
      bz += k === mode ? 0 : ek; // Z − 1 directly: keeps log φ(M) ≈ −T/p(M) when tiny
      b1 += ek * d;
    }
    addToSum(Z_REST, bz);
    addToSum(FIRST_MOMENT, b1);
  }
  const zr = sumOf(Z_REST);
  const Z = 1 + zr;
  const logZ = Math.log1p(zr);
  const a0 = tStar + logZ; // A(s) − s c
  const m1 = sumOf(FIRST_MOMENT) / Z; // A'(s) − c
  const logPartition = s === 0 ? 0 : s * c + a0;

  // Pass 2: gaps to the ends, central moment 2 (higher orders below), and D = Σ p_k f(u_k).
  const p = linearMass(law);
  // Order 3 (Halley steps in root solvers) rides along in this pass; higher orders use a loop below.
  const third = order === 3;
  const rMax = law.rMax;
  const rMin = law.rMin;
  const invZ = 1 / Z;
  for (let start = 0; start < K; start += BLOCK) {
    const end = Math.min(K, start + BLOCK);
    let bMax = 0;
    let bMin = 0;
    let b2 = 0;
    let b3 = 0;
    let bKl = 0;
    let bOffMax = 0;
    let bOffMin = 0;
    for (let k = start; k < end; k++) {
      const ek = e[k];
      const phi = ek * invZ;
      const v = values[k];
      bMax += phi * (rMax - v);
      bMin += phi * (v - rMin);
      const dev = v - c - m1;
      const sq = phi * dev * dev;
      b2 += sq;
      if (third) b3 += sq * dev;
      const u = s * (v - c) - a0;
      bKl += u < 0.5 && u > -0.5 ? p[k] * klTerm(u) : p[k] + (u - 1) * phi;
      if (k !== last) bOffMax += ek;
      if (k !== 0) bOffMin += ek;
    }
    addToSum(GAP_MAX, bMax);
    addToSum(GAP_MIN, bMin);
    addToSum(MOMENT2, b2);
    addToSum(MOMENT3, b3);
    addToSum(KL_SUM, bKl);
    addToSum(OFF_MAX, bOffMax);
    addToSum(OFF_MIN, bOffMin);
  }
  const gapMax = sumOf(GAP_MAX);
  const gapMin = sumOf(GAP_MIN);
  const offMax = sumOf(OFF_MAX);
  const offMin = sumOf(OFF_MIN);
  const klSum = sumOf(KL_SUM);
  central[2] = sumOf(MOMENT2);
  if (third) central[3] = sumOf(MOMENT3);
  else if (order > 2) {
    chargeWork(K * order);
    const moments: NeumaierSum[] = [];
    for (let j = 0; j <= order; j++) moments.push(new NeumaierSum());
    for (let k = 0; k < K; k++) {
      const phi = e[k] * invZ;
      const dev = values[k] - c - m1;
      let pow = phi * dev * dev;
      for (let j = 3; j <= order; j++) {
        pow *= dev;
        moments[j].add(pow);
      }
    }
    for (let j = 3; j <= order; j++) central[j] = moments[j].value;
  }

  let klToLimitValue: number;
  let limit: number;
  if (K === 1) {
    limit = 0;
    klToLimitValue = 0;
  } else if (s >= 0) {
    // Dmax − D(s) = s Σ_{k∉M} φ_k (r_max − v_k) + log1p(T/p(M)).
    limit = -law.logMassMax;
    const logRatio = Math.log(offMax) - (logMass[last] - tStar + s * (rMax - c));
    klToLimitValue = s * gapMax + log1pExp(logRatio);
  } else {
    // Mirror image: −log p(m) − D(s) = |s| Σ_{k∉m} φ_k (v_k − r_min) + log1p(T'/p(m)).
    limit = -law.logMassMin;
    const logRatio = Math.log(offMin) - (logMass[0] - tStar + s * (rMin - c));
    klToLimitValue = -s * gapMin + log1pExp(logRatio);
  }
  let direct = s === 0 || K === 1 ? 0 : klSum;
  // Small tilts: A and A' from the centred pass (`smallTilt`) when asked for, and D from it
  // whenever the main pass's D may be below its second-order error floor ≈ δ²/2 (δ ≈ ulps of
  // A − s c, see `smallTilt`): below 1e-13·(1 + |A − s c|)² the floor would exceed 4e-18·D.
  let small: { logPartition: number; mean: number; B: number; mu0: number } | undefined;
  if (s !== 0 && Math.abs(s) * (rMax - rMin) <= 0.5) {
    const floor = 1e-13 * (1 + Math.abs(a0)) * (1 + Math.abs(a0));
    if (smallTiltExact || direct < floor) small = smallTilt(law, s);
    if (small !== undefined && direct < floor) direct = smallTiltKL(law, s, small.B, small.mu0);
  }
  // Use whichever of D and limit − D is the small one as the accurately computed quantity.
  const useDirect = direct <= limit / 2;
  const kl = useDirect ? direct : limit - klToLimitValue;
  const klToLimit = useDirect ? limit - direct : klToLimitValue;

  let logPartitionValue = logPartition;
  let meanValue = c + m1;
  if (smallTiltExact && small !== undefined) {
    logPartitionValue = small.logPartition;
    meanValue = small.mean;
  }
  // log φ_s at the two ends (no closure: this runs in root solvers' inner loops).
  const logMassMaxValue = logMass[last] - tStar + s * (values[last] - c) - logZ;
  const logMassMinValue = logMass[0] - tStar + s * (values[0] - c) - logZ;
  out.s = s;
  out.logPartition = logPartitionValue;
  out.mean = meanValue;
  out.variance = K === 1 ? 0 : central[2];
  out.kl = Math.max(0, kl);
  out.klToLimit = Math.max(0, klToLimit);
  out.meanGapMax = gapMax;
  out.meanGapMin = gapMin;
  out.logMassMax = logMassMaxValue;
  out.logMassMin = logMassMinValue;
  out.c = c;
  out.tStar = tStar;
  out.logZ = logZ;
  return out;
}

/** Central-moment-free evaluation (order 2): A, A', A'', D, limits. Internal (throws). */
export function tiltStatsUnchecked(law: TokenRewardLaw, s: number): TiltStats {
  return evaluateTilt(law, s, 2).stats;
}

/**
 * The statistics at s for the public API: on the rescaled law for extreme reward scales
 * (rewardScale.ts: A''(s) ≈ span² is computed without overflow wherever it is a double), and an
 * `out-of-range` error instead of ±∞ for a finite s (A(s) ≈ s·r_max = 1e310, A'' ≈ 1e600) — for
 * A alone when only A is asked for.
 */
function publicStats(law: TokenRewardLaw, s: number, onlyA: boolean): TiltStats {
  requireTilt(s);
  const unit = rewardUnit(law);
  const st =
    unit === 1
      ? evaluateTilt(law, s, 2).stats
      : unscaleStats(evaluateTilt(scaledLaw(law), s * unit, 2).stats, unit);
  const finite =
    Number.isFinite(st.logPartition) && (onlyA || (Number.isFinite(st.mean) && Number.isFinite(st.variance)));
  if (Number.isFinite(s) && !finite)
    throw new CoreFailure(
      'out-of-range',
      `at s = ${s} the log-partition function${onlyA ? '' : ' or the variance of the reward'} exceeds the largest double (rewards up to ${Math.max(Math.abs(law.rMin), Math.abs(law.rMax))})`,
    );
  return st;
}

/** A(s) = log Σ_k p_k e^{s r_k}. Errors: `invalid-argument` for NaN s, `out-of-range` beyond the doubles. */
export function logPartition(law: TokenRewardLaw, s: number): Result<number> {
  return guard(() => publicStats(law, s, true).logPartition);
}

/**
 * {A(s), A'(s), A''(s), D(s), limits} at s ∈ [−∞, ∞] (see TiltStats).
 * Accuracy: A, A' and D to a few ulp relative (D via the non-negative series, or via the
 * complement near its limit); A'' to ≈ 1e-15 relative of the second moment.
 */
export function tiltStats(law: TokenRewardLaw, s: number): Result<TiltStats> {
  return guard(() => publicStats(law, s, false));
}

/**
 * log φ_s(v_j) per merged reward value (law.values order). s = ±∞ → log p(·|M) on M
 * (resp. m) and −∞ elsewhere.
 */
export function tiltedLogMass(law: TokenRewardLaw, s: number): Result<Float64Array> {
  return guard(() => tiltedLogMassUnchecked(law, s));
}

export function tiltedLogMassUnchecked(law: TokenRewardLaw, s: number): Float64Array {
  requireTilt(s);
  const K = law.values.length;
  const out = new Float64Array(K);
  if (!Number.isFinite(s)) {
    const keep = s > 0 ? K - 1 : 0;
    out.fill(Number.NEGATIVE_INFINITY);
    out[keep] = 0;
    return out;
  }
  // φ_0 = p exactly (the law's own log masses): a policy equal to p is then at KL 0 from φ_0,
  // not at the 1e-32 that two routes to log p would leave.
  if (s === 0) {
    out.set(law.logMass);
    return out;
  }
  // log φ = log p − t* + s(v − c) − log Z about the mode: no large offsets, and the dominant
  // value's log φ = −log1p(…) keeps tiny values such as −3.6e-218 (no renormalisation after).
  const { c, tStar, logZ } = evaluateTilt(law, s, 2).shift!;
  for (let k = 0; k < K; k++) out[k] = law.logMass[k] - tStar + s * (law.values[k] - c) - logZ;
  return out;
}

/**
 * The law of one token's reward under φ_λ (λ = ±∞: the one-value law at r_max, resp. r_min).
 * Masses are log φ_λ per value (normalised to rounding; not renormalised, see above).
 * Error `out-of-range` when |λ|·(r_max − r_min) exceeds the largest double (λ = 1e10 with
 * rewards ±1e300): some log φ_λ would be below −1.8e308, and the rates and tails built on the
 * tilted law (I_λ ≈ λ·(r_max − x)) are not doubles either.
 */
export function tiltedLaw(law: TokenRewardLaw, lambda: number): TokenRewardLaw {
  requireTilt(lambda, 'λ');
  if (lambda === 0) return law;
  if (Number.isFinite(lambda) && !Number.isFinite(lambda * (law.rMax - law.rMin)))
    throw new CoreFailure(
      'out-of-range',
      `λ·(r_max − r_min) = ${lambda}·${law.rMax - law.rMin} exceeds the largest double: the tilted law's masses and its rates are beyond the double range`,
    );
  if (!Number.isFinite(lambda)) {
    const v = lambda > 0 ? law.rMax : law.rMin;
    return {
      values: Float64Array.of(v),
      logMass: Float64Array.of(0),
      rMin: v,
      rMax: v,
      logMassMax: 0,
      logMassMin: 0,
      tokenCount: law.tokenCount,
      inputMass: 1,
    };
  }
  const logMass = tiltedLogMassUnchecked(law, lambda);
  return { ...law, logMass, logMassMax: logMass[logMass.length - 1], logMassMin: logMass[0], inputMass: 1 };
}

/** The smallest normal double: below it a product loses relative precision. */
const MIN_NORMAL = 2 ** -1022;

/**
 * The tilted distribution per original token: φ_s(k) = p_k e^{s r_k − A(s)} / Σp (p is
 * normalised like the law). Tokens with p_k = 0 get 0. s = ±∞ → p restricted to M (resp. m).
 * Errors: those of `tokenRewardLaw` and NaN s. `law`, when given, must be the law of these p
 * and r (`tokenRewardLaw(p, r)`): a caller that holds it saves building it again (sorting and
 * merging the rewards is most of the cost for a 50,000-token vocabulary).
 */
export function tokenTilt(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  s: number,
  law?: TokenRewardLaw,
): Result<Float64Array> {
  return guard(() => {
    if (law !== undefined && law.values.length > p.length)
      throw new CoreFailure('invalid-argument', 'the reward law given is not the law of these p and r');
    law ??= buildTokenRewardLaw(p, r);
    requireTilt(s);
    // φ_s(token) = p_token · ρ_j with ρ_j = φ_s(value j) / (p(value j)·Σp), the same for every
    // token of value j: one exponential per value, then one product per token. The product is
    // more accurate than exp(log p + log ρ) (whose exponent carries |log p|·ulp), and the tokens,
    // taken in file order, read one array at random (ρ) instead of two (a million tokens: half the
    // cache misses). Where ρ_j or p is not a normal double the logs are summed instead.
    const logRatio = tiltedLogMassUnchecked(law, s);
    const logInputMass = Math.log(law.inputMass);
    const K = logRatio.length;
    const ratio = new Float64Array(K);
    for (let j = 0; j < K; j++) {
      logRatio[j] -= law.logMass[j] + logInputMass;
      ratio[j] = fastExp(logRatio[j]);
    }
    const out = new Float64Array(p.length);
    // The law knows each token's value index when it was built from these p and r; otherwise
    // the law's sorted values are searched.
    const known = law.valueIndexOfToken?.length === p.length ? law.valueIndexOfToken : undefined;
    for (let i = 0; i < p.length; i++) {
      const pi = p[i];
      if (pi === 0) continue;
      const j = known !== undefined ? known[i] : valueIndex(law.values, r[i]);
      const rho = ratio[j];
      out[i] =
        rho >= MIN_NORMAL && rho <= Number.MAX_VALUE && pi >= MIN_NORMAL
          ? pi * rho
          : Math.exp(Math.log(pi) + logRatio[j]);
    }
    return out;
  });
}

/** Index of reward v in the ascending `values` (binary search; v must be present). */
export function valueIndex(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
