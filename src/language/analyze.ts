/**
 * The whole pipeline, text → parse → check → evaluate → Analysis, for the language server, the
 * CLI and the preview. Never throws: every problem is a diagnostic, every query that cannot be
 * computed carries an error message instead of a value.
 */

import { AnalysisCache } from './cache.js';
import { type CheckResult, check } from './checker.js';
import { type EvaluationLimits, evaluate } from './evaluator.js';
import type { ModelFileReader } from './modelFile.js';
import { type ParseResult, parse } from './parser.js';
import type { Analysis, Diagnostic, ModelSummary } from './results.js';

export interface AnalyzeOptions {
  /** The document's name, echoed in `Analysis.file`. */
  readonly file?: string;
  /**
   * Host hook for `model m from "x.csv"`: returns the text of the file at `path`, which is
   * relative to the document's folder, `/`-separated, already confined to its folder tree (no
   * `..`, not absolute); undefined when it cannot be read, or a `ModelFileProblem` saying why (its
   * code and message become the diagnostic). Without it, such models are errors.
   */
  readonly readFile?: ModelFileReader;
  readonly limits?: Partial<EvaluationLimits>;
  /** Keep one per document across edits to re-evaluate only what changed (see cache.ts). */
  readonly cache?: AnalysisCache;
}

/** Everything the pipeline built, for hosts that also need the tree and the symbols. */
export interface DocumentAnalysis {
  readonly analysis: Analysis;
  readonly parsed: ParseResult;
  readonly checked: CheckResult;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeDocument(text, options).analysis;
}

export function analyzeDocument(text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const source = typeof text === 'string' ? text : '';
  try {
    return analyzeUnguarded(source, options);
  } catch (e) {
    // A bug, not bad input: report it instead of taking the host down.
    const parsed = parse('');
    const message = `internal error in the .align pipeline: ${e instanceof Error ? e.message : String(e)}`;
    const zero = { line: 0, character: 0 };
    return {
      analysis: {
        file: options.file ?? '',
        diagnostics: [
          { severity: 'error', code: 'internal-error', message, range: { start: zero, end: zero } },
        ],
        results: [],
        models: [],
      },
      parsed,
      checked: check(parsed.ast, parsed.lines),
    };
  }
}

function analyzeUnguarded(text: string, options: AnalyzeOptions): DocumentAnalysis {
  const parsed = parse(text);
  const checked = check(parsed.ast, parsed.lines, { readFile: options.readFile });
  const { results, diagnostics: evaluation } = evaluate(checked, parsed.lines, {
    limits: options.limits,
    cache: options.cache,
  });
  const models: ModelSummary[] = [...checked.models.values()].map((m) => ({
    name: m.name,
    range: m.decl.range,
    tokens: m.vocab.length,
    length: m.n,
    distinct_rewards: m.law ? m.law.values.length : null,
    max_kl: m.maxKL === undefined ? null : m.maxKL,
    r_min: m.law ? m.law.rMin : null,
    r_max: m.law ? m.law.rMax : null,
    ...(m.error !== undefined ? { error: m.error } : {}),
  }));
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics, ...evaluation]);
  return {
    analysis: { file: options.file ?? '', diagnostics, results, models },
    parsed,
    checked,
  };
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export { AnalysisCache };
