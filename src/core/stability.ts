/**
 * The stability theorem of optimal KL-constrained RL (math.md §3), evaluated for a memoryless
 * policy qⁿ: for any φ, KL(φ‖φ_Δ) = [KL(φ‖pⁿ) − Δ] + λ(E_{φ_Δ} R − E_φ R), hence a policy within
 * the budget whose reward is within ε of the frontier satisfies KL(φ‖φ_Δ) ≤ λε.
 */

import { lambdaForBudgetUnchecked, requireSequenceLength } from './klrl.js';
import { klTerm, tiltedLogMassUnchecked, valueIndex } from './logPartition.js';
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
  /** λ·ε (∞ when λ = ∞ and ε > 0, 0 when ε = 0). */
  readonly bound: number;
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
      logPhi[i] = logPhiValue[j] + logP[i] - law.logMass[j];
    }
    const klToOptimal = n * klFromLogs(logQ, logPhi);
    const totalReward = n * reward;
    const gap = sol.reward - totalReward;
    const bound =
      lambda === 0 ? 0 : Number.isFinite(lambda) ? lambda * gap : gap > 0 ? Number.POSITIVE_INFINITY : 0;
    return {
      kl,
      reward: totalReward,
      budget,
      frontierReward: sol.reward,
      gap,
      lambda,
      klToOptimal,
      bound,
      withinBudget: kl <= budget,
    };
  });
}
