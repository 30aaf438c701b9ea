/** Small chart.js plugins: Monte Carlo error bars and an opaque background (so exported PNGs are readable). */
import type { Chart, Plugin } from 'chart.js';
import type { Point } from './charts/model.js';

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
