/** Chart 2b: asymptotic equivalence — per-token BoN reward → KL-RL reward and KL(BoN‖φ)/n → 0 as n grows. */
import type { Analysis } from '../../src/protocol/preview.js';
import { type ChartModel, fmt, modelIndex, type Series } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function equivalenceChart(analysis: Analysis): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const series: Series[] = [];
  for (const e of itemsOf(analysis, 'equivalence')) {
    const v = e.value;
    const c = colorOf(e.model);
    const pts = [...v.points].sort((a, b) => a.n - b.n);
    // Labels stay fixed while numbers change (the legend is rebuilt only when labels change).
    const tag = `${e.model} (line ${e.range.start.line + 1})`;
    series.push({
      key: `eqBon:${e.model}:${e.index}`,
      label: `BoN reward/n ${tag}`,
      style: 'linePoints',
      color: c,
      marker: 'triangle',
      points: pts.map((p) => ({
        x: p.n,
        y: p.bon_reward_per_token,
        q: e.index,
        tip: `n = ${p.n}: BoN reward/n ${fmt(p.bon_reward_per_token)}, KL(BoN‖pⁿ)/n ${fmt(p.kl_per_token)}`,
      })),
      queries: [e.index],
    });
    if (pts.length > 0) {
      const span = [pts[0].n, pts[pts.length - 1].n];
      series.push({
        key: `eqRl:${e.model}:${e.index}`,
        label: `KL-RL reward/n ${tag}`,
        style: 'dashed',
        color: c,
        points: span.map((n) => ({
          x: n,
          y: v.rl_reward_per_token,
          q: e.index,
          tip: `A′(λ*) = ${fmt(v.rl_reward_per_token)}, λ* = ${fmt(v.lambda)}`,
        })),
        queries: [e.index],
      });
    }
    series.push({
      key: `eqKl:${e.model}:${e.index}`,
      label: `KL(BoN‖φ)/n ${tag}`,
      style: 'linePoints',
      color: c + 1,
      marker: 'circle',
      axis: 'y1',
      points: pts.flatMap((p) =>
        p.kl_to_rl_per_token === null
          ? []
          : [
              {
                x: p.n,
                y: p.kl_to_rl_per_token,
                q: e.index,
                tip: `n = ${p.n}: KL(BoN‖φ_λ*ⁿ)/n ${fmt(p.kl_to_rl_per_token)}`,
              },
            ],
      ),
      queries: [e.index],
    });
  }
  return {
    id: 'equivalence',
    title: 'Best-of-N ≈ KL-RL as n grows (N = exp(nδ))',
    x: { title: 'sequence length n' },
    y: { title: 'reward per token' },
    y1: { title: 'KL(BoN ‖ φ) / n' },
    series,
    emptyText: 'Add an equivalence query to watch best-of-N converge to KL-RL.',
  };
}
