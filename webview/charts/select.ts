/** Typed access to the successful results of one query kind, with their indices. */
import type { Analysis, QueryKind, QueryValues, Range } from '../../src/protocol/preview.js';

export interface Item<K extends QueryKind> {
  index: number;
  model: string;
  range: Range;
  value: QueryValues[K];
}

export function itemsOf<K extends QueryKind>(analysis: Analysis, kind: K): Item<K>[] {
  const out: Item<K>[] = [];
  analysis.results.forEach((r, index) => {
    if (r.query === kind && r.value !== undefined) {
      out.push({ index, model: r.model, range: r.range, value: r.value as QueryValues[K] });
    }
  });
  return out;
}

/** Every model name in the analysis, in order of first appearance. */
export const modelsOf = (analysis: Analysis): string[] => analysis.results.map((r) => r.model);

/**
 * For each successful result of the given kinds, whether it is of a markov model (its value says
 * `markov`): a chart's shared KL or win-rate axis names pⁿ, p or both by it.
 */
export function markovFlags(analysis: Analysis, kinds: readonly string[]): boolean[] {
  return analysis.results
    .filter((r) => r.value !== undefined && kinds.includes(r.query))
    .map((r) => Boolean((r.value as { markov?: unknown }).markov));
}
