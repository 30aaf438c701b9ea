// The reward law's grouping at scale (rewardLaw.ts): the radix ordering of tokens by reward against
// a comparison sort, and the whole law against the straightforward method it replaced (sort the
// rewards, keep the distinct ones, find each token's group by binary search) — bit for bit, since
// both add a group's probabilities in vocabulary order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTokenRewardLaw, orderByReward } from '../../src/core/rewardLaw.js';
import { mulberry32 as prng } from '../helpers/random.js';

/** Rewards that stress an ordering: duplicates, ±0, negatives, subnormals, extremes. */
function rewards(n: number, rand: () => number): number[] {
  const pool = [0, -0, 1, -1, 5e-324, -5e-324, 1e308, -1e308, 2.5, -2.5, 1e-300, Number.MIN_VALUE * 3];
  return Array.from({ length: n }, () => {
    const u = rand();
    if (u < 0.3) return pool[Math.floor(rand() * pool.length)];
    if (u < 0.6) return Math.round((rand() - 0.5) * 20) / 4; // many ties
    return (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
  });
}

/** The stable order by value (−0 before +0), by a comparison sort. */
function referenceOrder(r: number[], indices: Int32Array): number[] {
  return [...indices].sort((a, b) => {
    if (r[a] !== r[b]) return r[a] < r[b] ? -1 : 1;
    const za = Object.is(r[a], -0) ? 0 : 1;
    const zb = Object.is(r[b], -0) ? 0 : 1;
    return za - zb || a - b;
  });
}

test('orderByReward: the stable order by reward, for small (comparison) and large (radix) inputs', () => {
  for (const n of [1, 2, 7, 2047, 2048, 2049, 30_000]) {
    const rand = prng(n);
    const r = rewards(n, rand);
    const indices = Int32Array.from({ length: n }, (_, i) => i).filter(() => rand() < 0.9);
    const got = [...orderByReward(r, indices)];
    const want = referenceOrder(r, indices);
    const bad = got.findIndex((x, k) => x !== want[k]);
    assert.equal(
      bad,
      -1,
      `n = ${n}: position ${bad}: got index ${got[bad]} (r = ${r[got[bad]]}), expected ${want[bad]} (r = ${r[want[bad]]})`,
    );
  }
  // Rewards in [1, 2) with ties: every key shares its sign and exponent digits (passes skipped).
  const rand = prng(99);
  const r = Array.from({ length: 30_000 }, () => 1 + Math.floor(rand() * 5000) / 8192);
  const indices = Int32Array.from({ length: r.length }, (_, i) => i);
  assert.deepEqual([...orderByReward(r, indices)], referenceOrder(r, indices), 'rewards in [1, 2)');
});

/** The law by the previous method (sort, unique, binary search), values and log masses. */
function referenceLaw(p: number[], r: number[]): { values: number[]; logMass: number[] } {
  const kept = p.map((_, i) => i).filter((i) => p[i] > 0);
  const sorted = Float64Array.from(kept, (i) => r[i]).sort();
  const values: number[] = [];
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) values.push(sorted[k]);
  const lowerBound = (v: number) => {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const group = kept.map((i) => lowerBound(r[i]));
  const max = new Array<number>(values.length).fill(0);
  kept.forEach((i, t) => {
    max[group[t]] = Math.max(max[group[t]], p[i]);
  });
  const scaled = new Array<number>(values.length).fill(0);
  kept.forEach((i, t) => {
    scaled[group[t]] += p[i] / max[group[t]];
  });
  const log = values.map((_, j) => Math.log(max[j]) + Math.log(scaled[j]));
  let heavy = 0;
  for (let j = 1; j < log.length; j++) if (log[j] > log[heavy]) heavy = j;
  let rho = 0;
  for (let j = 0; j < log.length; j++) if (j !== heavy) rho += Math.exp(log[j] - log[heavy]);
  const norm = log[heavy] + Math.log1p(rho);
  return { values, logMass: log.map((l, j) => (j === heavy ? -Math.log1p(rho) : l - norm)) };
}

test('buildTokenRewardLaw groups as the sort-and-search method did, bit for bit (small and large vocabularies)', () => {
  for (const n of [3, 500, 2048, 50_257]) {
    const rand = prng(1000 + n);
    // Rewards within ±1e300 (a wider span is the out-of-range error), some p = 0.
    const r = rewards(n, rand).map((x) => (Math.abs(x) > 1e300 ? x / 1e10 : x));
    const p = Array.from({ length: n }, () => (rand() < 0.05 ? 0 : rand() ** 3));
    const law = buildTokenRewardLaw(p, r);
    const want = referenceLaw(p, r);
    assert.equal(law.values.length, want.values.length, `n = ${n}: number of distinct rewards`);
    for (let j = 0; j < want.values.length; j++) {
      assert.ok(
        Object.is(law.values[j], want.values[j]),
        `n = ${n}: values[${j}] = ${law.values[j]}, expected ${want.values[j]}`,
      );
      assert.ok(
        Object.is(law.logMass[j], want.logMass[j]),
        `n = ${n}: logMass[${j}] = ${law.logMass[j]}, expected ${want.logMass[j]} (error ${law.logMass[j] - want.logMass[j]})`,
      );
    }
  }
});
