/** Chart 3: the rate function I_λ(x) with exact finite-n tail exponents and the mean marked. */
import { PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { type ChartModel, type Format, finishSeries, modelIndex, type SeriesDraft } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function rateChart(analysis: Analysis, f: Format): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const names = PRESENTATION.rate.series;
  const series: SeriesDraft[] = [];
  for (const r of itemsOf(analysis, 'rate')) {
    const v = r.value;
    const c = colorOf(r.model);
    const base = { model: r.model, color: c, queries: [r.index] };
    const finite = v.points.filter((p) => p.rate !== null);
    series.push({
      ...base,
      key: `rate:${r.model}:${r.index}`,
      name: names.rate,
      style: 'line',
      points: finite.map((p) => ({
        x: p.x,
        y: p.rate as number,
        q: r.index,
        tip: `I_λ(${f(p.x)}) = ${f(p.rate)} (λ = ${f(v.lambda)})`,
      })),
    });
    series.push({
      ...base,
      key: `tail:${r.model}:${r.index}`,
      name: names.tail,
      style: 'points',
      marker: 'circle',
      points: v.points.flatMap((p) =>
        p.tail_rate === null
          ? []
          : [
              {
                x: p.x,
                y: p.tail_rate,
                q: r.index,
                tip: `finite-n tail exponent at ${f(p.x)}: ${f(p.tail_rate)} (I = ${f(p.rate)})`,
              },
            ],
      ),
    });
    const top = Math.max(0, ...finite.map((p) => p.rate as number));
    series.push({
      ...base,
      key: `mean:${r.model}:${r.index}`,
      name: v.markov ? names.meanChain : names.mean,
      style: 'dotted',
      points: [0, top > 0 ? top : 1].map((y) => ({
        x: v.mean,
        y,
        q: r.index,
        tip: `${v.markov ? names.meanChain : names.mean} = ${f(v.mean)} (I = 0)`,
      })),
    });
  }
  return {
    id: 'rate',
    title: 'Large deviations: rate function I_λ(x)',
    x: { title: 'x = R / n' },
    y: { title: 'I_λ(x)' },
    series: finishSeries(series, analysis),
    emptyText: 'Add a rate query to see the large-deviation rate function.',
  };
}
