/**
 * A result as text tables, the same in every front end that prints tables (hover, CLI, report):
 * the quantities as label | value | unit rows, and a curve as a sample of evenly spaced rows.
 */
import { type Curve, curveOf, formatQuantity, headerWithUnit, quantitiesOf } from './kinds.js';
import type { QueryResult } from './results.js';

/** Rows of a curve shown when a person reads it (the JSON output has every point). */
export const CURVE_ROWS = 11;

/**
 * At most `limit` row indices, evenly spaced and always including the first and the last, so a
 * 256-point curve reads as a summary.
 */
export function sampleIndices(length: number, limit: number): number[] {
  if (length <= limit) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  for (let k = 0; k < limit; k++) picked.add(Math.round((k * (length - 1)) / (limit - 1)));
  return [...picked].sort((a, b) => a - b);
}

/** [label, value, unit] rows of a result's quantities (none for an error). */
export function quantityRows(r: QueryResult, digits: number): [label: string, value: string, unit: string][] {
  return quantitiesOf(r).map((x) => [x.label, formatQuantity(x, x.value, digits), x.unit]);
}

export interface CurveTable {
  /** Column headers with their units: `KL (nats)`. */
  readonly header: string[];
  readonly rows: string[][];
  /** Points in the curve (rows shows a sample of them). */
  readonly total: number;
}

/** The curve of a result as a sampled table, or undefined when its kind has none. */
export function curveTable(r: QueryResult, digits: number, maxRows = CURVE_ROWS): CurveTable | undefined {
  const c: Curve<unknown> | undefined = curveOf(r);
  if (!c) return undefined;
  const rows = sampleIndices(c.points.length, maxRows).map((i) =>
    c.columns.map((col) => formatQuantity(col, col.cell(c.points[i]), digits)),
  );
  return { header: c.columns.map(headerWithUnit), rows, total: c.points.length };
}
