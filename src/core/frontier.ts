/**
 * The KL–reward frontier F(Δ) = n·A'(λ(Δ)) of optimal KL-constrained RL (math.md §3), traced
 * parametrically: every point is (n·D(λ), n·A'(λ)) evaluated at the λ it reports, so it lies
 * exactly on the frontier; the λs are chosen so that the KL values are spread evenly.
 */

import { maxKLPerToken, requireFiniteReward, requireSequenceLength, solveTiltForKL } from './klrl.js';
import { baseMean } from './logPartition.js';
import { guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { rewardUnit, scaledLaw } from './rewardScale.js';
import { type StepFactor, TiltSweep } from './tiltSweep.js';

export interface FrontierPoint {
  /** λ ∈ [0, ∞] at which the point was evaluated. */
  readonly lambda: number;
  /** n·D(λ) (total KL, nats). */
  readonly kl: number;
  /** n·A'(λ) (total expected reward). */
  readonly reward: number;
}

export interface Frontier {
  /** Ascending in kl (and λ). */
  readonly points: FrontierPoint[];
  /** n·(−log p(M)). */
  readonly maxKL: number;
  /** n·r_max. */
  readonly maxReward: number;
}

export interface FrontierOptions {
  /** Number of points, an integer in 2..100000. */
  readonly steps: number;
  /** Total KL of the first point (default 0). */
  readonly deltaFrom?: number;
  /** Total KL of the last point (default, and clamped to, maxKL). */
  readonly deltaTo?: number;
}

/** Laws with at most this many distinct values solve every target exactly (cheap anyway). */
const EXACT_SOLVE_MAX_VALUES = 64;

/**
 * The frontier on `steps` points with KL evenly spread over [deltaFrom, deltaTo].
 *
 * Endpoints: Δ = 0 → λ = 0 (reward n·E_p r); Δ = maxKL → λ = ∞ (reward n·r_max); other
 * endpoints are solved exactly (`solveTiltForKL`). Interior points:
 *  - ≤ 64 distinct rewards: λ is solved exactly for each target, so the spacing is exact;
 *  - otherwise a multiplicative sweep (tiltSweep.ts) walks λ upward; each step is predicted
 *    from the current point by D(λ + h) ≈ D + λA''h + A''h²/2, and a stored step factor is
 *    reused while within 25% of the prediction, so only a few dozen exp passes are needed and
 *    the KL spacing is even to within ≈ 25% of a step. If the sweep cannot produce strictly
 *    increasing points (pathological laws, masses below 1e-300) every target is solved exactly.
 * Degenerate law (one reward value): a single point {λ: 0, kl: 0, reward: n·v}.
 * Errors: invalid n; steps not an integer in 2..100000; deltaFrom/deltaTo NaN, negative,
 * infinite (deltaFrom), deltaFrom > maxKL or deltaTo < deltaFrom.
 */
export function frontier(law: TokenRewardLaw, n: number, options: FrontierOptions): Result<Frontier> {
  return guard(() => frontierUnchecked(law, n, options));
}

export function frontierUnchecked(law: TokenRewardLaw, n: number, options: FrontierOptions): Frontier {
  requireSequenceLength(n);
  // Extreme reward scales: the frontier of the rescaled law (rewardScale.ts), λ/u and reward·u.
  const unit = rewardUnit(law);
  if (unit !== 1) {
    const f = frontierUnchecked(scaledLaw(law), n, options);
    const points = f.points.map((p) => ({
      lambda: p.lambda / unit,
      kl: p.kl,
      reward: requireFiniteReward(p.reward * unit, n),
    }));
    return { points, maxKL: f.maxKL, maxReward: requireFiniteReward(f.maxReward * unit, n) };
  }
  const { steps } = options;
  require(Number.isInteger(steps) &&
    steps >= 2 &&
    steps <= 100000, 'out-of-range', `steps = ${steps} is not an integer in 2..100000`);
  const dMax = maxKLPerToken(law);
  const maxKL = n * dMax;
  const maxReward = requireFiniteReward(n * law.rMax, n);
  if (law.values.length === 1) return { points: [{ lambda: 0, kl: 0, reward: maxReward }], maxKL, maxReward };
  const from = options.deltaFrom ?? 0;
  const toRequested = options.deltaTo ?? maxKL;
  require(typeof from === 'number' &&
    Number.isFinite(from) &&
    from >= 0, 'invalid-argument', `deltaFrom = ${from} is not a finite non-negative number`);
  require(typeof toRequested === 'number' &&
    toRequested >= 0, 'invalid-argument', `deltaTo = ${toRequested} is not a non-negative number`);
  require(from <= maxKL, 'out-of-range', `deltaFrom = ${from} exceeds the maximum KL ${maxKL}`);
  const to = Math.min(toRequested, maxKL);
  require(to >= from, 'out-of-range', `deltaTo = ${toRequested} is below deltaFrom = ${from}`);

  // Per-token targets; index 0 and steps−1 are the endpoints.
  const targets = new Float64Array(steps);
  for (let i = 0; i < steps; i++) targets[i] = (from + ((to - from) * i) / (steps - 1)) / n;
  targets[steps - 1] = to / n;

  const points: FrontierPoint[] = new Array(steps);
  points[0] = solveEndpoint(law, n, targets[0]);
  points[steps - 1] = solveEndpoint(law, n, targets[steps - 1]);
  const interior = targets.subarray(1, steps - 1);
  const inner =
    law.values.length <= EXACT_SOLVE_MAX_VALUES || !sweepSafe(law)
      ? null
      : sweepInterior(law, n, interior, points[0].lambda);
  const solved =
    inner !== null && increasing(points[0], inner, points[steps - 1])
      ? inner
      : solveInterior(law, n, interior, points[0].lambda);
  for (let i = 0; i < solved.length; i++) points[i + 1] = solved[i];
  return { points, maxKL, maxReward };
}

/**
 * An endpoint at per-token KL d: λ = 0 gives E_p r (the cached compensated mean, no exp pass),
 * d ≥ Dmax gives λ = ∞, otherwise an exact solve.
 */
function solveEndpoint(law: TokenRewardLaw, n: number, d: number): FrontierPoint {
  const dMax = maxKLPerToken(law);
  if (d <= 0) return { lambda: 0, kl: 0, reward: n * baseMean(law) };
  if (d >= dMax) return { lambda: Number.POSITIVE_INFINITY, kl: n * dMax, reward: n * law.rMax };
  const st = solveTiltForKL(law, d);
  return { lambda: st.s, kl: n * st.kl, reward: n * st.mean };
}

/** Masses below e^{−700} could underflow in the sweep's linear weights. */
function sweepSafe(law: TokenRewardLaw): boolean {
  for (let k = 0; k < law.logMass.length; k++) if (law.logMass[k] < -700) return false;
  return true;
}

function increasing(first: FrontierPoint, inner: FrontierPoint[], last: FrontierPoint): boolean {
  let prev = first;
  for (const p of [...inner, last]) {
    if (!(p.kl > prev.kl && p.lambda > prev.lambda && p.reward >= prev.reward)) return false;
    prev = p;
  }
  return true;
}

/** Exact solves, each warm-started from a second-order prediction off the last two points. */
function solveInterior(
  law: TokenRewardLaw,
  n: number,
  targets: Float64Array,
  lambda0: number,
): FrontierPoint[] {
  const out: FrontierPoint[] = [];
  let start = lambda0 > 0 ? lambda0 : undefined;
  let prevS = 0;
  let prevKl = 0;
  for (let i = 0; i < targets.length; i++) {
    const st = solveTiltForKL(law, targets[i], start);
    out.push({ lambda: st.s, kl: n * st.kl, reward: n * st.mean });
    start = st.s;
    // Predicted start for the next target: s(d) expanded to second order about this point,
    // ds/dd = 1/(s·A''(s)) exact and the curvature fitted through the previous point, so the
    // start is off by O(spacing³) and one Halley step usually finishes the solve (bounded to
    // (s, 2s); a bad prediction only costs iterations).
    if (i + 1 < targets.length) {
      const q1 = 1 / (st.s * st.variance);
      const step = targets[i + 1] - st.kl;
      let predicted = st.s + step * q1;
      if (i > 0) {
        const back = prevKl - st.kl;
        const q2 = (prevS - st.s - back * q1) / (back * back);
        const quadratic = predicted + step * step * q2;
        if (Number.isFinite(quadratic)) predicted = quadratic;
      }
      if (predicted > st.s && predicted < 2 * st.s) start = predicted;
    }
    prevS = st.s;
    prevKl = st.kl;
  }
  return out;
}

/**
 * The sweep (see `frontier`). Step sizes are restricted to the ladder h₀·2^j and sums of two
 * adjacent rungs (1.5·h₀·2^j), and each rung's factor is computed once and cached, so the number
 * of exp passes is the number of rungs visited (≈ log₂(h_max/h_min)) however the steps
 * alternate. Each step takes the candidate whose predicted landing is closest to the point's
 * absolute KL target, so errors do not accumulate: a point lands within ≈ 15–25% of a spacing
 * of its target.
 * Starts at λ = 0, or walks first to λ₀ of a solved first endpoint.
 */
function sweepInterior(
  law: TokenRewardLaw,
  n: number,
  targets: Float64Array,
  lambda0: number,
): FrontierPoint[] | null {
  const sweep = new TiltSweep(law, 1);
  try {
    return sweepWith(sweep, law, n, targets, lambda0);
  } finally {
    sweep.dispose();
  }
}

function sweepWith(
  sweep: TiltSweep,
  law: TokenRewardLaw,
  n: number,
  targets: Float64Array,
  lambda0: number,
): FrontierPoint[] | null {
  const out: FrontierPoint[] = [];
  if (lambda0 > 0) {
    let remaining = lambda0;
    while (remaining > 1e-15 * lambda0) {
      let h = remaining;
      while (!sweep.stepAllowed(h)) h /= 2;
      sweep.step(sweep.factor(h));
      remaining = lambda0 - sweep.position;
    }
  }
  const cache = new Map<number, StepFactor>();
  // The cache holds at most ~64 MB of factors; beyond that, the oldest rung is dropped.
  const cacheLimit = Math.max(4, Math.floor(8e6 / law.values.length));
  const factorFor = (rung: number, h: number): StepFactor => {
    let f = cache.get(rung);
    if (f === undefined) {
      f = sweep.factor(h);
      // Evicted factors stay owned by the sweep (returned to the pool at dispose).
      if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as number);
      cache.set(rung, f);
    }
    return f;
  };
  // Local model of D: slope D'(s) = s·A''(s) (exact) and curvature D'' from the slopes at the
  // last two points (A''(0) at the start, where D'' = A'').
  let prevS = Number.NaN;
  let prevSlope = Number.NaN;
  let h0 = Number.NaN;
  for (const d of targets) {
    let guardSteps = 0;
    for (;;) {
      const cur = sweep.current;
      const gapToTarget = d - cur.kl;
      if (gapToTarget <= 0) return null; // overshot: let the caller fall back to exact solves
      const slope = cur.s * cur.variance;
      const curvature =
        Number.isNaN(prevS) || cur.s === prevS ? cur.variance : (slope - prevSlope) / (cur.s - prevS);
      const m: Model = { slope, curvature };
      const ideal = predictStep(m, gapToTarget);
      if (!(ideal > 0) || !Number.isFinite(ideal)) return null;
      const maxStep = 0.99 * sweep.maxStep();
      if (Number.isNaN(h0)) h0 = Math.min(ideal, maxStep);
      prevS = cur.s;
      prevSlope = slope;
      if (ideal > maxStep) {
        // Too large for one step: advance with the largest allowed rung and predict again.
        const rung = Math.floor(Math.log2(maxStep / h0));
        sweep.step(factorFor(rung, h0 * 2 ** rung));
        if (++guardSteps > 100000) return null;
        continue;
      }
      // Candidate steps around the ideal one: 2^j, 1.5·2^j (two cached rungs in one fused pass)
      // and 2^{j+1} (in units of h₀), so consecutive candidates differ by ≤ 4/3; keep the one
      // whose predicted landing is closest to the target.
      const j = Math.floor(Math.log2(ideal / h0));
      const candidates: number[][] = [[j], [j, j - 1], [j + 1]];
      let best: number[] = [];
      let bestMiss = Number.POSITIVE_INFINITY;
      for (const rungs of candidates) {
        const h = rungs.reduce((acc, q) => acc + h0 * 2 ** q, 0);
        const miss = Math.abs(predictedGain(m, h) - gapToTarget);
        if (rungs.every((q) => h0 * 2 ** q <= maxStep) && miss < bestMiss) {
          best = rungs;
          bestMiss = miss;
        }
      }
      if (best.length === 0) best = [Math.floor(Math.log2(maxStep / h0))];
      const [first, second] = best.map((q) => factorFor(q, h0 * 2 ** q));
      sweep.step(first, second);
      break;
    }
    const p = sweep.current;
    out.push({ lambda: p.s, kl: n * p.kl, reward: n * p.mean });
  }
  return out;
}

interface Model {
  readonly slope: number;
  readonly curvature: number;
}

/** The model's D(s + h) − D(s) = D'·h + D''·h²/2. */
function predictedGain(m: Model, h: number): number {
  return h * (m.slope + (m.curvature * h) / 2);
}

/**
 * The step h > 0 with predictedGain(m, h) = gain: h = 2·gain / (D' + √(D'² + 2D''·gain)) (the
 * root written without cancellation; at s = 0, D' = 0 and h = √(2·gain/A''(0))). When the model
 * is concave and never reaches the gain, the tangent step gain/D' is used instead (an
 * undershoot, corrected by the next prediction).
 */
function predictStep(m: Model, gain: number): number {
  const disc = m.slope * m.slope + 2 * m.curvature * gain;
  if (disc > 0) return (2 * gain) / (m.slope + Math.sqrt(disc));
  return m.slope > 0 ? gain / m.slope : Number.NaN;
}
