/**
 * Chart 5: base p vs aligned φ_λ per token for one tilt query. A big vocabulary shows the tokens
 * where φ_λ and p differ most (|φ − p|: what the alignment changed) and one last bar for all the
 * others together, so the bars still add up to 1. The results of a 50,257-token model arrive
 * summarised (the server lists the 100 tokens that differ most and the mass of the rest:
 * `tokens_total`, `phi_rest`, `p_rest`), so the chart never walks the whole vocabulary.
 */

import { PRESENTATION } from '../../src/presentation/kinds.js';
import { emptyTokenTable, finiteTokenTable, tokenValue } from '../../src/presentation/tokens.js';
import type { Analysis } from '../../src/protocol/preview.js';
import { tokenTable } from '../extras.js';
import { type ChartModel, type Format, finishSeries, type SeriesDraft } from './model.js';
import { itemsOf } from './select.js';

/** Vocabularies larger than this show the TOP_K tokens with the largest |φ − p| and the rest as one bar. */
export const TOP_K = 24;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

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
  // Without p (a large vocabulary's full result): the largest φ; with p: the largest |φ − p|.
  const weight = p ? (k: string) => Math.abs(phi(k) - (pOf(k) ?? 0)) : phi;
  const total = finite(t.value.tokens_total) ? t.value.tokens_total : tokens.length;
  const shown =
    tokens.length > TOP_K ? [...tokens].sort((a, b) => weight(b) - weight(a)).slice(0, TOP_K) : tokens;
  // The tokens not shown, as one bar: those the summary left out, plus those the chart left out.
  const hidden = total - shown.length;
  let restPhi = finite(t.value.phi_rest) ? t.value.phi_rest : 0;
  let restP = finite(t.value.p_rest) ? t.value.p_rest : 0;
  if (shown.length < tokens.length) {
    const kept = new Set(shown);
    for (const k of tokens) {
      if (kept.has(k)) continue;
      restPhi += phi(k);
      restP += pOf(k) ?? 0;
    }
  }
  const REST = `${hidden} other tokens`;
  const categories = hidden > 0 ? [...shown, REST] : shown;
  const tip = (k: string) =>
    k === REST
      ? `${REST} together: p ${f(restP)}, φ_λ ${f(restPhi)}`
      : `${k}: p ${f(pOf(k))}, φ_λ ${f(phi(k))}${rOf(k) === undefined ? '' : `, r ${f(rOf(k))}`}`;
  const yOf = (k: string, which: 'p' | 'phi') =>
    k === REST ? (which === 'p' ? restP : restPhi) : which === 'p' ? (pOf(k) ?? 0) : phi(k);
  const names = PRESENTATION.tilt.series;
  const series: SeriesDraft[] = [];
  if (p) {
    series.push({
      key: 'tokens:p',
      name: names.p,
      model: t.model,
      style: 'bar',
      color: 0,
      points: categories.map((k, i) => ({ x: i, y: yOf(k, 'p'), q: t.index, tip: tip(k) })),
      queries: [t.index],
    });
  }
  series.push({
    key: 'tokens:phi',
    name: names.phi,
    model: t.model,
    style: 'bar',
    color: 1,
    points: categories.map((k, i) => ({ x: i, y: yOf(k, 'phi'), q: t.index, tip: tip(k) })),
    queries: [t.index],
  });
  const topNote =
    hidden > 0
      ? `the ${shown.length} of ${total} tokens where φ_λ and p differ most, the rest as one bar; `
      : '';
  return {
    ...base,
    categories,
    series: finishSeries(series, analysis),
    note: `${topNote}tilt of ${t.model} at line ${t.range.start.line + 1}, λ = ${f(t.value.lambda)}${p ? '' : ' (base p not in the results)'}`,
  };
}
