/**
 * Values an editor shows for a piece of source: the number an expression stands for, the
 * summary of a model (its base reward, maximum KL) and of a policy (its KL and reward, and how
 * it compares with the optimum at its own KL). Each is computed by the core or by the expression
 * evaluator the checker uses — nothing is re-derived here.
 */
import { compareChains, comparePolicy, markovTiltAtLambda, mixing, tiltAtLambda } from '../../core/index.js';
import type { CheckResult } from '../checking/checker.js';
import { evalExpr, type NameResolver } from '../checking/exprEval.js';
import type { ResolvedModel, ResolvedPolicy } from '../checking/models.js';
import type { Value } from '../checking/value.js';
import { DiagnosticSink } from '../diagnostics.js';
import type * as A from '../syntax/ast.js';
import { LineIndex } from '../syntax/positions.js';

/**
 * The value of an expression of the document (a `let` reference, `exp(3)`, `2 * budget`), with
 * the document's lets; undefined when it has an error (which the checker reported).
 */
export function expressionValue(e: A.Expr, checked: CheckResult): Value | undefined {
  const names: NameResolver = {
    resolve: (id) => (checked.lets.has(id.name) ? checked.lets.get(id.name) : 'unknown'),
    names: () => checked.lets.keys(),
  };
  // Problems were reported by the checker already: this sink only absorbs the repeats.
  return evalExpr(e, names, new DiagnosticSink(new LineIndex('')));
}

export interface ModelReadout {
  /** E_pⁿ[R] = n·Σ p r, the base model's expected reward (for a chain, E_p R). */
  readonly baseReward: number;
  readonly maxKL: number;
  /** A markov model: the second eigenvalue modulus |λ₂| of P (on its recurrent class). */
  readonly mixing?: number;
}

export function modelReadout(model: ResolvedModel): ModelReadout | undefined {
  if (model.maxKL === undefined) return undefined;
  if (model.chain) {
    const base = markovTiltAtLambda(model.chain, model.n, 0);
    if (!base.ok) return undefined;
    const m = mixing(model.chain);
    return {
      baseReward: base.value.reward,
      maxKL: model.maxKL,
      ...(m.ok ? { mixing: m.value.secondModulus } : {}),
    };
  }
  if (!model.law) return undefined;
  const base = tiltAtLambda(model.law, model.n, 0);
  return base.ok ? { baseReward: base.value.reward, maxKL: model.maxKL } : undefined;
}

export interface PolicyReadout {
  /** KL(qⁿ‖pⁿ) (∞ when q puts mass where p has none). */
  readonly kl: number;
  /** E_qⁿ[R]. */
  readonly reward: number;
  /** The frontier at the policy's own KL, F(KL(qⁿ‖pⁿ)): the best reward possible at that KL. */
  readonly frontierReward: number;
  /** F(KL) − E_q[R] ≥ 0: how far the policy is below the optimum at its own KL. */
  readonly gap: number;
}

export function policyReadout(policy: ResolvedPolicy): PolicyReadout | undefined {
  const model = policy.model;
  if (policy.error) return undefined;
  if (model?.chain && policy.chain) {
    const m = compareChains(model.chain, policy.chain, model.n);
    if (!m.ok) return undefined;
    return {
      kl: m.value.kl,
      reward: m.value.reward,
      frontierReward: m.value.frontierReward,
      gap: m.value.gap,
    };
  }
  if (!model?.law) return undefined;
  const c = comparePolicy(model.p, model.reward, policy.q, model.n);
  if (!c.ok) return undefined;
  return { kl: c.value.kl, reward: c.value.reward, frontierReward: c.value.frontierReward, gap: c.value.gap };
}
