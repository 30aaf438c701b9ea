/** Chart 4b: the Rényi cross entropy H_α(p, q) against α (a curve when provided, else the queried points). */
import { PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { renyiCurve } from '../extras.js';
import { type ChartModel, type Format, finishSeries, modelIndex, type SeriesDraft } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function renyiChart(analysis: Analysis, f: Format): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const names = PRESENTATION.renyi.series;
  const series: SeriesDraft[] = [];
  const points = new Map<string, SeriesDraft>();
  for (const r of itemsOf(analysis, 'renyi')) {
    const v = r.value;
    const curve = renyiCurve(v);
    if (curve.length > 0) {
      series.push({
        key: `renyiCurve:${r.model}:${r.index}`,
        name: names.curve,
        model: r.model,
        style: 'line',
        color: colorOf(r.model),
        points: curve.map((c) => ({
          x: c.alpha,
          y: c.cross_entropy,
          q: r.index,
          tip: `H_${f(c.alpha)}(p, q) = ${f(c.cross_entropy)}`,
        })),
        queries: [r.index],
      });
    }
    let s = points.get(r.model);
    if (!s) {
      s = {
        key: `renyi:${r.model}`,
        name: names.point,
        model: r.model,
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
      tip: `H_${f(v.alpha)}(p, q) = ${f(v.cross_entropy)}, log C = ${f(v.log_c)} (line ${r.range.start.line + 1})`,
    });
    s.queries.push(r.index);
  }
  for (const s of points.values()) s.points.sort((a, b) => a.x - b.x);
  return {
    id: 'renyi',
    title: 'Rényi cross entropy H_α(p, q)',
    x: { title: 'α' },
    y: { title: 'H_α(p, q) [nats]' },
    series: finishSeries([...series, ...points.values()], analysis),
    emptyText: 'Add a renyi query to see the Rényi cross entropy.',
  };
}
