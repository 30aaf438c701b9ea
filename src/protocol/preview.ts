/**
 * Messages between the preview webview (webview/) and the extension (src/client/preview/).
 *
 * The webview is untrusted from the extension's point of view (it renders document-derived data),
 * so every message it posts goes through `parseWebviewMessage`, which returns `undefined` for
 * anything malformed. Host → webview messages are produced by our own code and are typed only.
 */
import type { Analysis, Position, QueryResult, Range } from '../presentation/results.js';

// The result types the webview draws (it may depend on src/protocol only).
export type {
  Analysis,
  BonCurvePoint,
  Diagnostic,
  MarkovTiltValue,
  MethodCurvePoint,
  ModelSummary,
  Num,
  Position,
  QueryKind,
  QueryParam,
  QueryParamSource,
  QueryResult,
  QueryValues,
  Range,
} from '../presentation/results.js';

/** The webview panel's viewType; the extension must declare `onWebviewPanel:alignLab.preview`. */
export const PREVIEW_VIEW_TYPE = 'alignLab.preview';

/**
 * Identifiers of the charts, used for export and in persisted state: the seven main charts, the
 * methods group (the (KL, E[R]), (KL, win rate) and (tokens sampled, E[R]) planes) and the Markov
 * group (transition heatmap, per-position marginals), the groups shown only when they have data.
 */
export const CHART_IDS = [
  'frontier',
  'bon',
  'equivalence',
  'rate',
  'cumulants',
  'renyi',
  'tokens',
  'methodsReward',
  'methodsWinRate',
  'methodsTokens',
  'transitions',
  'marginals',
] as const;
export type ChartId = (typeof CHART_IDS)[number];

/** Query parameters the preview offers sliders for (names as in src/presentation/queries.ts). */
export const SLIDER_PARAMS = [
  'delta',
  'lambda',
  'beta',
  'N',
  'logN',
  'alpha',
  'rate',
  'block',
  'threshold',
  'accept',
] as const;
export type SliderParam = (typeof SLIDER_PARAMS)[number];

// ---- extension → webview ----------------------------------------------------------------------

/** New results for the document shown. `version` is the document version they were computed for. */
export interface AnalysisMessage {
  readonly type: 'analysis';
  readonly uri: string;
  readonly version: number;
  readonly analysis: Analysis;
  /** True when the document has changed since (newer results are on their way). */
  readonly pending: boolean;
}
/** The editor's cursor moved (null: the document is not the active editor any more). */
export interface CursorMessage {
  readonly type: 'cursor';
  readonly uri: string;
  readonly position: Position | null;
}
/** The panel now shows another document (follow-active-editor mode): forget everything. */
export interface ResetMessage {
  readonly type: 'reset';
  readonly uri: string;
  readonly fileName: string;
}
/** Settings that change how the preview shows numbers (alignLab.significantDigits). */
export interface SettingsMessage {
  readonly type: 'settings';
  /** Significant digits of every number shown (formatNumber); clamped by the webview. */
  readonly digits: number;
}
/** "Show in preview" on a query: focus it and bring its chart into view. */
export interface ShowQueryMessage {
  readonly type: 'showQuery';
  readonly uri: string;
  readonly range: Range;
}
/**
 * The answer to a `previewParameter` request (`seq` echoes it): the query evaluated with the
 * slider's value (alignLab/previewParameter), or why that value is refused. Neither when the
 * server had no answer (the document changed, the server restarts).
 */
export interface ParameterPreviewMessage {
  readonly type: 'parameterPreview';
  readonly uri: string;
  readonly seq: number;
  readonly result?: QueryResult;
  readonly refused?: { readonly code: string; readonly message: string };
}
/** A released slider's value was refused by the server: said under the slider. */
export interface ParameterRefusedMessage {
  readonly type: 'parameterRefused';
  readonly uri: string;
  readonly message: string;
}
export type HostToWebview =
  | AnalysisMessage
  | CursorMessage
  | ResetMessage
  | SettingsMessage
  | ShowQueryMessage
  | ParameterPreviewMessage
  | ParameterRefusedMessage;

// ---- webview → extension ----------------------------------------------------------------------

export interface ReadyMessage {
  readonly type: 'ready';
}
/** A chart point was clicked: show its query in the editor. */
export interface RevealMessage {
  readonly type: 'reveal';
  readonly uri: string;
  readonly range: Range;
}
/**
 * A slider was released: set parameter `name` of the query at `query` to `value`, as ONE undoable
 * edit. The extension asks the server for the edit (alignLab/setParameter); when the results gave
 * the literal's range (`literal`), it can replace that range itself if the server has no answer.
 */
export interface SetParameterMessage {
  readonly type: 'setParameter';
  readonly uri: string;
  /** The document version the ranges refer to; the edit is refused if the document moved on. */
  readonly version: number;
  /** The query's range (any position inside identifies it). */
  readonly query: Range;
  readonly name: SliderParam;
  readonly value: number;
  readonly literal?: Range;
}
/**
 * A slider is being dragged: evaluate the query with this value (alignLab/previewParameter)
 * without touching the document. At most one is in flight; the answer echoes `seq`.
 */
export interface PreviewParameterMessage {
  readonly type: 'previewParameter';
  readonly uri: string;
  readonly version: number;
  readonly query: Range;
  readonly name: SliderParam;
  readonly value: number;
  readonly seq: number;
}
/** Save a chart: PNG as base64 (no data: prefix) or CSV text. */
export interface ExportMessage {
  readonly type: 'export';
  readonly chart: ChartId;
  readonly format: 'png' | 'csv';
  readonly data: string;
}
export type WebviewToHost =
  | ReadyMessage
  | RevealMessage
  | SetParameterMessage
  | PreviewParameterMessage
  | ExportMessage;

/** Upper bound on an exported payload (a 4k PNG is well under this). */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;
/** The only text a slider edit may write: a plain decimal or scientific-notation number. */
export const NUMBER_LITERAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A slider value as source text: 4 significant digits (a whole number for N and block), never exponent-free
 * garbage. With `bounds` (the slider's ends, valid values themselves), a value that 4 digits would
 * round out of them is rounded towards the inside instead, so a slider at either end writes a
 * valid value (Δ at the maximum KL 2.07944… is written 2.079, not 2.08).
 */
export function formatParameter(
  name: SliderParam,
  value: number,
  bounds?: { readonly min: number; readonly max?: number },
): string {
  if (name === 'N' || name === 'block') {
    let n = Math.max(1, Math.round(value));
    if (bounds?.max !== undefined && n > bounds.max) n = Math.max(1, Math.floor(bounds.max));
    if (bounds && n < bounds.min) n = Math.ceil(bounds.min);
    return String(n);
  }
  let text = String(Number(value.toPrecision(4)));
  const v = Number(text);
  if (bounds && v < bounds.min) text = roundAt4(value, 'up');
  else if (bounds?.max !== undefined && v > bounds.max) text = roundAt4(value, 'down');
  return NUMBER_LITERAL.test(text) ? text : value.toFixed(4);
}

/** `x` rounded up or down at its 4th significant digit, as exact decimal text. */
function roundAt4(x: number, direction: 'up' | 'down'): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const e = Math.floor(Math.log10(Math.abs(x))) - 3;
  const m = x / 10 ** e;
  const digits = direction === 'up' ? Math.ceil(m - 1e-9) : Math.floor(m + 1e-9);
  return String(Number(`${digits}e${e}`));
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isCount = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 31;

function parsePosition(x: unknown): Position | undefined {
  if (!isObject(x) || !isCount(x.line) || !isCount(x.character)) return undefined;
  return { line: x.line, character: x.character };
}

export function parseRange(x: unknown): Range | undefined {
  if (!isObject(x)) return undefined;
  const start = parsePosition(x.start);
  const end = parsePosition(x.end);
  if (!start || !end) return undefined;
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return undefined;
  return { start, end };
}

const isUri = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length < 4096;

/** Validates a message posted by the webview; `undefined` means "ignore it". */
export function parseWebviewMessage(x: unknown): WebviewToHost | undefined {
  if (!isObject(x)) return undefined;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal': {
      const range = parseRange(x.range);
      return range && isUri(x.uri) ? { type: 'reveal', uri: x.uri, range } : undefined;
    }
    case 'setParameter': {
      const query = parseRange(x.query);
      const name = SLIDER_PARAMS.find((n) => n === x.name);
      const literal = x.literal === undefined ? undefined : parseRange(x.literal);
      const valid =
        query &&
        name &&
        isUri(x.uri) &&
        isCount(x.version) &&
        typeof x.value === 'number' &&
        Number.isFinite(x.value);
      if (!valid || (x.literal !== undefined && !literal)) return undefined;
      const m: SetParameterMessage = {
        type: 'setParameter',
        uri: x.uri as string,
        version: x.version as number,
        query,
        name,
        value: x.value as number,
      };
      return literal ? { ...m, literal } : m;
    }
    case 'previewParameter': {
      const query = parseRange(x.query);
      const name = SLIDER_PARAMS.find((n) => n === x.name);
      const valid =
        query &&
        name &&
        isUri(x.uri) &&
        isCount(x.version) &&
        isCount(x.seq) &&
        typeof x.value === 'number' &&
        Number.isFinite(x.value);
      if (!valid) return undefined;
      return {
        type: 'previewParameter',
        uri: x.uri as string,
        version: x.version as number,
        query,
        name,
        value: x.value as number,
        seq: x.seq as number,
      };
    }
    case 'export': {
      const chart = CHART_IDS.find((c) => c === x.chart);
      if (!chart || (x.format !== 'png' && x.format !== 'csv')) return undefined;
      if (typeof x.data !== 'string' || x.data.length === 0 || x.data.length > MAX_EXPORT_BYTES)
        return undefined;
      if (x.format === 'png' && !/^[A-Za-z0-9+/]+={0,2}$/.test(x.data)) return undefined;
      return { type: 'export', chart, format: x.format, data: x.data };
    }
    default:
      return undefined;
  }
}

// ---- persisted webview state (vscode.setState; read back by the panel serializer) -------------

export interface AxisWindow {
  readonly x?: readonly [number, number];
  readonly y?: readonly [number, number];
}
export interface PreviewState {
  readonly uri: string;
  /** Zoom/pan windows per chart (absent: auto-fit). */
  readonly zoom: Partial<Record<ChartId, AxisWindow>>;
  /** Keys of series the user hid through the legend. */
  readonly hidden: readonly string[];
}

/** Reads back a persisted state (it survives reloads, so it is validated like a message). */
export function parsePreviewState(x: unknown): PreviewState | undefined {
  if (!isObject(x) || !isUri(x.uri)) return undefined;
  const zoom: Partial<Record<ChartId, AxisWindow>> = {};
  const pair = (v: unknown): readonly [number, number] | undefined =>
    Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && v[0] < v[1] ? [v[0], v[1]] : undefined;
  if (isObject(x.zoom)) {
    for (const id of CHART_IDS) {
      const w = x.zoom[id];
      if (isObject(w)) zoom[id] = { x: pair(w.x), y: pair(w.y) };
    }
  }
  const hidden = Array.isArray(x.hidden) ? x.hidden.filter((h): h is string => typeof h === 'string') : [];
  return { uri: x.uri, zoom, hidden };
}
