/**
 * Values an editor shows for a piece of source: the number an expression stands for, the
 * summary of a model (its base reward, maximum KL) and of a policy (its KL and reward, and how
 * it compares with the optimum at its own KL). Each is computed by the core or by the expression
 * evaluator the checker uses — nothing is re-derived here.
 */
import { comparePolicy, tiltAtLambda } from '../../core/index.js';
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
  /** E_pⁿ[R] = n·Σ p r, the base model's expected reward. */
  readonly baseReward: number;
  readonly maxKL: number;
}

export function modelReadout(model: ResolvedModel): ModelReadout | undefined {
  if (!model.law || model.maxKL === undefined) return undefined;
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
  if (policy.error || !model?.law) return undefined;
  const c = comparePolicy(model.p, model.reward, policy.q, model.n);
  if (!c.ok) return undefined;
  return { kl: c.value.kl, reward: c.value.reward, frontierReward: c.value.frontierReward, gap: c.value.gap };
}
