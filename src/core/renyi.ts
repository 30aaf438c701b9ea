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
import { logSumExp, NeumaierSum } from './logspace.js';
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
 * H_α(p, softmax r). Method: everything is computed from the shifted rewards g_y = r_y − m ≤ 0,
 * m = max_y r_y (exact differences of the inputs, whatever their size), never from r_y or log C:
 *   log q_y = g_y − L,  L = log Σ_y e^{g_y} ∈ [0, log |V|],  log C = m + L,
 *   H_1 = L − E_p g,                    (both terms ≥ 0)
 *   H_α = L − (1/β)·log E_p e^{βg},     β = α − 1 (both terms ≥ 0 for either sign of β).
 * So no two large numbers are ever subtracted: rewards ±1e15 used to give H_2 = 1.25 instead of
 * −log 0.3 = 1.2040 (the old route formed E_p r − log C, two numbers of 1e15), ±1e17 gave 0, and
 * ±1e200 failed. Near α = 1 (|β|·max|g − E_p g| ≤ 1) the log is βE_p g + log1p(Σ p·expm1(β(g − E_p g))),
 * every piece accurate to a few ulp relative however small β is (α = 1 ± 1e-9, no 0/0);
 * otherwise it is a log-sum-exp (no overflow for any α). p is normalised by Σp; tokens with
 * p = 0 enter only C. A value beyond the largest double (H_α for α < 1 when a reward difference
 * overflows) is an `out-of-range` error, never ∞.
 * Errors: those of `tokenRewardLaw`, a non-finite reward, α not a finite number > 0,
 * `out-of-range` as above.
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

/** The α-independent parts of H_α (see `renyiCrossEntropy`). */
interface RenyiBase {
  /** log C = m + L. */
  readonly logC: number;
  /** m = max_y r_y and L = log Σ_y e^{r_y − m}. */
  readonly max: number;
  readonly logSumShifted: number;
  /** Σp. */
  readonly total: number;
  /** E_p g (≤ 0), g = r − m, compensated. */
  readonly meanShifted: number;
  /** max over p > 0 of |g − E_p g|. */
  readonly spread: number;
}

function renyiBase(p: ArrayLike<number>, r: ArrayLike<number>): RenyiBase {
  chargeWork(4 * p.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < r.length; i++) if (r[i] > max) max = r[i];
  const shifted = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) shifted[i] = r[i] - max;
  const L = logSumExp(shifted);
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i];
  const mean = new NeumaierSum();
  for (let i = 0; i < p.length; i++) if (p[i] > 0) mean.add((p[i] / total) * shifted[i]);
  const meanShifted = Math.min(0, mean.value);
  let spread = 0;
  for (let i = 0; i < p.length; i++)
    if (p[i] > 0) spread = Math.max(spread, Math.abs(shifted[i] - meanShifted));
  return { logC: max + L, max, logSumShifted: L, total, meanShifted, spread };
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
  const { logC, max, logSumShifted: L, total, meanShifted, spread } = base;
  const beta = alpha - 1;
  // H_1 = L − E_p g: the part every order shares.
  const h1 = L - meanShifted;
  let crossEntropy: number;
  if (beta === 0) crossEntropy = h1;
  else if (Math.abs(beta) * spread <= 1) {
    // log E_p e^{βg} = βE_p g + log1p(Σ p·expm1(β(g − E_p g))).
    let sum = 0;
    for (let i = 0; i < p.length; i++)
      if (p[i] > 0) sum += (p[i] / total) * Math.expm1(beta * (r[i] - max - meanShifted));
    crossEntropy = h1 - Math.log1p(sum) / beta;
  } else {
    const terms: number[] = [];
    for (let i = 0; i < p.length; i++) if (p[i] > 0) terms.push(Math.log(p[i] / total) + beta * (r[i] - max));
    crossEntropy = L - logSumExp(terms) / beta;
  }
  if (!(crossEntropy < Number.POSITIVE_INFINITY))
    throw new CoreFailure(
      'out-of-range',
      `H_${alpha} exceeds the largest double: the rewards differ by more than a double can hold`,
    );
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
