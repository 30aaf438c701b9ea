/**
 * The chart-independent description of what each chart shows. Builders (one file per chart) turn an
 * `Analysis` into `ChartModel`s; `chartView.ts` draws them with chart.js and `csv.ts` exports them.
 * Keeping this layer pure makes it cheap to test and to diff across updates.
 */
import type { ChartId } from '../../src/protocol/preview.js';

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
}

export type SeriesStyle = 'line' | 'linePoints' | 'points' | 'dashed' | 'dotted' | 'bar';
export type Marker = 'circle' | 'triangle' | 'crossRot' | 'rectRot' | 'star' | 'rect';

export interface Series {
  /** Stable identity across updates (legend visibility is remembered by key). */
  key: string;
  label: string;
  style: SeriesStyle;
  /** Palette index (one colour per model / per query). */
  color: number;
  marker?: Marker;
  axis?: 'y' | 'y1';
  points: Point[];
  /** Query indices contributing to this series (highlighted when the cursor is on one of them). */
  queries: number[];
}

export interface Axis {
  title: string;
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
}

/** Number formatting for tooltips and formulas: exact enough to compare, ∞ for null. */
export function fmt(x: number | null | undefined, digits = 6): string {
  if (x === null) return '∞';
  if (x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/**
 * Axis tick label: ticks are round numbers, so 6 significant digits remove floating noise
 * (0.30000000000000004 → 0.3) and very large or small values use a short exponent (2e-5, 1.5e+8).
 * Cheaper than chart.js's default formatter, which builds an Intl.NumberFormat key per tick.
 */
export function tickLabel(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? '0' : fmt(x);
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(6)));
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
