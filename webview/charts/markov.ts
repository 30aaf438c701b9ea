/**
 * The Markov group (issue 12), for a `tilt` of a `markov` model (its optional `markov` readouts):
 * the transition matrices P and P_λ (the stationary tilted chain) side by side as a heatmap, and
 * the per-position marginals φ_λ(y_t) of the optimal policy over t = 1…n, which are not stationary
 * near the ends, each next to its stationary value π_λ. Shown only when some tilt has them.
 */
import { formatNumber } from '../../src/presentation/format.js';
import { PRESENTATION } from '../../src/presentation/kinds.js';
import type { Analysis, MarkovTiltValue } from '../../src/protocol/preview.js';
import { type ChartModel, type Format, finishSeries, type Point, type SeriesDraft } from './model.js';
import { type Item, itemsOf } from './select.js';

/** Tokens with a marginal curve at most (the palette has six colours). */
export const MARGINAL_TOKENS = 6;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isMatrix = (m: unknown, k: number): m is number[][] =>
  Array.isArray(m) &&
  m.length === k &&
  m.every((row) => Array.isArray(row) && row.length === k && row.every(finite));

/** The chain readouts of a tilt, when they are well formed (tokens with K × K matrices). */
function chainOf(v: { markov?: MarkovTiltValue }): (MarkovTiltValue & { tokens: string[] }) | undefined {
  const m = v.markov;
  if (
    !m ||
    !Array.isArray(m.tokens) ||
    m.tokens.length === 0 ||
    !m.tokens.every((t) => typeof t === 'string')
  )
    return undefined;
  return m as MarkovTiltValue & { tokens: string[] };
}

/** The tilt the group shows: the focused one, else the focused query's model's first, else the first. */
function focusedChain(analysis: Analysis, focus: number | null): Item<'tilt'> | undefined {
  const tilts = itemsOf(analysis, 'tilt').filter((t) => chainOf(t.value) !== undefined);
  const focused = focus === null ? undefined : analysis.results[focus];
  return (
    tilts.find((t) => t.index === focus) ??
    tilts.find((t) => focused !== undefined && t.model === focused.model) ??
    tilts[0]
  );
}

export function markovCharts(analysis: Analysis, focus: number | null, f: Format): ChartModel[] {
  const t = focusedChain(analysis, focus);
  const names = PRESENTATION.tilt.series;
  const transitions: ChartModel = {
    id: 'transitions',
    title: `Transitions: ${names.transition} and ${names.tiltedTransition}`,
    x: { title: 'next token j' },
    y: { title: 'current token i' },
    series: [],
    emptyText: 'Add a tilt query on a markov model to see its transition matrices.',
    optional: true,
  };
  const marginals: ChartModel = {
    id: 'marginals',
    title: `Marginals: ${names.marginals}`,
    x: { title: 'position t' },
    y: { title: 'probability' },
    series: [],
    emptyText: 'Add a tilt query on a markov model to see the marginals of φ_λ along the sequence.',
    optional: true,
  };
  if (!t) return [transitions, marginals];
  const m = chainOf(t.value)!;
  const tokens = m.tokens;
  const k = tokens.length;
  const where = `tilt of ${t.model} at line ${t.range.start.line + 1}, λ = ${f(t.value.lambda)}`;

  // ---- heatmap: P in columns 0…K−1, P_λ in columns K+1…2K (a blank column between) ----
  const cells: SeriesDraft[] = [];
  const matrix = (key: string, name: string, rows: number[][] | undefined, offset: number, color: number) => {
    if (!isMatrix(rows, k)) return;
    const symbol = offset === 0 ? 'P' : 'P_λ';
    const points: Point[] = [];
    rows.forEach((row, i) => {
      row.forEach((value, j) => {
        points.push({
          x: offset + j,
          y: i,
          q: t.index,
          value,
          label: formatNumber(value, 2),
          tip: `${symbol}(${tokens[j]} | ${tokens[i]}) = ${f(value)}`,
        });
      });
    });
    cells.push({ key, name, model: t.model, style: 'cell', color, points, queries: [t.index] });
  };
  matrix('transition', names.transition, m.transition, 0, 0);
  matrix('tiltedTransition', names.tiltedTransition, m.tilted_transition, k + 1, 1);
  if (cells.length > 0) {
    const ticks = cells.flatMap((c) => {
      const offset = c.key === 'transition' ? 0 : k + 1;
      return tokens.map((label, j) => ({ value: offset + j, label }));
    });
    const both = cells.length === 2;
    Object.assign(transitions, {
      x: {
        title: both ? `next token j — left: ${names.transition}, right: P_λ` : 'next token j',
        ticks,
        range: [-0.5, (both ? 2 * k + 1 : k) - 0.5],
      },
      y: {
        title: 'current token i',
        ticks: tokens.map((label, i) => ({ value: i, label })),
        range: [-0.5, k - 0.5],
        reverse: true,
      },
      series: finishSeries(cells, analysis),
      note: `rows i → columns j; ${where}`,
    } satisfies Partial<ChartModel>);
  }

  // ---- marginals of φ_λ by position, with the stationary π_λ of P_λ for reference ----
  const positions = m.positions;
  const rows = m.marginals;
  if (
    Array.isArray(positions) &&
    Array.isArray(rows) &&
    positions.length === rows.length &&
    positions.length > 0 &&
    positions.every(finite) &&
    rows.every((r) => Array.isArray(r) && r.length === k && r.every(finite))
  ) {
    const mean = tokens.map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const order = tokens.map((_, j) => j).sort((a, b) => mean[b] - mean[a]);
    const shown = (k > MARGINAL_TOKENS ? order.slice(0, MARGINAL_TOKENS) : order).sort((a, b) => a - b);
    const first = positions[0];
    const last = positions[positions.length - 1];
    const series: SeriesDraft[] = [];
    shown.forEach((j, c) => {
      const token = tokens[j];
      series.push({
        key: `marginal:${token}`,
        name: `${names.phi}(y_t = ${token})`,
        model: t.model,
        style: 'line',
        color: c,
        points: positions.map((pos, i) => ({
          x: pos,
          y: rows[i][j],
          q: t.index,
          tip: `t = ${f(pos)}: φ_λ(y_t = ${token}) = ${f(rows[i][j])}`,
        })),
        queries: [t.index],
      });
      const pi = m.stationary_tilted?.[token];
      if (finite(pi))
        series.push({
          key: `stationaryTilted:${token}`,
          name: `${names.stationaryTilted}: ${token}`,
          model: t.model,
          style: 'dotted',
          color: c,
          points: [first, last].map((pos) => ({
            x: pos,
            y: pi,
            q: t.index,
            tip: `π_λ(${token}) = ${f(pi)}`,
          })),
          queries: [t.index],
        });
    });
    const top = shown.length < k ? `the ${shown.length} of ${k} tokens most frequent under φ_λ; ` : '';
    Object.assign(marginals, {
      series: finishSeries(series, analysis),
      note: `${top}${where}`,
    } satisfies Partial<ChartModel>);
  }
  return [transitions, marginals];
}
