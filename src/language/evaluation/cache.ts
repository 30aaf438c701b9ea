/**
 * The per-document result cache the language server keeps between keystrokes. Results are
 * keyed by content — the model's numbers and the query's normalised parameters — never by
 * position, so editing one query (or adding a blank line above everything) re-evaluates only
 * that query. Entries unused for two analyses are dropped, so the cache stays the size of
 * the document.
 */

import { ModelCache } from '../checking/models.js';
import type { CheckedQuery } from '../checking/params.js';
import type { QueryOutcome } from './outcome.js';

interface Entry {
  readonly outcome: QueryOutcome;
  generation: number;
}

export class AnalysisCache {
  private readonly byModel = new Map<string, Map<string, Entry>>();
  /** Models read from files, resolved once while the file and the model body stay the same. */
  readonly models = new ModelCache();
  private generation = 0;
  /** Look-ups answered from the cache / computed, since creation (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  /** Starts an analysis: entries not used in this one or the previous one will be dropped. */
  beginAnalysis(): void {
    this.generation++;
    for (const [modelKey, entries] of this.byModel) {
      for (const [k, e] of entries) if (e.generation < this.generation - 1) entries.delete(k);
      if (entries.size === 0) this.byModel.delete(modelKey);
    }
  }

  get(modelKey: string, queryKey: string): QueryOutcome | undefined {
    const e = this.byModel.get(modelKey)?.get(queryKey);
    if (!e) {
      this.misses++;
      return undefined;
    }
    e.generation = this.generation;
    this.hits++;
    return e.outcome;
  }

  set(modelKey: string, queryKey: string, outcome: QueryOutcome): void {
    let entries = this.byModel.get(modelKey);
    if (!entries) this.byModel.set(modelKey, (entries = new Map()));
    entries.set(queryKey, { outcome, generation: this.generation });
  }

  get size(): number {
    let n = 0;
    for (const entries of this.byModel.values()) n += entries.size;
    return n;
  }

  clear(): void {
    this.byModel.clear();
    this.models.clear();
  }
}

/** The query's kind and normalised parameters (sorted, values only — no positions). */
export function queryKey(q: CheckedQuery, limitsKey: string): string {
  const parts: string[] = [q.kind ?? '', limitsKey];
  for (const name of [...q.params.keys()].sort()) {
    const v = q.params.get(name)!;
    const text =
      v.kind === 'number'
        ? String(v.value)
        : v.kind === 'count'
          ? `logN:${v.log}`
          : v.kind === 'range'
            ? `${v.from}..${v.to}`
            : v.kind === 'word'
              ? v.value
              : `policy:${v.policy.key}`;
    parts.push(`${name}=${text}`);
  }
  return parts.join('|');
}
