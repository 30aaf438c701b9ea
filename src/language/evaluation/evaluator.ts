/**
 * The evaluator: maps each checked query onto the numerical core (it never re-implements a
 * formula) and shapes the answer into the JSON contract of results.ts. Every failure — a core
 * error, a non-finite number — becomes the query's `error`; nothing throws.
 */
import { CoreFailure } from '../../core/index.js';
import type { Diagnostic, QueryKind, QueryResult, QueryValues } from '../../presentation/results.js';
import type { CheckResult } from '../checking/checker.js';
import type { CheckedQuery } from '../checking/params.js';
import { DiagnosticSink } from '../diagnostics.js';
import type { LineIndex } from '../syntax/positions.js';
import { type AnalysisCache, queryKey } from './cache.js';
import { queryParams } from './enrichment.js';
import { ResultFailure } from './jsonValues.js';
import { DEFAULT_LIMITS, type EvaluationLimits, type EvaluationNote, type QueryOutcome } from './outcome.js';
import { type EvaluationContext, QUERY_EVALUATORS } from './queryEvaluators.js';

/** Evaluates one query that passed the checker (`blocked` undefined). */
export function evaluateQuery(q: CheckedQuery, limits: EvaluationLimits): QueryOutcome {
  const notes: EvaluationNote[] = [];
  if (q.blocked !== undefined || !q.kind || !q.model?.law) {
    return { error: q.blocked ?? 'the query cannot be evaluated', notes };
  }
  try {
    const evaluate = QUERY_EVALUATORS[q.kind] as (ctx: EvaluationContext) => QueryValues[QueryKind];
    const value = evaluate({ query: q, model: q.model, law: q.model.law, limits, notes });
    // The contract forbids NaN/Infinity anywhere: verify once, cheaply, on the serialised form.
    assertJsonSafe(value);
    return { value, notes };
  } catch (e) {
    if (e instanceof ResultFailure || e instanceof CoreFailure) return { error: e.message, notes };
    return {
      error: `internal error while evaluating ${q.kind}: ${e instanceof Error ? e.message : String(e)}`,
      notes,
    };
  }
}

/** Throws when any number in the value is NaN or infinite. */
function assertJsonSafe(value: unknown): void {
  const bad = lastNonFinite(value, undefined);
  if (bad !== undefined) throw new ResultFailure(`a non-finite number (${bad}) reached the result`);
}

/**
 * The last non-finite number of the value in document order (else `found`): the message names
 * the number the former last-child-first stack walk met first. Plain recursion with `for…in` and
 * index loops: no array per object (Object.values) and no stack growing by every number.
 */
function lastNonFinite(v: unknown, found: number | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? found : v;
  if (v === null || typeof v !== 'object') return found;
  let last = found;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) last = lastNonFinite(v[i], last);
  } else {
    for (const key in v) last = lastNonFinite((v as Record<string, unknown>)[key], last);
  }
  return last;
}

export interface EvaluateOptions {
  readonly limits?: Partial<EvaluationLimits>;
  readonly cache?: AnalysisCache;
}

/**
 * Evaluates every checked query in document order: one result per query with a known name (a
 * value, or the error that prevents it), plus `approximation` and `evaluation-failed`
 * diagnostics. With a cache, unchanged queries are answered from it (ranges are fresh).
 */
export function evaluate(
  checked: CheckResult,
  lines: LineIndex,
  options: EvaluateOptions = {},
): { results: QueryResult[]; diagnostics: Diagnostic[] } {
  const limits: EvaluationLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const limitsKey = `${limits.maxExactSupport}/${limits.maxSimulationWork}`;
  const { cache } = options;
  cache?.beginAnalysis();
  const sink = new DiagnosticSink(lines);
  const results: QueryResult[] = [];
  for (const q of checked.queries) {
    if (!q.kind) continue; // an unknown query has its diagnostic and no result
    let outcome: QueryOutcome;
    if (q.blocked !== undefined || !q.model?.law) {
      outcome = { error: q.blocked ?? 'the query cannot be evaluated', notes: [] };
    } else if (cache) {
      const key = queryKey(q, limitsKey);
      const cached = cache.get(q.model.key, key);
      outcome = cached ?? evaluateQuery(q, limits);
      if (!cached) cache.set(q.model.key, key, outcome);
    } else {
      outcome = evaluateQuery(q, limits);
    }
    const stmt = q.stmt;
    for (const note of outcome.notes)
      sink.add(note.code, stmt.name.start, stmt.name.end, note.message, note.data);
    if (outcome.error !== undefined && q.blocked === undefined && q.model?.law) {
      sink.add(
        'evaluation-failed',
        stmt.start,
        stmt.end,
        `${q.kind} could not be computed: ${outcome.error}`,
      );
    }
    const base = { query: q.kind, model: q.modelName, range: stmt.range };
    results.push(
      (outcome.error !== undefined
        ? { ...base, error: outcome.error }
        : { ...base, value: outcome.value, params: queryParams(q) }) as QueryResult,
    );
  }
  return { results, diagnostics: sink.items };
}
