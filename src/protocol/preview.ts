/**
 * Messages between the preview webview (webview/) and the extension (src/client/preview/).
 *
 * The webview is untrusted from the extension's point of view (it renders document-derived data),
 * so every message it posts goes through `parseWebviewMessage`, which returns `undefined` for
 * anything malformed. Host → webview messages are produced by our own code and are typed only.
 */
import type { Analysis, Position, Range } from '../presentation/results.js';

// The result types the webview draws (it may depend on src/protocol only).
export type {
  Analysis,
  BonCurvePoint,
  Diagnostic,
  ModelSummary,
  Num,
  Position,
  QueryKind,
  QueryResult,
  QueryValues,
  Range,
} from '../presentation/results.js';

/** The webview panel's viewType; the extension must declare `onWebviewPanel:alignLab.preview`. */
export const PREVIEW_VIEW_TYPE = 'alignLab.preview';

/** Identifiers of the charts, used for export and in persisted state. */
export const CHART_IDS = ['frontier', 'bon', 'equivalence', 'rate', 'cumulants', 'renyi', 'tokens'] as const;
export type ChartId = (typeof CHART_IDS)[number];

/** Query parameters the preview offers sliders for (names as in src/presentation/queries.ts). */
export const SLIDER_PARAMS = ['delta', 'lambda', 'beta', 'N', 'logN', 'alpha', 'rate'] as const;
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
export type HostToWebview = AnalysisMessage | CursorMessage | ResetMessage;

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
/** Save a chart: PNG as base64 (no data: prefix) or CSV text. */
export interface ExportMessage {
  readonly type: 'export';
  readonly chart: ChartId;
  readonly format: 'png' | 'csv';
  readonly data: string;
}
export type WebviewToHost = ReadyMessage | RevealMessage | SetParameterMessage | ExportMessage;

/** Upper bound on an exported payload (a 4k PNG is well under this). */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;
/** The only text a slider edit may write: a plain decimal or scientific-notation number. */
export const NUMBER_LITERAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A slider value as source text: 4 significant digits (integers for N), never exponent-free garbage. */
export function formatParameter(name: SliderParam, value: number): string {
  if (name === 'N') return String(Math.max(1, Math.round(value)));
  const s = String(Number(value.toPrecision(4)));
  return NUMBER_LITERAL.test(s) ? s : value.toFixed(4);
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
