/**
 * Rényi cross entropy between the base model p and the reward seen as a distribution
 * q = softmax(r) = e^{r}/C over the vocabulary (math.md §5):
 *   H_α(p, q) = (1/(1−α)) log Σ_y p(y) q(y)^{α−1}  (α > 0, α ≠ 1),  H_1 = −Σ p log q.
 * With β = α − 1 and x_y = log q(y) = r_y − log C, H_α = −(1/β) log E_p e^{βx}. It connects to
 * the log-partition function by A(s) = s log C − s H_{1+s}(p, q), which is how the growth of
 * the scaled cumulants of the aligned model is a Rényi cross entropy.
 *
 * This module works on the per-token arrays directly (not through the merged law or A), so
 * the identities with logPartition.ts are independent checks.
 */
import { logSumExp } from './logspace.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import { buildTokenRewardLaw } from './rewardLaw.js';
import { chargeWork } from './workBudget.js';

export interface RenyiCrossEntropy {
  readonly alpha: number;
  /** H_α(p, softmax r) in nats, ≥ 0. */
  readonly crossEntropy: number;
  /** log C = log Σ_y e^{r_y} over the whole vocabulary (tokens with p = 0 included). */
  readonly logC: number;
}

/** Validates p and r (as the reward law does) and requires every reward to be finite. */
function validate(p: ArrayLike<number>, r: ArrayLike<number>): void {
  buildTokenRewardLaw(p, r);
  for (let i = 0; i < r.length; i++) {
    if (!Number.isFinite(r[i]))
      throw new CoreFailure('invalid-reward', `reward[${i}] = ${r[i]} is not a finite number`);
  }
}

/**
 * H_α(p, softmax r). Method, with x_y = r_y − log C and μ = E_p x (so H_1 = −μ) and
 * d_y = x_y − μ:  H_α = −μ − (1/β)·log E_p e^{βd}.
 *  - If |β|·max|d| ≤ 1: log E_p e^{βd} = log1p(Σ p·expm1(βd)) — every piece is accurate to a few
 *    ulp relative however small β is, so α = 1 ± 1e-9 keeps full accuracy (no 0/0).
 *  - Otherwise log E_p e^{βd} is a log-sum-exp (no overflow for rewards ±1e3 and large α).
 * p is normalised by Σp; tokens with p = 0 enter only C.
 * Errors: those of `tokenRewardLaw`, a non-finite reward, α not a finite number > 0.
 */
export function renyiCrossEntropy(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  alpha: number,
): Result<RenyiCrossEntropy> {
  return guard(() => renyiUnchecked(p, r, alpha));
}

export function renyiUnchecked(p: ArrayLike<number>, r: ArrayLike<number>, alpha: number): RenyiCrossEntropy {
  validate(p, r);
  return renyiAt(p, r, renyiBase(p, r), alpha);
}

/**
 * H_α(p, softmax r) at every α of `alphas` (a curve): the numbers of `renyiCrossEntropy`, with p
 * and r validated once and the α-independent parts (log C, E_p r, the spread) computed once.
 * Errors: those of `renyiCrossEntropy` (for the first α that fails).
 */
export function renyiCrossEntropyCurve(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  alphas: ArrayLike<number>,
): Result<RenyiCrossEntropy[]> {
  return guard(() => {
    validate(p, r);
    const base = renyiBase(p, r);
    const out: RenyiCrossEntropy[] = [];
    for (let i = 0; i < alphas.length; i++) out.push(renyiAt(p, r, base, alphas[i]));
    return out;
  });
}

/** The α-independent parts of H_α: log C, Σp, E_p r (tokens with p > 0) and max |r − E_p r|. */
interface RenyiBase {
  readonly logC: number;
  readonly total: number;
  readonly mean: number;
  readonly spread: number;
}

function renyiBase(p: ArrayLike<number>, r: ArrayLike<number>): RenyiBase {
  chargeWork(4 * p.length);
  const logC = logSumExp(r);
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i];
  // μ = E_p[r] − log C.
  let mean = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) mean += (p[i] / total) * r[i];
  let spread = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) spread = Math.max(spread, Math.abs(r[i] - mean));
  return { logC, total, mean, spread };
}

/** H_α for validated p and r (see `renyiCrossEntropy` for the method). */
function renyiAt(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  base: RenyiBase,
  alpha: number,
): RenyiCrossEntropy {
  // Checked before the message is built: a curve evaluates dozens of α.
  if (!(typeof alpha === 'number' && Number.isFinite(alpha) && alpha > 0))
    throw new CoreFailure('out-of-range', `α = ${alpha} is not a finite number > 0`);
  chargeWork(p.length);
  const { logC, total, mean, spread } = base;
  const mu = mean - logC;
  const beta = alpha - 1;
  if (beta === 0) return { alpha, crossEntropy: Math.max(0, -mu), logC };
  let logMoment: number;
  if (Math.abs(beta) * spread <= 1) {
    let sum = 0;
    for (let i = 0; i < p.length; i++) if (p[i] > 0) sum += (p[i] / total) * Math.expm1(beta * (r[i] - mean));
    logMoment = Math.log1p(sum);
  } else {
    const terms: number[] = [];
    for (let i = 0; i < p.length; i++)
      if (p[i] > 0) terms.push(Math.log(p[i] / total) + beta * (r[i] - mean));
    logMoment = logSumExp(terms);
  }
  const crossEntropy = -mu - logMoment / beta;
  if (!Number.isFinite(crossEntropy)) {
    throw new CoreFailure('numerical-failure', `H_${alpha} is not finite`);
  }
  return { alpha, crossEntropy: Math.max(0, crossEntropy), logC };
}

/**
 * A(s) through the Rényi identity A(s) = s·log C − s·H_{1+s}(p, softmax r), s > −1 (α = 1 + s
 * must be positive); s = 0 → 0. Errors: those of `renyiCrossEntropy`, s ≤ −1 or not finite.
 */
export function logPartitionViaRenyi(p: ArrayLike<number>, r: ArrayLike<number>, s: number): Result<number> {
  return guard(() => {
    require(Number.isFinite(s) &&
      s > -1, 'out-of-range', `s = ${s} must be a finite number > −1 (α = 1 + s > 0)`);
    if (s === 0) {
      validate(p, r);
      return 0;
    }
    const { crossEntropy, logC } = renyiUnchecked(p, r, 1 + s);
    return s * (logC - crossEntropy);
  });
}

/**
 * Λ(t) = (λ+t)(log C − H_{1+λ+t}) − λ(log C − H_{1+λ}) (math.md §5), for λ + t > −1, λ > −1.
 * Errors: as `logPartitionViaRenyi`.
 */
export function scaledCgfViaRenyi(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  lambda: number,
  t: number,
): Result<number> {
  return guard(() => {
    const a = logPartitionViaRenyi(p, r, lambda + t);
    const b = logPartitionViaRenyi(p, r, lambda);
    if (!a.ok) throw new CoreFailure(a.error.code, a.error.message);
    if (!b.ok) throw new CoreFailure(b.error.code, b.error.message);
    return a.value - b.value;
  });
}
