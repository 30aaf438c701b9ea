/**
 * Per-token tables of the results contract (`tilt.phi`, `tilt.p`, `tilt.r`, a chain's
 * `stationary`): token → number.
 *
 * In memory a tilt's tables are `TokenTable`s: the vocabulary (shared with the model, never
 * copied) and a Float64Array of values, in vocabulary order. A 1,000,000-token model's φ as a
 * plain object costs a million property insertions (about a second), and as much again for every
 * walk and for JSON.stringify; as columns it is one typed array, checked and written by tight
 * loops (the CLI's JSON writer writes it without building the object, src/cli/json.ts).
 *
 * In JSON (`toJSON`) a table is the object token → number of the documented contract, so the
 * language server's notifications, the report page and the CLI print exactly what they printed
 * before; a client (the preview) receives that object. `TokenRecord` is that form; the readers
 * here (`tokenValue`, `tokenEntries`, `finiteTokenTable`) accept both.
 *
 * Token names are the user's text, so they can be `__proto__`, `constructor` or `toString`. On a
 * plain object `t["__proto__"] = x` is a prototype assignment (the token vanishes) and
 * `t["constructor"]` answers with a function. So object entries are written with `setTokenValue`
 * (an own data property even for `__proto__`, exactly what JSON.parse makes of the same text) and
 * read with `tokenValue`, which looks at own properties only.
 */

/** The JSON form of a per-token table: token → number, in vocabulary order. */
export type TokenRecord = Record<string, number>;

/** A per-token table: `tokens[i]` → `values[i]` (tokens distinct, as a model's vocabulary is). */
export class TokenTable {
  /** token → index, built on the first lookup by name (a hover), not for every table. */
  private index: Map<string, number> | undefined;

  constructor(
    readonly tokens: readonly string[],
    readonly values: Float64Array,
  ) {
    if (tokens.length !== values.length)
      throw new Error(`a token table needs one value per token (${tokens.length} ≠ ${values.length})`);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The value of `token`, or undefined when the table does not list it. */
  get(token: string): number | undefined {
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < this.tokens.length; i++) this.index.set(this.tokens[i], i);
    }
    const i = this.index.get(token);
    return i === undefined ? undefined : this.values[i];
  }

  /**
   * The order of the entries in the JSON form: an object lists its array-index keys ("0", "12":
   * canonical integers below 2³² − 1) first, ascending, then the others in insertion order. So a
   * writer that writes the columns itself (src/cli/json.ts) writes `tokens[order[k]]` for k = 0, 1, …
   * Undefined when no token is an array index (the common case): vocabulary order.
   */
  jsonOrder(): Int32Array | undefined {
    const indexKeys: number[] = [];
    for (let i = 0; i < this.tokens.length; i++) if (isArrayIndex(this.tokens[i])) indexKeys.push(i);
    if (indexKeys.length === 0) return undefined;
    indexKeys.sort((a, b) => Number(this.tokens[a]) - Number(this.tokens[b]));
    const order = new Int32Array(this.tokens.length);
    order.set(indexKeys);
    let k = indexKeys.length;
    for (let i = 0; i < this.tokens.length; i++) if (!isArrayIndex(this.tokens[i])) order[k++] = i;
    return order;
  }

  /** The contract's JSON form (JSON.stringify calls it): an object token → value. */
  toJSON(): TokenRecord {
    const out: TokenRecord = {};
    for (let i = 0; i < this.tokens.length; i++) setTokenValue(out, this.tokens[i], this.values[i]);
    return out;
  }
}

/** Whether an object orders `key` as an array index: a canonical integer from 0 to 2³² − 2. */
function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || key.length > 10) return false; // the quick answer, for most tokens
  if (key.length > 1 && c === 48) return false;
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i);
    if (!(d >= 48 && d <= 57)) return false;
  }
  return Number(key) < 2 ** 32 - 1;
}

/** A table as the language layer produces it (TokenTable) or as a client receives it (TokenRecord). */
export type AnyTokenTable = TokenTable | TokenRecord;

/** An empty object table: a plain object, so it equals its own JSON round trip. */
export function emptyTokenTable(): TokenRecord {
  return {};
}

/** Sets the token's entry of an object table as an own property (never the prototype, whatever the name). */
export function setTokenValue(table: TokenRecord, token: string, value: number): void {
  if (token === '__proto__')
    Object.defineProperty(table, token, { value, enumerable: true, writable: true, configurable: true });
  else table[token] = value;
}

/** vocab[i] → values[i], in vocabulary order (the values are copied; the vocabulary is shared). */
export function tokenTableOf(vocab: readonly string[], values: ArrayLike<number>): TokenTable {
  return new TokenTable(vocab, Float64Array.from(values));
}

/** The table's number for `token`, or undefined when the token has none (never an inherited value). */
export function tokenValue(table: unknown, token: string): number | undefined {
  if (table instanceof TokenTable) return table.get(token);
  if (table === null || typeof table !== 'object' || !Object.hasOwn(table, token)) return undefined;
  const v = (table as Record<string, unknown>)[token];
  return typeof v === 'number' ? v : undefined;
}

/** The JSON form of either form (a TokenRecord is returned as it is). */
export function tokenRecordOf(table: AnyTokenTable): TokenRecord {
  return table instanceof TokenTable ? table.toJSON() : table;
}

/** The entries [token, value] of either form, in table order. */
export function tokenEntries(table: AnyTokenTable): [string, number][] {
  if (table instanceof TokenTable) return table.tokens.map((t, i) => [t, table.values[i]]);
  return Object.entries(table);
}

/** An object copy of the finite numeric entries of `table` (either form, or untrusted input). */
export function finiteTokenTable(table: unknown): TokenRecord | undefined {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) return undefined;
  const out = emptyTokenTable();
  const entries = table instanceof TokenTable ? tokenEntries(table) : Object.entries(table);
  for (const [token, v] of entries)
    if (typeof v === 'number' && Number.isFinite(v)) setTokenValue(out, token, v);
  return out;
}
