/** Chart 1: reward vs KL — the KL-RL frontier per model with tilts, best-of-N, compared policies, MC. */
import type { Analysis } from '../../src/protocol/preview.js';
import { bonCurve, simulatePlacement } from '../extras.js';
import { type ChartModel, fmt, type Point, type Series, seriesColor } from './model.js';
import { itemsOf, modelsOf } from './select.js';

/** KL is never negative; a value like −1e−16 is rounding noise that would stretch the axis below 0. */
const kl = (x: number) => (x < 0 && x > -1e-9 ? 0 : x);

export function frontierChart(analysis: Analysis): ChartModel {
  const models = modelsOf(analysis);
  const role = (r: number) => seriesColor(models, r);
  const series = new Map<string, Series>();
  const add = (
    key: string,
    make: () => Omit<Series, 'points' | 'queries' | 'key'>,
    q: number,
    pts: Point[],
  ) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { key, ...make(), points: [], queries: [] }));
    s.points.push(...pts);
    if (!s.queries.includes(q)) s.queries.push(q);
  };

  for (const f of itemsOf(analysis, 'frontier')) {
    const pts = f.value.points.map((p) => ({
      x: kl(p.kl),
      y: p.reward,
      q: f.index,
      tip: `${f.model}: KL ${fmt(p.kl)}, reward ${fmt(p.reward)}, λ ${fmt(p.lambda)}`,
    }));
    add(
      `frontier:${f.model}:${f.index}`,
      () => ({ label: `frontier ${f.model}`, style: 'line', color: role(0)(f.model) }),
      f.index,
      pts,
    );
  }
  for (const t of itemsOf(analysis, 'tilt')) {
    const v = t.value;
    const tip = `${t.model} tilt: KL ${fmt(v.kl)}, reward ${fmt(v.reward)}, λ ${fmt(v.lambda)}, β ${fmt(v.beta)}`;
    add(
      `tilt:${t.model}`,
      () => ({ label: `tilt ${t.model}`, style: 'points', color: role(1)(t.model), marker: 'circle' }),
      t.index,
      [{ x: kl(v.kl), y: v.reward, q: t.index, tip }],
    );
  }
  for (const b of itemsOf(analysis, 'bon')) {
    const v = b.value;
    const tip = `${b.model} best-of-${fmt(v.N)}: KL ${fmt(v.kl)} ≤ ${fmt(v.kl_bound)}, reward ${fmt(v.reward)}${v.exact ? '' : ' (approx.)'}`;
    add(
      `bon:${b.model}`,
      () => ({ label: `best-of-N ${b.model}`, style: 'points', color: role(2)(b.model), marker: 'triangle' }),
      b.index,
      [{ x: kl(v.kl), y: v.reward, q: b.index, tip }],
    );
    const curve = bonCurve(v);
    if (curve.length > 0) {
      const n = (c: { log_n: number }) => fmt(Math.exp(c.log_n), 4);
      add(
        `bonCurve:${b.model}:${b.index}`,
        () => ({ label: `BoN curve ${b.model}`, style: 'dashed', color: role(2)(b.model) }),
        b.index,
        curve.map((c) => ({
          x: kl(c.kl),
          y: c.reward,
          q: b.index,
          tip: `N = ${n(c)}: KL ${fmt(c.kl)}, reward ${fmt(c.reward)}`,
        })),
      );
      add(
        `bonBound:${b.model}:${b.index}`,
        () => ({ label: `log N − (N−1)/N ${b.model}`, style: 'dotted', color: role(3)(b.model) }),
        b.index,
        curve.map((c) => ({
          x: c.kl_bound,
          y: c.reward,
          q: b.index,
          tip: `N = ${n(c)}: bound ${fmt(c.kl_bound)} (actual KL ${fmt(c.kl)})`,
        })),
      );
    } else {
      // No curve in the results: still show where the bound puts this N.
      add(
        `bonBound:${b.model}`,
        () => ({
          label: `log N − (N−1)/N ${b.model}`,
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
            tip: `bound log N − (N−1)/N = ${fmt(v.kl_bound)} (actual KL ${fmt(v.kl)})`,
          },
        ],
      );
    }
  }
  for (const c of itemsOf(analysis, 'compare')) {
    const v = c.value;
    if (v.kl === null) continue; // a policy off p's support has infinite KL: nothing to place
    const tip = `${c.model} policy: KL ${fmt(v.kl)}, reward ${fmt(v.reward)}; ε = ${fmt(v.gap)}, KL(φ‖φ_Δ) = ${fmt(v.kl_to_optimal)} ≤ λε = ${fmt(v.bound)}`;
    add(
      `compare:${c.model}`,
      () => ({ label: `compared ${c.model}`, style: 'points', color: role(4)(c.model), marker: 'crossRot' }),
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
        label: `Monte Carlo ${s.model}`,
        style: 'points',
        color: role(5)(s.model),
        marker: 'rectRot',
      }),
      s.index,
      [mcPoint(x, v, s.index, s.model, at.exact_reward)],
    );
  }
  return {
    id: 'frontier',
    title: 'KL–reward frontier',
    x: { title: 'KL(φ ‖ pⁿ) [nats]' },
    y: { title: 'E R' },
    series: [...series.values()],
    emptyText: 'Add a frontier, tilt, bon or compare query to see the KL–reward trade-off.',
  };
}

/** A Monte Carlo estimate as a point with a ±2 s.e. bar. */
export function mcPoint(
  x: number,
  v: { method: string; samples: number; reward_mean: number; reward_stderr: number; seed: number },
  q: number,
  model: string,
  exact?: number,
): Point {
  const half = 2 * v.reward_stderr;
  const vs = exact === undefined ? '' : ` (exact ${fmt(exact)})`;
  return {
    x,
    y: v.reward_mean,
    yMin: v.reward_mean - half,
    yMax: v.reward_mean + half,
    q,
    tip: `${model} ${v.method}, ${v.samples} samples (seed ${v.seed}): ${fmt(v.reward_mean)} ± ${fmt(v.reward_stderr)}${vs}`,
  };
}
