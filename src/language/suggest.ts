/** "Did you mean …?" — the closest candidate by edit distance (with transpositions). */

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * The candidate closest to `name`, if close enough to be a plausible typo: a case-insensitive
 * match, or at most 1 edit for names of 3–4 characters, 2 up to 8, 3 beyond (none for 1–2,
 * unless `minLimit` allows it: a short list of words, like an enum's, can afford it).
 */
export function suggest(name: string, candidates: Iterable<string>, minLimit = 0): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(minLimit, name.length <= 2 ? 0 : name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion ? `; did you mean '${suggestion}'?` : '';
}
