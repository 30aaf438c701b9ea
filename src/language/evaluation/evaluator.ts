/**
 * The evaluator: maps each checked query onto the numerical core (it never re-implements a
 * formula) and shapes the answer into the JSON contract of results.ts. Every failure — a core
 * error, a non-finite number — becomes the query's `error`; nothing throws.
 */
import { CoreFailure, withWorkBudget } from '../../core/index.js';
import { formatCount } from '../../presentation/format.js';
import type { Diagnostic, QueryKind, QueryResult, QueryValues } from '../../presentation/results.js';
import { TokenTable } from '../../presentation/tokens.js';
import type { CheckResult } from '../checking/checker.js';
import { isEvaluable } from '../checking/models.js';
import type { CheckedQuery } from '../checking/params.js';
import { DiagnosticSink } from '../diagnostics.js';
import type { LineIndex } from '../syntax/positions.js';
import { type AnalysisCache, queryKey } from './cache.js';
import { queryParams } from './enrichment.js';
import { ResultFailure } from './jsonValues.js';
import { MARKOV_EVALUATORS, type MarkovContext } from './markovEvaluators.js';
import { METHOD_EVALUATORS } from './methodEvaluators.js';
import { DEFAULT_LIMITS, type EvaluationLimits, type EvaluationNote, type QueryOutcome } from './outcome.js';
import { type EvaluationContext, type Evaluators, QUERY_EVALUATORS } from './queryEvaluators.js';

/** Every kind's evaluator: the queries of queryEvaluators.ts and the methods' (math.md §8). */
const EVALUATORS: Evaluators = { ...QUERY_EVALUATORS, ...METHOD_EVALUATORS };

/**
 * Evaluates one query that passed the checker (`blocked` undefined), within the work budget of
 * `limits` (and its time limit, if any): a query that needs more stops with an error.
 */
export function evaluateQuery(
  q: CheckedQuery,
  limits: EvaluationLimits,
  cancelled?: () => boolean,
): QueryOutcome {
  const notes: EvaluationNote[] = [];
  if (q.blocked !== undefined || !q.kind || !isEvaluable(q.model)) {
    return { error: q.blocked ?? 'the query cannot be evaluated', notes };
  }
  const budget = {
    maxUnits: limits.maxQueryWork,
    ...(limits.queryTimeMs !== undefined ? { deadline: performance.now() + limits.queryTimeMs } : {}),
    ...(cancelled ? { cancelled } : {}),
  };
  try {
    const model = q.model!;
    let value: QueryValues[QueryKind];
    if (model.chain) {
      // A markov model: its own evaluators (a query kind without one is not available for chains).
      const evaluate = MARKOV_EVALUATORS[q.kind] as
        | ((ctx: MarkovContext) => QueryValues[QueryKind])
        | undefined;
      if (!evaluate) return { error: `${q.kind} is not available for markov models`, notes };
      const chain = model.chain;
      value = withWorkBudget(budget, () => evaluate({ query: q, model, chain, limits, notes }));
    } else {
      const evaluate = EVALUATORS[q.kind] as (ctx: EvaluationContext) => QueryValues[QueryKind];
      const law = model.law!;
      value = withWorkBudget(budget, () => evaluate({ query: q, model, law, limits, notes }));
    }
    // The contract forbids NaN/Infinity anywhere: verify once, in the walk that also measures the
    // value (a 1,000,000-token φ table is walked once, not twice).
    const numbers = checkJsonSafe(value);
    return { value, notes, numbers };
  } catch (e) {
    if (e instanceof ResultFailure) return { error: e.message, notes, stopped: e.stopped };
    if (e instanceof CoreFailure)
      return { error: e.message, notes, stopped: e.code === 'work-budget-exceeded' };
    return {
      error: `internal error while evaluating ${q.kind}: ${e instanceof Error ? e.message : String(e)}`,
      notes,
    };
  }
}

/**
 * Throws when any number in the value is NaN or infinite (naming the last such number in
 * document order); else returns how many numbers the value holds (its size for the document's
 * budget). Plain recursion with `for…in` and index loops: no array per object (Object.values).
 */
function checkJsonSafe(value: unknown): number {
  const walk = { count: 0, bad: undefined as number | undefined };
  walkNumbers(value, walk);
  if (walk.bad !== undefined) throw new ResultFailure(`a non-finite number (${walk.bad}) reached the result`);
  return walk.count;
}

function walkNumbers(v: unknown, walk: { count: number; bad: number | undefined }): void {
  if (typeof v === 'number') {
    walk.count++;
    if (!Number.isFinite(v)) walk.bad = v;
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walkNumbers(v[i], walk);
  } else if (v instanceof TokenTable) {
    // A per-token table's numbers are its values (a tight loop over the typed array).
    const values = v.values;
    walk.count += values.length;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) walk.bad = values[i];
  } else {
    for (const key in v) walkNumbers((v as Record<string, unknown>)[key], walk);
  }
}

export interface EvaluateOptions {
  readonly limits?: Partial<EvaluationLimits>;
  readonly cache?: AnalysisCache;
  /** Polled while a query computes: true stops it (e.g. the document changed). */
  readonly cancelled?: () => boolean;
}

/**
 * Evaluates every checked query in document order: one result per query with a known name (a
 * value, or the error that prevents it), plus `approximation`, `evaluation-failed` and
 * `evaluation-budget` diagnostics. With a cache, unchanged queries are answered from it (ranges
 * are fresh).
 */
export function evaluate(
  checked: CheckResult,
  lines: LineIndex,
  options: EvaluateOptions = {},
): { results: QueryResult[]; diagnostics: Diagnostic[] } {
  const run = new Evaluation(checked, lines, options);
  run.step(Number.POSITIVE_INFINITY);
  return run;
}

/**
 * An evaluation in progress, query by query, so that a host can interleave it with other work
 * (the language server answers requests between two queries): `step(until)` evaluates queries
 * until the clock passes `until`, and returns true once every query has a result.
 *
 * The document's budget is enforced here: at most `maxQueries` queries, `maxResultNumbers` result
 * points and `documentTimeMs` of computing; past any of them the remaining queries get an error
 * result (no value) and one `evaluation-budget` diagnostic marks the first of them.
 */
export class Evaluation {
  readonly results: QueryResult[] = [];
  private readonly sink: DiagnosticSink;
  private readonly limits: EvaluationLimits;
  private readonly limitsKey: string;
  private readonly started = performance.now();
  private next = 0;
  private evaluated = 0;
  private numbers = 0;
  /** Why later queries are not evaluated, once a document budget is spent. */
  private spent: string | undefined;

  constructor(
    private readonly checked: CheckResult,
    lines: LineIndex,
    private readonly options: EvaluateOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.limitsKey = `${this.limits.maxExactSupport}/${this.limits.maxSimulationWork}/${this.limits.maxQueryWork}/${this.limits.maxTokenTable}`;
    this.sink = new DiagnosticSink(lines);
    options.cache?.beginAnalysis();
  }

  get diagnostics(): Diagnostic[] {
    return this.sink.items;
  }

  /** Diagnostics reported but not kept (over the sink's cap), and where the first was. */
  get dropped(): { count: number; at: number } {
    return { count: this.sink.dropped, at: this.sink.firstDroppedAt };
  }

  get done(): boolean {
    return this.next >= this.checked.queries.length;
  }

  /** Evaluates queries until `until` (performance.now() ms) has passed; true when all are done. */
  step(until: number): boolean {
    const queries = this.checked.queries;
    while (this.next < queries.length) {
      this.evaluateNext(queries[this.next++]);
      if (performance.now() >= until) break;
    }
    return this.done;
  }

  private evaluateNext(q: CheckedQuery): void {
    if (!q.kind) return; // an unknown query has its diagnostic and no result
    const { limits, sink } = this;
    const stmt = q.stmt;
    const base = { query: q.kind, model: q.modelName, range: stmt.range };
    const runnable = q.blocked === undefined && isEvaluable(q.model);
    if (runnable) this.checkDocumentBudget(q);
    if (runnable && this.spent !== undefined) {
      this.results.push({ ...base, error: `not evaluated: ${this.spent}` } as QueryResult);
      return;
    }
    let outcome: QueryOutcome;
    if (!runnable) outcome = { error: q.blocked ?? 'the query cannot be evaluated', notes: [] };
    else {
      this.evaluated++;
      const { cache, cancelled } = this.options;
      const key = cache ? queryKey(q, this.limitsKey) : '';
      const cached = cache?.get(q.model!.key, key);
      outcome = cached ?? evaluateQuery(q, limits, cancelled);
      // A query stopped by a deadline or a cancellation may finish next time: never cache that.
      if (cache && !cached && !(outcome.error !== undefined && outcome.stopped))
        cache.set(q.model!.key, key, outcome);
    }
    for (const note of outcome.notes)
      sink.add(note.code, stmt.name.start, stmt.name.end, note.message, note.data);
    if (outcome.error !== undefined && runnable) {
      sink.add(
        'evaluation-failed',
        stmt.start,
        stmt.end,
        `${q.kind} could not be computed: ${outcome.error}`,
      );
    }
    if (outcome.error === undefined) {
      this.numbers += outcome.numbers ?? checkJsonSafe(outcome.value);
      if (this.numbers > limits.maxResultNumbers) {
        // This result is computed already; keeping it would pass the budget, so it goes too.
        this.spend(
          q,
          `the document's results would hold more than ${formatCount(limits.maxResultNumbers)} numbers (use fewer steps or queries)`,
          { maxResultNumbers: limits.maxResultNumbers },
        );
        this.results.push({ ...base, error: `not evaluated: ${this.spent}` } as QueryResult);
        return;
      }
    }
    this.results.push(
      (outcome.error !== undefined
        ? { ...base, error: outcome.error }
        : { ...base, value: outcome.value, params: queryParams(q, this.checked.symbols) }) as QueryResult,
    );
  }

  /** Marks the budget as spent when the next query would pass the query count or the time. */
  private checkDocumentBudget(q: CheckedQuery): void {
    if (this.spent !== undefined) return;
    const { limits } = this;
    if (this.evaluated >= limits.maxQueries)
      this.spend(
        q,
        `the document has more than ${limits.maxQueries} queries; only the first ${limits.maxQueries} are evaluated`,
        {
          maxQueries: limits.maxQueries,
        },
      );
    else if (limits.documentTimeMs !== undefined && performance.now() - this.started > limits.documentTimeMs)
      this.spend(q, `the document took more than ${limits.documentTimeMs / 1000} s to evaluate`, {
        documentTimeMs: limits.documentTimeMs,
      });
  }

  private spend(q: CheckedQuery, why: string, limit: Record<string, number>): void {
    this.spent = why;
    const stmt = q.stmt;
    this.sink.add(
      'evaluation-budget',
      stmt.start,
      stmt.end,
      `this and later queries are not evaluated: ${why}`,
      {
        limit,
      },
    );
  }
}
