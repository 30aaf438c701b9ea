/**
 * The per-token tables of a `tilt` result (φ_λ, p, r by token), whole or summarised. A host that
 * sends results on every keystroke (the language server) asks for a summary of large vocabularies:
 * the tokens where φ_λ and p differ most (|φ − p|, the ones a reader looks for) with p and r for
 * them, and the mass of the others — a few kilobytes instead of 1.7 MB of JSON for 50,257 tokens,
 * and no 50,000-key objects built per keystroke. The CLI and on-request results list every token.
 */
import { emptyTokenTable, setTokenValue, type TokenTable } from '../../presentation/tokens.js';
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
  clean: (x: number, what: string) => number,
): TokenTables {
  const K = vocab.length;
  if (limit === undefined || K <= limit) {
    const phiTable = emptyTokenTable();
    for (let i = 0; i < K; i++) setTokenValue(phiTable, vocab[i], clean(phi[i], `φ(${vocab[i]})`));
    if (K > fullPAndR) return { phi: phiTable };
    const pTable = emptyTokenTable();
    const rTable = emptyTokenTable();
    for (let i = 0; i < K; i++) {
      setTokenValue(pTable, vocab[i], clean(p[i], `p(${vocab[i]})`));
      setTokenValue(rTable, vocab[i], clean(r[i], `r(${vocab[i]})`));
    }
    return { phi: phiTable, p: pTable, r: rTable };
  }
  const gap = new Float64Array(K);
  for (let i = 0; i < K; i++) gap[i] = Math.abs(clean(phi[i], `φ(${vocab[i]})`) - p[i]);
  // A selection in O(K), not a sort: this runs on every keystroke.
  const threshold = kthLargest(gap, limit);
  let above = 0;
  for (let i = 0; i < K; i++) if (gap[i] > threshold) above++;
  let ties = limit - above;
  const phiTable = emptyTokenTable();
  const pTable = emptyTokenTable();
  const rTable = emptyTokenTable();
  let phiRest = 0;
  let pRest = 0;
  for (let i = 0; i < K; i++) {
    if (gap[i] > threshold || (gap[i] === threshold && ties-- > 0)) {
      setTokenValue(phiTable, vocab[i], clean(phi[i], `φ(${vocab[i]})`));
      setTokenValue(pTable, vocab[i], clean(p[i], `p(${vocab[i]})`));
      setTokenValue(rTable, vocab[i], clean(r[i], `r(${vocab[i]})`));
    } else {
      phiRest += phi[i];
      pRest += p[i];
    }
  }
  return { phi: phiTable, p: pTable, r: rTable, tokens_total: K, phi_rest: phiRest, p_rest: pRest };
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
 * token → value for a vocabulary of at most MAX_TOKEN_TABLE tokens; undefined for larger ones or
 * when a value is not finite (the key is then left out of the result, never approximated).
 */
export function tokenTable(
  vocab: readonly string[],
  values: ArrayLike<number>,
): Record<string, number> | undefined {
  if (vocab.length > MAX_TOKEN_TABLE || vocab.length !== values.length) return undefined;
  const out = emptyTokenTable();
  for (let i = 0; i < vocab.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) return undefined;
    setTokenValue(out, vocab[i], x === 0 ? 0 : x);
  }
  return out;
}
