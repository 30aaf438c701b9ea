/** Chart 4b: the Rényi cross entropy H_α(p, q) against α (a curve when provided, else the queried points). */
import type { Analysis } from '../../src/protocol/preview.js';
import { renyiCurve } from '../extras.js';
import { type ChartModel, fmt, modelIndex, type Series } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function renyiChart(analysis: Analysis): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const series: Series[] = [];
  const points = new Map<string, Series>();
  for (const r of itemsOf(analysis, 'renyi')) {
    const v = r.value;
    const curve = renyiCurve(v);
    if (curve.length > 0) {
      series.push({
        key: `renyiCurve:${r.model}:${r.index}`,
        label: `H_α(p, q) ${r.model}`,
        style: 'line',
        color: colorOf(r.model),
        points: curve.map((c) => ({
          x: c.alpha,
          y: c.cross_entropy,
          q: r.index,
          tip: `H_${fmt(c.alpha)}(p, q) = ${fmt(c.cross_entropy)}`,
        })),
        queries: [r.index],
      });
    }
    let s = points.get(r.model);
    if (!s) {
      s = {
        key: `renyi:${r.model}`,
        label: `queried α ${r.model}`,
        style: 'points',
        color: colorOf(r.model),
        marker: 'circle',
        points: [],
        queries: [],
      };
      points.set(r.model, s);
    }
    s.points.push({
      x: v.alpha,
      y: v.cross_entropy,
      q: r.index,
      tip: `H_${fmt(v.alpha)}(p, q) = ${fmt(v.cross_entropy)}, log C = ${fmt(v.log_c)}`,
    });
    s.queries.push(r.index);
  }
  for (const s of points.values()) s.points.sort((a, b) => a.x - b.x);
  return {
    id: 'renyi',
    title: 'Rényi cross entropy H_α(p, q)',
    x: { title: 'α' },
    y: { title: 'H_α(p, q) [nats]' },
    series: [...series, ...points.values()],
    emptyText: 'Add a renyi query to see the Rényi cross entropy.',
  };
}
