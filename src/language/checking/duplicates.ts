/**
 * The first repeated name of a long list (a model file's vocabulary). A Set of a million strings
 * costs about half a second (its table grows by rehashing, each string's hash is computed and
 * stored in the string); this open-addressing table in one Int32Array, sized once, with its own
 * string hash, takes a tenth of that. The hash is seeded per call, so a file cannot be crafted to
 * collide; should probing still run long, the Set answers instead.
 */

/** The index of the first name equal to an earlier one (in list order), or −1 when all differ. */
export function firstRepeat(names: readonly string[]): number {
  const n = names.length;
  if (n < 1024) return firstRepeatBySet(names);
  let size = 1;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  // Slot k is table[2k] = index of its name + 1 (0: empty) and table[2k + 1] = the name's hash,
  // side by side: one cache line per probe, not two.
  const table = new Int32Array(2 * size);
  const seed = (Math.random() * 0x7fffffff) | 0;
  let probes = 0;
  for (let i = 0; i < n; i++) {
    const name = names[i];
    let h = seed ^ 0x811c9dc5;
    for (let c = 0; c < name.length; c++) h = Math.imul(h ^ name.charCodeAt(c), 0x01000193);
    h ^= h >>> 15;
    let at = h & mask;
    for (;;) {
      const j = table[2 * at] - 1;
      if (j < 0) break;
      if (table[2 * at + 1] === h && names[j] === name) return i;
      at = (at + 1) & mask;
      // Far more probing than a random hash makes (about 1.5 per name at this load): give up.
      if (++probes > 16 * n) return firstRepeatBySet(names);
    }
    table[2 * at] = i + 1;
    table[2 * at + 1] = h;
  }
  return -1;
}

function firstRepeatBySet(names: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < names.length; i++) {
    if (seen.has(names[i])) return i;
    seen.add(names[i]);
  }
  return -1;
}
