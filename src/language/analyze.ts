/**
 * The whole pipeline, text → parse → check → evaluate → Analysis, for the language server, the
 * CLI and the preview. Never throws: every problem is a diagnostic, every query that cannot be
 * computed carries an error message instead of a value.
 */

import { formatCount, formatNumber } from '../presentation/format.js';
import type { Analysis, Diagnostic, MarkovModelSummary, ModelSummary } from '../presentation/results.js';
import { emptyTokenTable, setTokenValue } from '../presentation/tokens.js';
import { type CheckResult, check } from './checking/checker.js';
import type { ModelFileReader } from './checking/modelFile.js';
import type { ResolvedModel } from './checking/models.js';
import { MAX_STORED_DIAGNOSTICS } from './diagnostics.js';
import { AnalysisCache } from './evaluation/cache.js';
import { Evaluation } from './evaluation/evaluator.js';
import type { EvaluationLimits } from './evaluation/outcome.js';
import { type ParseResult, parse } from './syntax/parser.js';

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
  /** Polled while a query computes: true stops it (e.g. the document changed meanwhile). */
  readonly cancelled?: () => boolean;
  /**
   * Longest text analysed, in UTF-16 code units: a longer document gets one `document-too-large`
   * error and nothing else (a host with little memory sets it; unlimited by default).
   */
  readonly maxTextLength?: number;
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
  const run = startAnalysis(text, options);
  run.step(Number.POSITIVE_INFINITY);
  return run.result();
}

/**
 * An analysis whose evaluation proceeds in steps (for hosts that must stay responsive while a
 * long document evaluates): parsing and checking happen at once, `step(until)` evaluates queries
 * until the clock (performance.now()) passes `until` and says whether all are done, `result()`
 * gives the analysis of what is done so far (every query, once `step` has returned true).
 */
export interface AnalysisRun {
  readonly parsed: ParseResult;
  readonly checked: CheckResult;
  step(until: number): boolean;
  result(): DocumentAnalysis;
}

export function startAnalysis(text: string, options: AnalyzeOptions = {}): AnalysisRun {
  const source = typeof text === 'string' ? text : '';
  if (options.maxTextLength !== undefined && source.length > options.maxTextLength) {
    const tooLarge = documentTooLarge(source.length, options);
    return { parsed: tooLarge.parsed, checked: tooLarge.checked, step: () => true, result: () => tooLarge };
  }
  try {
    const parsed = parse(source);
    options.cache?.models.begin();
    const checked = check(parsed.ast, parsed.lines, {
      modelCache: options.cache?.models,
      readFile: options.readFile,
      syntaxDiagnostics: parsed.diagnostics,
      brokenDefinitions: parsed.brokenDefinitions,
    });
    const evaluation = new Evaluation(checked, parsed.lines, {
      limits: options.limits,
      cache: options.cache,
      cancelled: options.cancelled,
    });
    let failure: DocumentAnalysis | undefined;
    return {
      parsed,
      checked,
      step(until) {
        if (failure) return true;
        try {
          return evaluation.step(until);
        } catch (e) {
          failure = internalError(e, options);
          return true;
        }
      },
      result: () => failure ?? assemble(parsed, checked, evaluation, options),
    };
  } catch (e) {
    const failed = internalError(e, options);
    return { parsed: failed.parsed, checked: failed.checked, step: () => true, result: () => failed };
  }
}

/** A bug, not bad input: reported as a diagnostic instead of taking the host down. */
function internalError(e: unknown, options: AnalyzeOptions): DocumentAnalysis {
  const message = `internal error in the .align pipeline: ${e instanceof Error ? e.message : String(e)}`;
  return emptyAnalysis({ severity: 'error', code: 'internal-error', message, range: START }, options);
}

function documentTooLarge(length: number, options: AnalyzeOptions): DocumentAnalysis {
  const limit = options.maxTextLength ?? length;
  const mb = (n: number) => `${formatNumber(n / 2 ** 20, 3)} MB`;
  const message = `the document is too large to analyse here (${mb(length)}, the limit is ${mb(limit)}): put large models in a CSV or JSON file and read them with model m from "file.csv"`;
  return emptyAnalysis(
    { severity: 'error', code: 'document-too-large', message, range: START, data: { length, limit } },
    options,
  );
}

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** An analysis of nothing but one diagnostic (at the start of the document). */
function emptyAnalysis(diagnostic: Diagnostic, options: AnalyzeOptions): DocumentAnalysis {
  const parsed = parse('');
  return {
    analysis: { file: options.file ?? '', diagnostics: [diagnostic], results: [], models: [] },
    parsed,
    checked: check(parsed.ast, parsed.lines),
  };
}

function assemble(
  parsed: ParseResult,
  checked: CheckResult,
  evaluation: Evaluation,
  options: AnalyzeOptions,
): DocumentAnalysis {
  const models: ModelSummary[] = [...checked.models.values()].map((m) => ({
    name: m.name,
    range: m.decl.range,
    tokens: m.vocab.length,
    length: m.n,
    ...rewardSummary(m),
    max_kl: m.maxKL === undefined ? null : m.maxKL,
    ...(m.error !== undefined ? { error: m.error } : {}),
    ...(m.decl.markov ? { markov: markovSummary(m) } : {}),
  }));
  const diagnostics = capDiagnostics(
    [...parsed.diagnostics, ...checked.diagnostics, ...evaluation.diagnostics],
    [parsed.dropped, checked.dropped, evaluation.dropped],
    parsed.lines,
  );
  return {
    analysis: { file: options.file ?? '', diagnostics, results: evaluation.results.slice(), models },
    parsed,
    checked,
  };
}

/**
 * The distinct rewards and their range: of the token law (memoryless), or of every reward a
 * chain's transitions can give (markov: r(j) + c(i, j) on its transitions and r at the start).
 */
function rewardSummary(m: ResolvedModel): Pick<ModelSummary, 'distinct_rewards' | 'r_min' | 'r_max'> {
  if (m.law) return { distinct_rewards: m.law.values.length, r_min: m.law.rMin, r_max: m.law.rMax };
  if (!m.chain) return { distinct_rewards: null, r_min: null, r_max: null };
  const values = new Set<number>(m.chain.edgeReward);
  m.chain.start.forEach((s, j) => {
    if (s > 0) values.add(m.chain!.reward[j]);
  });
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { distinct_rewards: values.size, r_min: min, r_max: max };
}

/** Largest vocabulary whose stationary distribution the model summary lists. */
const MAX_SUMMARY_TOKENS = 1000;

/** A markov model's structure for the summary (what the checker found). */
function markovSummary(m: ResolvedModel): MarkovModelSummary {
  const info = m.markov;
  if (!info)
    return {
      irreducible: false,
      stationary_start: false,
      transient: [],
      closed: [],
      transition_rewards: false,
    };
  let stationary: Record<string, number> | undefined;
  if (info.stationary && m.vocab.length <= MAX_SUMMARY_TOKENS) {
    const table = emptyTokenTable();
    for (let i = 0; i < m.vocab.length; i++)
      setTokenValue(table, m.vocab[i], info.stationary[i] === 0 ? 0 : info.stationary[i]);
    stationary = table;
  }
  return {
    irreducible: info.irreducible,
    stationary_start: info.stationaryStart,
    transient: info.transient,
    closed: info.closed,
    ...(info.asymptotic === undefined ? { period: info.period } : { asymptotic_problem: info.asymptotic }),
    ...(stationary ? { stationary } : {}),
    transition_rewards: info.transitionRewards,
  };
}

/**
 * The first MAX_STORED_DIAGNOSTICS diagnostics in document order, plus one `too-many-problems`
 * summary when there were more (some may have been counted but never kept by a stage's sink).
 */
function capDiagnostics(
  all: Diagnostic[],
  dropped: readonly { readonly count: number; readonly at: number }[],
  lines: ParseResult['lines'],
): Diagnostic[] {
  const sorted = all.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  let more = Math.max(0, sorted.length - MAX_STORED_DIAGNOSTICS);
  let firstDropped = more > 0 ? sorted[MAX_STORED_DIAGNOSTICS].range : undefined;
  for (const d of dropped) {
    more += d.count;
    if (d.count > 0 && firstDropped === undefined) firstDropped = lines.range(d.at, d.at);
  }
  if (more === 0) return sorted;
  const kept = sorted.slice(0, MAX_STORED_DIAGNOSTICS);
  kept.push({
    severity: 'warning',
    code: 'too-many-problems',
    message: `and ${formatCount(more)} more problems: only the first ${formatCount(MAX_STORED_DIAGNOSTICS)} are listed`,
    range: firstDropped ?? START,
    data: { more },
  });
  return kept;
}

export { AnalysisCache };
