/** Chart 3: the rate function I_λ(x) with exact finite-n tail exponents and the mean marked. */
import type { Analysis } from '../../src/protocol/preview.js';
import { type ChartModel, fmt, modelIndex, type Series } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function rateChart(analysis: Analysis): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const series: Series[] = [];
  for (const r of itemsOf(analysis, 'rate')) {
    const v = r.value;
    const c = colorOf(r.model);
    // Labels stay fixed while numbers change (the legend is rebuilt only when labels change).
    const tag = `${r.model} (line ${r.range.start.line + 1})`;
    const finite = v.points.filter((p) => p.rate !== null);
    series.push({
      key: `rate:${r.model}:${r.index}`,
      label: `I_λ(x) ${tag}`,
      style: 'line',
      color: c,
      points: finite.map((p) => ({
        x: p.x,
        y: p.rate as number,
        q: r.index,
        tip: `I_λ(${fmt(p.x)}) = ${fmt(p.rate)}`,
      })),
      queries: [r.index],
    });
    series.push({
      key: `tail:${r.model}:${r.index}`,
      label: `−(1/n) log P tail ${tag}`,
      style: 'points',
      color: c,
      marker: 'circle',
      points: v.points.flatMap((p) =>
        p.tail_rate === null
          ? []
          : [
              {
                x: p.x,
                y: p.tail_rate,
                q: r.index,
                tip: `finite-n tail exponent at ${fmt(p.x)}: ${fmt(p.tail_rate)} (I = ${fmt(p.rate)})`,
              },
            ],
      ),
      queries: [r.index],
    });
    const top = Math.max(0, ...finite.map((p) => p.rate as number));
    series.push({
      key: `mean:${r.model}:${r.index}`,
      label: `mean ${tag}`,
      style: 'dotted',
      color: c,
      points: [0, top > 0 ? top : 1].map((y) => ({
        x: v.mean,
        y,
        q: r.index,
        tip: `mean A′(λ) = ${fmt(v.mean)} (I = 0)`,
      })),
      queries: [r.index],
    });
  }
  return {
    id: 'rate',
    title: 'Large deviations: rate function I_λ(x)',
    x: { title: 'x = R / n' },
    y: { title: 'I_λ(x)' },
    series,
    emptyText: 'Add a rate query to see the large-deviation rate function.',
  };
}
