/**
 * The methods group (issue 11): every alignment method in three planes — (KL, E[R]) with the
 * KL–reward frontier, (KL, win rate) with the win-rate frontier, and (tokens sampled, E[R]) on a
 * log scale. Curves come from `methods` queries (one per method, across its parameter); the
 * queried points from `softbon`, `blockbon`, `reject` and `winrate` queries (and the `tilt` and
 * `bon` queries of the same models, which now carry their win rates). The group is shown only
 * when the document has one of the five method kinds.
 */
import { klAxisTitle, PRESENTATION, TOKENS_SAMPLED, winRateAxisTitle } from '../../src/presentation/kinds.js';
import type { Analysis, MethodCurvePoint, Num } from '../../src/protocol/preview.js';
import {
  type ChartModel,
  type Format,
  finishSeries,
  type Marker,
  type Point,
  type SeriesDraft,
  type SeriesStyle,
  seriesColor,
} from './model.js';
import { itemsOf, markovFlags, modelsOf } from './select.js';

/** The kinds whose presence shows the group. */
const METHOD_KINDS = ['softbon', 'blockbon', 'reject', 'winrate', 'methods'] as const;

/** One plane: which coordinates a point has in it (undefined: not placed in this plane). */
interface Plane {
  id: 'methodsReward' | 'methodsWinRate' | 'methodsTokens';
  x(p: MethodCurvePoint): number | undefined;
  y(p: MethodCurvePoint): number;
}

const finite = (x: Num | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
/** KL is never negative; −1e−16 is rounding noise that would stretch the axis below 0. */
const kl = (x: number) => (x < 0 && x > -1e-9 ? 0 : x);

const PLANES: Plane[] = [
  { id: 'methodsReward', x: (p) => kl(p.kl), y: (p) => p.reward },
  { id: 'methodsWinRate', x: (p) => kl(p.kl), y: (p) => p.win_rate },
  {
    id: 'methodsTokens',
    x: (p) => (finite(p.tokens_sampled) && p.tokens_sampled > 0 ? p.tokens_sampled : undefined),
    y: (p) => p.reward,
  },
];

/** Roles: one colour each with a single model (the palette has six). */
const ROLE = { klRl: 0, bon: 1, softbon: 2, blockbon: 3, reject: 4, winRate: 5 } as const;
type Role = keyof typeof ROLE;
const MARKER: Record<Role, Marker> = {
  klRl: 'circle',
  bon: 'triangle',
  softbon: 'rectRot',
  blockbon: 'rect',
  reject: 'crossRot',
  winRate: 'star',
};

/** N as a person reads it: the number, or log N beyond the double range. */
function nText(logN: number, f: Format): string {
  return logN < 700 ? `N = ${f(Math.exp(logN))}` : `log N = ${f(logN)}`;
}

/** The numbers of a method point, for its tooltip (the digits of 1 − W kept where W rounds to 1). */
function numbers(p: MethodCurvePoint, f: Format): string {
  const tokens = finite(p.tokens_sampled) ? `, tokens ${f(p.tokens_sampled)}` : '';
  return `KL ${f(p.kl)}, E R ${f(p.reward)}, W ${f(p.win_rate)} (1 − W ${f(p.loss_rate)})${tokens}`;
}

/** The three charts of the group, in display order. */
export function methodsCharts(analysis: Analysis, f: Format): ChartModel[] {
  const shown = METHOD_KINDS.some((k) => itemsOf(analysis, k).length > 0);
  const drafts = new Map<Plane['id'], Map<string, SeriesDraft>>(PLANES.map((p) => [p.id, new Map()]));
  const models = modelsOf(analysis);
  const colour = (role: Role, model: string) => seriesColor(models, ROLE[role])(model);

  /** Adds one point (or curve point) of a method to every plane it has coordinates in. */
  const add = (
    key: string,
    name: string,
    role: Role,
    style: SeriesStyle,
    model: string,
    q: number,
    p: MethodCurvePoint,
    tip: string,
  ) => {
    for (const plane of PLANES) {
      const x = plane.x(p);
      const y = plane.y(p);
      if (x === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
      const series = drafts.get(plane.id)!;
      let s = series.get(key);
      if (!s) {
        s = {
          key,
          name,
          model,
          style,
          color: colour(role, model),
          ...(style === 'points' ? { marker: MARKER[role] } : {}),
          points: [],
          queries: [],
        };
        series.set(key, s);
      }
      s.points.push({ x, y, q, tip } satisfies Point);
      if (!s.queries.includes(q)) s.queries.push(q);
    }
  };

  if (shown) {
    const curves = PRESENTATION.methods.series;
    for (const m of itemsOf(analysis, 'methods')) {
      const v = m.value;
      const curve = <P extends MethodCurvePoint>(
        key: Role,
        name: string,
        style: SeriesStyle,
        points: P[],
        what: (p: P) => string,
      ) => {
        for (const p of points)
          add(
            `${key}:${m.model}:${m.index}`,
            name,
            key,
            style,
            m.model,
            m.index,
            p,
            `${what(p)}: ${numbers(p, f)}`,
          );
      };
      curve('klRl', curves.klRl, 'line', v.kl_rl, (p) => `KL-RL λ ${f(p.lambda)}`);
      curve(
        'winRate',
        curves.winRateFrontier,
        'dotted',
        v.win_rate_frontier,
        (p) => `win-rate frontier μ ${f(p.mu)}`,
      );
      curve('bon', curves.bon, 'dashed', v.bon, (p) => `best-of-N ${nText(p.log_n, f)}`);
      curve(
        'softbon',
        curves.softbon,
        'dashed',
        v.softbon,
        (p) => `soft best-of-N λ ${f(v.lambda)}, ${nText(p.log_n, f)}`,
      );
      curve(
        'blockbon',
        curves.blockbon,
        'dashed',
        v.blockbon,
        (p) => `blockwise best-of-N b ${f(v.block)}, ${nText(p.log_n, f)}`,
      );
      curve('reject', curves.reject, 'dashed', v.reject, (p) => `rejection τ ${f(p.threshold)}`);
    }

    // Queried points: the method a query asks about, at its own numbers.
    const at = (r: { range: { start: { line: number } } }) => ` (line ${r.range.start.line + 1})`;
    for (const s of itemsOf(analysis, 'softbon')) {
      const v = s.value;
      add(
        `q:softbon:${s.model}`,
        PRESENTATION.softbon.series.point,
        'softbon',
        'points',
        s.model,
        s.index,
        v,
        `soft best-of-N ${nText(v.log_n, f)}, λ ${f(v.lambda)}: ${numbers(v, f)}; best-of-N, same N: E R ${f(v.bon.reward)}, W ${f(v.bon.win_rate)}; φ_λ: E R ${f(v.tilt.reward)}${at(s)}`,
      );
    }
    for (const b of itemsOf(analysis, 'blockbon')) {
      const v = b.value;
      add(
        `q:blockbon:${b.model}`,
        PRESENTATION.blockbon.series.point,
        'blockbon',
        'points',
        b.model,
        b.index,
        v,
        `blockwise best-of-N ${nText(v.log_n, f)}, b ${f(v.block)}: ${numbers(v, f)}; best-of-N, same N: E R ${f(v.bon.reward)}; KL-RL at the same KL: E R ${f(v.tilt.reward)}${at(b)}`,
      );
    }
    for (const r of itemsOf(analysis, 'reject')) {
      const v = r.value;
      add(
        `q:reject:${r.model}`,
        PRESENTATION.reject.series.point,
        'reject',
        'points',
        r.model,
        r.index,
        v,
        `rejection τ ${f(v.threshold)}, P(R ≥ τ) ${f(v.accept)}: ${numbers(v, f)}; best-of-N, as many draws: E R ${f(v.bon.reward)}; KL-RL at the same KL: E R ${f(v.tilt.reward)}${at(r)}`,
      );
    }
    for (const w of itemsOf(analysis, 'winrate')) {
      const v = w.value;
      // The win-rate frontier at Δ (its policy spends the whole budget).
      add(
        `q:winrate:${w.model}`,
        PRESENTATION.winrate.series.frontier,
        'winRate',
        'points',
        w.model,
        w.index,
        {
          kl: v.delta,
          reward: v.reward,
          win_rate: v.win_rate,
          loss_rate: v.loss_rate,
          tokens_sampled: null,
        },
        `win-rate frontier at Δ ${f(v.delta)}: μ ${f(v.mu)}, W ${f(v.win_rate)} (1 − W ${f(v.loss_rate)}), E R ${f(v.reward)}; KL-RL W ${f(v.kl_rl.win_rate)}, best-of-N W ${f(v.bon.win_rate)}${at(w)}`,
      );
    }
    // The yardsticks of the same document: tilt and bon queries with their win rates.
    const yardsticks = [
      ...itemsOf(analysis, 'tilt').map((t) => ({
        item: t,
        kind: 'tilt',
        series: PRESENTATION.tilt.series.point,
        role: 'klRl' as const,
        text: `KL-RL λ ${f(t.value.lambda)}`,
      })),
      ...itemsOf(analysis, 'bon').map((b) => ({
        item: b,
        kind: 'bon',
        series: PRESENTATION.bon.series.point,
        role: 'bon' as const,
        text: `best-of-N ${nText(b.value.log_n, f)}`,
      })),
    ];
    for (const { item, kind, series, role, text } of yardsticks) {
      const v = item.value;
      if (!finite(v.win_rate)) continue;
      const p = {
        kl: v.kl,
        reward: v.reward,
        win_rate: v.win_rate,
        loss_rate: 1 - v.win_rate,
        tokens_sampled: null,
      };
      add(
        `q:${kind}:${item.model}`,
        series,
        role,
        'points',
        item.model,
        item.index,
        p,
        `${text}: KL ${f(v.kl)}, E R ${f(v.reward)}, W ${f(v.win_rate)}${at(item)}`,
      );
    }
  }

  const planes = PRESENTATION.methods.series;
  // Whether each plotted result is of a chain: the axes name the base model's law accordingly.
  const markov = markovFlags(analysis, [...METHOD_KINDS, 'tilt', 'bon']);
  const klTitle = klAxisTitle('π', markov);
  const empty = 'Add a softbon, blockbon, reject, winrate or methods query to compare alignment methods.';
  const model = (id: Plane['id'], title: string, x: ChartModel['x'], y: ChartModel['y']): ChartModel => ({
    id,
    title,
    x,
    y,
    series: finishSeries([...drafts.get(id)!.values()], analysis),
    emptyText: empty,
    optional: true,
  });
  return [
    model('methodsReward', `Methods: ${planes.planeReward}`, { title: klTitle }, { title: 'E R' }),
    model(
      'methodsWinRate',
      `Methods: ${planes.planeWinRate}`,
      { title: klTitle },
      { title: winRateAxisTitle(markov) },
    ),
    model(
      'methodsTokens',
      `Methods: ${planes.planeTokens}`,
      { title: `${TOKENS_SAMPLED} (log scale)`, log: true },
      { title: 'E R' },
    ),
  ];
}
