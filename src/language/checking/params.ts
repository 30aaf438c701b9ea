/**
 * Checks one query statement against the query table (queries.ts): its model, each parameter's
 * name, kind and bounds, the exclusive/required parameter groups and the KL budget against the
 * model's maximum KL. The result says what to evaluate, or why it cannot be evaluated.
 */

import { formatNumber } from '../../presentation/format.js';
import {
  ASYMPTOTIC_QUERIES,
  MEMORYLESS_ONLY,
  type ParamSpec,
  paramSpec,
  QUERIES,
  type QuerySpec,
  querySpec,
} from '../../presentation/queries.js';
import type { QueryKind } from '../../presentation/results.js';
import type { DiagnosticSink } from '../diagnostics.js';
import { didYouMean, suggest } from '../suggest.js';
import type * as A from '../syntax/ast.js';
import { evalExpr, type NameResolver, reportBrokenValue, toDouble } from './exprEval.js';
import { asymptoticMaxRate, chainMaxReward } from './markov.js';
import { isEvaluable, type ResolvedModel, type ResolvedPolicy } from './models.js';
import { SmallMap } from './smallMap.js';
import { describe as describeValue } from './value.js';

export type ParamValue =
  | { readonly kind: 'number'; readonly value: number }
  /** N: log N always; value is null when N overflows a double. */
  | { readonly kind: 'count'; readonly log: number; readonly value: number | null }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'word'; readonly value: string }
  | { readonly kind: 'policy'; readonly policy: ResolvedPolicy };

export interface CheckedQuery {
  readonly stmt: A.QueryStmt;
  readonly spec: QuerySpec | undefined;
  readonly kind: QueryKind | undefined;
  readonly modelName: string;
  readonly model: ResolvedModel | undefined;
  readonly params: ReadonlyMap<string, ParamValue>;
  /** Why the query is not evaluated (its first error), or undefined when it can be. */
  readonly blocked: string | undefined;
}

export interface QueryContext {
  readonly sink: DiagnosticSink;
  readonly names: NameResolver;
  readonly models: ReadonlyMap<string, ResolvedModel>;
  readonly policies: ReadonlyMap<string, ResolvedPolicy>;
  /** Names a line that did not parse meant to define, with that line (0-based). */
  readonly broken?: ReadonlyMap<string, number>;
}

const QUERY_NAMES = QUERIES.map((q) => q.name);

export function checkQuery(stmt: A.QueryStmt, ctx: QueryContext): CheckedQuery {
  const { sink } = ctx;
  const start = sink.mark();
  const spec = querySpec(stmt.name.name);
  if (!spec) {
    const suggestion = suggest(stmt.name.name, QUERY_NAMES);
    sink.add(
      'unknown-query',
      stmt.name.start,
      stmt.name.end,
      `unknown query '${stmt.name.name}'${didYouMean(suggestion)} (queries: ${QUERY_NAMES.join(', ')})`,
      suggestion ? { suggestion } : undefined,
    );
  }

  // The model: the first positional argument.
  let model: ResolvedModel | undefined;
  let brokenModel: string | undefined;
  let modelName = '';
  const first = firstPositional(stmt.args);
  const modelGiven = first !== undefined && stmt.args[0] === first;
  if (!modelGiven) {
    const at = stmt.args[0] ?? stmt.name;
    sink.add(
      'missing-model',
      at.start,
      at.end,
      `${stmt.name.name}(…) needs a model as its first argument, e.g. ${spec?.example ?? 'tilt(toy, delta = 1)'}`,
    );
  } else if (first.value.kind !== 'identifier') {
    sink.add('type-mismatch', first.start, first.end, 'the first argument must be the name of a model');
  } else {
    modelName = first.value.name;
    model = ctx.models.get(modelName);
    const brokenAt = model ? undefined : ctx.broken?.get(modelName);
    if (brokenAt !== undefined) {
      // The definition did not parse: its syntax error is the one problem to report.
      brokenModel = `model '${modelName}' is not defined: line ${brokenAt + 1}, which was meant to define it, has a syntax error`;
    } else if (!model) {
      const suggestion = suggest(modelName, ctx.models.keys());
      sink.add(
        'unknown-model',
        first.start,
        first.end,
        `unknown model '${modelName}'${didYouMean(suggestion)}`,
        suggestion ? { suggestion } : undefined,
      );
    }
  }
  for (const extra of stmt.args) {
    if (extra.kind !== 'positional-arg' || (modelGiven && extra === first)) continue;
    sink.add(
      'unexpected-argument',
      extra.start,
      extra.end,
      'unexpected argument: parameters are written name = value',
    );
  }

  const params = new SmallMap<string, ParamValue>(stmt.args.length);
  const given = new SmallMap<string, A.NamedArg>(stmt.args.length);
  /** The first parameter written without a usable value. */
  let valueless: string | undefined;
  for (const arg of stmt.args) {
    if (arg.kind !== 'named-arg') continue;
    const name = arg.name.name;
    if (!spec) continue;
    const ps = paramSpec(spec, name);
    if (!ps) {
      const suggestion = suggest(
        name,
        spec.params.map((p) => p.name),
      );
      const known = spec.params.map((p) => p.name).join(', ');
      sink.add(
        'unknown-parameter',
        arg.name.start,
        arg.name.end,
        `${spec.name} has no parameter '${name}'${didYouMean(suggestion)} (parameters: ${known || 'none'})`,
        suggestion ? { suggestion } : undefined,
      );
      continue;
    }
    if (given.has(name)) {
      sink.add('duplicate-parameter', arg.name.start, arg.name.end, `'${name}' is given twice`);
      continue;
    }
    given.set(name, arg);
    // Without its value (a syntax error, a broken let) the query must not run on a default.
    if (!arg.value) {
      valueless ??= name; // the syntax error is reported already
      continue;
    }
    const before = sink.mark();
    const value = checkParam(ps, arg.value, ctx, model);
    if (value) params.set(name, value);
    else {
      valueless ??= name;
      if (!sink.hasErrorSince(before))
        reportBrokenValue(`'${name}'`, arg.value, ctx.names, sink, ', so the query is not evaluated');
    }
  }

  if (spec) checkGroups(spec, stmt, given, params, sink);
  if (spec && model?.maxKL !== undefined) checkBudget(spec, given, params, model, sink);
  if (spec && model && (model.law !== undefined || model.chain !== undefined))
    checkMethodParams(given, params, model, sink);
  if (spec && model?.decl.markov) checkMarkovQuery(spec, stmt, model, sink);

  let blocked = sink.firstErrorSince(start) ?? brokenModel;
  if (!blocked && valueless !== undefined)
    blocked = `'${valueless}' has no value (see the error in its argument)`;
  if (!blocked && model && !isEvaluable(model)) blocked = `model '${model.name}' is invalid: ${model.error}`;
  const policy = params.get('policy');
  if (!blocked && policy?.kind === 'policy' && policy.policy.error) {
    blocked = `policy '${policy.policy.name}' is invalid: ${policy.policy.error}`;
  }
  return { stmt, spec, kind: spec?.name, modelName, model, params, blocked };
}

function firstPositional(args: readonly A.Arg[]): A.PositionalArg | undefined {
  for (const a of args) if (a.kind === 'positional-arg') return a;
  return undefined;
}

function checkParam(
  ps: ParamSpec,
  value: A.Expr | A.RangeExpr,
  ctx: QueryContext,
  model: ResolvedModel | undefined,
): ParamValue | undefined {
  const { sink } = ctx;
  if (ps.kind === 'enum' || ps.kind === 'policy') {
    if (value.kind !== 'identifier') {
      const what = ps.kind === 'enum' ? `one of ${ps.values?.join(', ')}` : 'the name of a policy';
      sink.add('type-mismatch', value.start, value.end, `'${ps.name}' must be ${what}`);
      return undefined;
    }
    if (ps.kind === 'enum') {
      const allowed = ps.values ?? [];
      if (!allowed.includes(value.name)) {
        const suggestion = suggest(value.name, allowed, 1);
        sink.add(
          'invalid-value',
          value.start,
          value.end,
          `'${value.name}' is not a valid ${ps.name}: use ${allowed.join(', ')}${didYouMean(suggestion)}`,
          { allowed, ...(suggestion ? { suggestion } : {}) },
        );
        return undefined;
      }
      return { kind: 'word', value: value.name };
    }
    const policy = ctx.policies.get(value.name);
    if (!policy) {
      const suggestion = suggest(value.name, ctx.policies.keys());
      sink.add(
        'unknown-policy',
        value.start,
        value.end,
        `unknown policy '${value.name}'${didYouMean(suggestion)}`,
        suggestion ? { suggestion } : undefined,
      );
      return undefined;
    }
    if (model && policy.model && policy.model !== model) {
      sink.add(
        'invalid-value',
        value.start,
        value.end,
        `policy '${policy.name}' is over model '${policy.model.name}', not '${model.name}'`,
      );
      return undefined;
    }
    return { kind: 'policy', policy };
  }

  const wantsRange = ps.kind === 'range';
  const allowsRange = wantsRange || ps.kind === 'number-or-range' || ps.kind === 'integer-or-range';
  const integer = ps.kind === 'integer' || ps.kind === 'integer-or-range';
  if (value.kind === 'range') {
    if (!allowsRange) {
      sink.add('type-mismatch', value.start, value.end, `'${ps.name}' takes a single number, not a range`);
      return undefined;
    }
    const from = number(ps, value.from, integer, ctx);
    const to = number(ps, value.to, integer, ctx);
    if (from === undefined || to === undefined) return undefined;
    if (integer ? from > to : from >= to) {
      sink.add(
        'invalid-value',
        value.start,
        value.end,
        `the range ${formatNumber(from, 10)}..${formatNumber(to, 10)} is empty: its start must be below its end`,
      );
      return undefined;
    }
    return { kind: 'range', from, to };
  }
  if (wantsRange) {
    sink.add('type-mismatch', value.start, value.end, `'${ps.name}' takes a range a..b`);
    return undefined;
  }
  if (ps.kind === 'count') {
    const v = evalExpr(value, ctx.names, sink);
    if (!v) return undefined;
    if (v.sign <= 0 || v.log < 0) {
      sink.add('n-below-one', value.start, value.end, `N must be at least 1, not ${describeValue(v)}`);
      return undefined;
    }
    return { kind: 'count', log: v.log, value: Number.isFinite(v.num) ? v.num : null };
  }
  const x = number(ps, value, integer, ctx);
  return x === undefined ? undefined : { kind: 'number', value: x };
}

/** A finite (integer) number within the parameter's bounds, or undefined after a diagnostic. */
function number(ps: ParamSpec, e: A.Expr, integer: boolean, ctx: QueryContext): number | undefined {
  const { sink } = ctx;
  const x = plainLiteral(e) ?? evaluateNumber(ps, e, ctx);
  if (x === undefined) return undefined;
  if (integer && !Number.isInteger(x)) {
    sink.add(
      'invalid-value',
      e.start,
      e.end,
      `'${ps.name}' must be a whole number, not ${formatNumber(x, 10)}`,
    );
    return undefined;
  }
  const below = ps.min !== undefined && (ps.minExclusive ? x <= ps.min : x < ps.min);
  const above = ps.max !== undefined && x > ps.max;
  if (below || above) {
    if (ps.name === 'delta' && below) {
      sink.add(
        'negative-budget',
        e.start,
        e.end,
        `the KL budget Δ must be at least 0, not ${formatNumber(x, 10)}`,
      );
    } else if (ps.name === 'logN' && below) {
      sink.add('n-below-one', e.start, e.end, `log N must be at least 0 (N ≥ 1), not ${formatNumber(x, 10)}`);
    } else {
      const bounds =
        ps.max === undefined
          ? `${ps.minExclusive ? 'greater than' : 'at least'} ${formatNumber(ps.min)}`
          : ps.min === undefined
            ? `at most ${formatNumber(ps.max)}`
            : `from ${formatNumber(ps.min)} to ${formatNumber(ps.max)}`;
      sink.add('out-of-range', e.start, e.end, `'${ps.name}' must be ${bounds}, not ${formatNumber(x, 10)}`, {
        min: ps.min ?? null,
        max: ps.max ?? null,
      });
    }
    return undefined;
  }
  return x;
}

/**
 * The value of a finite non-zero number literal — most parameters are one — without building
 * the Value (and the logarithm) that `evalExpr` would: the same double.
 */
function plainLiteral(e: A.Expr): number | undefined {
  return e.kind === 'number' && Number.isFinite(e.value) && e.value !== 0 ? e.value : undefined;
}

/** A finite double from any expression, or undefined after a diagnostic. */
function evaluateNumber(ps: ParamSpec, e: A.Expr, ctx: QueryContext): number | undefined {
  const v = evalExpr(e, ctx.names, ctx.sink);
  return v && toDouble(v, e, ctx.sink, ps.name);
}

function checkGroups(
  spec: QuerySpec,
  stmt: A.QueryStmt,
  given: ReadonlyMap<string, A.NamedArg>,
  params: SmallMap<string, ParamValue>,
  sink: DiagnosticSink,
): void {
  for (const group of spec.groups) {
    // How many of the group's names are given; the names themselves only for a diagnostic.
    let count = 0;
    for (const n of group.names) if (given.has(n)) count++;
    let required = group.required === true;
    if (typeof group.required === 'object') {
      const condition = group.required;
      const actual = params.get(condition.param);
      const value = actual?.kind === 'word' ? actual.value : paramDefault(spec, condition.param);
      required = value === condition.value;
      if (!required && count > 0) {
        for (const n of givenNames(group.names, given)) {
          const arg = given.get(n)!;
          sink.add(
            'unused-parameter',
            arg.name.start,
            arg.name.end,
            `'${n}' has no effect unless ${condition.param} = ${condition.value}`,
          );
          params.delete(n);
        }
        continue;
      }
    }
    if (count > 1) {
      const names = givenNames(group.names, given);
      for (const n of names.slice(1)) {
        const arg = given.get(n)!;
        sink.add(
          'conflicting-parameters',
          arg.start,
          arg.end,
          `'${names[0]}' and '${n}' cannot both be given: they are alternative ways to say the same thing`,
          { names },
        );
      }
    } else if (count === 0 && required) {
      const names = group.names.join(' or ');
      const when =
        typeof group.required === 'object' ? ` when ${group.required.param} = ${group.required.value}` : '';
      sink.add('missing-parameter', stmt.name.start, stmt.name.end, `${spec.name} needs ${names}${when}`, {
        names: group.names,
      });
    }
  }
}

/** The names of a group that are given, in the group's order. */
function givenNames(names: readonly string[], given: ReadonlyMap<string, A.NamedArg>): string[] {
  return names.filter((n) => given.has(n));
}

function paramDefault(spec: QuerySpec, name: string): string | number | undefined {
  return paramSpec(spec, name)?.default;
}

/**
 * A query on a markov model: `renyi` is defined for memoryless models only; the asymptotic
 * queries need one recurrent class among the states the chain reaches (docs/math-markov.md §5).
 */
function checkMarkovQuery(
  spec: QuerySpec,
  stmt: A.QueryStmt,
  model: ResolvedModel,
  sink: DiagnosticSink,
): void {
  const why = MEMORYLESS_ONLY[spec.name];
  if (why !== undefined) {
    sink.add(
      'memoryless-only',
      stmt.name.start,
      stmt.name.end,
      `${spec.name} applies to memoryless models only, and '${model.name}' is a markov model: ${why}`,
    );
    return;
  }
  const problem = model.markov?.asymptotic;
  if (problem !== undefined && ASYMPTOTIC_QUERIES.has(spec.name)) {
    sink.add(
      'needs-irreducible',
      stmt.name.start,
      stmt.name.end,
      `${spec.name} rests on the asymptotics of '${model.name}' (its Perron root), which do not apply: ${problem}`,
      { classes: model.markov?.cyclicClasses ?? [] },
    );
  }
}

/** Δ (or the equivalence rate δ) beyond the model's maximum KL does not bind: warn. */
function checkBudget(
  spec: QuerySpec,
  given: ReadonlyMap<string, A.NamedArg>,
  params: ReadonlyMap<string, ParamValue>,
  model: ResolvedModel,
  sink: DiagnosticSink,
): void {
  const maxKL = model.maxKL!;
  const slack = 1 + 1e-12;
  const delta = params.get('delta');
  const arg = given.get('delta');
  if (arg?.value && delta) {
    const largest = delta.kind === 'number' ? delta.value : delta.kind === 'range' ? delta.to : undefined;
    if (largest !== undefined && largest > maxKL * slack) {
      sink.add(
        'budget-exceeds-max-kl',
        arg.value.start,
        arg.value.end,
        model.decl.markov
          ? `Δ = ${formatNumber(largest, 10)} exceeds the maximum KL ${formatNumber(maxKL)} of '${model.name}' (−log p(S*), S* the sequences of largest reward); the budget does not bind and the optimum puts all mass on those sequences`
          : `Δ = ${formatNumber(largest, 10)} exceeds the maximum KL ${formatNumber(maxKL)} of '${model.name}' (n·(−log p(M))); the budget does not bind and the optimum puts all mass on the highest-reward tokens`,
        { maxKL },
      );
    }
  }
  const rate = params.get('rate');
  const rateArg = given.get('rate');
  if (spec.name === 'equivalence' && rate?.kind === 'number' && rateArg?.value) {
    // A chain's limit is the largest KL rate −log ρ_crit (asymptotic), not the finite-n maximum.
    const perToken = model.decl.markov ? asymptoticMaxRate(model) : maxKL / model.n;
    if (perToken === undefined) return;
    if (rate.value > perToken * slack) {
      sink.add(
        'budget-exceeds-max-kl',
        rateArg.value.start,
        rateArg.value.end,
        `δ = ${formatNumber(rate.value, 10)} exceeds the maximum per-token KL ${formatNumber(perToken)} (${model.decl.markov ? 'the largest KL rate of the chain, −log ρ_crit' : '−log p(M)'}); best-of-N and KL-RL both reach the top reward`,
        { maxKL: perToken },
      );
    }
  }
}

/**
 * Parameters of the methods' queries that depend on the model: a block length must divide n
 * (quick fix: the nearest divisor), a rejection threshold must not exceed the largest sequence
 * reward (n·r_max, or R* for a chain).
 */
function checkMethodParams(
  given: ReadonlyMap<string, A.NamedArg>,
  params: ReadonlyMap<string, ParamValue>,
  model: ResolvedModel,
  sink: DiagnosticSink,
): void {
  const block = params.get('block');
  const blockArg = given.get('block');
  if (block?.kind === 'number' && blockArg?.value && model.n % block.value !== 0) {
    const nearest = nearestDivisor(model.n, block.value);
    sink.add(
      'block-not-divisor',
      blockArg.value.start,
      blockArg.value.end,
      `the block length ${formatNumber(block.value, 10)} does not divide the length n = ${model.n} of '${model.name}'; the nearest divisor is ${nearest}`,
      { length: model.n, nearest },
    );
  }
  const threshold = params.get('threshold');
  const thresholdArg = given.get('threshold');
  if (threshold?.kind !== 'number' || !thresholdArg?.value) return;
  // The largest sequence reward: n·r_max for a memoryless model, R* (the λ = ∞ pass) for a chain.
  const chain = model.decl.markov === true;
  const maxReward = model.law ? model.n * model.law.rMax : chain ? chainMaxReward(model) : undefined;
  if (maxReward === undefined) return;
  const slack = 8 * model.n * Number.EPSILON * Math.max(Math.abs(maxReward), Math.abs(threshold.value));
  if (threshold.value > maxReward + slack) {
    const what = chain ? 'R* (of a sequence the chain produces)' : 'n·r_max';
    sink.add(
      'threshold-above-max',
      thresholdArg.value.start,
      thresholdArg.value.end,
      `the threshold ${formatNumber(threshold.value, 10)} is above the largest sequence reward ${what} = ${formatNumber(maxReward, 10)} of '${model.name}': no sequence is ever accepted`,
      chain ? { maxReward, markov: true } : { maxReward },
    );
  }
}

/** The divisor of n nearest to b (the smaller one on a tie). */
export function nearestDivisor(n: number, b: number): number {
  let best = 1;
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    for (const c of [d, n / d]) {
      const better =
        Math.abs(c - b) < Math.abs(best - b) || (Math.abs(c - b) === Math.abs(best - b) && c < best);
      if (better) best = c;
    }
  }
  return best;
}
