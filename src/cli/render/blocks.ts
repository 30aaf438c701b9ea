/** Building blocks shared by the per-query renderers: a quantity/value/unit table and a curve table. */
import { formatNumber } from '../format.js';
import { type Column, renderTable, sampleIndices } from '../table.js';

/** [quantity, value, unit]; value is a number (null = ∞) or preformatted text. */
export type Quantity = readonly [label: string, value: number | null | string, unit: string];

export function quantityTable(rows: readonly Quantity[]): string[] {
  const columns: Column[] = [
    { header: 'quantity', align: 'left' },
    { header: 'value', align: 'right' },
    { header: 'unit', align: 'left' },
  ];
  return renderTable(
    columns,
    rows.map(([label, value, unit]) => [
      label,
      typeof value === 'string' ? value : formatNumber(value),
      unit,
    ]),
  );
}

/** How many rows of a curve to print; the JSON output always has every point. */
export const CURVE_ROWS = 11;

/**
 * A table of points (frontier, rate curve, …), thinned to CURVE_ROWS evenly spaced rows with a
 * note saying how many points exist.
 */
export function curveTable<T>(
  columns: readonly { header: string; cell: (point: T) => number | null | string }[],
  points: readonly T[],
): string[] {
  const picked = sampleIndices(points.length, CURVE_ROWS);
  const rows = picked.map((i) =>
    columns.map((c) => {
      const v = c.cell(points[i]);
      return typeof v === 'string' ? v : formatNumber(v);
    }),
  );
  const out = renderTable(
    columns.map((c) => ({ header: c.header, align: 'right' as const })),
    rows,
  );
  if (picked.length < points.length)
    out.push(`  (${picked.length} of ${points.length} points shown; --json prints all)`);
  return out;
}
