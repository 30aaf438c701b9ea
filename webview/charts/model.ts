/**
 * The chart-independent description of what each chart shows. Builders (one file per chart) turn an
 * `Analysis` into `ChartModel`s; `chartView.ts` draws them with chart.js and `csv.ts` exports them.
 * Keeping this layer pure makes it cheap to test and to diff across updates.
 */
import { formatNumber } from '../../src/presentation/format.js';
import type { Analysis, ChartId } from '../../src/protocol/preview.js';

export interface Point {
  x: number;
  y: number;
  /** Index of the query (in `analysis.results`) this point comes from; -1 for derived points. */
  q: number;
  /** Tooltip text: exact values. */
  tip: string;
  /** Error bar (Monte Carlo: mean ± 2 standard errors). */
  yMin?: number;
  yMax?: number;
  /** A heatmap cell's value (style `cell`: the cell is x ± ½, y ± ½) and its text inside the cell. */
  value?: number;
  label?: string;
}

/** `cell`: the points are the cells of a matrix (heatmap), shaded by `Point.value`. */
export type SeriesStyle = 'line' | 'linePoints' | 'points' | 'dashed' | 'dotted' | 'bar' | 'cell';
export type Marker = 'circle' | 'triangle' | 'crossRot' | 'rectRot' | 'star' | 'rect';

export interface Series {
  /** Stable identity across updates (legend visibility is remembered by key). */
  key: string;
  /**
   * Legend text, set by `finishSeries`: `name · model`, or `name · model, line L` when the chart
   * has several series of that name for the model (one per query), so no two entries read alike.
   */
  label: string;
  /** What the series shows: a series name of the presentation layer (PRESENTATION[kind].series). */
  name: string;
  /** The model whose queries the series comes from. */
  model: string;
  style: SeriesStyle;
  /** Palette index (one colour per model / per query). */
  color: number;
  marker?: Marker;
  axis?: 'y' | 'y1';
  points: Point[];
  /** Query indices contributing to this series (highlighted when the cursor is on one of them). */
  queries: number[];
}

/** A series before `finishSeries` gives it its label. */
export type SeriesDraft = Omit<Series, 'label'>;

export interface Axis {
  title: string;
  /** A logarithmic axis (values > 0 only). */
  log?: boolean;
  /** Labelled ticks at these values instead of round numbers (a heatmap's tokens). */
  ticks?: { value: number; label: string }[];
  /** A fixed range (a heatmap's cells); zoom and pan are off on such charts. */
  range?: [number, number];
  /** Values grow downwards (a matrix's rows). */
  reverse?: boolean;
}

export interface ChartModel {
  id: ChartId;
  title: string;
  x: Axis;
  y: Axis;
  y1?: Axis;
  /** For bar charts: category labels (points use x = category index). */
  categories?: string[];
  series: Series[];
  /** Shown instead of the chart when there is nothing to draw. */
  emptyText: string;
  /** One line under the title (e.g. which query the tokens chart shows). */
  note?: string;
  /** A chart of an optional group (methods, Markov): its card is hidden while it has nothing to draw. */
  optional?: boolean;
}

/** Marker styles (query points): they are drawn above curves and win hit-testing over them. */
export const isMarkerStyle = (style: SeriesStyle): boolean => style === 'points' || style === 'linePoints';

/**
 * The numbers a person reads in the preview (tooltips, notes, formulas, banner, slider read-outs)
 * all go through the presentation layer's one formatter, at the user's significant digits.
 */
export type Format = (x: number | null | undefined) => string;
export const formatWith =
  (digits: number): Format =>
  (x) =>
    formatNumber(x, digits);

/**
 * Merges identical series (same name, model, style and points — e.g. two `bon` queries of one
 * model with the same N) into one drawn once, and labels every series (see `Series.label`):
 * the line of its queries is added only where the model alone would not tell two entries apart.
 */
export function finishSeries(drafts: SeriesDraft[], analysis: Analysis): Series[] {
  const kept: SeriesDraft[] = [];
  for (const d of drafts) {
    const twin = kept.find(
      (k) =>
        k.name === d.name &&
        k.model === d.model &&
        k.style === d.style &&
        k.axis === d.axis &&
        samePoints(k.points, d.points),
    );
    if (twin) {
      for (const q of d.queries) if (!twin.queries.includes(q)) twin.queries.push(q);
    } else kept.push(d);
  }
  const count = new Map<string, number>();
  const id = (d: SeriesDraft) => `${d.name}\u0000${d.model}`;
  for (const d of kept) if (d.points.length > 0) count.set(id(d), (count.get(id(d)) ?? 0) + 1);
  return kept.map((d) => {
    if ((count.get(id(d)) ?? 0) <= 1) return { ...d, label: `${d.name} · ${d.model}` };
    const lines = [...new Set(d.queries.map((q) => (analysis.results[q]?.range.start.line ?? -1) + 1))]
      .filter((l) => l > 0)
      .sort((a, b) => a - b);
    const where = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
    return { ...d, label: `${d.name} · ${d.model}, ${where}` };
  });
}

function samePoints(a: Point[], b: Point[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    const q = b[i];
    if (p.x !== q.x || p.y !== q.y || p.yMin !== q.yMin || p.yMax !== q.yMax) return false;
  }
  return true;
}

/** Significant digits of an axis tick: enough for any round tick, few enough to drop floating noise. */
const TICK_DIGITS = 6;

/**
 * Axis tick label, by the presentation layer's formatter (its exponent rule and true minus sign):
 * ticks are round numbers, so 6 significant digits remove floating noise (0.30000000000000004 →
 * 0.3); very large or small values get a short exponent (2e−5, 1.5e8). Cheaper than chart.js's
 * default formatter, which builds an Intl.NumberFormat key per tick.
 */
export function tickLabel(x: number): string {
  return formatNumber(x, TICK_DIGITS);
}

export const hasData = (m: ChartModel): boolean => m.series.some((s) => s.points.length > 0);

/** Groups items by model name, keeping first-appearance order (colours follow this order). */
export function modelIndex(models: string[]): (model: string) => number {
  const order = new Map<string, number>();
  for (const m of models) if (!order.has(m)) order.set(m, order.size);
  return (m) => order.get(m) ?? 0;
}

/**
 * Colour of a series: with several models, one colour per model (markers and dashes tell the
 * roles apart); with a single model, one colour per role, which reads better.
 */
export function seriesColor(models: string[], role: number): (model: string) => number {
  const single = new Set(models).size <= 1;
  const byModel = modelIndex(models);
  return (m) => (single ? role : byModel(m));
}
