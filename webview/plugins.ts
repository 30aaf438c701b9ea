/** Small chart.js plugins: Monte Carlo error bars, an opaque background (so exported PNGs are readable), heatmap cells. */
import type { Chart, Plugin } from 'chart.js';
import type { Point } from './charts/model.js';
import { betterText, blend } from './theme.js';

export const errorBarsPlugin: Plugin = {
  id: 'alignLabErrorBars',
  afterDatasetsDraw(chart: Chart) {
    const { ctx } = chart;
    const yScale = chart.scales.y;
    chart.data.datasets.forEach((ds, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden || !chart.isDatasetVisible(i) || meta.type === 'bar') return;
      const points = ds.data as unknown as Point[];
      ctx.save();
      ctx.strokeStyle = String(ds.borderColor ?? '#888');
      ctx.lineWidth = 1.5;
      points.forEach((p, j) => {
        if (p.yMin === undefined || p.yMax === undefined) return;
        const el = meta.data[j];
        if (!el) return;
        const x = el.x;
        const top = yScale.getPixelForValue(p.yMax);
        const bottom = yScale.getPixelForValue(p.yMin);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 4, top);
        ctx.lineTo(x + 4, top);
        ctx.moveTo(x - 4, bottom);
        ctx.lineTo(x + 4, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

/** Paints the theme background under the chart; its colour is set per chart in options.plugins. */
export const backgroundPlugin: Plugin<'line' | 'bar', { color?: string }> = {
  id: 'alignLabBackground',
  beforeDraw(chart, _args, options) {
    if (!options.color) return;
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = options.color;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Theme colours the heatmap needs (set per chart in options.plugins.alignLabHeatmap). */
export interface HeatmapOptions {
  fg?: string;
  bg?: string;
  font?: string;
  fontSize?: number;
}

/** The lightest shade of a cell (a zero stays visible as a cell). */
const MIN_SHADE = 0.06;

/**
 * Heatmap cells: the points of a `cell` series are matrix entries at (column, row), drawn as
 * rectangles x ± ½, y ± ½ shaded from the background (0) to the series colour (the largest value
 * of the chart), with the values written inside when they fit (in whichever of the theme's
 * foreground and background reads better on the shade).
 */
export const heatmapPlugin: Plugin<'line' | 'bar', HeatmapOptions> = {
  id: 'alignLabHeatmap',
  beforeDatasetsDraw(chart, _args, options) {
    const cells = chart.data.datasets
      .map((ds, i) => ({ ds: ds as typeof ds & { seriesRef?: { style: string } }, i }))
      .filter(({ ds, i }) => ds.seriesRef?.style === 'cell' && chart.isDatasetVisible(i));
    if (cells.length === 0) return;
    const bg = options.bg ?? '#ffffff';
    const fg = options.fg ?? '#000000';
    let max = 0;
    for (const { ds } of cells)
      for (const p of ds.data as unknown as Point[]) if ((p.value ?? 0) > max) max = p.value ?? 0;
    const { ctx, chartArea } = chart;
    const xs = chart.scales.x;
    const ys = chart.scales.y;
    ctx.save();
    ctx.beginPath();
    ctx.rect(
      chartArea.left,
      chartArea.top,
      chartArea.right - chartArea.left,
      chartArea.bottom - chartArea.top,
    );
    ctx.clip();
    ctx.font = `${Math.max(9, (options.fontSize ?? 12) - 2)}px ${options.font ?? 'sans-serif'}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    // The values are written in every cell or in none (when the widest does not fit a cell).
    const cellW = Math.abs(xs.getPixelForValue(1) - xs.getPixelForValue(0));
    const cellH = Math.abs(ys.getPixelForValue(1) - ys.getPixelForValue(0));
    let widest = 0;
    for (const { ds } of cells)
      for (const p of ds.data as unknown as Point[])
        if (p.label) widest = Math.max(widest, ctx.measureText(p.label).width);
    const labels = cellW >= widest + 4 && cellH >= (options.fontSize ?? 12) + 2;
    for (const { ds } of cells) {
      const color = String(ds.borderColor ?? fg);
      for (const p of ds.data as unknown as Point[]) {
        const x0 = xs.getPixelForValue(p.x - 0.5);
        const x1 = xs.getPixelForValue(p.x + 0.5);
        const y0 = ys.getPixelForValue(p.y - 0.5);
        const y1 = ys.getPixelForValue(p.y + 0.5);
        const left = Math.min(x0, x1);
        const top = Math.min(y0, y1);
        const w = Math.abs(x1 - x0);
        const h = Math.abs(y1 - y0);
        const shade = max > 0 ? MIN_SHADE + (1 - MIN_SHADE) * Math.max(0, (p.value ?? 0) / max) : MIN_SHADE;
        const fill = blend(color, bg, shade);
        ctx.fillStyle = fill;
        // A one-pixel gap between cells (the background shows through).
        ctx.fillRect(left + 0.5, top + 0.5, Math.max(0, w - 1), Math.max(0, h - 1));
        if (labels && p.label) {
          ctx.fillStyle = fill.startsWith('#') ? betterText(fill, fg, bg) : fg;
          ctx.fillText(p.label, left + w / 2, top + h / 2);
        }
      }
    }
    ctx.restore();
  },
};
