/** Chart 5: base p vs aligned φ_λ per token for one tilt query (the top-k tokens of big vocabularies). */

import { PRESENTATION } from '../../src/presentation/kinds.js';
import { emptyTokenTable, finiteTokenTable, tokenValue } from '../../src/presentation/tokens.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { tokenTable } from '../extras.js';
import { type ChartModel, type Format, finishSeries, type SeriesDraft } from './model.js';
import { itemsOf } from './select.js';

/** Vocabularies larger than this show only the tokens with the largest max(p, φ). */
export const TOP_K = 24;

/** The tilt the tokens chart shows: the focused one, else the focused query's model's first, else the first. */
export function focusedTilt(analysis: Analysis, focus: number | null) {
  const tilts = itemsOf(analysis, 'tilt');
  const focused = focus === null ? undefined : analysis.results[focus];
  return (
    tilts.find((t) => t.index === focus) ??
    tilts.find((t) => focused !== undefined && t.model === focused.model) ??
    tilts[0]
  );
}

export function tokensChart(analysis: Analysis, focus: number | null, f: Format): ChartModel {
  const t = focusedTilt(analysis, focus);
  const base: ChartModel = {
    id: 'tokens',
    title: 'Tokens: p vs φ_λ',
    x: { title: 'token' },
    y: { title: 'probability' },
    categories: [],
    series: [],
    emptyText: 'Add a tilt query to compare p and φ_λ token by token.',
  };
  if (!t) return base;
  const phiTable = finiteTokenTable(t.value.phi) ?? emptyTokenTable();
  const phi = (k: string) => tokenValue(phiTable, k) ?? 0;
  const p = tokenTable(t.value, 'p');
  const r = tokenTable(t.value, 'r');
  const tokens = [...new Set([...Object.keys(phiTable), ...Object.keys(p ?? {})])];
  const pOf = (k: string) => tokenValue(p, k);
  const rOf = (k: string) => tokenValue(r, k);
  const weight = (k: string) => Math.max(phi(k), pOf(k) ?? 0);
  const shown =
    tokens.length > TOP_K ? [...tokens].sort((a, b) => weight(b) - weight(a)).slice(0, TOP_K) : tokens;
  const tip = (k: string) =>
    `${k}: p ${f(pOf(k))}, φ_λ ${f(phi(k))}${rOf(k) === undefined ? '' : `, r ${f(rOf(k))}`}`;
  const names = PRESENTATION.tilt.series;
  const series: SeriesDraft[] = [];
  if (p) {
    series.push({
      key: 'tokens:p',
      name: names.p,
      model: t.model,
      style: 'bar',
      color: 0,
      points: shown.map((k, i) => ({ x: i, y: pOf(k) ?? 0, q: t.index, tip: tip(k) })),
      queries: [t.index],
    });
  }
  series.push({
    key: 'tokens:phi',
    name: names.phi,
    model: t.model,
    style: 'bar',
    color: 1,
    points: shown.map((k, i) => ({ x: i, y: phi(k), q: t.index, tip: tip(k) })),
    queries: [t.index],
  });
  const topNote = shown.length < tokens.length ? `top ${shown.length} of ${tokens.length} tokens; ` : '';
  return {
    ...base,
    categories: shown,
    series: finishSeries(series, analysis),
    note: `${topNote}tilt of ${t.model} at line ${t.range.start.line + 1}, λ = ${f(t.value.lambda)}${p ? '' : ' (base p not in the results)'}`,
  };
}
