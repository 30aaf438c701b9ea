/**
 * Best-of-N next to the optimal KL-constrained RL solution (math.md §3, §6) — the numbers of the
 * results contract's BonValue (src/presentation/results.ts):
 *  - `sameKL`: KL-RL at the budget Δ = KL(BoN ‖ pⁿ). Its reward is the frontier F(Δ) at BoN's own
 *    KL, never below BoN's reward (math.md §7: optimality of φ_Δ).
 *  - `logNBudget`: KL-RL at Δ = log N (the budget BoN is usually credited with, an upper bound on
 *    its KL), with KL(BoN ‖ φ_λⁿ) for that λ: the distance the paper's equivalence theorem says
 *    vanishes per token as n → ∞ with N = e^{nδ}.
 */
import {
  type BestOfN,
  type BonOptions,
  type BonSize,
  bestOfNForLengthUnchecked,
  parseBonSize,
} from './bestOfN.js';
import { lambdaForBudgetUnchecked, type TiltSolution } from './klrl.js';
import { guard, type Result } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { requireLength } from './sequenceLaw.js';

export interface BonVersusRL {
  /** Best-of-N, with klToTilt = KL(BoN ‖ φ_λⁿ) at the λ of `logNBudget`. */
  readonly bon: BestOfN;
  /** KL-RL at Δ = KL(BoN ‖ pⁿ). */
  readonly sameKL: TiltSolution;
  /** KL-RL at Δ = log N. */
  readonly logNBudget: TiltSolution;
}

/** BoN and both KL-RL comparisons. Errors: those of `bestOfNForLength` and `lambdaForBudget`. */
export function bestOfNVersusRL(
  law: TokenRewardLaw,
  n: number,
  size: BonSize,
  options: Omit<BonOptions, 'lambda'> = {},
): Result<BonVersusRL> {
  return guard(() => {
    requireLength(n);
    const parsed = parseBonSize(size);
    const logNBudget = lambdaForBudgetUnchecked(law, n, parsed.logN);
    const bon = bestOfNForLengthUnchecked(law, n, parsed, { ...options, lambda: logNBudget.lambda });
    const sameKL = lambdaForBudgetUnchecked(law, n, bon.kl);
    return { bon, sameKL, logNBudget };
  });
}
