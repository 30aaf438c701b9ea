/**
 * Per-token tables of the results contract (`tilt.phi`, `tilt.p`, `tilt.r`): token → number.
 *
 * Token names are the user's text, so they can be `__proto__`, `constructor` or `toString`. On a
 * plain object `t["__proto__"] = x` is a prototype assignment (the token vanishes) and
 * `t["constructor"]` answers with a function. So entries are written with `setTokenValue` (an own
 * data property even for `__proto__`, exactly what JSON.parse makes of the same text) and read
 * with `tokenValue`, which looks at own properties only.
 */

export type TokenTable = Record<string, number>;

/** An empty table: a plain object, so it equals its own JSON round trip. */
export function emptyTokenTable(): TokenTable {
  return {};
}

/** Sets the token's entry as an own property (never the prototype, whatever the name). */
export function setTokenValue(table: TokenTable, token: string, value: number): void {
  if (token === '__proto__')
    Object.defineProperty(table, token, { value, enumerable: true, writable: true, configurable: true });
  else table[token] = value;
}

/** vocab[i] → values[i], in vocabulary order. */
export function tokenTableOf(vocab: readonly string[], values: ArrayLike<number>): TokenTable {
  const out = emptyTokenTable();
  for (let i = 0; i < vocab.length; i++) setTokenValue(out, vocab[i], values[i]);
  return out;
}

/** The table's number for `token`, or undefined when the token has none (never an inherited value). */
export function tokenValue(table: unknown, token: string): number | undefined {
  if (table === null || typeof table !== 'object' || !Object.hasOwn(table, token)) return undefined;
  const v = (table as Record<string, unknown>)[token];
  return typeof v === 'number' ? v : undefined;
}

/** A copy of the finite numeric entries of `table` (untrusted input). */
export function finiteTokenTable(table: unknown): TokenTable | undefined {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) return undefined;
  const out = emptyTokenTable();
  for (const [token, v] of Object.entries(table))
    if (typeof v === 'number' && Number.isFinite(v)) setTokenValue(out, token, v);
  return out;
}
