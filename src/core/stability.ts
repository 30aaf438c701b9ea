/**
 * The stability theorem of optimal KL-constrained RL (math.md §3), evaluated for a memoryless
 * policy qⁿ: for any φ, KL(φ‖φ_Δ) = [KL(φ‖pⁿ) − Δ] + λ(E_{φ_Δ} R − E_φ R), hence a policy within
 * the budget whose reward is within ε of the frontier satisfies KL(φ‖φ_Δ) ≤ λε.
 *
 * The bound has two hypotheses, and where either fails no bound is reported (+∞, with the reason
 * in `boundStatus`) rather than a number the theorem does not promise:
 *  - the budget binds (λ < ∞). At Δ ≥ n·(−log p(M)) every policy on the top-reward tokens within
 *    the budget is optimal: φ_Δ = p restricted to M is only one of many maximisers, and a policy
 *    with the top reward (ε = 0) may be far from it — λε would say 0.
 *  - KL(qⁿ‖pⁿ) ≤ Δ. Beyond the budget the identity gives KL(φ‖φ_Δ) = excess + λε > λε.
 */

import { lambdaForBudgetUnchecked, requireSequenceLength } from './klrl.js';
import { klTerm, tiltedLogMassUnchecked, valueIndex } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import { buildTokenRewardLaw } from './rewardLaw.js';

export interface PolicyComparison {
  /** KL(qⁿ‖pⁿ) = n·KL(q‖p) (∞ if q puts mass where p has none). */
  readonly kl: number;
  /** E_{qⁿ} R = n·Σ q r. */
  readonly reward: number;
  /** The budget Δ used (KL(qⁿ‖pⁿ) unless given). */
  readonly budget: number;
  /** F(Δ) = n·A'(λ). */
  readonly frontierReward: number;
  /** ε = F(Δ) − E_q R (negative only if q exceeds the budget). */
  readonly gap: number;
  /** λ(Δ) ∈ [0, ∞]. */
  readonly lambda: number;
  /** KL(qⁿ‖φ_Δ) = n·KL(q‖φ_λ), computed directly (∞ if q has mass where φ_λ has none). */
  readonly klToOptimal: number;
  /**
   * λ·ε when the stability theorem applies (`boundStatus` 'applies'); +∞ (no bound) when the
   * budget does not bind or q exceeds it. Then KL(qⁿ‖φ_Δ) ≤ bound in every case.
   */
  readonly bound: number;
  /** Why there is a finite bound or not (see the module comment). */
  readonly boundStatus: 'applies' | 'not-binding' | 'over-budget';
  /** KL(qⁿ‖pⁿ) ≤ Δ: the theorem's hypothesis. */
  readonly withinBudget: boolean;
}

/**
 * KL(a‖b) = Σ_k b_k f(log a_k − log b_k), f(u) = 1 + (u − 1)eᵘ ≥ 0 (a, b normalised; the terms
 * are those of Σ a log(a/b) − a + b, each non-negative, so there is no cancellation).
 * Given as logs; a_k > 0 with b_k = 0 → ∞; a_k = 0 contributes b_k.
 */
function klFromLogs(logA: ArrayLike<number>, logB: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < logA.length; k++) {
    const la = logA[k];
    const lb = logB[k];
    if (la === Number.NEGATIVE_INFINITY) {
      sum += Math.exp(lb);
      continue;
    }
    if (lb === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
    const u = la - lb;
    // Closed form b + (u − 1)a away from u = 0 (a = e^{la} directly: b may underflow).
    sum += Math.abs(u) < 0.5 ? Math.exp(lb) * klTerm(u) : Math.exp(lb) + (u - 1) * Math.exp(la);
  }
  return sum;
}

/**
 * ε/n = A'(λ) − E_q r = Σ_k (φ_λ(k) − q_k)(r_k − r_max), compensated: the differences r_k − r_max
 * are those of the inputs (exact for rewards 1e15 + {0, 1, 2}), so no two totals of size
 * n·1e15 are subtracted — that left ε = 0 (and a bound 0 below KL(q‖φ_Δ) = 0.011) there.
 * Tokens with p = 0 have φ = 0; tokens with q = 0 contribute φ_k(r_k − r_max).
 */
function rewardGap(logPhi: Float64Array, logQ: Float64Array, r: ArrayLike<number>, rMax: number): number {
  const sum = new NeumaierSum();
  for (let i = 0; i < logPhi.length; i++) {
    const phi = logPhi[i] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(logPhi[i]);
    const q = logQ[i] === Number.NEGATIVE_INFINITY ? 0 : Math.exp(logQ[i]);
    if (phi !== q) sum.add((phi - q) * (r[i] - rMax));
  }
  return sum.value;
}

/**
 * Compares a memoryless policy q (per-token probabilities, normalised by Σq) with the optimal
 * KL-RL solution at budget Δ (default KL(qⁿ‖pⁿ)), n tokens. Every quantity is computed
 * directly (KL(q‖φ_λ) from per-token log φ_λ), so the theorem's identity is a genuine check.
 * Errors: those of `tokenRewardLaw`; q of the wrong length, negative/NaN/∞ entries or zero
 * total; invalid n; Δ NaN or negative; Δ omitted while KL(q‖p) = ∞.
 */
export function comparePolicy(
  p: ArrayLike<number>,
  r: ArrayLike<number>,
  q: ArrayLike<number>,
  n: number,
  delta?: number,
): Result<PolicyComparison> {
  return guard(() => {
    const law = buildTokenRewardLaw(p, r);
    requireSequenceLength(n);
    require(q.length === p.length, 'length-mismatch', `q has ${q.length} entries but p has ${p.length}`);
    let qTotal = 0;
    let pTotal = 0;
    for (let i = 0; i < q.length; i++) {
      if (!(q[i] >= 0) || q[i] === Number.POSITIVE_INFINITY) {
        throw new CoreFailure('invalid-probability', `q[${i}] = ${q[i]} is not a finite non-negative number`);
      }
      qTotal += q[i];
      pTotal += p[i];
    }
    require(qTotal > 0 && Number.isFinite(qTotal), 'invalid-probability', `q sums to ${qTotal}`);
    const logQ = new Float64Array(q.length);
    const logP = new Float64Array(q.length);
    let reward = 0;
    for (let i = 0; i < q.length; i++) {
      logQ[i] = q[i] > 0 ? Math.log(q[i] / qTotal) : Number.NEGATIVE_INFINITY;
      logP[i] = p[i] > 0 ? Math.log(p[i] / pTotal) : Number.NEGATIVE_INFINITY;
      if (q[i] > 0) {
        if (!Number.isFinite(r[i]))
          throw new CoreFailure('invalid-reward', `reward[${i}] = ${r[i]} is not finite`);
        reward += (q[i] / qTotal) * r[i];
      }
    }
    const klPerToken = klFromLogs(logQ, logP);
    const kl = n * klPerToken;
    const budget = delta ?? kl;
    require(typeof budget === 'number' &&
      budget >= 0 &&
      !Number.isNaN(budget), 'invalid-argument', `the budget Δ = ${budget} is not a non-negative number`);
    require(Number.isFinite(budget) ||
      delta !==
        undefined, 'invalid-argument', 'q puts mass where p has none (KL = ∞): give the budget Δ explicitly');
    const sol = lambdaForBudgetUnchecked(law, n, budget);
    const lambda = sol.lambda;
    // log φ_λ per token = log φ_λ(value) + log(p_token / p(value)).
    const logPhiValue = tiltedLogMassUnchecked(law, lambda);
    const logPhi = new Float64Array(q.length).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < q.length; i++) {
      if (p[i] === 0) continue;
      const j = valueIndex(law.values, r[i]);
      // log p plus the tilt's log-ratio log(φ_λ/p) of the value (exactly log p at λ = 0).
      logPhi[i] = logP[i] + (logPhiValue[j] - law.logMass[j]);
    }
    const klToOptimal = n * klFromLogs(logQ, logPhi);
    const totalReward = n * reward;
    const gap = n * rewardGap(logPhi, logQ, r, law.rMax);
    const withinBudget = kl <= budget;
    // λε ≥ 0 when the theorem applies (ε ≥ 0 by optimality; a rounded −1e-17 is 0).
    const boundStatus = !sol.binding ? 'not-binding' : withinBudget ? 'applies' : 'over-budget';
    const bound =
      boundStatus === 'applies' ? (lambda === 0 ? 0 : Math.max(0, lambda * gap)) : Number.POSITIVE_INFINITY;
    return {
      kl,
      reward: totalReward,
      budget,
      frontierReward: sol.reward,
      gap,
      lambda,
      klToOptimal,
      bound,
      boundStatus,
      withinBudget,
    };
  });
}
