/**
 * What one query's evaluation produces and the limits it runs under: shared by the evaluator,
 * the per-query evaluators and the result cache (kept apart so none of them imports another in
 * a cycle).
 */
import { DEFAULT_MAX_SUPPORT, type Result } from '../../core/index.js';
import type { QueryKind, QueryValues } from '../../presentation/results.js';
import { ResultFailure } from './jsonValues.js';

export interface EvaluationLimits {
  /** Largest support of the exact law of R (lattice points or types) before approximating. */
  readonly maxExactSupport: number;
  /** Largest samples × length for `simulate` (bounds its running time). */
  readonly maxSimulationWork: number;
  /**
   * Most work one query may do, in the core's work units (≈ one inner-loop iteration, a few
   * nanoseconds): a query that needs more stops with an error instead of running for minutes.
   */
  readonly maxQueryWork: number;
  /** Longest one query may compute, in milliseconds (none when undefined). */
  readonly queryTimeMs?: number;
  /** Most queries evaluated per document; later ones are reported and skipped. */
  readonly maxQueries: number;
  /** Most numbers in the results of one document (curves, tables, values). */
  readonly maxResultNumbers: number;
  /** Longest the whole document may compute, in milliseconds (none when undefined). */
  readonly documentTimeMs?: number;
  /**
   * Most tokens a `tilt` lists in its per-token tables: larger vocabularies get a summary (the
   * tokens where φ and p differ most, the rest summed; evaluation/tokenTables.ts). All when
   * undefined.
   */
  readonly maxTokenTable?: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = {
  maxExactSupport: DEFAULT_MAX_SUPPORT,
  maxSimulationWork: 50_000_000,
  maxQueryWork: 4e9,
  maxQueries: 1000,
  maxResultNumbers: 500_000,
};

/** A side remark about a result (an approximation and its error bound), shown as a diagnostic. */
export interface EvaluationNote {
  readonly code: 'approximation';
  readonly message: string;
  readonly data?: unknown;
}

export type QueryOutcome =
  | {
      readonly value: QueryValues[QueryKind];
      readonly error?: undefined;
      readonly notes: EvaluationNote[];
      /** How many numbers the value holds (its size for the document's budget). */
      readonly numbers?: number;
    }
  | {
      readonly error: string;
      readonly value?: undefined;
      readonly notes: EvaluationNote[];
      /** The work budget, a deadline or a cancellation stopped it: not cached, may succeed later. */
      readonly stopped?: boolean;
    };

/** Throws the core's error as a ResultFailure (caught by `evaluateQuery`). */
export function unwrapCore<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new ResultFailure(r.error.message, r.error.code === 'work-budget-exceeded');
}
