/**
 * Cumulants of the reward (math.md §2, §5): A⁽ʲ⁾(s) is the j-th cumulant of one token's reward
 * under φ_s, and the j-th cumulant of R under φ_λⁿ is n·A⁽ʲ⁾(λ). The scaled cumulant
 * generating function of the aligned model is Λ(t) = A(λ + t) − A(λ).
 */

import { requireSequenceLength } from './klrl.js';
import { evaluateTilt, requireTilt, tiltedLaw } from './logPartition.js';
import { CoreFailure, guard, type Result } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { rewardUnit, scaledLaw } from './rewardScale.js';

export const MAX_CUMULANT_ORDER = 8;

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

/**
 * Cumulants κ₂..κ_order from central moments μ₂..μ_order (μ₁ = 0), by the moment–cumulant
 * recursion κ_m = μ_m − Σ_{j=2}^{m−2} C(m−1, j−1) κ_j μ_{m−j} (the κ₁ terms vanish because the
 * moments are central; cumulants of order ≥ 2 do not depend on the shift).
 */
export function cumulantsFromCentralMoments(central: ArrayLike<number>, order: number): Float64Array {
  const kappa = new Float64Array(order + 1);
  for (let m = 2; m <= order; m++) {
    let acc = central[m];
    for (let j = 2; j <= m - 2; j++) acc -= binomial(m - 1, j - 1) * kappa[j] * central[m - j];
    kappa[m] = acc;
  }
  return kappa;
}

function requireOrder(order: number): void {
  if (!(Number.isInteger(order) && order >= 1 && order <= MAX_CUMULANT_ORDER))
    throw new CoreFailure(
      'out-of-range',
      `cumulant order ${order} is not an integer in 1..${MAX_CUMULANT_ORDER}`,
    );
}

/**
 * [A'(s), A''(s), …, A⁽ᵒʳᵈᵉʳ⁾(s)] (index 0 holds A', index j−1 holds A⁽ʲ⁾).
 * Method: central moments of φ_s taken about the mode-shifted mean (logPartition.ts), then the
 * moment–cumulant recursion. Accuracy: absolute error ≈ 1e-15 · μ₂^{j/2} · (combinatorial
 * factor ≤ 1e3 at j = 8), so a cumulant much smaller than σʲ (e.g. κ₈ of a near-Gaussian law)
 * is accurate in absolute, not relative, terms. s = ±∞: the law is concentrated on one value,
 * so A' = r_max (r_min) and every higher cumulant is 0. Extreme reward scales (rewards ±1e300):
 * computed on the rescaled law (rewardScale.ts) at s·u, κ_j = uʲ·κ_j' (the central moments up
 * to order 8 would overflow on the way even where κ_j itself is a double).
 * Errors: NaN s, order outside 1..8, `out-of-range` when a cumulant exceeds the largest double.
 */
export function tokenCumulants(law: TokenRewardLaw, s: number, order: number): Result<Float64Array> {
  return guard(() => tokenCumulantsUnchecked(law, s, order));
}

export function tokenCumulantsUnchecked(law: TokenRewardLaw, s: number, order: number): Float64Array {
  requireTilt(s);
  requireOrder(order);
  const unit = rewardUnit(law);
  if (unit !== 1) {
    const out = tokenCumulantsUnchecked(scaledLaw(law), s * unit, order);
    // κ_j·u^j by j multiplications (exact: u is a power of two), not by u^j, which may overflow
    // where κ_j·u^j does not (κ₂ = 0 for a point mass).
    for (let j = 0; j < out.length; j++) for (let i = 0; i <= j; i++) out[j] *= unit;
    requireFiniteCumulants(out, 1);
    return out;
  }
  const { stats, central } = evaluateTilt(law, s, Math.max(order, 2));
  const kappa = cumulantsFromCentralMoments(central, order);
  const out = new Float64Array(order);
  out[0] = stats.mean;
  for (let j = 2; j <= order; j++) out[j - 1] = law.values.length === 1 ? 0 : kappa[j];
  return out;
}

/**
 * [κ₁, …, κ_order] of R under φ_λⁿ: κ_j = n·A⁽ʲ⁾(λ) (cumulants add over independent tokens).
 * Errors: invalid n, NaN λ, order outside 1..8.
 */
export function sequenceCumulants(
  law: TokenRewardLaw,
  n: number,
  lambda: number,
  order: number,
): Result<Float64Array> {
  return guard(() => {
    requireSequenceLength(n);
    const out = tokenCumulantsUnchecked(law, lambda, order);
    for (let j = 0; j < out.length; j++) out[j] *= n;
    requireFiniteCumulants(out, n);
    return out;
  });
}

/**
 * Λ(t) = (1/n) log E_{φ_λⁿ} e^{tR} = A(λ + t) − A(λ).
 * Method: A(λ + t) − A(λ) = log Σ_k φ_λ(k) e^{t v_k} is the log-partition function of the law
 * re-based at φ_λ, evaluated at t (no difference of two large A values; relative accuracy also
 * for tiny t). λ and t finite. Errors: NaN or infinite λ or t.
 */
export function scaledCgf(law: TokenRewardLaw, lambda: number, t: number): Result<number> {
  return guard(() => {
    requireFiniteLambda(lambda);
    return cgfOfTilted(tiltedLaw(law, lambda), lambda, t);
  });
}

/**
 * Λ at every t of `ts` (a curve): the numbers of `scaledCgf`, with the law re-based at φ_λ built
 * once instead of once per t. Errors: those of `scaledCgf` (for the first t that fails).
 */
export function scaledCgfCurve(law: TokenRewardLaw, lambda: number, ts: ArrayLike<number>): Result<number[]> {
  return guard(() => {
    requireFiniteLambda(lambda);
    const tilted = tiltedLaw(law, lambda);
    const out: number[] = [];
    for (let i = 0; i < ts.length; i++) out.push(cgfOfTilted(tilted, lambda, ts[i]));
    return out;
  });
}

/** A cumulant beyond the double range (rewards ±1e300: A'' ≈ 1e600) is an error, not ∞. */
function requireFiniteCumulants(kappa: Float64Array, n: number): void {
  for (let j = 0; j < kappa.length; j++) {
    if (!Number.isFinite(kappa[j]))
      throw new CoreFailure(
        'out-of-range',
        `the ${j + 1}${j === 0 ? 'st' : j === 1 ? 'nd' : j === 2 ? 'rd' : 'th'} cumulant of ${n === 1 ? "one token's reward" : `R over n = ${n} tokens`} exceeds the largest double (≈ 1.8e308): the rewards are too large for it`,
      );
  }
}

function requireFiniteLambda(lambda: number): void {
  // Checked before a message is built (formatting a number is not free).
  if (!Number.isFinite(lambda)) throw new CoreFailure('invalid-argument', `λ = ${lambda} must be finite`);
}

/** Λ(t) from the law re-based at φ_λ (`tiltedLaw(law, λ)`); see `scaledCgf`. */
function cgfOfTilted(tilted: TokenRewardLaw, lambda: number, t: number): number {
  if (!Number.isFinite(t)) throw new CoreFailure('invalid-argument', `t = ${t} must be finite`);
  // Λ(t) = log E_{φ_λ} e^{tr} is the log-partition function of the law re-based at φ_λ,
  // evaluated at t: full relative accuracy for tiny t as well (logPartition.ts, small-s path).
  const value = evaluateTilt(tilted, t).stats.logPartition;
  if (!Number.isFinite(value))
    throw new CoreFailure('numerical-failure', `Λ(${t}) at λ = ${lambda} is not finite`);
  return value;
}
