/** Chart 2a: reward vs log N — best-of-N against KL-RL at Δ = log N and at BoN's own KL. */
import type { Analysis } from '../../src/protocol/preview.js';
import { bonCurve, simulatePlacement } from '../extras.js';
import { mcPoint } from './frontier.js';
import { type ChartModel, fmt, type Point, type Series, seriesColor } from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function bonChart(analysis: Analysis): ChartModel {
  const models = modelsOf(analysis);
  // Roles: 0 KL-RL same KL, 1 KL-RL Δ = log N, 2 best-of-N, 5 Monte Carlo (as in the frontier chart).
  const role = (r: number) => seriesColor(models, r);
  const byModel = new Map<string, { bon: Point[]; budget: Point[]; same: Point[]; queries: number[] }>();
  const curves: Series[] = [];
  for (const b of itemsOf(analysis, 'bon')) {
    const v = b.value;
    let g = byModel.get(b.model);
    if (!g) byModel.set(b.model, (g = { bon: [], budget: [], same: [], queries: [] }));
    g.queries.push(b.index);
    const at = `log N = ${fmt(v.log_n)} (N = ${fmt(v.N)})`;
    g.bon.push({
      x: v.log_n,
      y: v.reward,
      q: b.index,
      tip: `${b.model} best-of-N at ${at}: ${fmt(v.reward)}`,
    });
    g.budget.push({
      x: v.log_n,
      y: v.log_n_budget.reward,
      q: b.index,
      tip: `KL-RL with Δ = log N at ${at}: ${fmt(v.log_n_budget.reward)} (λ ${fmt(v.log_n_budget.lambda)}, KL(BoN‖φ) ${fmt(v.log_n_budget.kl_bon_to_tilt)})`,
    });
    g.same.push({
      x: v.log_n,
      y: v.same_kl.reward,
      q: b.index,
      tip: `KL-RL at BoN's KL ${fmt(v.kl)}: ${fmt(v.same_kl.reward)} (λ ${fmt(v.same_kl.lambda)})`,
    });
    const curve = bonCurve(v);
    if (curve.length > 0) {
      const line = (
        key: string,
        label: string,
        style: Series['style'],
        pick: (p: (typeof curve)[0]) => number | undefined,
        c: number,
      ) => {
        const points = curve.flatMap((p) => {
          const y = pick(p);
          return y === undefined
            ? []
            : [{ x: p.log_n, y, q: b.index, tip: `${label}: log N ${fmt(p.log_n)} → ${fmt(y)}` }];
        });
        if (points.length > 0)
          curves.push({
            key: `${key}:${b.model}:${b.index}`,
            label,
            style,
            color: c,
            points,
            queries: [b.index],
          });
      };
      line('bonCurveN', `BoN curve ${b.model}`, 'line', (p) => p.reward, role(2)(b.model));
      line(
        'rlBudgetCurve',
        `KL-RL Δ = log N curve ${b.model}`,
        'dashed',
        (p) => p.log_n_budget_reward,
        role(1)(b.model),
      );
      line(
        'rlSameCurve',
        `KL-RL same KL curve ${b.model}`,
        'dotted',
        (p) => p.same_kl_reward,
        role(0)(b.model),
      );
    }
  }
  const series: Series[] = [];
  for (const [model, g] of byModel) {
    const sort = (ps: Point[]) => ps.sort((a, b) => a.x - b.x);
    // Several N for one model: join them so the trend reads as a curve.
    const style = g.bon.length > 1 ? 'linePoints' : 'points';
    series.push(
      {
        key: `bon:${model}`,
        label: `best-of-N ${model}`,
        style,
        color: role(2)(model),
        marker: 'triangle',
        points: sort(g.bon),
        queries: g.queries,
      },
      {
        key: `rlBudget:${model}`,
        label: `KL-RL Δ = log N ${model}`,
        style,
        color: role(1)(model),
        marker: 'circle',
        points: sort(g.budget),
        queries: g.queries,
      },
      {
        key: `rlSame:${model}`,
        label: `KL-RL same KL ${model}`,
        style,
        color: role(0)(model),
        marker: 'rect',
        points: sort(g.same),
        queries: g.queries,
      },
    );
  }
  for (const s of itemsOf(analysis, 'simulate')) {
    const at = simulatePlacement(s.value);
    if (s.value.method !== 'bon' || at.log_n === undefined) continue;
    series.push({
      key: `mc:${s.model}:${s.index}`,
      label: `Monte Carlo ${s.model}`,
      style: 'points',
      color: role(5)(s.model),
      marker: 'rectRot',
      points: [mcPoint(at.log_n, s.value, s.index, s.model, at.exact_reward)],
      queries: [s.index],
    });
  }
  return {
    id: 'bon',
    title: 'Best-of-N vs KL-constrained RL',
    x: { title: 'log N' },
    y: { title: 'E R' },
    series: [...curves, ...series],
    emptyText: 'Add a bon query to compare best-of-N with KL-RL.',
  };
}
