/**
 * Public API of the `.align` language (docs/language.md is the user reference; this file is
 * the contract for the language server and the CLI).
 *
 * - `analyze(text, options)` → `Analysis` (results.ts): diagnostics + one result per query.
 *   `analyzeDocument` returns the same plus the parse tree, tokens and checker output.
 * - Lower level: `parse` (tokens, AST with offsets and ranges, syntax diagnostics), `check`
 *   (names, models, parameters, symbol index), `evaluateQuery`.
 * - Editor support: `buildSymbolIndex`, `nodeAt` / `nodePath`, `classifyTokens` (semantic
 *   tokens), and the query table `QUERIES` (names, parameters, docs, defaults, allowed values).
 * Positions are 0-based line / UTF-16 character (LSP).
 */

export {
  CONSTANTS,
  FUNCTIONS,
  MODEL_FIELDS,
  type ParamGroup,
  type ParamKind,
  type ParamSpec,
  paramSpec,
  QUERIES,
  type QuerySpec,
  querySpec,
} from '../presentation/queries.js';
export type * from '../presentation/results.js';
export {
  AnalysisCache,
  type AnalysisRun,
  type AnalyzeOptions,
  analyze,
  analyzeDocument,
  type DocumentAnalysis,
  startAnalysis,
} from './analyze.js';
export { type CheckOptions, type CheckResult, check } from './checking/checker.js';
export {
  confinePath,
  type ModelColumns,
  type ModelFileProblem,
  type ModelFileReader,
  parseCsvModel,
  parseJsonModel,
  parseModelFile,
} from './checking/modelFile.js';
export {
  MAX_LENGTH,
  NORMALIZATION_TOLERANCE,
  type ResolvedModel,
  type ResolvedPolicy,
} from './checking/models.js';
export {
  isNumberLiteral,
  type ParamSourceInfo,
  type ParamSourceKind,
  paramSource,
} from './checking/paramSource.js';
export type { CheckedQuery, ParamValue } from './checking/params.js';
export {
  buildSymbolIndex,
  type SymbolDefinition,
  type SymbolIndex,
  type SymbolKind,
  type SymbolReference,
} from './checking/symbols.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode, MAX_STORED_DIAGNOSTICS } from './diagnostics.js';
export { classifyTokens, type SemanticToken, type SemanticTokenType } from './editor/semanticTokens.js';
export {
  expressionValue,
  type ModelReadout,
  modelReadout,
  type PolicyReadout,
  policyReadout,
} from './editor/values.js';
export { type EvaluateOptions, Evaluation, evaluate, evaluateQuery } from './evaluation/evaluator.js';
export {
  DEFAULT_LIMITS,
  type EvaluationLimits,
  type EvaluationNote,
  type QueryOutcome,
} from './evaluation/outcome.js';
export { editDistance, suggest } from './suggest.js';
export type * as Ast from './syntax/ast.js';
export { KEYWORDS, lex, type Token, type TokenKind } from './syntax/lexer.js';
export { type ParseResult, parse } from './syntax/parser.js';
export { LineIndex } from './syntax/positions.js';
export { childrenOf, nodeAt, nodePath, walkExpr } from './syntax/walk.js';
