/**
 * Compact model fields. A model's `vocab`, `p` and `reward` lines are usually plain lists —
 * names, or numbers with an optional sign — and may hold 50,000 items on one line. Building a
 * token, an AST node and a range (four objects) per item dominated parsing, so the parser reads
 * such a line straight from the text into typed arrays (`scanList`) and the field's `items`
 * are built only if someone asks for them (the language server's hover, code actions…). The
 * checker reads the arrays directly (`compactOf`). Anything else on the line (an expression, a
 * quoted name, a non-ASCII name, an odd character) makes `scanList` give up, and the parser
 * takes its general path, so both paths always produce the same tree.
 */
import type * as A from './ast.js';
import { scanNumber } from './lexer.js';
import type { LineIndex } from './positions.js';

/** Tests turn the fast path off to compare it with the general path. */
export const compactLists = { enabled: true };

export interface CompactList {
  readonly count: number;
  /** Offsets of each item (including its sign); typed arrays may be longer than `count`. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Numbers: each item's value, sign applied (what evaluating the item gives). */
  readonly values: Float64Array | undefined;
  /** Numbers: the sign character of each item (43 '+', 45 '-') or 0. */
  readonly signs: Uint8Array | undefined;
  /** `vocab`: the token names. */
  readonly names: string[] | undefined;
}

/** Where a scanned list ends: the next token starts at `end`, after whitespace iff `space`. */
export interface ScannedList {
  readonly list: CompactList;
  readonly end: number;
  readonly space: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
const isAsciiIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAsciiIdentPart = (c: number) => isAsciiIdentStart(c) || isDigit(c);

/** Exact powers of ten (10^22 is the largest a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The value of the number literal text[start, end) (lexer syntax: digits [. digits] [e±digits]),
 * equal to `Number(text.slice(start, end))`. Clinger's fast path: a mantissa below 2^53 scaled by
 * 10^k with |k| ≤ 22 is one correctly rounded operation on exact doubles; otherwise fall back.
 */
export function numberValue(text: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let i = start;
  let c = text.charCodeAt(i);
  while (i < end && isDigit(c)) {
    mantissa = mantissa * 10 + (c - 48);
    if (mantissa !== 0) digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (i < end && isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      scale--;
      c = text.charCodeAt(++i);
    }
  }
  if (i < end) {
    // An exponent: e [+-] digits (at most a few digits in practice; long ones fall back).
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (end - j > 4) return Number(text.slice(start, end));
    let e = 0;
    for (; j < end; j++) e = e * 10 + (text.charCodeAt(j) - 48);
    scale += sign === 45 ? -e : e;
  }
  if (digits > 15 || scale < -22 || scale > 22) return Number(text.slice(start, end));
  return scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
}

/** The value read by the last successful `scanPlainNumber` (a global: no allocation per item). */
let scanned = 0;

/**
 * One pass over `digits [. digits]` with at most 15 significant digits — nearly every list
 * item — leaving its value in `scanned` and returning its end; −1 for anything else (an
 * exponent, a long mantissa), which `scanNumber` + `numberValue` handle. A model's lists are
 * read once, mostly before the JIT has optimised anything, so one pass instead of two counts.
 */
function scanPlainNumber(text: string, i: number): number {
  const n = text.length;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let c = text.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    if (mantissa !== 0) digits++;
    c = ++i < n ? text.charCodeAt(i) : -1;
  }
  if (c === 46) {
    const d = text.charCodeAt(i + 1);
    if (d >= 48 && d <= 57) {
      c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
        scale--;
        c = ++i < n ? text.charCodeAt(i) : -1;
      }
    }
  }
  if (c === 101 || c === 69 || digits > 15 || scale < -22) return -1;
  scanned = scale < 0 ? mantissa / POW10[-scale] : mantissa;
  return i;
}

/**
 * The arrays of a scan, grown by doubling. Typed arrays: pushing 50,000 items onto plain arrays
 * cost twice as much. They may be longer than `count`.
 */
class Builder implements CompactList {
  count = 0;
  starts = new Int32Array(8);
  ends = new Int32Array(8);
  values: Float64Array | undefined;
  signs: Uint8Array | undefined;
  names: string[] | undefined;

  constructor(vocab: boolean) {
    if (vocab) this.names = [];
    else {
      this.values = new Float64Array(8);
      this.signs = new Uint8Array(8);
    }
  }

  /** Room for one more item; returns its index. */
  push(start: number, end: number): number {
    const k = this.count++;
    if (k === this.starts.length) {
      const size = 2 * k;
      this.starts = grow(this.starts, new Int32Array(size));
      this.ends = grow(this.ends, new Int32Array(size));
      if (this.values) this.values = grow(this.values, new Float64Array(size));
      if (this.signs) this.signs = grow(this.signs, new Uint8Array(size));
    }
    this.starts[k] = start;
    this.ends[k] = end;
    return k;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Reads the items of a field whose name ends at `from`, up to the end of the field (a line
 * break, `;`, `}`, a comment or the end of the text). Undefined when the line is not a plain
 * list — then the parser's general path handles it (and reports any error).
 */
export function scanList(text: string, from: number, vocab: boolean): ScannedList | undefined {
  const n = text.length;
  const out = new Builder(vocab);
  let i = from;
  let space = false;
  for (;;) {
    // Separators: whitespace and at most one comma between items (the parser eats one).
    let commas = 0;
    let c = text.charCodeAt(i);
    while (i < n) {
      if (isSpace(c)) space = true;
      else if (c === 44 && commas === 0) {
        commas++;
        space = false;
      } else break;
      c = text.charCodeAt(++i);
    }
    if (
      i >= n ||
      c === 10 ||
      c === 13 ||
      c === 59 ||
      c === 125 ||
      c === 35 ||
      (c === 47 && text.charCodeAt(i + 1) === 47)
    )
      return { list: out, end: i, space };
    if (c === 44) return undefined; // a second comma: the general path reports it
    const start = i;
    let end: number;
    if (vocab) {
      if (isAsciiIdentStart(c)) {
        end = i + 1;
        while (end < n && isAsciiIdentPart(text.charCodeAt(end))) end++;
      } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) end = scanNumber(text, i);
      else return undefined;
      out.push(start, end);
      out.names!.push(text.slice(start, end));
    } else {
      // A sign right before the number (`-1`); `- 1` or `1-2` are expressions.
      let sign = 0;
      if (c === 45 || c === 43) {
        sign = c;
        c = text.charCodeAt(++i);
      }
      if (!(isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1))))) return undefined;
      end = scanPlainNumber(text, i);
      const x = end >= 0 ? scanned : numberValue(text, i, (end = scanNumber(text, i)));
      if (!Number.isFinite(x)) return undefined; // log-form literals take the general path
      const k = out.push(start, end);
      out.values![k] = sign === 45 ? -x || 0 : x;
      out.signs![k] = sign;
    }
    // The item must end at a separator or the end of the field.
    i = end;
    c = text.charCodeAt(i);
    if (
      !(
        i >= n ||
        isSpace(c) ||
        c === 44 ||
        c === 10 ||
        c === 13 ||
        c === 59 ||
        c === 125 ||
        c === 35 ||
        (c === 47 && text.charCodeAt(i + 1) === 47)
      )
    )
      return undefined;
    space = false;
  }
}

/**
 * A field node whose `items` are built on first access (then kept) from the compact list; the
 * nodes are those the general path builds. A class, not an object literal with a getter: V8
 * creates those some 50 times slower, which a 10,000-line file notices. `items` lives on the
 * prototype, so `toJSON` puts it back for JSON.stringify.
 */
class CompactField implements A.Field {
  readonly kind = 'field';
  readonly name: A.Identifier;
  readonly start: number;
  readonly end: number;
  readonly range: A.Field['range'];
  // Private fields: not own enumerable properties, so the node compares like a plain one.
  readonly #compact: CompactList;
  readonly #text: string;
  readonly #lines: LineIndex;
  #items: (A.Expr | A.TokenName)[] | undefined;

  constructor(name: A.Identifier, end: number, compact: CompactList, text: string, lines: LineIndex) {
    this.name = name;
    this.start = name.start;
    this.end = end;
    this.range = lines.range(name.start, end);
    this.#compact = compact;
    this.#text = text;
    this.#lines = lines;
  }

  get compact(): CompactList {
    return this.#compact;
  }

  get items(): (A.Expr | A.TokenName)[] {
    this.#items ??= materialize(this.#compact, this.#text, this.#lines);
    return this.#items;
  }

  toJSON(): A.Field {
    const { kind, name, items, start, end, range } = this;
    return { kind, name, items, start, end, range };
  }
}

/** The compact items of a field the parser read with `scanList`, if it did. */
export function compactOf(field: A.Field): CompactList | undefined {
  return field instanceof CompactField ? field.compact : undefined;
}

/** The field node for a list read by `scanList` right after the field's `name`. */
export function compactField(name: A.Identifier, list: CompactList, text: string, lines: LineIndex): A.Field {
  const end = list.count > 0 ? list.ends[list.count - 1] : name.end;
  return new CompactField(name, end, list, text, lines);
}

/** The nodes the general parser would have built for the list's items. */
function materialize(list: CompactList, text: string, lines: LineIndex): (A.Expr | A.TokenName)[] {
  const items: (A.Expr | A.TokenName)[] = new Array(list.count);
  for (let k = 0; k < list.count; k++) {
    const start = list.starts[k];
    const end = list.ends[k];
    if (list.names) {
      const name = list.names[k];
      items[k] = { kind: 'token-name', name, quoted: false, start, end, range: lines.range(start, end) };
      continue;
    }
    const sign = list.signs![k];
    const at = sign ? start + 1 : start;
    const numText = text.slice(at, end);
    const literal: A.NumberLiteral = {
      kind: 'number',
      value: Number(numText),
      text: numText,
      start: at,
      end,
      range: lines.range(at, end),
    };
    items[k] = sign
      ? {
          kind: 'unary',
          op: sign === 45 ? '-' : '+',
          operand: literal,
          start,
          end,
          range: lines.range(start, end),
        }
      : literal;
  }
  return items;
}
