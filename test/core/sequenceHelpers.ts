// Independent brute-force references for the sequence-level tests: enumerate all Kⁿ sequences of
// the ORIGINAL tokens (no merging, no lattice, no log space), group by reward.
import assert from 'node:assert/strict';

export interface BruteLevel {
  x: number;
  w: number;
}
export interface BruteSequence {
  tokens: number[];
  prob: number;
  reward: number;
  level: number; // index into the levels
}
export interface BruteLaw {
  levels: BruteLevel[];
  sequences: BruteSequence[];
}

/** Rewards are grouped after rounding to 1e-7 (the test laws have well separated sums). */
export function bruteForce(p: number[], r: number[], n: number): BruteLaw {
  const total = p.reduce((a, b) => a + b, 0);
  const K = p.length;
  const sequences: BruteSequence[] = [];
  const tokens = new Array<number>(n).fill(0);
  const count = K ** n;
  for (let code = 0; code < count; code++) {
    let c = code;
    let prob = 1;
    let reward = 0;
    for (let i = 0; i < n; i++) {
      tokens[i] = c % K;
      c = Math.floor(c / K);
      prob *= p[tokens[i]] / total;
      reward += r[tokens[i]];
    }
    if (prob > 0) sequences.push({ tokens: [...tokens], prob, reward, level: -1 });
  }
  const byKey = new Map<number, BruteLevel>();
  for (const s of sequences) {
    const key = Math.round(s.reward * 1e7);
    const lvl = byKey.get(key) ?? { x: s.reward, w: 0 };
    lvl.w += s.prob;
    byKey.set(key, lvl);
  }
  const levels = [...byKey.entries()].sort((a, b) => a[0] - b[0]);
  const index = new Map(levels.map(([key], i) => [key, i]));
  for (const s of sequences) s.level = index.get(Math.round(s.reward * 1e7))!;
  return { levels: levels.map(([, l]) => l), sequences };
}

/** |actual − expected| ≤ tol·max(|expected|, floor), with a message naming everything. */
export function close(actual: number, expected: number, tol: number, what: string, floor = 0): void {
  const err = Math.abs(actual - expected);
  const scale = Math.max(Math.abs(expected), floor);
  assert.ok(
    err <= tol * scale || actual === expected,
    `${what}: value ${actual}, expected ${expected}, error ${err} (relative ${err / scale}, tolerance ${tol})`,
  );
}

export function unwrapOk<T>(
  r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
  what: string,
): T {
  if (!r.ok) assert.fail(`${what}: unexpected error ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function expectError(
  r: { ok: boolean; error?: { code: string; message: string } },
  code: string,
  what: string,
): void {
  assert.equal(r.ok, false, `${what}: expected error ${code}, got ok`);
  assert.equal(r.error?.code, code, `${what}: expected ${code}, got ${r.error?.code}: ${r.error?.message}`);
}
