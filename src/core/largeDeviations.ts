/**
 * Large deviations of the average reward (math.md §4).
 *
 * Cramér's rate under a law q: A*_q(x) = sup_s [s x − A_q(s)] = D_q(s) at the s with
 * A'_q(s) = x. The rate function of R/n under φ_λⁿ is I_λ(x) = A*(x) − λx + A(λ), which is
 * Cramér's rate of the law re-based at φ_λ: I_λ(x) = A*_{φ_λ}(x) = KL(φ_s‖φ_λ) with A'(s) = x.
 * Computing it that way (instead of subtracting λx − A(λ) from A*(x)) avoids cancellation:
 * every value comes from the non-negative KL series of logPartition.ts, or from its
 * complement near the endpoints, where I_λ(r_max) = −log φ_λ(M) and I_λ(r_min) = −log φ_λ(m).
 */

import { geometricMean } from './klrl.js';
import {
  copyTiltStats,
  evaluateTilt,
  evaluateTiltIterate,
  type TiltStats,
  tiltedLaw,
} from './logPartition.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { rewardUnit, scaledLaw } from './rewardScale.js';
import { TiltSweep } from './tiltSweep.js';

/** Rewards at more than 2^20 spans from 0: the mean's rounding is too coarse to compare x with. */
const OFFSET_RATIO = 2 ** 20;

/** A*(x) together with the tilt s solving A'(s) = x (±∞ at and beyond the endpoints). */
export interface CramerPoint {
  readonly x: number;
  readonly rate: number;
  readonly s: number;
}

export { tiltedLaw } from './logPartition.js';

const reflections = new WeakMap<TokenRewardLaw, TokenRewardLaw>();

/** The law of −r (values negated and reversed), so the lower tail reuses the upper-tail code. */
function reflected(law: TokenRewardLaw): TokenRewardLaw {
  let out = reflections.get(law);
  if (out === undefined) {
    const K = law.values.length;
    const values = new Float64Array(K);
    const logMass = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      values[k] = -law.values[K - 1 - k];
      logMass[k] = law.logMass[K - 1 - k];
    }
    out = {
      ...law,
      values,
      logMass,
      rMin: -law.rMax,
      rMax: -law.rMin,
      logMassMax: law.logMassMin,
      logMassMin: law.logMassMax,
    };
    reflections.set(law, out);
  }
  return out;
}

/**
 * A*(x) (internal, throws on NaN x). x outside [r_min, r_max] → ∞; x = r_max → −log p(M);
 * x = r_min → −log p(m); x = E_p r → 0. Otherwise s solves A'(s) = x by `solveTiltForMean`,
 * and A*(x) = D(s) + s·(x − A'(s)) (the first-order correction for the last rounding of s).
 */
export function cramerPoint(law: TokenRewardLaw, x: number, start?: number): CramerPoint {
  // Checked before the message is built (formatting x as text costs more than a solve step).
  if (typeof x !== 'number' || Number.isNaN(x))
    throw new CoreFailure('invalid-argument', `x = ${x} is not a number`);
  // Extreme reward scales: the same point on the rescaled law (rewardScale.ts); x/u is exact.
  const unit = rewardUnit(law);
  if (unit !== 1) {
    const p = cramerPoint(scaledLaw(law), x / unit, start === undefined ? undefined : start * unit);
    return { x, rate: p.rate, s: p.s / unit };
  }
  const K = law.values.length;
  if (x > law.rMax) return { x, rate: Number.POSITIVE_INFINITY, s: Number.POSITIVE_INFINITY };
  if (x < law.rMin) return { x, rate: Number.POSITIVE_INFINITY, s: Number.NEGATIVE_INFINITY };
  if (K === 1) return { x, rate: 0, s: 0 };
  if (x === law.rMax) return { x, rate: -law.logMassMax, s: Number.POSITIVE_INFINITY };
  if (x === law.rMin) return { x, rate: -law.logMassMin, s: Number.NEGATIVE_INFINITY };
  const base = evaluateTilt(law, 0).stats;
  // Which side of the mean x lies on. When the rewards sit far from 0 relative to their span
  // (1e15, 1e15 + 1, 1e15 + 2), the mean as a double is rounded by up to ulp(1e15)/2 = 0.06 —
  // too coarse to compare x with — so the exact differences r_max − x and the directly summed
  // gap r_max − A'(0) are compared instead.
  const offset = Math.abs(base.mean) > OFFSET_RATIO * (law.rMax - law.rMin);
  const gap = law.rMax - x;
  if (offset ? gap === base.meanGapMax : x === base.mean) return { x, rate: 0, s: 0 };
  if (offset ? gap > base.meanGapMax : x < base.mean) {
    const up = cramerPoint(reflected(law), -x, start === undefined ? undefined : -start);
    return { x, rate: up.rate, s: -up.s };
  }
  const st = solveTiltForMean(law, x, base, start);
  const correction = st.s * (st.meanGapMax - (law.rMax - x));
  return { x, rate: Math.max(0, st.kl + correction), s: st.s };
}

/**
 * Solves A'(s) = x for s > 0 when E_p r < x < r_max (internal).
 * Method: safeguarded Newton on G(s) = log(r_max − A'(s)) − log(r_max − x), decreasing in s with
 * G' = −A''(s)/(r_max − A'(s)); r_max − A'(s) is the directly summed gap (no cancellation), and
 * far out G is ≈ linear in s (the gap decays like e^{−s·(r_max − r_next)}), so Newton converges
 * quadratically. A bracket [lo, hi] is kept; steps leaving it, or Newton steps that fail to
 * halve |G|, bisect (or double s while hi = ∞).
 * Stops after a Newton step |Δs| ≤ 1e-9·min(s, 1/(r_max − r_min)) (quadratic error ≈ 1e-18 in
 * s·(r_max − r_min)), or when a step no longer moves s (≤ 1e-15·s: the last few ulps of s).
 */
export function solveTiltForMean(law: TokenRewardLaw, x: number, base: TiltStats, start?: number): TiltStats {
  const target = Math.log(law.rMax - x);
  // Start: the Newton step from s = 0, capped at 50/(r_max − r_min) (a law whose variance is
  // tiny, e.g. almost all mass on one value, would otherwise start astronomically far out).
  const cap = 50 / (law.rMax - law.rMin);
  // G varies on the scale 1/(r_max − r_min) in s (its curvature is ≈ (r_max − r_min)·|G'|), so
  // after a Newton step |Δs| the error is ≈ (r_max − r_min)·Δs²: the step must be small against
  // that scale as well as against s. (Relative to s alone, a tilt of 1e10 stopped 0.4 short.)
  const natural = 1 / (law.rMax - law.rMin);
  let s =
    start !== undefined && start > 0 && Number.isFinite(start)
      ? start
      : Math.min((x - base.mean) / base.variance, cap);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let above: number | undefined;
  let previous = Number.POSITIVE_INFINITY;
  for (let iter = 0; iter < 300; iter++) {
    // A reused record (no allocation per iterate); copied when it is the answer.
    const st = evaluateTiltIterate(law, s, 2, true).stats;
    const G = Math.log(st.meanGapMax) - target;
    // Newton that stops converging fast (|G| not halved: a strongly curved G, e.g. a law whose
    // mean jumps between far-apart values) gives way to bisection once a bracket exists.
    const slow = Math.abs(G) > 0.5 * previous;
    previous = Math.abs(G);
    if (G === 0) return copyTiltStats(st);
    if (G > 0) lo = s;
    else hi = s;
    const slope = -st.variance / st.meanGapMax;
    const ds = -G / slope;
    let next = s + ds;
    let newton = true;
    if (!(next > lo && next < hi) || !Number.isFinite(next) || (slow && Number.isFinite(hi))) {
      newton = false;
      // Bisection, geometric while the bracket spans more than a factor 4. Without an upper end
      // yet: double s, or jump at once to a tilt known to lie above the root (`tiltAboveMean`),
      // which tilted laws with masses like e^{−1e40} need (doubling from 50 would take 130 steps).
      if (!Number.isFinite(hi)) {
        above ??= tiltAboveMean(law, x);
        next = Math.max(above, 2 * s + cap);
      } else next = lo > 0 && hi > 4 * lo ? geometricMean(lo, hi) : 0.5 * (lo + hi);
    }
    if (Math.abs(next - s) <= 1e-15 * s) return copyTiltStats(st);
    if (
      (newton && Math.abs(ds) <= 1e-9 * Math.min(s, natural)) ||
      (Number.isFinite(hi) && hi - lo <= 4e-16 * hi)
    ) {
      return evaluateTilt(law, next).stats;
    }
    s = next;
  }
  throw new CoreFailure('numerical-failure', `no convergence solving A'(s) = ${x}`);
}

/**
 * A tilt s at which A'(s) ≥ x (for E_p r < x < r_max), from the masses alone: with g the gap
 * from r_max to the next value and ℓ the log masses,
 *   r_max − A'(s) = Σ_{k∉M} φ_s(k)(r_max − v_k) ≤ (r_max − r_min)·(K − 1)·e^{max_{k∉M} ℓ_k − ℓ_M − s·g},
 * which is ≤ r_max − x once s ≥ [max_{k∉M} ℓ_k − ℓ_M + log((r_max − r_min)(K − 1)/(r_max − x))]/g.
 * 0 when that is not a finite positive number (then the solver keeps doubling).
 */
function tiltAboveMean(law: TokenRewardLaw, x: number): number {
  const K = law.values.length;
  let other = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K - 1; k++) if (law.logMass[k] > other) other = law.logMass[k];
  const g = law.rMax - law.values[K - 2];
  const s = (other - law.logMassMax + Math.log(((law.rMax - law.rMin) * (K - 1)) / (law.rMax - x))) / g;
  return Number.isFinite(s) && s > 0 ? s : 0;
}

/** Cramér's rate A*(x) of one token's reward under p. Errors: NaN x. */
export function cramerRate(law: TokenRewardLaw, x: number): Result<number> {
  return guard(() => cramerPoint(law, x).rate);
}

/**
 * I_λ(x) = A*(x) − λx + A(λ) = A*_{φ_λ}(x) (module comment). λ ∈ [−∞, ∞]; at λ = ±∞ the law
 * is concentrated on r_max (r_min), so I is 0 there and ∞ elsewhere. Errors: NaN λ or x.
 */
export function rateFunction(law: TokenRewardLaw, lambda: number, x: number): Result<number> {
  return guard(() => cramerPoint(tiltedLaw(law, lambda), x).rate);
}

/**
 * I_λ at every x of `xs` (any order; warm-started from the previous point's s, so an ascending
 * grid costs ≈ 2–3 evaluations per point). Errors: NaN λ or any NaN x.
 */
export function rateFunctionGrid(
  law: TokenRewardLaw,
  lambda: number,
  xs: ArrayLike<number>,
): Result<Float64Array> {
  return guard(() => {
    const tilted = tiltedLaw(law, lambda);
    const out = new Float64Array(xs.length);
    let s: number | undefined;
    let side = 0;
    const mean = evaluateTilt(tilted, 0).stats.mean;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const thisSide = Math.sign(x - mean);
      const point = cramerPoint(tilted, x, thisSide === side ? s : undefined);
      out[i] = point.rate;
      s = Number.isFinite(point.s) && point.s !== 0 ? point.s : undefined;
      side = thisSide;
    }
    return out;
  });
}

export interface RateCurve {
  /** The mean A'(λ), where I_λ = 0. */
  readonly mean: number;
  /** Ascending in x; the first and last points are the exact endpoints r_min and r_max. */
  readonly points: CramerPoint[];
}

/** How close to the endpoints the parametric sweep goes (fraction of the distance from the mean). */
const CURVE_END_FRACTION = 1e-3;

/**
 * The curve x ↦ I_λ(x) on `steps` points for plots (steps integer in 3..100000).
 * Method: parametric, with no root finding per point: along s = λ + t the point
 * (A'(s), KL(φ_s‖φ_λ)) lies on the curve. Two multiplicative sweeps (tiltSweep.ts) run from
 * t = 0 with uniform steps, up to the t where r_max − x = 1e-3·(r_max − mean) and down to the
 * mirror image (one root solve each), so each sweep costs one exp pass plus multiplications.
 * The endpoints r_min, r_max (rates −log φ_λ(m), −log φ_λ(M)) and the mean (rate 0) are exact.
 * A one-value law (or λ = ±∞) gives the single point {x: v, rate: 0}.
 * Errors: NaN λ, steps out of range.
 */
export function rateFunctionCurve(law: TokenRewardLaw, lambda: number, steps: number): Result<RateCurve> {
  return guard(() => {
    require(Number.isInteger(steps) &&
      steps >= 3 &&
      steps <= 100000, 'out-of-range', `steps = ${steps} is not an integer in 3..100000`);
    const tilted = tiltedLaw(law, lambda);
    const mean = evaluateTilt(tilted, 0).stats.mean;
    if (tilted.values.length === 1) return { mean, points: [{ x: mean, rate: 0, s: 0 }] };
    const interior = steps - 3;
    const down = Math.floor(interior / 2);
    const up = interior - down;
    const lowPoints = sweepSide(tilted, -1, down, mean).reverse();
    const highPoints = sweepSide(tilted, 1, up, mean);
    const points: CramerPoint[] = [
      { x: tilted.rMin, rate: -tilted.logMassMin, s: Number.NEGATIVE_INFINITY },
      ...lowPoints,
      { x: mean, rate: 0, s: 0 },
      ...highPoints,
      { x: tilted.rMax, rate: -tilted.logMassMax, s: Number.POSITIVE_INFINITY },
    ];
    return { mean, points };
  });
}

function sweepSide(law: TokenRewardLaw, direction: 1 | -1, count: number, mean: number): CramerPoint[] {
  if (count === 0) return [];
  const end = direction === 1 ? law.rMax : law.rMin;
  const farX = end - CURVE_END_FRACTION * (end - mean);
  const far = cramerPoint(law, farX);
  const sweep = new TiltSweep(law, direction);
  try {
    // The sweep moves at most maxStep() per multiplication pass. A side it cannot cross in a
    // modest number of passes — the law re-based at a huge λ (1e300) needs s ≈ −1e300 to reach
    // back to r_min, and a mean at the end itself (s = ±∞) — is traced by solving each point.
    const passes = Math.abs(far.s) / (0.99 * sweep.maxStep());
    if (!(passes <= MAX_SWEEP_PASSES_PER_POINT * count)) return solvedSide(law, count, mean, farX);
    return sweepPoints(sweep, count, far.s);
  } finally {
    sweep.dispose();
  }
}

/** Beyond this many passes per point, `sweepSide` solves each point instead of sweeping. */
const MAX_SWEEP_PASSES_PER_POINT = 64;

/** `count` points at x evenly spaced from the mean (excluded) to farX (included), each solved. */
function solvedSide(law: TokenRewardLaw, count: number, mean: number, farX: number): CramerPoint[] {
  const out: CramerPoint[] = [];
  let start: number | undefined;
  for (let i = 1; i <= count; i++) {
    const x = i === count ? farX : mean + ((farX - mean) * i) / count;
    const p = cramerPoint(law, x, start);
    out.push(p);
    start = Number.isFinite(p.s) && p.s !== 0 ? p.s : undefined;
  }
  return out;
}

function sweepPoints(sweep: TiltSweep, count: number, farS: number): CramerPoint[] {
  const h = farS / count;
  const out: CramerPoint[] = [];
  // Uniform steps of at most the allowed size: substeps when the range needs it.
  const sub = Math.max(1, Math.ceil(Math.abs(h) / (0.99 * sweep.maxStep())));
  const factor = sweep.factor(h / sub);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < sub; j++) sweep.step(factor);
    const p = sweep.current;
    out.push({ x: p.mean, rate: p.kl, s: p.s });
  }
  return out;
}
