/**
 * Every custom LSP method of Align Lab and its payload types, in one place, shared by the
 * language server (src/server), the extension (src/client) and the preview (webview/, which
 * should only `import type` from here so that it does not bundle the JSON-RPC runtime).
 *
 * Standard LSP covers diagnostics, hovers, completion and so on; the methods below are what the
 * preview and the web build need on top. Every name starts with `alignLab/`.
 */

import { ProtocolNotificationType, ProtocolRequestType } from 'vscode-languageserver-protocol';
import type { Analysis, QueryResult } from '../presentation/results.js';
import type { ModelFileProblemCode } from './modelFiles.js';

export type {
  Analysis,
  Diagnostic as AlignDiagnostic,
  Num,
  Position as AlignPosition,
  QueryKind,
  QueryResult,
  QueryValues,
  Range as AlignRange,
} from '../presentation/results.js';

// ── server → client ──────────────────────────────────────────────────────────────────────────

/**
 * Sent after every evaluation of an open `.align` document (on open, on each debounced change,
 * when a model file it reads changes, when settings change). `version` is the document version
 * the analysis was computed from; the server never sends a stale one, but a client that keeps
 * its own copy should still drop a notification whose version is older than the last it saw.
 * Numbers that are infinite in the math are `null` (JSON has no Infinity).
 */
export interface ResultsParams {
  readonly uri: string;
  readonly version: number;
  readonly analysis: Analysis;
  /** Wall time of the evaluation in milliseconds (for the preview's status line). */
  readonly elapsedMs: number;
}
export const ResultsNotification = new ProtocolNotificationType<ResultsParams, void>('alignLab/results');

/** Sent when a document is closed, so the preview can forget its results. */
export interface ResultsClearedParams {
  readonly uri: string;
}
export const ResultsClearedNotification = new ProtocolNotificationType<ResultsClearedParams, void>(
  'alignLab/resultsCleared',
);

/**
 * Asks the client for the text of a model file (`model m from "x.csv"`). Used by the web-worker
 * server, which has no file system: the client reads through `vscode.workspace.fs`, which also
 * works in vscode.dev and for unsaved editors. The node server reads the disk itself.
 *
 * The client applies the rules of src/protocol/modelFiles.ts itself (it does not trust the
 * request): the file must lie inside `root` and `root` inside a workspace folder (or be the
 * folder of an open document), no path segment below the root may be a symbolic link (the
 * browser cannot resolve one to check where it leads), it must be a regular file no larger than
 * MODEL_FILE_MAX_BYTES, and valid UTF-8.
 */
export interface ReadFileParams {
  /** Absolute URI of the file, resolved against the `.align` document. */
  readonly uri: string;
  /** The folder the file is confined to (the workspace folder, else the document's folder). */
  readonly root?: string;
}
export type ReadFileResult =
  | { readonly text: string }
  | {
      readonly error: string;
      /** Why, as a diagnostic code (absent: `file-not-found`). */
      readonly code?: ModelFileProblemCode;
    };
export const ReadFileRequest = new ProtocolRequestType<ReadFileParams, ReadFileResult, never, void, void>(
  'alignLab/readFile',
);

// ── client → server ──────────────────────────────────────────────────────────────────────────

/** Asks for the latest results of a document (the preview calls it when it opens). */
export interface GetResultsParams {
  readonly uri: string;
  /**
   * The complete results (every token of a large vocabulary) instead of the summary the results
   * notification carries (see TiltValue.tokens_total).
   */
  readonly full?: boolean;
}
export const GetResultsRequest = new ProtocolRequestType<
  GetResultsParams,
  ResultsParams | null,
  never,
  void,
  void
>('alignLab/getResults');

/**
 * Computes the edit that sets one parameter of the query at `position` (the preview's sliders).
 * The server only *computes* the edit; the client applies it, so the user's file is changed only
 * by that explicit action. The value is checked against the query table first: a parameter the
 * query does not have, a value outside the parameter's valid range, or a parameter that conflicts
 * with one of its exclusive group already written (`lambda` when `delta` is there) is answered
 * with a refusal (`refused`), never an edit. When the argument is a plain reference to a numeric
 * `let` that nothing else uses, the edit moves the let's value instead (the reference stays).
 * Null when the document version moved on.
 */
export interface SetParameterParams {
  readonly uri: string;
  readonly version: number;
  /** Any position inside the query (e.g. its range start from the results). */
  readonly position: { readonly line: number; readonly character: number };
  readonly name: string;
  /** Written with the shortest round-tripping decimal representation. */
  readonly value: number;
}
export interface TextEditLike {
  readonly range: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
  readonly newText: string;
}
/** Why a parameter cannot be set to a value; `message` is for the user. */
export type ParameterRefusalCode =
  | 'no-query'
  | 'unknown-parameter'
  | 'not-a-number'
  | 'out-of-range'
  | 'conflicting-parameters';
export interface ParameterRefusal {
  readonly code: ParameterRefusalCode;
  readonly message: string;
}
export interface SetParameterEdits {
  readonly uri: string;
  readonly version: number;
  readonly edits: TextEditLike[];
}
export interface SetParameterRefused {
  readonly uri: string;
  readonly version: number;
  readonly refused: ParameterRefusal;
}
export type SetParameterResult = SetParameterEdits | SetParameterRefused;
export const SetParameterRequest = new ProtocolRequestType<
  SetParameterParams,
  SetParameterResult | null,
  never,
  void,
  void
>('alignLab/setParameter');

/**
 * Evaluates the query at `position` as if its parameter `name` were `value` — exactly the edit
 * alignLab/setParameter would compute, applied to a copy of the text — without touching the
 * document: the preview redraws from it while a slider is dragged and writes the source once,
 * on release. Refused like alignLab/setParameter; null when the document version moved on.
 * `result` has the query's kind, model and range (of the current text) and a value or an error.
 */
export interface PreviewParameterResult {
  readonly uri: string;
  readonly version: number;
  readonly result: QueryResult;
}
export const PreviewParameterRequest = new ProtocolRequestType<
  SetParameterParams,
  PreviewParameterResult | SetParameterRefused | null,
  never,
  void,
  void
>('alignLab/previewParameter');

// ── commands and settings shared by both sides ──────────────────────────────────────────────

/** Command ids the server references in code lenses; the client registers them. */
export const Commands = {
  openPreview: 'alignLab.openPreview',
  openPreviewToSide: 'alignLab.openPreviewToSide',
  /** Arguments: (uri: string, range: AlignRange) — opens the preview to the side and focuses that query. */
  showInPreview: 'alignLab.showInPreview',
  restartServer: 'alignLab.restartServer',
  showOutput: 'alignLab.showOutput',
} as const;

/** The `alignLab.*` settings the server reads (package.json declares them with their docs). */
export interface ServerSettings {
  /** Milliseconds to wait after the last keystroke before re-evaluating. */
  readonly debounceMs: number;
  /** Significant digits in hovers and inlay hints (3–10). */
  readonly significantDigits: number;
  readonly inlayHints: { readonly enabled: boolean };
  readonly codeLens: { readonly enabled: boolean };
  /** Largest exact computation (support size of the law of R) before approximating. */
  readonly maxExactSize: number;
  /** Longest one query may compute before it is stopped with an error (milliseconds). */
  readonly queryTimeLimitMs: number;
}
export const defaultServerSettings: ServerSettings = {
  debounceMs: 75,
  significantDigits: 5,
  inlayHints: { enabled: true },
  codeLens: { enabled: true },
  maxExactSize: 200_000,
  queryTimeLimitMs: 2000,
};
/**
 * Node flags the extension launches the server with (and the tests and benchmarks use): smaller
 * young-generation semi-spaces and a moderate old-space ceiling make V8 collect sooner, which
 * keeps the server's resident memory flat (≈ 70 MB after 10,000 edits instead of ≈ 100 MB of
 * uncollected garbage) at no measurable cost in latency. 128 MB of old space still holds
 * documents with 50,000-token vocabularies.
 */
export const serverNodeArgs: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=128'];

/** The configuration section name (`alignLab.debounceMs` …). */
export const settingsSection = 'alignLab';
