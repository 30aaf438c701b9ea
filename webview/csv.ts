/**
 * CSV of the data behind a chart (RFC 4180 quoting; full double precision), one series per column.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some
 * also one starting with a tab or a carriage return, or their full-width forms) as a formula —
 * `=HYPERLINK(…)` as a token name would become a live link. Text cells (token and series names,
 * axis titles) starting with one of these get a leading `'`, which spreadsheets read as "this is
 * text" (OWASP's advice); numbers are written as numbers, so `-0.5` stays a negative number.
 */
import type { ChartModel } from './charts/model.js';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);

/** A text cell made inert for spreadsheets: `'` in front of a leading formula character. */
export function inertText(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]) ? `'${text}` : text;
}

const cell = (v: string | number | undefined): string => {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : inertText(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const line = (cells: (string | number | undefined)[]) => cells.map(cell).join(',');

/**
 * One series per column: each series gets its own x and y columns (and its error bars' low and
 * high when it has them), headed `series: axis title`, its points down the rows. Series of
 * different lengths leave the rest of their columns empty; none is ever merged with another.
 * Bar charts: one row per category (token), one column per series. Heatmaps: one row per cell.
 */
export function chartCsv(model: ChartModel): string {
  if (model.categories) {
    const rows = [line(['category', ...model.series.map((s) => s.label)])];
    model.categories.forEach((c, i) => {
      rows.push(line([c, ...model.series.map((s) => s.points.find((p) => p.x === i)?.y)]));
    });
    return `${rows.join('\r\n')}\r\n`;
  }
  if (model.series.some((s) => s.style === 'cell')) return matrixCsv(model);
  const series = model.series.filter((s) => s.points.length > 0);
  const yTitle = (s: ChartModel['series'][number]) =>
    s.axis === 'y1' ? (model.y1?.title ?? '') : model.y.title;
  const columns = series.flatMap((s) => {
    const bars = s.points.some((p) => p.yMin !== undefined || p.yMax !== undefined);
    const cols: { header: string; cell: (i: number) => number | undefined }[] = [
      { header: `${s.label}: ${model.x.title}`, cell: (i) => s.points[i]?.x },
      { header: `${s.label}: ${yTitle(s)}`, cell: (i) => s.points[i]?.y },
    ];
    if (bars)
      cols.push(
        { header: `${s.label}: ${yTitle(s)} low`, cell: (i) => s.points[i]?.yMin },
        { header: `${s.label}: ${yTitle(s)} high`, cell: (i) => s.points[i]?.yMax },
      );
    return cols;
  });
  const length = Math.max(0, ...series.map((s) => s.points.length));
  const rows = [line(columns.map((c) => c.header))];
  for (let i = 0; i < length; i++) rows.push(line(columns.map((c) => c.cell(i))));
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * A heatmap (transition matrices): one row per cell — the matrix, its row and column labels (the
 * tokens, from the axes' ticks) and the value.
 */
function matrixCsv(model: ChartModel): string {
  const label = (ticks: { value: number; label: string }[] | undefined, v: number) =>
    ticks?.find((t) => t.value === v)?.label ?? String(v);
  const rows = [line(['matrix', model.y.title, model.x.title, 'value'])];
  for (const s of model.series)
    for (const p of s.points)
      rows.push(line([s.label, label(model.y.ticks, p.y), label(model.x.ticks, p.x), p.value]));
  return `${rows.join('\r\n')}\r\n`;
}
