/**
 * Optimal KL-constrained RL in closed form (math.md §3): for a memoryless base model and a
 * linear reward, the maximiser of E_φ R subject to KL(φ‖pⁿ) ≤ Δ is φ_Δ = (φ_λ)ⁿ with
 * n·D(λ) = Δ; its reward is n·A'(λ). β = 1/λ is the coefficient of the penalty form.
 */

import { coarseLaw } from './coarseLaw.js';
import {
  copyTiltStats,
  evaluateTilt,
  evaluateTiltIterate,
  requireTilt,
  type TiltStats,
} from './logPartition.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { rewardUnit, scaledLaw, unscaleStats } from './rewardScale.js';

export interface TiltSolution {
  /** λ ∈ [0, ∞]; ∞ when the budget is not binding (φ = p restricted to M). */
  readonly lambda: number;
  /** β = 1/λ ∈ [0, ∞] (∞ at λ = 0). */
  readonly beta: number;
  readonly n: number;
  /** KL(φ_λⁿ ‖ pⁿ) = n·D(λ) (equal to the budget when binding). */
  readonly kl: number;
  /** E R under φ_λⁿ = n·A'(λ). */
  readonly reward: number;
  readonly klPerToken: number;
  readonly rewardPerToken: number;
  /** false when λ = ∞ (the budget exceeds what any policy can use) — true otherwise. */
  readonly binding: boolean;
}

/** The smallest positive λ (or β) whose reciprocal is a double (1/2^−1024 = 2^1024 overflows). */
const MIN_TILT = 5.56268464626801e-309;

/** √(lo·hi) without overflow: the product of two tilts of 1e150 and 1e300 is not a double. */
export function geometricMean(lo: number, hi: number): number {
  const product = lo * hi;
  return product < Number.POSITIVE_INFINITY ? Math.sqrt(product) : Math.sqrt(lo) * Math.sqrt(hi);
}

/** n must be a positive safe integer (the sequence length). */
export function requireSequenceLength(n: number): void {
  // Checked before the message is built (here and in the other per-solve checks): formatting
  // a number as text costs more than a whole tilt evaluation.
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= Number.MAX_SAFE_INTEGER))
    throw new CoreFailure('invalid-argument', `the sequence length n = ${n} is not a positive integer`);
}

/** Per-token maximum KL, −log p(M) (0 for a one-value law). */
export function maxKLPerToken(law: TokenRewardLaw): number {
  return law.values.length === 1 ? 0 : -law.logMassMax;
}

/** The largest useful budget n·(−log p(M)): KL of p restricted to M. Errors: invalid n. */
export function maxKL(law: TokenRewardLaw, n: number): Result<number> {
  return guard(() => {
    requireSequenceLength(n);
    return n * maxKLPerToken(law);
  });
}

/** n·r as a total reward; beyond the largest double (n·1e300) it is an `out-of-range` error. */
export function requireFiniteReward(total: number, n: number): number {
  if (!Number.isFinite(total))
    throw new CoreFailure(
      'out-of-range',
      `the total reward over n = ${n} tokens exceeds the largest double (≈ 1.8e308): the rewards are too large for this length`,
    );
  return total;
}

function solution(
  law: TokenRewardLaw,
  n: number,
  lambda: number,
  stats: TiltStats,
  kl?: number,
): TiltSolution {
  const klPerToken = kl === undefined ? stats.kl : kl / n;
  return {
    lambda,
    beta: lambda === 0 ? Number.POSITIVE_INFINITY : 1 / lambda,
    n,
    kl: kl ?? n * stats.kl,
    reward: requireFiniteReward(n * stats.mean, n),
    klPerToken,
    rewardPerToken: stats.mean,
    binding: Number.isFinite(lambda) && law.values.length > 1,
  };
}

/** Internal (throws): the tilt at λ ∈ [0, ∞]. */
export function tiltAtLambdaUnchecked(law: TokenRewardLaw, n: number, lambda: number): TiltSolution {
  requireSequenceLength(n);
  requireTilt(lambda, 'λ');
  if (!(lambda >= 0))
    throw new CoreFailure('out-of-range', `λ = ${lambda} is negative; KL-constrained RL needs λ ≥ 0`);
  // β = 1/λ must be a double too (λ = 1e-310 would report β = ∞, the value for λ = 0).
  if (lambda > 0 && !(1 / lambda < Number.POSITIVE_INFINITY))
    throw new CoreFailure(
      'out-of-range',
      `λ = ${lambda} is so small that β = 1/λ exceeds the largest double; use λ = 0 or λ ≥ ${MIN_TILT}`,
    );
  return solution(law, n, lambda, evaluateTilt(law, lambda).stats);
}

/** φ_λⁿ for a given λ ∈ [0, ∞]. Errors: NaN or negative λ, invalid n. */
export function tiltAtLambda(law: TokenRewardLaw, n: number, lambda: number): Result<TiltSolution> {
  return guard(() => tiltAtLambdaUnchecked(law, n, lambda));
}

/** φ_λⁿ for the penalty coefficient β ∈ [0, ∞] (λ = 1/β; β = 0 → λ = ∞). */
export function tiltAtBeta(law: TokenRewardLaw, n: number, beta: number): Result<TiltSolution> {
  return guard(() => {
    requireTilt(beta, 'β');
    require(beta >= 0, 'out-of-range', `β = ${beta} is negative; the KL penalty needs β ≥ 0`);
    // λ = 1/β must be a double (β = 1e-310 would give λ = ∞, the value for β = 0).
    require(beta === 0 ||
      1 / beta <
        Number.POSITIVE_INFINITY, 'out-of-range', `β = ${beta} is so small that λ = 1/β exceeds the largest double; use β = 0 (λ = ∞) or β ≥ ${MIN_TILT}`);
    const lambda = beta === 0 ? Number.POSITIVE_INFINITY : 1 / beta;
    return { ...tiltAtLambdaUnchecked(law, n, lambda), beta };
  });
}

/**
 * The KL-RL solution for a total budget Δ ≥ 0 over n tokens (Δ = +∞ means unconstrained).
 * Δ ≥ n·(−log p(M)) → λ = ∞, the restricted solution, binding = false (math.md §3; this includes
 * every Δ ≥ 0 for a one-value law, whose maximum KL is 0); otherwise Δ = 0 → λ = 0. Otherwise λ solves D(λ) = Δ/n to ≈ 1e-15 relative
 * (`solveTiltForKL`). Errors: Δ NaN or negative, invalid n.
 */
export function lambdaForBudget(law: TokenRewardLaw, n: number, delta: number): Result<TiltSolution> {
  return guard(() => lambdaForBudgetUnchecked(law, n, delta));
}

export function lambdaForBudgetUnchecked(law: TokenRewardLaw, n: number, delta: number): TiltSolution {
  requireSequenceLength(n);
  if (!(typeof delta === 'number' && delta >= 0))
    throw new CoreFailure('invalid-argument', `the KL budget Δ = ${delta} is not a non-negative number`);
  const dMax = maxKLPerToken(law);
  if (delta >= n * dMax) return solution(law, n, Number.POSITIVE_INFINITY, evaluateTilt(law, Infinity).stats);
  if (delta === 0) return solution(law, n, 0, evaluateTilt(law, 0).stats, 0);
  const stats = solveTiltForKL(law, delta / n);
  return solution(law, n, stats.s, stats, delta);
}

/**
 * The full statistics at an iterate: re-evaluated only where the small-tilt pass applies, else
 * the iterate's own (copied: iterates are reused, see `evaluateTiltIterate`).
 */
function finalStats(law: TokenRewardLaw, st: TiltStats): TiltStats {
  return st.s !== 0 && Math.abs(st.s) * (law.rMax - law.rMin) <= 0.5
    ? evaluateTilt(law, st.s).stats
    : copyTiltStats(st);
}

/**
 * Solves D(s) = d for s > 0, 0 < d < Dmax = −log p(M) (internal; throws on bad d).
 *
 * Method: safeguarded Newton (with Halley's third-order correction) in x = log s on g = log D(eˣ) − log d when d ≤ Dmax/2, and in s
 * on g = log(Dmax − d) − log(Dmax − D(s)) (the complement, computed without cancellation)
 * otherwise; g is increasing and nearly linear in its variable (D ≈ s²A''(0)/2 near 0,
 * Dmax − D ≈ e^{−s·gap} far out), so Newton converges quadratically. Every evaluation narrows
 * a bracket; a step leaving it, or one that fails to halve |g|, is replaced by bisection
 * (geometric for wide brackets), and while the bracket is open steps are capped.
 * Start: `start` if given; else, for laws of ≥ 4096 values, the root of the same equation on
 * the compressed law (coarseLaw.ts; within ≈ 1e-5 relative, cached per law, ≈ 0.2 ms); else
 * s₀ = min(√(2d/A''(0)), 50/(r_max − r_min)). Stops after a Newton step |Δx| ≤ 1e-9 (the
 * quadratic error is then ≈ 1e-18), or a Halley step |Δx| ≤ 1e-5 with |Δx|·(correction − 1)²
 * ≤ 1e-17 (cubic), so s is accurate to ≈ 1e-15 relative; returns the statistics evaluated at
 * the final s. Intermediate iterates skip the small-tilt pass (they need only D, A'', A''').
 * Laws on an extreme reward scale (span beyond 2^±120, e.g. rewards ±1e300) are solved on the
 * rescaled law (rewardScale.ts) and the statistics converted back.
 */
export function solveTiltForKL(law: TokenRewardLaw, d: number, start?: number): TiltStats {
  const unit = rewardUnit(law);
  if (unit === 1) return solveTiltForKLOn(law, d, start);
  return unscaleStats(
    solveTiltForKLOn(scaledLaw(law), d, start === undefined ? undefined : start * unit),
    unit,
  );
}

function solveTiltForKLOn(law: TokenRewardLaw, d: number, start?: number): TiltStats {
  const dMax = maxKLPerToken(law);
  if (!(d > 0 && d < dMax))
    throw new CoreFailure('out-of-range', `per-token KL ${d} is outside (0, ${dMax})`);
  const upper = d > dMax / 2;
  const target = upper ? Math.log(dMax - d) : Math.log(d);
  // Iterate on y = log s below Dmax/2 (log D ≈ 2 log s + const) and on y = s above it
  // (log(Dmax − D) ≈ const − s·gap): in both variables g is nearly linear.
  const cap = 50 / (law.rMax - law.rMin);
  let s0: number;
  const coarse = start === undefined ? coarseLaw(law) : null;
  if (start !== undefined && start > 0 && Number.isFinite(start)) s0 = start;
  else if (coarse !== null && d < maxKLPerToken(coarse)) {
    // The same solve on the compressed law (coarseLaw.ts) starts within ~1e-4 of the root.
    s0 = solveTiltForKLOn(coarse, d).s;
  } else {
    const v0 = evaluateTiltIterate(law, 0, 2, true).stats.variance;
    // Capped at s = 50/(r_max − r_min): a tiny A''(0) would otherwise start absurdly far out.
    s0 = Math.min(Math.sqrt((2 * d) / v0), cap);
  }
  let y = upper ? s0 : Math.log(s0);
  let lo = upper ? 0 : Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  // While the bracket is open, steps are limited: |Δ log s| ≤ 2, resp. Δs ≤ 8·max(s, cap).
  for (let iter = 0; iter < 300; iter++) {
    const s = upper ? y : Math.exp(y);
    // Intermediate iterates need only D and A'' (no small-tilt pass for A and A').
    const ev = evaluateTiltIterate(law, s, 3, false);
    const st = ev.stats;
    const openStep = upper ? 8 * Math.max(y, cap) : 2;
    const value = upper ? st.klToLimit : st.kl;
    // g increasing in y; for the complement the sign is flipped.
    const g = upper ? target - Math.log(value) : Math.log(value) - target;
    if (g === 0) return finalStats(law, st);
    const bracketed = Number.isFinite(lo) && Number.isFinite(hi);
    // Newton that stops converging fast (|g| not halved) gives way to bisection in a bracket.
    const slow = Math.abs(g) > 0.5 * previous && bracketed;
    previous = Math.abs(g);
    if (g < 0) lo = y;
    else hi = y;
    const bracketNow = Number.isFinite(lo) && Number.isFinite(hi);
    // dg/dy = (ds/dy)·s·A''(s)/value.
    const slope = ((upper ? 1 : s) * s * st.variance) / value;
    let dy = -g / slope;
    // Halley's correction (cubic convergence) from g'' = (d²value/dy²)/value ∓ slope², using
    // A'''(s) = μ₃; applied only when it changes the Newton step by less than a factor 2.
    // Lower branch (y = log s): value'' = 2s²A'' + s³A''', g'' = value''/value − slope².
    // Upper branch (y = s, value = Dmax − D): value'' = −(A'' + sA'''), g'' = −value''/value + slope².
    const a3 = ev.central[3];
    const curv = upper
      ? (st.variance + s * a3) / value + slope * slope
      : (s * s * (2 * st.variance + s * a3)) / value - slope * slope;
    const halley = 1 - (g * curv) / (2 * slope * slope);
    const useHalley = halley > 0.5 && halley < 2 && Number.isFinite(halley);
    if (useHalley) dy /= halley;
    if (!Number.isFinite(dy)) dy = g < 0 ? openStep : -openStep;
    let next = y + dy;
    let newton = true;
    if (!(next > lo && next < hi) || slow) {
      newton = false;
      if (bracketNow) next = upper && lo > 0 && hi > 4 * lo ? geometricMean(lo, hi) : 0.5 * (lo + hi);
      else next = y + (g < 0 ? openStep : -openStep);
    } else if (Math.abs(dy) > openStep && !bracketNow) {
      newton = false;
      next = y + Math.sign(dy) * openStep;
    }
    const scale = upper ? Math.abs(y) : Math.max(1, Math.abs(y));
    if (Math.abs(next - y) <= 1e-15 * scale) return finalStats(law, st);
    // Quadratic convergence: after a Newton step of size ≤ 1e-9 the error is ≈ C·1e-18, so the
    // step is taken and the statistics are evaluated there without another iteration.
    // Likewise after a Halley step of relative size ≤ 1e-5 whose second-order part was small:
    // the neglected third-order term is ≈ |dy|·(halley − 1)² ≤ 1e-17 relative (cubic), so the
    // result is as accurate as after the Newton rule (checked against the mpmath fixtures,
    // including strongly curved laws such as a tiny top mass).
    const halleyDone =
      useHalley && Math.abs(dy) <= 1e-5 * scale && Math.abs(dy) * (halley - 1) ** 2 <= 1e-17 * scale;
    if (
      (newton && (Math.abs(dy) <= 1e-9 * scale || halleyDone)) ||
      (bracketNow && hi - lo <= 4e-16 * scale)
    ) {
      return evaluateTilt(law, upper ? next : Math.exp(next)).stats;
    }
    y = next;
  }
  throw new CoreFailure('numerical-failure', `no convergence solving D(λ) = ${d}`);
}
