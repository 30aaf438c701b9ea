/**
 * Human-readable tables for a query's value, from the presentation layer (src/presentation): the
 * same labels, units, headline and curve sampling as the editor's hovers and the preview.
 */
import {
  curveTable,
  formatNumber,
  headlineText,
  notesOf,
  type QueryResult,
  quantityRows,
  type TiltValue,
  tokenEntries,
} from '../../presentation/index.js';
import { quoted, visible } from '../escape.js';
import { renderTable } from '../table.js';

/** Tokens of φ_λ shown in the human table (a 50k vocabulary prints its most likely tokens). */
const TOP_TOKENS = 10;

/** The lines under a result's title: headline, quantities, curve sample, tokens of a tilt. */
export function renderValue(result: QueryResult, digits: number): string[] {
  if (result.value === undefined) return [];
  // Names and words come from the file: every text cell goes through `visible`.
  const rows = quantityRows(result, digits).map((r) => r.map((c) => visible(c)));
  if (rows.length === 0) return [`  ${quotedJson(result.value)}`];
  const out: string[] = [];
  const headline = headlineText(result, digits);
  if (headline) out.push(`  → ${visible(headline)}`);
  out.push(
    ...renderTable(
      [
        { header: 'quantity', align: 'left' },
        { header: 'value', align: 'right' },
        { header: 'unit', align: 'left' },
      ],
      rows,
    ),
  );
  for (const note of notesOf(result)) out.push(`  note: ${visible(note)}`);
  const curve = curveTable(result, digits);
  if (curve) {
    out.push(
      '',
      ...renderTable(
        curve.header.map((h) => ({ header: h, align: 'right' as const })),
        curve.rows,
      ),
    );
    if (curve.rows.length < curve.total)
      out.push(`  (${curve.rows.length} of ${curve.total} points shown; --json prints all)`);
  }
  if (result.query === 'tilt') out.push('', ...phiTable(result.value as TiltValue, digits));
  return out;
}

function phiTable(v: TiltValue, digits: number): string[] {
  const entries = tokenEntries(v.phi);
  const shown = mostLikely(entries, TOP_TOKENS);
  const out = renderTable(
    [
      { header: 'token', align: 'left' },
      { header: 'φ_λ(token)', align: 'right' },
    ],
    shown.map(([token, mass]) => [quoted(token), formatNumber(mass, digits)]),
  );
  if (entries.length > shown.length)
    out.push(`  (${shown.length} most likely of ${entries.length} tokens shown)`);
  return out;
}

/** Larger φ first, then the token's name: the order of the table. */
const likelier = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);

/**
 * The first `k` entries in `likelier` order, by one pass that keeps the best `k` sorted (not a
 * sort of every entry: a million-token vocabulary is listed by its top ten).
 */
function mostLikely(entries: readonly [string, number][], k: number): [string, number][] {
  const best: [string, number][] = [];
  for (const entry of entries) {
    if (best.length === k && likelier(entry, best[k - 1]) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && likelier(entry, best[at - 1]) < 0) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = entry;
  }
  return best;
}

/** Compact JSON of an unknown value (a kind this CLI does not know), with no control left raw. */
function quotedJson(value: unknown): string {
  return visible(JSON.stringify(value, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)));
}
