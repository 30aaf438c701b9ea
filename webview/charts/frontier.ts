/** Chart 1: reward vs KL — the KL-RL frontier per model with tilts, best-of-N, compared policies, MC. */
import { formatCount } from '../../src/presentation/format.js';
import { klAxisTitle, PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { bonCurve, simulatePlacement } from '../extras.js';
import {
  type ChartModel,
  type Format,
  finishSeries,
  type Point,
  type SeriesDraft,
  seriesColor,
} from './model.js';
import { itemsOf, markovFlags, modelsOf } from './select.js';

/** KL is never negative; a value like −1e−16 is rounding noise that would stretch the axis below 0. */
const kl = (x: number) => (x < 0 && x > -1e-9 ? 0 : x);

export function frontierChart(analysis: Analysis, f: Format): ChartModel {
  const models = modelsOf(analysis);
  const role = (r: number) => seriesColor(models, r);
  const series = new Map<string, SeriesDraft>();
  const add = (
    key: string,
    make: () => Omit<SeriesDraft, 'points' | 'queries' | 'key'>,
    q: number,
    pts: Point[],
  ) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { key, ...make(), points: [], queries: [] }));
    s.points.push(...pts);
    if (!s.queries.includes(q)) s.queries.push(q);
  };
  const { frontier, tilt, bon, compare, simulate } = {
    frontier: PRESENTATION.frontier.series,
    tilt: PRESENTATION.tilt.series,
    bon: PRESENTATION.bon.series,
    compare: PRESENTATION.compare.series,
    simulate: PRESENTATION.simulate.series,
  };

  for (const it of itemsOf(analysis, 'frontier')) {
    const pts = it.value.points.map((p) => ({
      x: kl(p.kl),
      y: p.reward,
      q: it.index,
      tip: `KL ${f(p.kl)}, E R ${f(p.reward)}, λ ${f(p.lambda)}`,
    }));
    add(
      `frontier:${it.model}:${it.index}`,
      () => ({ name: frontier.frontier, model: it.model, style: 'line', color: role(0)(it.model) }),
      it.index,
      pts,
    );
  }
  for (const t of itemsOf(analysis, 'tilt')) {
    const v = t.value;
    const tip = `KL ${f(v.kl)}, E R ${f(v.reward)}, λ ${f(v.lambda)}, β ${f(v.beta)} (line ${t.range.start.line + 1})`;
    add(
      `tilt:${t.model}`,
      () => ({
        name: tilt.point,
        model: t.model,
        style: 'points',
        color: role(1)(t.model),
        marker: 'circle',
      }),
      t.index,
      [{ x: kl(v.kl), y: v.reward, q: t.index, tip }],
    );
  }
  for (const b of itemsOf(analysis, 'bon')) {
    const v = b.value;
    const tip = `N = ${f(v.N)}: KL ${f(v.kl)} ≤ ${f(v.kl_bound)}, E R ${f(v.reward)}${v.exact ? '' : ' (approx.)'} (line ${b.range.start.line + 1})`;
    add(
      `bon:${b.model}`,
      () => ({
        name: bon.point,
        model: b.model,
        style: 'points',
        color: role(2)(b.model),
        marker: 'triangle',
      }),
      b.index,
      [{ x: kl(v.kl), y: v.reward, q: b.index, tip }],
    );
    const curve = bonCurve(v);
    if (curve.length > 0) {
      const n = (c: { log_n: number }) => f(Math.exp(c.log_n));
      add(
        `bonCurve:${b.model}:${b.index}`,
        () => ({ name: bon.curve, model: b.model, style: 'dashed', color: role(2)(b.model) }),
        b.index,
        curve.map((c) => ({
          x: kl(c.kl),
          y: c.reward,
          q: b.index,
          tip: `N = ${n(c)}: KL ${f(c.kl)}, E R ${f(c.reward)}`,
        })),
      );
      add(
        `bonBound:${b.model}:${b.index}`,
        () => ({ name: bon.bound, model: b.model, style: 'dotted', color: role(3)(b.model) }),
        b.index,
        curve.map((c) => ({
          x: c.kl_bound,
          y: c.reward,
          q: b.index,
          tip: `N = ${n(c)}: bound ${f(c.kl_bound)} (actual KL ${f(c.kl)})`,
        })),
      );
    } else {
      // No curve in the results: still show where the bound puts this N.
      add(
        `bonBound:${b.model}`,
        () => ({
          name: bon.bound,
          model: b.model,
          style: 'points',
          color: role(3)(b.model),
          marker: 'rect',
        }),
        b.index,
        [
          {
            x: v.kl_bound,
            y: v.reward,
            q: b.index,
            tip: `bound log N − (N−1)/N = ${f(v.kl_bound)} (actual KL ${f(v.kl)})`,
          },
        ],
      );
    }
  }
  for (const c of itemsOf(analysis, 'compare')) {
    const v = c.value;
    if (v.kl === null) continue; // a policy off p's support has infinite KL: nothing to place
    const tip = `KL ${f(v.kl)}, E R ${f(v.reward)}; ε = ${f(v.gap)}, KL(q‖φ_Δ) = ${f(v.kl_to_optimal)} ≤ λε = ${f(v.bound)}`;
    add(
      `compare:${c.model}`,
      () => ({
        name: compare.point,
        model: c.model,
        style: 'points',
        color: role(4)(c.model),
        marker: 'crossRot',
      }),
      c.index,
      [{ x: v.kl, y: v.reward, q: c.index, tip }],
    );
  }
  for (const s of itemsOf(analysis, 'simulate')) {
    const v = s.value;
    const at = simulatePlacement(v);
    const x = v.method === 'base' ? 0 : at.kl;
    if (x === undefined) continue;
    add(
      `mc:${s.model}`,
      () => ({
        name: simulate.point,
        model: s.model,
        style: 'points',
        color: role(5)(s.model),
        marker: 'rectRot',
      }),
      s.index,
      [mcPoint(x, v, s.index, f, at.exact_reward)],
    );
  }
  return {
    id: 'frontier',
    title: 'KL–reward frontier',
    x: { title: klAxisTitle('φ', markovFlags(analysis, ['frontier', 'tilt', 'bon', 'compare', 'simulate'])) },
    y: { title: 'E R' },
    series: finishSeries([...series.values()], analysis),
    emptyText: 'Add a frontier, tilt, bon or compare query to see the KL–reward trade-off.',
  };
}

/** A Monte Carlo estimate as a point with a ±2 s.e. bar. */
export function mcPoint(
  x: number,
  v: { method: string; samples: number; reward_mean: number; reward_stderr: number; seed: number },
  q: number,
  f: Format,
  exact?: number,
): Point {
  const half = 2 * v.reward_stderr;
  const vs = exact === undefined ? '' : ` (exact ${f(exact)})`;
  return {
    x,
    y: v.reward_mean,
    yMin: v.reward_mean - half,
    yMax: v.reward_mean + half,
    q,
    tip: `${v.method}, ${formatCount(v.samples)} samples (seed ${formatCount(v.seed)}): ${f(v.reward_mean)} ± ${f(v.reward_stderr)}${vs}`,
  };
}
