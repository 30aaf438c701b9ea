/** Chart 2b: asymptotic equivalence — per-token BoN reward → KL-RL reward and KL(BoN‖φ)/n → 0 as n grows. */
import { formatCount } from '../../src/presentation/format.js';
import { PRESENTATION, sequenceNotation } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { type ChartModel, type Format, finishSeries, modelIndex, type SeriesDraft } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function equivalenceChart(analysis: Analysis, f: Format): ChartModel {
  const colorOf = modelIndex(modelsOf(analysis));
  const names = PRESENTATION.equivalence.series;
  const series: SeriesDraft[] = [];
  for (const e of itemsOf(analysis, 'equivalence')) {
    const v = e.value;
    const c = colorOf(e.model);
    const pts = [...v.points].sort((a, b) => a.n - b.n);
    const base = { model: e.model, queries: [e.index] };
    series.push({
      ...base,
      key: `eqBon:${e.model}:${e.index}`,
      name: names.bon,
      style: 'linePoints',
      color: c,
      marker: 'triangle',
      points: pts.map((p) => ({
        x: p.n,
        y: p.bon_reward_per_token,
        q: e.index,
        tip: `n = ${formatCount(p.n)}: E R/n ${f(p.bon_reward_per_token)}, KL(BoN‖${sequenceNotation('p', v.markov)})/n ${f(p.kl_per_token)}`,
      })),
    });
    if (pts.length > 0) {
      const span = [pts[0].n, pts[pts.length - 1].n];
      series.push({
        ...base,
        key: `eqRl:${e.model}:${e.index}`,
        name: names.rl,
        style: 'dashed',
        color: c,
        points: span.map((n) => ({
          x: n,
          y: v.rl_reward_per_token,
          q: e.index,
          tip: `${v.markov ? 'Λ′' : 'A′'}(λ*) = ${f(v.rl_reward_per_token)}, λ* = ${f(v.lambda)}, δ = ${f(v.rate)}`,
        })),
      });
    }
    series.push({
      ...base,
      key: `eqKl:${e.model}:${e.index}`,
      name: v.markov ? names.klChain : names.kl,
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
                tip: `n = ${formatCount(p.n)}: KL(BoN‖φⁿ)/n ${f(p.kl_to_rl_per_token)}`,
              },
            ],
      ),
    });
  }
  return {
    id: 'equivalence',
    title: 'Best-of-N ≈ KL-RL as n grows (N = exp(nδ))',
    x: { title: 'sequence length n' },
    y: { title: 'reward per token' },
    y1: { title: 'KL(BoN ‖ φ) / n' },
    series: finishSeries(series, analysis),
    emptyText: 'Add an equivalence query to watch best-of-N converge to KL-RL.',
  };
}
