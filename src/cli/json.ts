/**
 * The JSON writer for `eval --json`. The results contract (src/presentation/results.ts) writes an
 * infinite value as null; NaN has no meaning in it, so a NaN reaching this point is a bug
 * upstream and is reported as an internal error (with its path) instead of being printed.
 */
import { isHiddenControl } from './escape.js';

/** Thrown when a value cannot be represented in the contract; the CLI reports it as a bug. */
export class ContractViolation extends Error {
  constructor(readonly path: string) {
    super(`NaN at ${path} cannot be written as JSON (the results contract forbids it)`);
    this.name = 'ContractViolation';
  }
}

/**
 * JSON.stringify, with ±Infinity as null and typed arrays as arrays; throws on NaN. `checked`:
 * the caller has verified that `value` holds neither (`findNaN` over the analysis, as loadDocument
 * does, and no typed arrays: the language layer's values are plain JSON), so the walk that looks for them is skipped — on a
 * 1,000,000-token result it costs as much as writing the JSON.
 */
export function toContractJson(value: unknown, indent = 2, checked = false): string {
  // A replacer function makes JSON.stringify several times slower (a call per value: a
  // 1,000,000-token table has a million). Without NaN and typed arrays — what the language layer
  // produces — the native form is the same (it writes ±Infinity as null itself).
  if (checked) return escapeInvisible(JSON.stringify(value, null, indent));
  const found = scan(value);
  if (!found.nan && !found.typed) return escapeInvisible(JSON.stringify(value, null, indent));
  let sawNaN = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') {
        if (Number.isNaN(v)) sawNaN = true;
        return Number.isFinite(v) ? v : null;
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  );
  if (sawNaN) throw new ContractViolation(findNaN(value, '$') ?? '$');
  return escapeInvisible(text);
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

/** Whether `value` holds a NaN, and a typed array, anywhere (one walk that builds no strings). */
function scan(value: unknown, found = { nan: false, typed: false }): { nan: boolean; typed: boolean } {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) found.nan = true;
    return found;
  }
  if (value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) scan(value[i], found);
  } else if (ArrayBuffer.isView(value)) {
    found.typed = true;
  } else {
    for (const key in value) scan((value as Record<string, unknown>)[key], found);
  }
  return found;
}

/** Whether a NaN is anywhere inside `value` (a walk that builds no strings: analyses can be large). */
function containsNaN(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (containsNaN(value[i])) return true;
    return false;
  }
  if (ArrayBuffer.isView(value)) {
    for (const item of Array.from(value as unknown as ArrayLike<unknown>)) if (containsNaN(item)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && containsNaN((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** The JSON path of the first NaN inside `value`, or undefined when there is none. */
export function findNaN(value: unknown, path: string): string | undefined {
  // The path is built only on the way to a NaN that is known to be there.
  if (!containsNaN(value)) return undefined;
  if (typeof value === 'number') return path;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    for (let i = 0; i < items.length; i++)
      if (containsNaN(items[i])) return findNaN(items[i], `${path}[${i}]`);
    return undefined;
  }
  for (const [key, item] of Object.entries(value as object)) {
    if (!containsNaN(item)) continue;
    return findNaN(
      item,
      /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
    );
  }
  return undefined;
}
