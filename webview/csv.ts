/** CSV of the data behind a chart (RFC 4180 quoting; full double precision). */
import type { ChartModel } from './charts/model.js';

const cell = (v: string | number | undefined): string => {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : v;
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
