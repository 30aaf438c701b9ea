/**
 * Chart 4a: the scaled CGF Λ(t) = A(λ+t) − A(λ) when the results carry samples of it; otherwise the
 * cumulants κ_m = n A⁽ᵐ⁾(λ) against their order m (what the stable contract provides).
 */
import { PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { cgfSamples } from '../extras.js';
import { type ChartModel, type Format, finishSeries, modelIndex, type SeriesDraft } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function cumulantsChart(analysis: Analysis, f: Format): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const names = PRESENTATION.cumulants.series;
  const items = itemsOf(analysis, 'cumulants');
  const withCgf = items.filter((c) => cgfSamples(c.value).length > 0);
  const series: SeriesDraft[] = [];
  if (withCgf.length > 0) {
    for (const c of withCgf) {
      series.push({
        key: `cgf:${c.model}:${c.index}`,
        name: names.cgf,
        model: c.model,
        style: 'line',
        color: colorOf(c.model),
        points: cgfSamples(c.value).map((s) => ({
          x: s.t,
          y: s.value,
          q: c.index,
          tip: `Λ(${f(s.t)}) = ${f(s.value)} (λ = ${f(c.value.lambda)})`,
        })),
        queries: [c.index],
      });
    }
    return {
      id: 'cumulants',
      title: 'Scaled cumulant generating function Λ(t)',
      x: { title: 't' },
      y: { title: 'Λ(t) = (1/n) log E exp(tR)' },
      series: finishSeries(series, analysis),
      emptyText: '',
    };
  }
  for (const c of items) {
    series.push({
      key: `kappa:${c.model}:${c.index}`,
      name: names.kappa,
      model: c.model,
      style: 'linePoints',
      color: colorOf(c.model),
      marker: 'circle',
      points: c.value.kappa.map((k, i) => ({
        x: i + 1,
        y: k,
        q: c.index,
        tip: `κ_${i + 1} = ${f(k)} (λ = ${f(c.value.lambda)})`,
      })),
      queries: [c.index],
    });
  }
  return {
    id: 'cumulants',
    title: 'Cumulants of R under φ_λⁿ',
    x: { title: 'order m' },
    y: { title: 'κ_m = n A⁽ᵐ⁾(λ)' },
    series: finishSeries(series, analysis),
    emptyText: 'Add a cumulants query to see the cumulants of the aligned reward.',
  };
}
