// Monte Carlo (src/core/monteCarlo.ts, prng.ts, aliasSampler.ts): a known-answer check of
// xoshiro128** against an independent BigInt implementation, means against exact values within
// 5 standard errors (false-failure probability ≈ 5.7e-7 per check under the CLT; the seeds are
// fixed, so a pass is reproducible), the tie rule by sequence frequencies, determinism, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfN, bestOfNForLength } from '../../src/core/bestOfN.js';
import { evaluateTilt } from '../../src/core/logPartition.js';
import { drawBestOfN, simulate, TokenRewardSampler } from '../../src/core/monteCarlo.js';
import { Xoshiro128 } from '../../src/core/prng.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { bruteForce, expectError, unwrapOk } from './sequenceHelpers.js';

/** xoshiro128** seeded by splitmix64, written independently with BigInt (mod 2^32 / 2^64). */
function referenceStream(seed: number, count: number): number[] {
  const M64 = (1n << 64n) - 1n;
  const M32 = (1n << 32n) - 1n;
  let x = BigInt(seed);
  const s: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    z ^= z >> 31n;
    s.push(z & M32, z >> 32n);
  }
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (32n - k))) & M32;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & M32, 7n) * 9n) & M32));
    const t = (s[1] << 9n) & M32;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

test('xoshiro128** matches an independent BigInt implementation; doubles use 53 bits in [0, 1)', () => {
  for (const seed of [0, 1, 42, 2 ** 40 + 7]) {
    const rng = new Xoshiro128(seed);
    const expected = referenceStream(seed, 64);
    for (const [i, e] of expected.entries()) assert.equal(rng.nextUint32(), e, `seed ${seed} output ${i}`);
  }
  const rng = new Xoshiro128(7);
  const ref = referenceStream(7, 2);
  const d = rng.nextDouble();
  assert.equal(d, ((ref[0] >>> 5) * 2 ** 26 + (ref[1] >>> 6)) / 2 ** 53);
  assert.ok(d >= 0 && d < 1);
});

const law = buildTokenRewardLaw([0.4, 0.1, 0.2, 0.3], [0, 1, 1, 3]);

test('simulated means agree with the exact values within 5 standard errors', () => {
  const n = 10;
  const base = unwrapOk(simulate(law, n, { method: 'base', samples: 20000, seed: 1 }), 'base');
  const exactBase = n * evaluateTilt(law, 0).stats.mean;
  assert.ok(
    Math.abs(base.mean - exactBase) <= 5 * base.stderr,
    `base: ${base.mean} ± ${base.stderr} vs ${exactBase}`,
  );
  for (const lambda of [0.8, Number.POSITIVE_INFINITY]) {
    const tilt = unwrapOk(
      simulate(law, n, { method: 'tilt', lambda, samples: 20000, seed: 2 }),
      `λ=${lambda}`,
    );
    const exact = n * evaluateTilt(law, lambda).stats.mean;
    if (lambda === Number.POSITIVE_INFINITY) assert.equal(tilt.mean, exact, 'λ = ∞ samples only r_max');
    else
      assert.ok(
        Math.abs(tilt.mean - exact) <= 5 * tilt.stderr,
        `tilt: ${tilt.mean} ± ${tilt.stderr} vs ${exact}`,
      );
  }
  const N = 8;
  const bon = unwrapOk(simulate(law, n, { method: 'bon', N, samples: 10000, seed: 3 }), 'bon');
  const exactBon = unwrapOk(bestOfNForLength(law, n, { N }), 'exact BoN').reward;
  assert.ok(
    Math.abs(bon.mean - exactBon) <= 5 * bon.stderr,
    `BoN: ${bon.mean} ± ${bon.stderr} vs ${exactBon}`,
  );
  assert.ok(bon.stderr > 0 && bon.stderr < 0.05, `stderr ${bon.stderr}`);
});

test('drawBestOfN breaks ties uniformly: sequence frequencies match pⁿ(y)·b_j/w_j', () => {
  const p = [0.5, 0.2, 0.3];
  const r = [0, 1, 1];
  const tieLaw = buildTokenRewardLaw(p, r);
  const n = 2;
  const N = 3;
  const brute = bruteForce(p, r, n);
  const seq = unwrapOk(sequenceRewardLaw(tieLaw, n), 'law');
  const bon = unwrapOk(bestOfN(seq, tieLaw, { N }), 'BoN');
  // The sampler works on merged values, so tokens 1 and 2 (reward 1) are one value: compare per
  // merged-value sequence, whose BoN probability is the sum over its token sequences.
  const expected = new Map<string, number>();
  for (const s of brute.sequences) {
    const key = s.tokens.map((t) => (r[t] === 0 ? 0 : 1)).join(',');
    expected.set(key, (expected.get(key) ?? 0) + s.prob * Math.exp(bon.logRatio[s.level]));
  }
  const sampler = new TokenRewardSampler(tieLaw);
  const rng = new Xoshiro128(11);
  const M = 40000;
  const counts = new Map<string, number>();
  for (let i = 0; i < M; i++) {
    const { tokens } = drawBestOfN(sampler, rng, n, N);
    const key = Array.from(tokens).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, prob] of expected) {
    const freq = (counts.get(key) ?? 0) / M;
    const sd = Math.sqrt((prob * (1 - prob)) / M);
    assert.ok(
      Math.abs(freq - prob) <= 5 * sd,
      `sequence ${key}: frequency ${freq}, expected ${prob} ± ${5 * sd}`,
    );
  }
  // (1,0) and (0,1) tie at reward 1 and are equally likely by symmetry of the tie rule.
  assert.ok(Math.abs((expected.get('1,0') ?? 0) - (expected.get('0,1') ?? 0)) < 1e-15);
});

test('a seed reproduces every number; different seeds differ', () => {
  const a = unwrapOk(simulate(law, 5, { method: 'bon', N: 3, samples: 500, seed: 99 }), 'a');
  const b = unwrapOk(simulate(law, 5, { method: 'bon', N: 3, samples: 500, seed: 99 }), 'b');
  const c = unwrapOk(simulate(law, 5, { method: 'bon', N: 3, samples: 500, seed: 100 }), 'c');
  assert.deepEqual(a, b);
  assert.notEqual(a.mean, c.mean);
  assert.equal(a.seed, 99);
  assert.equal(a.samples, 500);
});

test('invalid options are typed errors, never NaN', () => {
  const cases: [Parameters<typeof simulate>[2], string][] = [
    [{ method: 'base', samples: 1, seed: 1 }, 'invalid-argument'],
    [{ method: 'base', samples: 10, seed: -1 }, 'invalid-argument'],
    [{ method: 'base', samples: 10, seed: 1.5 }, 'invalid-argument'],
    [{ method: 'tilt', samples: 10, seed: 1 }, 'invalid-argument'],
    [{ method: 'tilt', lambda: Number.NaN, samples: 10, seed: 1 }, 'invalid-argument'],
    [{ method: 'tilt', lambda: -1, samples: 10, seed: 1 }, 'invalid-argument'],
    [{ method: 'bon', N: 0, samples: 10, seed: 1 }, 'invalid-argument'],
    [{ method: 'bon', N: 2.5, samples: 10, seed: 1 }, 'invalid-argument'],
    [{ method: 'bon', N: 1e6, samples: 1e3, seed: 1 }, 'too-large'],
    [{ method: 'other' as 'base', samples: 10, seed: 1 }, 'invalid-argument'],
  ];
  for (const [options, code] of cases) expectError(simulate(law, 5, options), code, JSON.stringify(options));
  expectError(simulate(law, 0, { method: 'base', samples: 10, seed: 1 }), 'invalid-argument', 'n = 0');
});
