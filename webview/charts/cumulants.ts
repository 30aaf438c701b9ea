/**
 * Chart 4a: the scaled CGF Λ(t) = A(λ+t) − A(λ) when the results carry samples of it; otherwise the
 * cumulants κ_m = n A⁽ᵐ⁾(λ) against their order m (what the stable contract provides).
 */
import type { Analysis } from '../../src/protocol/preview.js';
import { cgfSamples } from '../extras.js';
import { type ChartModel, fmt, modelIndex, type Series } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function cumulantsChart(analysis: Analysis): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const items = itemsOf(analysis, 'cumulants');
  const withCgf = items.filter((c) => cgfSamples(c.value).length > 0);
  const series: Series[] = [];
  if (withCgf.length > 0) {
    for (const c of withCgf) {
      const tag = `${c.model} (line ${c.range.start.line + 1})`;
      series.push({
        key: `cgf:${c.model}:${c.index}`,
        label: `Λ(t) ${tag}`,
        style: 'line',
        color: colorOf(c.model),
        points: cgfSamples(c.value).map((s) => ({
          x: s.t,
          y: s.value,
          q: c.index,
          tip: `Λ(${fmt(s.t)}) = ${fmt(s.value)}`,
        })),
        queries: [c.index],
      });
    }
    return {
      id: 'cumulants',
      title: 'Scaled cumulant generating function Λ(t)',
      x: { title: 't' },
      y: { title: 'Λ(t) = (1/n) log E exp(tR)' },
      series,
      emptyText: '',
    };
  }
  for (const c of items) {
    const tag = `${c.model} (line ${c.range.start.line + 1})`;
    series.push({
      key: `kappa:${c.model}:${c.index}`,
      label: `κ_m ${tag}`,
      style: 'linePoints',
      color: colorOf(c.model),
      marker: 'circle',
      points: c.value.kappa.map((k, i) => ({
        x: i + 1,
        y: k,
        q: c.index,
        tip: `κ_${i + 1} = ${fmt(k)} (λ = ${fmt(c.value.lambda)})`,
      })),
      queries: [c.index],
    });
  }
  return {
    id: 'cumulants',
    title: 'Cumulants of R under φ_λⁿ',
    x: { title: 'order m' },
    y: { title: 'κ_m = n A⁽ᵐ⁾(λ)' },
    series,
    emptyText: 'Add a cumulants query to see the cumulants of the aligned reward.',
  };
}
