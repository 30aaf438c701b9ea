/**
 * The human output of `align-lab eval`: one titled table per query, in source order.
 *
 *   tilt · model toy · paper.align:12 — Optimal KL-constrained RL
 *     → λ = 1.4217, E[R] = 33.811
 *     quantity   value  unit
 *     ...
 */
import { PRESENTATION, type QueryResult } from '../../presentation/index.js';
import { visible } from '../escape.js';
import type { Style } from '../style.js';
import { renderValue } from './queries.js';

export function renderResults(
  results: readonly QueryResult[],
  file: string,
  style: Style,
  digits: number,
): string[] {
  const out: string[] = [];
  for (const result of results) {
    if (out.length > 0) out.push('');
    // Names and messages come from the file: every piece is passed through `visible`.
    const where = `${visible(file)}:${result.range.start.line + 1}`;
    const title = `${style.bold(visible(result.query))} · model ${visible(result.model)} · ${style.dim(where)}`;
    if (result.error !== undefined) {
      out.push(`${title}: ${style.red('error')}: ${visible(result.error)}`);
      continue;
    }
    const what = PRESENTATION[result.query]?.title;
    out.push(what ? `${title} ${style.dim(`— ${what}`)}` : title);
    out.push(...renderValue(result, digits));
    // results.ts allows extra keys such as `note` (an approximation was used): show it.
    const note = (result as { note?: unknown }).note;
    if (typeof note === 'string') out.push(`  ${style.dim(`note: ${visible(note)}`)}`);
  }
  return out;
}
