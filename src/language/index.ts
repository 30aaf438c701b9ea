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
  AnalysisCache,
  type AnalyzeOptions,
  analyze,
  analyzeDocument,
  type DocumentAnalysis,
} from './analyze.js';
export type * as Ast from './ast.js';
export { type CheckOptions, type CheckResult, check } from './checker.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics.js';
export {
  DEFAULT_LIMITS,
  type EvaluateOptions,
  type EvaluationLimits,
  type EvaluationNote,
  evaluate,
  evaluateQuery,
  type QueryOutcome,
} from './evaluator.js';
export { KEYWORDS, lex, type Token, type TokenKind } from './lexer.js';
export {
  confinePath,
  type ModelColumns,
  type ModelFileProblem,
  type ModelFileReader,
  parseCsvModel,
  parseJsonModel,
  parseModelFile,
} from './modelFile.js';
export { MAX_LENGTH, NORMALIZATION_TOLERANCE, type ResolvedModel, type ResolvedPolicy } from './models.js';
export type { CheckedQuery, ParamValue } from './params.js';
export { type ParseResult, parse } from './parser.js';
export { LineIndex } from './positions.js';
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
} from './queries.js';
export type * from './results.js';
export { classifyTokens, type SemanticToken, type SemanticTokenType } from './semanticTokens.js';
export { editDistance, suggest } from './suggest.js';
export {
  buildSymbolIndex,
  type SymbolDefinition,
  type SymbolIndex,
  type SymbolKind,
  type SymbolReference,
} from './symbols.js';
export { childrenOf, nodeAt, nodePath, walkExpr } from './walk.js';
