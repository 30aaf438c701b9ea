/**
 * The JSON writer for `eval --json`. The results contract (src/presentation/results.ts) writes an
 * infinite value as null; NaN has no meaning in it, so a NaN reaching this point is a bug
 * upstream and is reported as an internal error (with its path) instead of being printed.
 *
 * The text is JSON.stringify(value, null, indent)'s, byte for byte (a test compares them), but
 * written by this serializer in chunks: a tilt's per-token tables are TokenTables (columns, see
 * presentation/tokens.ts), written entry by entry from their typed arrays — a 1,000,000-token φ
 * is never built as an object (a million property insertions, then JSON.stringify's walk over
 * them), and no 45 MB string is built either. Every number is seen once on the way, which is
 * also the NaN check.
 */
import { TokenTable } from '../presentation/tokens.js';
import { isHiddenControl } from './escape.js';

/** Thrown when a value cannot be represented in the contract; the CLI reports it as a bug. */
export class ContractViolation extends Error {
  constructor(readonly path: string) {
    super(`NaN at ${path} cannot be written as JSON (the results contract forbids it)`);
    this.name = 'ContractViolation';
  }
}

/**
 * About this many UTF-16 code units per chunk: enough that writes are few (a thousand for a
 * million tokens), and few enough that a chunk is an ordinary young object, not a large object —
 * V8 maps and unmaps a large object's pages (over 128 KB) one by one, and on a 45 MB output the
 * page faults of those cost more than the writes. So do the write buffers above malloc's threshold.
 */
const CHUNK = 1 << 15;

/**
 * Writes the contract JSON of `value` through `emit`, a chunk at a time (their concatenation is
 * the document, without a final newline): ±Infinity as null, typed arrays as arrays, TokenTables
 * as objects token → number. Throws a ContractViolation on NaN — after the chunks before it were
 * emitted, so a caller that must print nothing then checks first (findNaN: the CLI's loadDocument).
 */
export function writeContractJson(value: unknown, emit: (chunk: string) => void, indent = 2): void {
  const w = new ChunkWriter(value, ' '.repeat(Math.min(10, Math.max(0, indent))), emit);
  w.value(value, '', '');
  w.flush();
}

/** The chunks writeContractJson emits (a NaN throws before any is returned). */
export function contractJsonChunks(value: unknown, indent = 2): string[] {
  const chunks: string[] = [];
  writeContractJson(value, (chunk) => chunks.push(chunk), indent);
  return chunks;
}

/** The contract JSON of `value` as one string. */
export function toContractJson(value: unknown, indent = 2): string {
  return contractJsonChunks(value, indent).join('');
}

/**
 * JSON.stringify's algorithm (SerializeJSONProperty) for the values a document holds: own
 * enumerable keys in Object.keys order, undefined / functions / symbols left out of objects and
 * null in arrays, `toJSON` called, boxed primitives unwrapped; plus the contract's rules above.
 */
class ChunkWriter {
  private buffer = '';
  /** `": "` with indentation, `":"` without (as JSON.stringify). */
  private readonly colon: string;

  constructor(
    private readonly root: unknown,
    private readonly gap: string,
    private readonly emit: (chunk: string) => void,
  ) {
    this.colon = gap === '' ? ':' : ': ';
  }

  /** Ends the current chunk. Nothing is escaped here: strings are escaped as they are quoted. */
  flush(): void {
    if (this.buffer !== '') this.emit(this.buffer);
    this.buffer = '';
  }

  private write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  private number(x: number): string {
    if (Number.isFinite(x)) return String(x); // the same shortest form JSON.stringify writes
    if (Number.isNaN(x)) throw new ContractViolation(findNaN(this.root, '$') ?? '$');
    return 'null';
  }

  /** Writes `v` (the value at `key`; `indent` is the current line's indentation). */
  value(v: unknown, key: string, indent: string): void {
    if (v !== null && typeof v === 'object' && !(v instanceof TokenTable)) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = toJSON.call(v, key);
    }
    if (v instanceof Number) v = Number(v);
    else if (v instanceof String) v = String(v);
    else if (v instanceof Boolean) v = v.valueOf();
    if (v === null) this.write('null');
    else if (typeof v === 'number') this.write(this.number(v));
    else if (typeof v === 'string') this.write(quote(v));
    else if (typeof v === 'boolean') this.write(v ? 'true' : 'false');
    else if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    else if (v instanceof TokenTable) this.table(v, indent);
    else if (Array.isArray(v)) this.array(v, indent);
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      this.array(Array.from(v as unknown as ArrayLike<number>), indent);
    else this.object(v as Record<string, unknown>, indent);
  }

  private array(items: readonly unknown[], indent: string): void {
    if (items.length === 0) {
      this.write('[]');
      return;
    }
    const inner = indent + this.gap;
    const open = this.gap === '' ? '' : `\n${inner}`;
    this.write('[');
    for (let i = 0; i < items.length; i++) {
      this.write(i === 0 ? open : `,${open}`);
      const item = items[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.write('null');
      else this.value(item, String(i), inner);
    }
    this.write(this.gap === '' ? ']' : `\n${indent}]`);
  }

  private object(o: Record<string, unknown>, indent: string): void {
    const inner = indent + this.gap;
    const open = this.gap === '' ? '' : `\n${inner}`;
    let first = true;
    for (const key of Object.keys(o)) {
      const item = o[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      this.write(first ? `{${open}` : `,${open}`);
      first = false;
      this.write(quote(key) + this.colon);
      this.value(item, key, inner);
    }
    this.write(first ? '{}' : this.gap === '' ? '}' : `\n${indent}}`);
  }

  /** A TokenTable, as the object its toJSON makes, written straight from its columns. */
  private table(t: TokenTable, indent: string): void {
    const { tokens, values } = t;
    if (tokens.length === 0) {
      this.write('{}');
      return;
    }
    const inner = indent + this.gap;
    const separator = this.gap === '' ? ',' : `,\n${inner}`;
    this.write(this.gap === '' ? '{' : `{\n${inner}`);
    // The object's key order (array-index tokens first), not always the vocabulary's.
    const order = t.jsonOrder();
    const keyAt = (k: number): string => {
      const token = tokens[order === undefined ? k : order[k]];
      // Most tokens need no escape: then the key is the token between quotes.
      return plainJsonString(token) ? `"${token}"` : quote(token);
    };
    // A batch at a time: its numbers written by one JSON.stringify of an array (native: less than
    // half the cost of String(x) per number, the same digits), then each key put in before its
    // number — at the start and at every comma, as numbers hold none.
    this.flush();
    const numbers: number[] = [];
    for (let start = 0; start < tokens.length; start += TABLE_BATCH) {
      const end = Math.min(tokens.length, start + TABLE_BATCH);
      numbers.length = 0;
      for (let k = start; k < end; k++) {
        const x = values[order === undefined ? k : order[k]];
        if (Number.isNaN(x)) this.number(x); // the contract violation, with its path
        numbers.push(x); // ±Infinity: null, as number() writes it
      }
      let k = start;
      const list = JSON.stringify(numbers);
      this.emit(
        list
          .slice(1, -1)
          .replace(
            KEY_PLACES,
            (comma) => (comma === '' && k === 0 ? '' : separator) + keyAt(k++) + this.colon,
          ),
      );
    }
    this.write(this.gap === '' ? '}' : `\n${indent}}`);
  }
}

/** Entries of a token table written at a time (about 45 characters each: a chunk, as above). */
const TABLE_BATCH = 1024;

/** Where the keys go in a list of numbers written by JSON.stringify: its start and its commas. */
const KEY_PLACES = /^|,/g;

/** A string as JSON writes it, with the hidden controls JSON.stringify leaves raw escaped too. */
function quote(text: string): string {
  return escapeInvisible(JSON.stringify(text));
}

/**
 * Whether JSON.stringify(text) is the text between quotes and escapeInvisible leaves it alone: no
 * quote, backslash or C0 control, no surrogate (a lone one is escaped), no hidden control.
 */
function plainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
    if (c >= 0x7f && (isHiddenControl(c) || (c >= 0xd800 && c <= 0xdfff))) return false;
  }
  return true;
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, the C1 controls and the bidirectional
 * formatting characters raw; they can only occur inside strings, where `\u…` means the same.
 * So the JSON printed on a terminal carries no control character at all.
 */
export function escapeInvisible(json: string): string {
  // The usual case, none at all, is decided by the regular expression engine (a character loop in
  // JavaScript takes ten times longer over the 45 MB of a million-token result).
  if (!HIDDEN_AFTER_STRINGIFY.test(json)) return json;
  // Outside strings JSON.stringify writes only newlines and spaces (indentation).
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === 0x0a || !isHiddenControl(code)) continue;
    parts.push(json.slice(from, i), `\\u${code.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  if (from === 0) return json;
  parts.push(json.slice(from));
  return parts.join('');
}

/**
 * What isHiddenControl accepts that JSON.stringify can leave raw: not the C0 controls (it escapes
 * them inside strings, and writes only newlines and spaces outside).
 */
const HIDDEN_AFTER_STRINGIFY = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Whether a NaN is anywhere inside `value` (a walk that builds no strings: analyses can be large). */
function containsNaN(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (containsNaN(value[i])) return true;
    return false;
  }
  // A per-token table: its values, by a tight loop over the typed array (its tokens are strings).
  if (value instanceof TokenTable) return typedNaN(value.values) >= 0;
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) return false;
    return typedNaN(value as unknown as ArrayLike<unknown>) >= 0;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && containsNaN((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** The index of the first NaN in a typed array (−1 when none). */
function typedNaN(values: ArrayLike<unknown>): number {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return i;
  return -1;
}

const keyPath = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** The JSON path of the first NaN inside `value`, or undefined when there is none. */
export function findNaN(value: unknown, path: string): string | undefined {
  // The path is built only on the way to a NaN that is known to be there.
  if (!containsNaN(value)) return undefined;
  if (typeof value === 'number') return path;
  if (value instanceof TokenTable) return keyPath(path, value.tokens[typedNaN(value.values)]);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    for (let i = 0; i < items.length; i++)
      if (containsNaN(items[i])) return findNaN(items[i], `${path}[${i}]`);
    return undefined;
  }
  for (const [key, item] of Object.entries(value as object)) {
    if (!containsNaN(item)) continue;
    return findNaN(item, keyPath(path, key));
  }
  return undefined;
}
