/**
 * Compact model fields. A model's `vocab`, `p` and `reward` lines are usually plain lists —
 * names, or numbers with an optional sign — and may hold 50,000 items on one line. Building a
 * token, an AST node and a range (four objects) per item dominated parsing, so the parser reads
 * such a line straight from the text into one array of values or names (`scanList`) and the
 * field's `items` are built only if someone asks for them (the language server's hover, code
 * actions…). The checker reads the array directly (`compactOf`). Anything else on the line (an
 * expression, a quoted name, a non-ASCII name, an odd character) makes `scanList` give up, and
 * the parser takes its general path, so both paths always produce the same tree.
 */
import type * as A from './ast.js';
import { scanNumber } from './lexer.js';
import type { LineIndex } from './positions.js';
import { NumberNode, Span, TokenNameNode, UnaryNode } from './syntaxNodes.js';

/** Tests turn the fast path off to compare it with the general path. */
export const compactLists = { enabled: true };

/**
 * A plain list: its values (or names) and where its items begin and end. The offsets of each
 * item are not kept: the few hosts that need the items' nodes re-read the line (`materialize`),
 * which yields the same items, instead of every list carrying two offsets per item.
 */
export interface CompactList {
  readonly count: number;
  /** Offsets where the first item (with its sign) starts and the last one ends (0 when empty). */
  readonly itemsStart: number;
  readonly itemsEnd: number;
  /** Numbers: each item's value, sign applied (what evaluating the item gives). */
  readonly values: readonly number[] | undefined;
  /** `vocab`: the token names. */
  readonly names: readonly string[] | undefined;
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

/** Whether text[start, end) (a number literal) has a nonzero digit before any exponent. */
function nonzeroDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) return false;
    if (c >= 49 && c <= 57) return true;
  }
  return false;
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
 * Scratch columns of the scan in progress, shared by every scan and grown by doubling: each
 * item's offsets (bounds[2k], bounds[2k + 1]) and value. A successful scan copies the values out
 * at their exact size (`finishList`); a scan that gives up keeps nothing. Typed arrays, grown
 * rarely: pushing 50,000 items onto plain arrays cost twice as much.
 */
let scratchBounds = new Int32Array(256);
let scratchValues = new Float64Array(128);

/** Records item k's offsets, growing the scratch columns when they are full. */
function putBounds(k: number, start: number, end: number): void {
  if (2 * k + 1 >= scratchBounds.length) {
    const bounds = new Int32Array(2 * scratchBounds.length);
    bounds.set(scratchBounds);
    scratchBounds = bounds;
    const values = new Float64Array(2 * scratchValues.length);
    values.set(scratchValues);
    scratchValues = values;
  }
  scratchBounds[2 * k] = start;
  scratchBounds[2 * k + 1] = end;
}

/**
 * The scanned list: its `count` values copied out of the scratch column into a plain array of
 * their exact size (a typed array is a costly object in V8 — a view, a buffer and the data, some
 * 200 bytes even for one item — and a 10,000-line file has thousands of short lists).
 */
function finishList(count: number, names: string[] | undefined): CompactList {
  let values: number[] | undefined;
  if (!names) {
    values = new Array<number>(count);
    for (let k = 0; k < count; k++) values[k] = scratchValues[k];
  }
  const itemsStart = count > 0 ? scratchBounds[0] : 0;
  const itemsEnd = count > 0 ? scratchBounds[2 * count - 1] : 0;
  // A short vocabulary at its exact size (a pushed-to array reserves 16 slots).
  const exactNames = names && names.length < 16 ? names.slice() : names;
  return { count, itemsStart, itemsEnd, values, names: exactNames };
}

/** Where a scan of a list's items ended (the items are in the scratch columns). */
interface ScannedItems {
  readonly count: number;
  readonly end: number;
  readonly space: boolean;
}

/**
 * Reads the items of a field whose name ends at `from`, up to the end of the field (a line
 * break, `;`, `}`, a comment or the end of the text). Undefined when the line is not a plain
 * list — then the parser's general path handles it (and reports any error).
 */
export function scanList(text: string, from: number, vocab: boolean): ScannedList | undefined {
  const names: string[] | undefined = vocab ? [] : undefined;
  const scanned = scanItems(text, from, names);
  return scanned && { list: finishList(scanned.count, names), end: scanned.end, space: scanned.space };
}

/**
 * The scan itself: items' offsets and values go to the scratch columns, a vocabulary's names to
 * `names` (given for `vocab` only).
 */
function scanItems(text: string, from: number, names: string[] | undefined): ScannedItems | undefined {
  const n = text.length;
  const vocab = names !== undefined;
  let count = 0;
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
      return { count, end: i, space };
    if (c === 44) return undefined; // a second comma: the general path reports it
    const start = i;
    let end: number;
    if (vocab) {
      if (isAsciiIdentStart(c)) {
        end = i + 1;
        while (end < n && isAsciiIdentPart(text.charCodeAt(end))) end++;
      } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) end = scanNumber(text, i);
      else return undefined;
      putBounds(count++, start, end);
      names.push(text.slice(start, end));
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
      // Literals beyond the double range, and nonzero ones that round to 0, take the general
      // path, which reports them (exprEval.ts).
      if (!Number.isFinite(x) || (x === 0 && nonzeroDigits(text, i, end))) return undefined;
      putBounds(count, start, end);
      scratchValues[count++] = sign === 45 ? -x || 0 : x;
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
 * prototype, so `toJSON` puts it back for JSON.stringify (with the range, see syntaxNodes.ts).
 */
class CompactField extends Span implements A.Field {
  readonly kind = 'field';
  readonly name: A.Identifier;
  readonly row?: A.TokenName;
  // Private fields: not own enumerable properties, so the node compares like a plain one.
  readonly #compact: CompactList;
  readonly #text: string;
  readonly #lines: LineIndex;
  /** Where the items' scan starts: after the field name, or after a row's `->`. */
  readonly #from: number;
  #items: (A.Expr | A.TokenName)[] | undefined;

  constructor(
    name: A.Identifier,
    end: number,
    compact: CompactList,
    text: string,
    lines: LineIndex,
    row?: A.TokenName,
    from = name.end,
  ) {
    super(lines, name.start, end);
    this.name = name;
    if (row) this.row = row;
    this.#compact = compact;
    this.#text = text;
    this.#lines = lines;
    this.#from = from;
  }

  get compact(): CompactList {
    return this.#compact;
  }

  get items(): (A.Expr | A.TokenName)[] {
    this.#items ??= materialize(this.#compact, this.#from, this.#text, this.#lines);
    return this.#items;
  }

  override toJSON(): A.Field {
    const { kind, name, row, items, start, end, range } = this;
    return row ? { kind, name, row, items, start, end, range } : { kind, name, items, start, end, range };
  }
}

/** The compact items of a field the parser read with `scanList`, if it did. */
export function compactOf(field: A.Field): CompactList | undefined {
  return field instanceof CompactField ? field.compact : undefined;
}

/**
 * The field node for a list read by `scanList` right after the field's `name` (or, for a row of
 * a markov model, after its `->`, which ends at `from`).
 */
export function compactField(
  name: A.Identifier,
  list: CompactList,
  text: string,
  lines: LineIndex,
  row?: A.TokenName,
  from?: number,
): A.Field {
  const end = list.count > 0 ? list.itemsEnd : (from ?? name.end);
  return new CompactField(name, end, list, text, lines, row, from ?? name.end);
}

/**
 * The nodes the general parser would have built for the list's items, whose offsets come from
 * reading the line again (the text has not changed: the same items, at the same places).
 */
function materialize(
  list: CompactList,
  from: number,
  text: string,
  lines: LineIndex,
): (A.Expr | A.TokenName)[] {
  const items: (A.Expr | A.TokenName)[] = new Array(list.count);
  if (list.count === 0) return items;
  scanItems(text, from, list.names ? [] : undefined);
  for (let k = 0; k < list.count; k++) {
    const start = scratchBounds[2 * k];
    const end = scratchBounds[2 * k + 1];
    if (list.names) {
      items[k] = new TokenNameNode(lines, start, end, list.names[k], false);
      continue;
    }
    const c = text.charCodeAt(start);
    const sign = c === 45 || c === 43 ? c : 0;
    const at = sign ? start + 1 : start;
    const numText = text.slice(at, end);
    const literal = new NumberNode(lines, at, end, Number(numText), numText);
    items[k] = sign ? new UnaryNode(lines, start, sign === 45 ? '-' : '+', literal) : literal;
  }
  return items;
}
