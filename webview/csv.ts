/**
 * CSV of the data behind a chart (RFC 4180 quoting; full double precision).
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

export function chartCsv(model: ChartModel): string {
  if (model.categories) {
    // One row per category (token), one column per series.
    const rows = [line(['category', ...model.series.map((s) => s.label)])];
    model.categories.forEach((c, i) => {
      rows.push(line([c, ...model.series.map((s) => s.points.find((p) => p.x === i)?.y)]));
    });
    return `${rows.join('\r\n')}\r\n`;
  }
  const rows = [line(['series', model.x.title, model.y.title, 'y_min', 'y_max', 'axis'])];
  for (const s of model.series) {
    for (const p of s.points)
      rows.push(line([s.label, p.x, p.y, p.yMin, p.yMax, s.axis === 'y1' ? model.y1?.title : model.y.title]));
  }
  return `${rows.join('\r\n')}\r\n`;
}
