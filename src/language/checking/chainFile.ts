/**
 * The files of a `markov` model (docs/language.md, "markov"): `next from "P.csv"` and
 * `start from "s.csv"`, in the CSV dialect of model files (modelFile.ts: RFC 4180 quoting, `,`,
 * `;` or tab, blank and `#` lines skipped).
 *
 * Transitions, three layouts, told apart by the first row:
 *  - triples: a header naming `from`, `to` and a weight column (`count`, `p`, `prob`,
 *    `probability`, `weight`), one transition per row; each row's weights are normalised (counts
 *    become probabilities), transitions not listed have probability 0;
 *  - dense rows with a header: the first cell empty or `from`/`token`, then the token names; each
 *    row names its token, then one weight per column;
 *  - dense rows without a header: every row K numbers, in the order of the model's vocab.
 * Start: a header naming `token` and `p` (or `prob`, `probability`, `weight`, `count`), or one
 * row of K numbers in vocab order.
 */
import { excerpt, parseCsvNumber, splitCsv } from './modelFile.js';

/** One weight read from a file, with its line (for messages). */
export interface NamedWeight {
  readonly from: string;
  readonly to: string;
  readonly weight: number;
  readonly line: number;
}

export type TransitionFile =
  /** Weights by token name; `names` in order of first appearance (a dense header's order). */
  | { readonly kind: 'named'; readonly entries: NamedWeight[]; readonly names: string[] }
  /** Rows of numbers in vocab order (no header). */
  | { readonly kind: 'matrix'; readonly rows: { readonly values: number[]; readonly line: number }[] };

export type StartFile =
  | { readonly kind: 'named'; readonly entries: { token: string; weight: number; line: number }[] }
  | { readonly kind: 'vector'; readonly values: number[] };

export type FileResult<T> = { ok: true; value: T } | { ok: false; message: string };

const WEIGHT_HEADERS = ['count', 'p', 'prob', 'probability', 'weight'];
const FROM_HEADERS = ['from', 'token', ''];

function numberCell(cell: string, line: number, what: string): number | string {
  const x = parseCsvNumber(cell);
  if (x === undefined) return `line ${line}: ${what} ${excerpt(cell.trim())} is not a number`;
  if (x < 0) return `line ${line}: ${what} ${excerpt(cell.trim())} is negative`;
  return x;
}

/** Parses a transition file (see the module comment). */
export function parseTransitionFile(text: string): FileResult<TransitionFile> {
  const rows = splitCsv(text.replace(/^\uFEFF/, '')).filter((r) => !r.skip);
  if (rows.length === 0) return { ok: false, message: 'the CSV file is empty' };
  const header = rows[0].cells.map((c) => c.trim().toLowerCase());
  const fi = header.indexOf('from');
  const ti = header.indexOf('to');
  const wi = header.findIndex((h) => WEIGHT_HEADERS.includes(h));
  if (fi >= 0 && ti >= 0) {
    if (wi < 0)
      return {
        ok: false,
        message: `line ${rows[0].line}: a from,to header needs a weight column (count, p, prob, probability or weight)`,
      };
    const entries: NamedWeight[] = [];
    const names: string[] = [];
    const seen = new Set<string>();
    const need = Math.max(fi, ti, wi) + 1;
    for (const row of rows.slice(1)) {
      if (row.cells.length < need)
        return {
          ok: false,
          message: `line ${row.line}: expected at least ${need} columns, found ${row.cells.length}`,
        };
      const w = numberCell(row.cells[wi], row.line, 'weight');
      if (typeof w === 'string') return { ok: false, message: w };
      const from = row.cells[fi];
      const to = row.cells[ti];
      for (const t of [from, to])
        if (!seen.has(t)) {
          seen.add(t);
          names.push(t);
        }
      entries.push({ from, to, weight: w, line: row.line });
    }
    if (entries.length === 0) return { ok: false, message: 'the CSV file has a header but no transitions' };
    return { ok: true, value: { kind: 'named', entries, names } };
  }
  const numeric = rows[0].cells.every((c) => parseCsvNumber(c) !== undefined);
  if (numeric) {
    const out: { values: number[]; line: number }[] = [];
    for (const row of rows) {
      const values: number[] = [];
      for (const c of row.cells) {
        const w = numberCell(c, row.line, 'weight');
        if (typeof w === 'string') return { ok: false, message: w };
        values.push(w);
      }
      out.push({ values, line: row.line });
    }
    return { ok: true, value: { kind: 'matrix', rows: out } };
  }
  if (!FROM_HEADERS.includes(header[0]))
    return {
      ok: false,
      message: `line ${rows[0].line}: expected a header 'from,to,count' (triples) or a first cell 'from' followed by the token names (dense rows), or rows of numbers`,
    };
  const names = rows[0].cells.slice(1);
  const entries: NamedWeight[] = [];
  const rowNames: string[] = [];
  for (const row of rows.slice(1)) {
    if (row.cells.length !== names.length + 1)
      return {
        ok: false,
        message: `line ${row.line}: expected ${names.length + 1} cells (a token and ${names.length} weights), found ${row.cells.length}`,
      };
    const from = row.cells[0];
    rowNames.push(from);
    for (let k = 0; k < names.length; k++) {
      const w = numberCell(row.cells[k + 1], row.line, 'weight');
      if (typeof w === 'string') return { ok: false, message: w };
      if (w > 0) entries.push({ from, to: names[k], weight: w, line: row.line });
    }
  }
  if (rowNames.length === 0) return { ok: false, message: 'the CSV file has a header but no rows' };
  const all = [...names];
  for (const r of rowNames) if (!all.includes(r)) all.push(r);
  return { ok: true, value: { kind: 'named', entries, names: all } };
}

/** Parses a start file (see the module comment). */
export function parseStartFile(text: string): FileResult<StartFile> {
  const rows = splitCsv(text.replace(/^\uFEFF/, '')).filter((r) => !r.skip);
  if (rows.length === 0) return { ok: false, message: 'the CSV file is empty' };
  const header = rows[0].cells.map((c) => c.trim().toLowerCase());
  const ti = header.findIndex((h) => h === 'token' || h === 'vocab' || h === 'word');
  const wi = header.findIndex((h) => WEIGHT_HEADERS.includes(h));
  if (ti >= 0 && wi >= 0) {
    const entries: { token: string; weight: number; line: number }[] = [];
    for (const row of rows.slice(1)) {
      const need = Math.max(ti, wi) + 1;
      if (row.cells.length < need)
        return {
          ok: false,
          message: `line ${row.line}: expected at least ${need} columns, found ${row.cells.length}`,
        };
      const w = numberCell(row.cells[wi], row.line, 'p');
      if (typeof w === 'string') return { ok: false, message: w };
      entries.push({ token: row.cells[ti], weight: w, line: row.line });
    }
    if (entries.length === 0) return { ok: false, message: 'the CSV file has a header but no rows' };
    return { ok: true, value: { kind: 'named', entries } };
  }
  if (rows.length === 1 && rows[0].cells.every((c) => parseCsvNumber(c) !== undefined)) {
    const values: number[] = [];
    for (const c of rows[0].cells) {
      const w = numberCell(c, rows[0].line, 'p');
      if (typeof w === 'string') return { ok: false, message: w };
      values.push(w);
    }
    return { ok: true, value: { kind: 'vector', values } };
  }
  return {
    ok: false,
    message: `line ${rows[0].line}: expected a header naming the columns token and p, or one row of numbers`,
  };
}
