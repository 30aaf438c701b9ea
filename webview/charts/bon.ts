/** Chart 2a: reward vs log N — best-of-N against KL-RL at Δ = log N and at BoN's own KL. */
import { PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { bonCurve, simulatePlacement } from '../extras.js';
import { mcPoint } from './frontier.js';
import {
  type ChartModel,
  type Format,
  finishSeries,
  type Point,
  type SeriesDraft,
  seriesColor,
} from './model.js';
import { itemsOf, modelsOf } from './select.js';

export function bonChart(analysis: Analysis, f: Format): ChartModel {
  const models = modelsOf(analysis);
  const names = PRESENTATION.bon.series;
  // Roles: 0 KL-RL same KL, 1 KL-RL Δ = log N, 2 best-of-N, 5 Monte Carlo (as in the frontier chart).
  const role = (r: number) => seriesColor(models, r);
  const byModel = new Map<
    string,
    { bon: Point[]; budget: Point[]; same: Point[]; queries: number[]; curves: boolean }
  >();
  const curves: SeriesDraft[] = [];
  for (const b of itemsOf(analysis, 'bon')) {
    const v = b.value;
    let g = byModel.get(b.model);
    if (!g) byModel.set(b.model, (g = { bon: [], budget: [], same: [], queries: [], curves: false }));
    g.queries.push(b.index);
    const at = `log N = ${f(v.log_n)} (N = ${f(v.N)})`;
    g.bon.push({
      x: v.log_n,
      y: v.reward,
      q: b.index,
      tip: `${at}: E R ${f(v.reward)} (line ${b.range.start.line + 1})`,
    });
    const curve = bonCurve(v);
    if (curve.length === 0) {
      // Without a curve the KL-RL comparisons are points at this N (joined across queries).
      g.budget.push({
        x: v.log_n,
        y: v.log_n_budget.reward,
        q: b.index,
        tip: `${at}: E R ${f(v.log_n_budget.reward)} (λ ${f(v.log_n_budget.lambda)}, KL(BoN‖φ) ${f(v.log_n_budget.kl_bon_to_tilt)})`,
      });
      g.same.push({
        x: v.log_n,
        y: v.same_kl.reward,
        q: b.index,
        tip: `at BoN's KL ${f(v.kl)}: E R ${f(v.same_kl.reward)} (λ ${f(v.same_kl.lambda)})`,
      });
      continue;
    }
    // With a curve, the KL-RL comparisons are curves ending at this N; best-of-N keeps its marker.
    g.curves = true;
    const line = (
      key: string,
      name: string,
      style: SeriesDraft['style'],
      pick: (p: (typeof curve)[0]) => number | undefined,
      c: number,
    ) => {
      const points = curve.flatMap((p) => {
        const y = pick(p);
        return y === undefined
          ? []
          : [
              {
                x: p.log_n,
                y,
                q: b.index,
                tip: `log N ${f(p.log_n)} (N = ${f(Math.exp(p.log_n))}): E R ${f(y)}`,
              },
            ];
      });
      if (points.length > 0)
        curves.push({
          key: `${key}:${b.model}:${b.index}`,
          name,
          model: b.model,
          style,
          color: c,
          points,
          queries: [b.index],
        });
    };
    line('bonCurveN', names.curve, 'line', (p) => p.reward, role(2)(b.model));
    line('rlBudgetCurve', names.logNBudget, 'dashed', (p) => p.log_n_budget_reward, role(1)(b.model));
    line('rlSameCurve', names.sameKl, 'dotted', (p) => p.same_kl_reward, role(0)(b.model));
  }
  const series: SeriesDraft[] = [];
  const sort = (ps: Point[]) => ps.sort((a, b) => a.x - b.x);
  for (const [model, g] of byModel) {
    // Several N for one model and no curves: join the points so the trend reads as a curve.
    const joined = (ps: Point[]) => (ps.length > 1 && !g.curves ? 'linePoints' : 'points');
    const queriesOf = (ps: Point[]) => [...new Set(ps.map((p) => p.q))];
    series.push({
      key: `bon:${model}`,
      name: names.point,
      model,
      style: joined(g.bon),
      color: role(2)(model),
      marker: 'triangle',
      points: sort(g.bon),
      queries: g.queries,
    });
    if (g.budget.length > 0)
      series.push(
        {
          key: `rlBudget:${model}`,
          name: names.logNBudget,
          model,
          style: joined(g.budget),
          color: role(1)(model),
          marker: 'circle',
          points: sort(g.budget),
          queries: queriesOf(g.budget),
        },
        {
          key: `rlSame:${model}`,
          name: names.sameKl,
          model,
          style: joined(g.same),
          color: role(0)(model),
          marker: 'rect',
          points: sort(g.same),
          queries: queriesOf(g.same),
        },
      );
  }
  for (const s of itemsOf(analysis, 'simulate')) {
    const at = simulatePlacement(s.value);
    if (s.value.method !== 'bon' || at.log_n === undefined) continue;
    series.push({
      key: `mc:${s.model}:${s.index}`,
      name: PRESENTATION.simulate.series.point,
      model: s.model,
      style: 'points',
      color: role(5)(s.model),
      marker: 'rectRot',
      points: [mcPoint(at.log_n, s.value, s.index, f, at.exact_reward)],
      queries: [s.index],
    });
  }
  return {
    id: 'bon',
    title: 'Best-of-N vs KL-constrained RL',
    x: { title: 'log N' },
    y: { title: 'E R' },
    series: finishSeries([...curves, ...series], analysis),
    emptyText: 'Add a bon query to compare best-of-N with KL-RL.',
  };
}
