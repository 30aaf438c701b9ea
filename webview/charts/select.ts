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
