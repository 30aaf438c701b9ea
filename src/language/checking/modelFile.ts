/**
 * `model m from "file"`: path confinement and the CSV / JSON model-file formats.
 *
 * The language layer does no I/O: the host passes `readFile(path)` where `path` is normalised
 * here, relative to the `.align` document's folder, with `/` separators and no `.`/`..`
 * segments; absolute paths, URLs, drive letters and `..` escapes are rejected before the host
 * is asked, so a document can only read files in its own folder tree.
 */

export type PathResult = { ok: true; path: string } | { ok: false; message: string };

/**
 * Why the host did not read a model file; its code and message become the diagnostic on the
 * `from "…"` string. `file-refused`: the file exists but is not read (outside the confinement
 * root through a symbolic link, not a regular file, too large); `invalid-encoding`: not UTF-8.
 */
export interface ModelFileProblem {
  readonly code: 'file-not-found' | 'file-refused' | 'invalid-encoding';
  readonly message: string;
}

/** The host hook: the text of the file at a confined path, a problem, or undefined (unreadable). */
export type ModelFileReader = (path: string) => string | ModelFileProblem | undefined;

/**
 * Characters that must not reach a message raw: C0 and C1 controls, DEL, bidirectional formatting
 * (which can reorder what a reader sees) and line separators.
 */
export function isHiddenControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x61c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * A short, escaped excerpt of model-file content for an error message: quoted, hidden controls
 * written as `\uXXXX`, at most `max` characters. A message never carries more of a file than this
 * (the file may not be what its name says).
 */
export function excerpt(text: string, max = 16): string {
  const chars = Array.from(text);
  let out = '';
  for (const c of chars.slice(0, max)) {
    const code = c.codePointAt(0) ?? 0;
    if (c === "'" || c === '\\') out += `\\${c}`;
    else if (isHiddenControl(code)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `'${out}${chars.length > max ? '…' : ''}'`;
}

/** Normalises a relative path and confines it to the document's folder tree. */
export function confinePath(raw: string): PathResult {
  if (raw.trim() === '') return { ok: false, message: 'the file name is empty' };
  if (raw.includes('\0')) return { ok: false, message: 'the file name contains a NUL character' };
  const p = raw.replace(/\\/g, '/');
  if (
    p.startsWith('/') ||
    /^[A-Za-z]:/.test(p) ||
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(p) ||
    p.startsWith('~')
  ) {
    return {
      ok: false,
      message: `'${raw}' is not a relative path; model files are resolved relative to the .align file`,
    };
  }
  const parts: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) {
        return {
          ok: false,
          message: `'${raw}' leaves the folder of the .align file; only files in its folder tree can be read`,
        };
      }
      parts.pop();
    } else parts.push(segment);
  }
  if (parts.length === 0) return { ok: false, message: `'${raw}' names a folder, not a file` };
  return { ok: true, path: parts.join('/') };
}

export interface ModelColumns {
  readonly vocab: string[];
  readonly p: number[];
  readonly reward: number[];
  /** Optional sequence length (JSON `length`). */
  readonly length?: number;
}

export type ModelFileResult = { ok: true; model: ModelColumns } | { ok: false; message: string };

/** Parses a model file: JSON when it ends in `.json` or starts with `{`/`[`, CSV otherwise. */
export function parseModelFile(text: string, path: string): ModelFileResult {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (path.toLowerCase().endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return parseJsonModel(text.replace(/^\uFEFF/, ''));
  }
  return parseCsvModel(text.replace(/^\uFEFF/, ''));
}

const TOKEN_HEADERS = ['token', 'vocab', 'word'];
const P_HEADERS = ['p', 'prob', 'probability'];
const REWARD_HEADERS = ['reward', 'r'];

/**
 * CSV (RFC 4180 quoting; `,`, `;` or tab separated, detected from the header): a header naming
 * the columns token, p, reward (any order, case-insensitive, extra columns ignored), then one
 * row per token. Blank lines and lines starting with `#` are skipped.
 */
export function parseCsvModel(text: string, options: { readonly general?: boolean } = {}): ModelFileResult {
  // Most exported files quote nothing: read those line by line without building a row object per
  // line (a 1,000,000-token file is 40 MB; the general splitter's per-character work and its
  // million row objects cost seconds). The result is the same as the general path's (a test
  // compares them; `general` forces the general path).
  if (!options.general && !text.includes('"')) return parseUnquotedCsv(text);
  const rows = splitCsv(text);
  let headerIndex = rows.findIndex((r) => !r.skip);
  if (headerIndex < 0) return { ok: false, message: 'the CSV file is empty' };
  const header = rows[headerIndex].cells.map((c) => c.trim().toLowerCase());
  const find = (names: string[]) => header.findIndex((h) => names.includes(h));
  const ti = find(TOKEN_HEADERS);
  const pi = find(P_HEADERS);
  const ri = find(REWARD_HEADERS);
  const missing = [ti < 0 ? 'token' : '', pi < 0 ? 'p' : '', ri < 0 ? 'reward' : ''].filter(Boolean);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `line ${rows[headerIndex].line}: the header must name the columns token, p and reward (missing: ${missing.join(', ')})`,
    };
  }
  const vocab: string[] = [];
  const p: number[] = [];
  const reward: number[] = [];
  for (headerIndex++; headerIndex < rows.length; headerIndex++) {
    const row = rows[headerIndex];
    if (row.skip) continue;
    const need = Math.max(ti, pi, ri) + 1;
    if (row.cells.length < need) {
      return {
        ok: false,
        message: `line ${row.line}: expected at least ${need} columns, found ${row.cells.length}`,
      };
    }
    const prob = parseCsvNumber(row.cells[pi]);
    const r = parseCsvNumber(row.cells[ri]);
    if (prob === undefined)
      return { ok: false, message: `line ${row.line}: p ${excerpt(row.cells[pi].trim())} is not a number` };
    if (r === undefined)
      return {
        ok: false,
        message: `line ${row.line}: reward ${excerpt(row.cells[ri].trim())} is not a number`,
      };
    vocab.push(row.cells[ti]);
    p.push(prob);
    reward.push(r);
  }
  if (vocab.length === 0) return { ok: false, message: 'the CSV file has a header but no rows' };
  return { ok: true, model: { vocab, p, reward } };
}

/** The separator of a header line: tab, else `;` when there is no `,`, else `,`. */
function separatorOf(line: string): string {
  return line.includes('\t') ? '\t' : !line.includes(',') && line.includes(';') ? ';' : ',';
}

/**
 * parseCsvModel for a text without quotes (see there): the same rows, cells and messages. One
 * pass over the character codes: the cells a row needs are located by their offsets (no line
 * string, no array of cells per row), numbers are read from the text in place (scanNumber), and
 * only the token is sliced out. A row that is unusual in any way — too few cells, a comment, a
 * number the quick scan does not take — gets the general treatment of that line, so the results
 * and messages are the general path's (a test compares them on random files).
 */
function parseUnquotedCsv(text: string): ModelFileResult {
  const length = text.length;
  let pos = 0;
  let line = 0;
  /** The next line (without its terminator: \n, \r\n or \r), or undefined at the end. */
  const nextLine = (): string | undefined => {
    if (pos >= length) return undefined;
    const end = lineEnd(text, pos);
    const out = text.slice(pos, end);
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    line++;
    return out;
  };
  // The separator comes from the first line that is neither blank nor a comment…
  let first: string | undefined;
  while ((first = nextLine()) !== undefined && (first.trim() === '' || first.trimStart().startsWith('#')));
  const sep = separatorOf(first ?? '');
  // …and rows are skipped as the general splitter skips them: one blank cell, or a first cell
  // that starts with `#`.
  const skip = (l: string) => {
    const cut = l.indexOf(sep);
    if (cut < 0) return l.trim() === '' || l.trimStart().startsWith('#');
    return l.slice(0, cut).trimStart().startsWith('#');
  };
  pos = 0;
  line = 0;
  let header: string | undefined;
  while ((header = nextLine()) !== undefined && skip(header));
  if (header === undefined) return { ok: false, message: 'the CSV file is empty' };
  const headerLine = line;
  const names = header.split(sep).map((c) => c.trim().toLowerCase());
  const find = (candidates: string[]) => names.findIndex((h) => candidates.includes(h));
  const ti = find(TOKEN_HEADERS);
  const pi = find(P_HEADERS);
  const ri = find(REWARD_HEADERS);
  const missing = [ti < 0 ? 'token' : '', pi < 0 ? 'p' : '', ri < 0 ? 'reward' : ''].filter(Boolean);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `line ${headerLine}: the header must name the columns token, p and reward (missing: ${missing.join(', ')})`,
    };
  }
  const need = Math.max(ti, pi, ri) + 1;
  // Sized once for every remaining line (growing arrays of a million entries by push costs more
  // than the rest of the reading: copies, and for the tokens a write barrier per store).
  const capacity = linesFrom(text, pos);
  const vocab = new Array<string>(capacity);
  const p = new Array<number>(capacity);
  const reward = new Array<number>(capacity);
  let rows = 0;
  // Where each of the first `need` cells of the row starts and ends.
  const starts = new Int32Array(need);
  const ends = new Int32Array(need);
  // Lines and cells are found with indexOf (native, several times quicker than a loop over the
  // characters) when every line ends in \n alone; a file with a \r anywhere takes the loop.
  const newlinesOnly = text.indexOf('\r', pos) < 0;
  /** The first separator at or after the last search's start (`length`: none). */
  let nextSep = -1;
  while (pos < length) {
    const lineStart = pos;
    line++;
    let end = newlinesOnly ? text.indexOf('\n', pos) : lineEnd(text, pos);
    if (end < 0) end = length;
    // The first `need` cells: `cell` separators found before the line's end.
    let cell = 0;
    starts[0] = pos;
    while (cell < need) {
      // The search is remembered: lines without separators must not each search to the next one.
      if (starts[cell] > nextSep) {
        nextSep = text.indexOf(sep, starts[cell]);
        if (nextSep < 0) nextSep = length;
      }
      const at = nextSep;
      if (at >= end) {
        ends[cell] = end;
        break;
      }
      ends[cell] = at;
      if (++cell < need) starts[cell] = at + 1;
    }
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    const firstCode = text.charCodeAt(starts[0]);
    // A complete row whose first cell does not start with a space or `#`: read in place.
    // (`need` separators, or `need` − 1 and the line's end: the cells are all there.)
    if (cell >= need - 1 && firstCode !== 35 && !isSpace(firstCode)) {
      const prob = scanNumber(text, starts[pi], ends[pi]);
      const r = scanNumber(text, starts[ri], ends[ri]);
      if (!Number.isNaN(prob) && !Number.isNaN(r)) {
        vocab[rows] = token(text, starts[ti], ends[ti]);
        p[rows] = prob;
        reward[rows++] = r;
        continue;
      }
    }
    // Anything else: the line as the general rules read it.
    const row = text.slice(lineStart, end);
    if (skip(row)) continue;
    const cells = row.split(sep);
    if (cells.length < need)
      return { ok: false, message: `line ${line}: expected at least ${need} columns, found ${cells.length}` };
    const prob = parseCsvNumber(cells[pi]);
    const r = parseCsvNumber(cells[ri]);
    if (prob === undefined)
      return { ok: false, message: `line ${line}: p ${excerpt(cells[pi].trim())} is not a number` };
    if (r === undefined)
      return { ok: false, message: `line ${line}: reward ${excerpt(cells[ri].trim())} is not a number` };
    vocab[rows] = cells[ti].trim();
    p[rows] = prob;
    reward[rows++] = r;
  }
  if (rows === 0) return { ok: false, message: 'the CSV file has a header but no rows' };
  vocab.length = rows;
  p.length = rows;
  reward.length = rows;
  return { ok: true, model: { vocab, p, reward } };
}

/** How many lines start at or after `from` (at most: every \n and \r ends one, and the last). */
function linesFrom(text: string, from: number): number {
  let count = 1;
  for (let at = text.indexOf('\n', from); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  if (text.indexOf('\r', from) >= 0)
    for (let at = text.indexOf('\r', from); at >= 0; at = text.indexOf('\r', at + 1)) count++;
  return count;
}

/** The offset of the line terminator (\n or \r) at or after `from`, or the text's length. */
function lineEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  return end;
}

/** The cell text[a, b) trimmed (a slice, trimmed only when an end is a space). */
function token(text: string, a: number, b: number): string {
  const cell = text.slice(a, b);
  return b > a && (isSpace(text.charCodeAt(a)) || isSpace(text.charCodeAt(b - 1))) ? cell.trim() : cell;
}

/** Exact powers of ten (10²² is the largest that is a double exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The number in text[a, b) when it is a plain decimal the quick scan can read exactly — an
 * optional sign, digits with an optional point, an optional exponent, at most 15 significant
 * digits and a decimal exponent within ±22 — else parseCsvNumber's answer on the cell, or NaN when
 * the cell is not a number. With m < 2⁵³ and |e| ≤ 22, m·10^e and m/10^−e are one rounding of
 * exact doubles, so the result is the correctly rounded value Number() gives (Clinger's fast path).
 */
export function scanNumber(text: string, a: number, b: number): number {
  let i = a;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (c === 45 || c === 43) c = text.charCodeAt(++i);
  let m = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0; // digits after the point that are in m
  while (i < b && c >= 48 && c <= 57) {
    if (significant > 0 || c !== 48) {
      m = m * 10 + (c - 48);
      significant++;
    }
    digits++;
    c = text.charCodeAt(++i);
  }
  if (i < b && c === 46) {
    c = text.charCodeAt(++i);
    while (i < b && c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) {
        m = m * 10 + (c - 48);
        significant++;
      }
      digits++;
      scale++;
      c = text.charCodeAt(++i);
    }
  }
  let exponent = 0;
  if (digits > 0 && i < b && (c === 101 || c === 69)) {
    c = text.charCodeAt(++i);
    const negativeExponent = c === 45;
    if (c === 45 || c === 43) c = text.charCodeAt(++i);
    let expDigits = 0;
    while (i < b && c >= 48 && c <= 57 && expDigits < 6) {
      exponent = exponent * 10 + (c - 48);
      expDigits++;
      c = text.charCodeAt(++i);
    }
    if (expDigits === 0) i = -1; // not a number: decided below
    if (negativeExponent) exponent = -exponent;
  }
  const e = exponent - scale;
  if (i === b && digits > 0 && significant <= 15 && e >= -22 && e <= 22) {
    const x = m === 0 ? 0 : e >= 0 ? m * POW10[e] : m / POW10[-e];
    return negative ? -x : x;
  }
  return parseCsvNumber(text.slice(a, b)) ?? Number.NaN;
}

/**
 * A decimal number cell (`0.25`, `-1e-3`, `.5`, `+2.`), trimmed; anything else (hex, `Infinity`,
 * empty) is undefined. A hand-written scan: this runs twice per row of files with a million rows.
 */
export function parseCsvNumber(cell: string): number | undefined {
  let a = 0;
  let b = cell.length;
  while (a < b && isSpace(cell.charCodeAt(a))) a++;
  while (b > a && isSpace(cell.charCodeAt(b - 1))) b--;
  let i = a;
  const c0 = cell.charCodeAt(i);
  if (c0 === 43 || c0 === 45) i++; // + -
  let digits = 0;
  while (i < b && isDigit(cell.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < b && cell.charCodeAt(i) === 46) {
    i++;
    while (i < b && isDigit(cell.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if (i < b && (cell.charCodeAt(i) === 101 || cell.charCodeAt(i) === 69)) {
    i++;
    const s = cell.charCodeAt(i);
    if (s === 43 || s === 45) i++;
    let exp = 0;
    while (i < b && isDigit(cell.charCodeAt(i))) {
      i++;
      exp++;
    }
    if (exp === 0) return undefined;
  }
  if (i !== b) return undefined;
  const x = Number(a === 0 && b === cell.length ? cell : cell.slice(a, b));
  return Number.isFinite(x) ? x : undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** What String.prototype.trim removes, for the characters a CSV cell can hold around a number. */
const isSpace = (c: number) =>
  c === 32 ||
  c === 9 ||
  c === 11 ||
  c === 12 ||
  c === 160 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x3000 ||
  c === 0x1680 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x2028 ||
  c === 0x2029;

export interface CsvRow {
  /** Unquoted cells are trimmed; quoted cells are kept verbatim (tokens may start with a space). */
  cells: string[];
  line: number;
  skip: boolean;
}

export function splitCsv(text: string): CsvRow[] {
  // The separator is detected on the header: the first line that is not blank or a comment.
  const firstLine =
    text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  const sep = firstLine.includes('\t')
    ? '\t'
    : !firstLine.includes(',') && firstLine.includes(';')
      ? ';'
      : ',';
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let sawQuote = false;
  let cellQuoted = false;
  const pushCell = () => {
    cells.push(cellQuoted ? cell : cell.trim());
    cell = '';
    cellQuoted = false;
  };
  const endRow = () => {
    pushCell();
    const blank = cells.length === 1 && cells[0].trim() === '' && !sawQuote;
    const comment = !sawQuote && cells[0].trimStart().startsWith('#');
    rows.push({ cells, line: rowLine, skip: blank || comment });
    cells = [];
    sawQuote = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      sawQuote = true;
      cellQuoted = true;
      cell = '';
    } else if (c === sep) {
      pushCell();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0 || sawQuote) endRow();
  return rows;
}

/**
 * JSON: `{ "vocab": [...], "p": [...], "reward": [...], "length"?: n }` or an array of
 * `{ "token": …, "p": …, "reward": … }` rows.
 */
export function parseJsonModel(text: string): ModelFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: jsonError(text, e instanceof Error ? e.message : String(e)) };
  }
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const tokenName = (x: unknown): string | undefined =>
    typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : undefined;
  if (Array.isArray(data)) {
    const vocab: string[] = [];
    const p: number[] = [];
    const reward: number[] = [];
    for (let i = 0; i < data.length; i++) {
      const row = data[i] as Record<string, unknown> | null;
      const name = row && typeof row === 'object' ? tokenName(row.token ?? row.vocab) : undefined;
      if (!row || typeof row !== 'object' || name === undefined || !isNum(row.p) || !isNum(row.reward)) {
        return {
          ok: false,
          message: `row ${i}: expected { "token": string, "p": number, "reward": number }`,
        };
      }
      vocab.push(name);
      p.push(row.p);
      reward.push(row.reward);
    }
    if (vocab.length === 0) return { ok: false, message: 'the JSON array is empty' };
    return { ok: true, model: { vocab, p, reward } };
  }
  if (!data || typeof data !== 'object') return { ok: false, message: 'expected a JSON object or array' };
  const o = data as Record<string, unknown>;
  for (const key of ['vocab', 'p', 'reward']) {
    if (!Array.isArray(o[key])) return { ok: false, message: `"${key}" must be an array` };
  }
  const vocab = (o.vocab as unknown[]).map(tokenName);
  const bad = vocab.indexOf(undefined);
  if (bad >= 0) return { ok: false, message: `"vocab"[${bad}] must be a string` };
  const p = o.p as unknown[];
  const reward = o.reward as unknown[];
  const badP = p.findIndex((x) => !isNum(x));
  if (badP >= 0) return { ok: false, message: `"p"[${badP}] must be a finite number` };
  const badR = reward.findIndex((x) => !isNum(x));
  if (badR >= 0) return { ok: false, message: `"reward"[${badR}] must be a finite number` };
  if (o.length !== undefined && !(isNum(o.length) && Number.isInteger(o.length) && o.length >= 1)) {
    return { ok: false, message: '"length" must be a positive integer' };
  }
  return {
    ok: true,
    model: {
      vocab: vocab as string[],
      p: p as number[],
      reward: reward as number[],
      ...(o.length === undefined ? {} : { length: o.length as number }),
    },
  };
}

/**
 * A JSON syntax error without the parser's own message, which quotes the start of the text
 * (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`): the line and column when the
 * parser gives a position, else the offending character as a short excerpt.
 */
function jsonError(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at) {
    const offset = Math.min(Number(at[1]), text.length);
    const before = text.slice(0, offset);
    const line = before.split(/\r\n|\r|\n/).length;
    const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return `invalid JSON at line ${line}, column ${column}`;
  }
  if (/unexpected end/i.test(message)) return 'invalid JSON: the text ends early';
  const token = /^Unexpected token '([\s\S])'/.exec(message);
  return token ? `invalid JSON: unexpected character ${excerpt(token[1])}` : 'invalid JSON';
}
