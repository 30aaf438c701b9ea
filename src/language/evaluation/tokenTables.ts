/**
 * The per-token tables of a `tilt` result (φ_λ, p, r by token), whole or summarised. A host that
 * sends results on every keystroke (the language server) asks for a summary of large vocabularies:
 * the tokens where φ_λ and p differ most (|φ − p|, the ones a reader looks for) with p and r for
 * them, and the mass of the others — a few kilobytes instead of 1.7 MB of JSON for 50,257 tokens,
 * and no 50,000-key objects built per keystroke. The CLI and on-request results list every token.
 */
import { emptyTokenTable, setTokenValue, type TokenRecord, TokenTable } from '../../presentation/tokens.js';
import { MAX_TOKEN_TABLE } from './enrichment.js';

export interface TokenTables {
  readonly phi: TokenTable;
  readonly p?: TokenTable;
  readonly r?: TokenTable;
  /** Present for a summary: how many tokens there are, and the mass of those not listed. */
  readonly tokens_total?: number;
  readonly phi_rest?: number;
  readonly p_rest?: number;
}

/** Validates a value (throws on a non-finite one, naming it `what`) and writes −0 as 0. */
export type Clean = (x: number, what: string) => number;

/**
 * φ for every token (p and r too when the vocabulary has at most `fullPAndR` tokens), or — when
 * `limit` is given and the vocabulary is larger — the `limit` tokens with the largest |φ − p|
 * (ties: vocabulary order), in vocabulary order, with p and r, and the rest summed. `clean`
 * validates a value (throws on a non-finite one) and writes −0 as 0.
 */
export function tiltTokenTables(
  vocab: readonly string[],
  phi: Float64Array,
  p: readonly number[],
  r: readonly number[],
  limit: number | undefined,
  fullPAndR: number,
  clean: Clean,
): TokenTables {
  const K = vocab.length;
  const phiValues = checkedColumn(vocab, phi, 'φ', clean);
  if (limit === undefined || K <= limit) {
    // Whole tables share the model's vocabulary: nothing per token but the values.
    const phiTable = new TokenTable(vocab, phiValues);
    if (K > fullPAndR) return { phi: phiTable };
    return {
      phi: phiTable,
      p: new TokenTable(vocab, checkedColumn(vocab, p, 'p', clean)),
      r: new TokenTable(vocab, checkedColumn(vocab, r, 'r', clean)),
    };
  }
  const gap = new Float64Array(K);
  for (let i = 0; i < K; i++) gap[i] = Math.abs(phiValues[i] - p[i]);
  // A selection in O(K), not a sort: this runs on every keystroke.
  const threshold = kthLargest(gap, limit);
  let above = 0;
  for (let i = 0; i < K; i++) if (gap[i] > threshold) above++;
  let ties = limit - above;
  const tokens: string[] = [];
  const phiShown: number[] = [];
  const pShown: number[] = [];
  const rShown: number[] = [];
  let phiRest = 0;
  let pRest = 0;
  for (let i = 0; i < K; i++) {
    if (gap[i] > threshold || (gap[i] === threshold && ties-- > 0)) {
      tokens.push(vocab[i]);
      phiShown.push(phiValues[i]);
      pShown.push(clean(p[i], `p(${vocab[i]})`));
      rShown.push(clean(r[i], `r(${vocab[i]})`));
    } else {
      phiRest += phi[i];
      pRest += p[i];
    }
  }
  return {
    phi: new TokenTable(tokens, Float64Array.from(phiShown)),
    p: new TokenTable(tokens, Float64Array.from(pShown)),
    r: new TokenTable(tokens, Float64Array.from(rShown)),
    tokens_total: K,
    phi_rest: phiRest,
    p_rest: pRest,
  };
}

/**
 * A copy of `values` in which each is `clean`ed — but `clean` (and the name `what(token)` it
 * takes) is only called for a value that is not finite, to fail: a million tokens would otherwise
 * build a million names that are never used. −0 is written as 0, as `clean` does.
 */
export function checkedColumn(
  vocab: readonly string[],
  values: ArrayLike<number>,
  what: string,
  clean: Clean,
): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    out[i] = Number.isFinite(x) ? (x === 0 ? 0 : x) : clean(x, `${what}(${vocab[i]})`);
  }
  return out;
}

/** The k-th largest of `xs` (1-based), by quickselect on a copy: O(n) expected. */
export function kthLargest(xs: Float64Array, k: number): number {
  const a = Float64Array.from(xs);
  const target = k - 1; // index in descending order
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

/**
 * token → value as an object (a chain's stationary laws) for a vocabulary of at most
 * MAX_TOKEN_TABLE tokens; undefined for larger ones or when a value is not finite (the key is then
 * left out of the result, never approximated).
 */
export function tokenRecord(vocab: readonly string[], values: ArrayLike<number>): TokenRecord | undefined {
  if (vocab.length > MAX_TOKEN_TABLE || vocab.length !== values.length) return undefined;
  const out = emptyTokenTable();
  for (let i = 0; i < vocab.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) return undefined;
    setTokenValue(out, vocab[i], x === 0 ? 0 : x);
  }
  return out;
}

/** tokenRecord as a TokenTable (a tilt's `p` and `r`): same conditions, same values. */
export function tokenTable(vocab: readonly string[], values: ArrayLike<number>): TokenTable | undefined {
  if (vocab.length > MAX_TOKEN_TABLE || vocab.length !== values.length) return undefined;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) return undefined;
    out[i] = x === 0 ? 0 : x;
  }
  return new TokenTable(vocab, out);
}
