// Best-of-N (src/core/bestOfN.ts, bonLevels.ts, bonComparison.ts) against its definition by
// brute force, explicit enumeration of N = 2, 3 draws (tie rule), docs/math.md §7 identities and the
// 600-digit fixture (N = e^{5}, e^{500}, e^{1000} at n = 1000).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bestOfN, bestOfNForLength, bonKLBound } from '../../src/core/bestOfN.js';
import { bestOfNVersusRL } from '../../src/core/bonComparison.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { bruteForce, close, expectError, unwrapOk } from './sequenceHelpers.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sequence_reference.json', import.meta.url), 'utf8'),
);

const laws = [
  { name: 'gap+tie', p: [0.4, 0.1, 0.2, 0.3], r: [0, 1, 1, 3] },
  { name: 'decimals', p: [0.25, 0.25, 0.3, 0.2], r: [0.1, 0.2, 0.3, -0.4] },
  { name: 'irrational', p: [0.5, 0.3, 0.2], r: [0, 1, Math.SQRT2] },
];

/** KL(BoN ‖ φ_λⁿ) by summing over every sequence: BoN(y) = pⁿ(y) b_j/w_j, φ_λⁿ(y) = Π φ_λ(y_i). */
function bruteKLToTilt(p: number[], r: number[], n: number, N: number, lambda: number): number {
  const brute = bruteForce(p, r, n);
  const total = p.reduce((a, b) => a + b, 0);
  const z = p.reduce((s, pk, k) => s + (pk / total) * Math.exp(lambda * r[k]), 0);
  const phi = p.map((pk, k) => ((pk / total) * Math.exp(lambda * r[k])) / z);
  const b = levelLaw(
    brute.levels.map((l) => l.w),
    N,
  );
  let kl = 0;
  for (const s of brute.sequences) {
    const bon = (s.prob * b[s.level]) / brute.levels[s.level].w;
    const tilt = s.tokens.reduce((acc, t) => acc * phi[t], 1);
    if (bon > 0) kl += bon * Math.log(bon / tilt);
  }
  return kl;
}

/** b_j = F_j^N − F_{j−1}^N by the definition (plain doubles; fine for these small laws). */
function levelLaw(w: number[], N: number): number[] {
  let F = 0;
  return w.map((wj) => {
    const prev = F;
    F += wj;
    return Math.min(1, F) ** N - prev ** N;
  });
}

test('level law, E R, KL(BoN‖pⁿ), KL(BoN‖φ_λⁿ) match the definition by enumeration (n ≤ 5)', () => {
  for (const c of laws) {
    const law = buildTokenRewardLaw(c.p, c.r);
    for (let n = 1; n <= 5; n++) {
      const brute = bruteForce(c.p, c.r, n);
      const seq = unwrapOk(sequenceRewardLaw(law, n), `${c.name} n=${n}`);
      for (const N of [1, 2, 3, 7.5, 1000]) {
        for (const lambda of [0, 0.7, 3]) {
          const what = `${c.name} n=${n} N=${N} λ=${lambda}`;
          const bon = unwrapOk(bestOfN(seq, law, { N }, lambda), what);
          const b = levelLaw(
            brute.levels.map((l) => l.w),
            N,
          );
          for (const [j, bj] of b.entries())
            close(Math.exp(bon.logLevelMass[j]), bj, 1e-11, `${what} b_${j}`, 1e-300);
          const reward = b.reduce((s, bj, j) => s + bj * brute.levels[j].x, 0);
          close(bon.reward, reward, 1e-12, `${what} E R`, 1);
          const kl = b.reduce((s, bj, j) => (bj > 0 ? s + bj * Math.log(bj / brute.levels[j].w) : s), 0);
          close(bon.kl, kl, 1e-10, `${what} KL(BoN‖pⁿ)`, 1e-5);
          close(bon.klToTilt!, bruteKLToTilt(c.p, c.r, n, N, lambda), 1e-9, `${what} KL(BoN‖φ)`, 1e-5);
          assert.ok(bon.kl <= bon.klBound + 1e-15, `${what}: KL ${bon.kl} > bound ${bon.klBound}`);
        }
      }
    }
  }
});

test('tie rule: enumerating N = 2, 3 explicit draws gives BoN(y) = pⁿ(y)·b_j/w_j', () => {
  // Tokens 1 and 2 share reward 1, so sequences tie; n = 2 → 9 sequences.
  const p = [0.5, 0.2, 0.3];
  const r = [0, 1, 1];
  const n = 2;
  const brute = bruteForce(p, r, n);
  const law = buildTokenRewardLaw(p, r);
  const seq = unwrapOk(sequenceRewardLaw(law, n), 'tie law');
  const S = brute.sequences.length;
  for (const N of [2, 3]) {
    const bonByEnum = new Array<number>(S).fill(0);
    const idx = new Array<number>(N).fill(0);
    for (let code = 0; code < S ** N; code++) {
      let c = code;
      let prob = 1;
      let best = Number.NEGATIVE_INFINITY;
      for (let d = 0; d < N; d++) {
        idx[d] = c % S;
        c = Math.floor(c / S);
        prob *= brute.sequences[idx[d]].prob;
        best = Math.max(best, brute.sequences[idx[d]].reward);
      }
      const winners = idx.filter((i) => brute.sequences[i].reward === best);
      // Uniform over the tied draws (positions), each with probability 1/#tied.
      for (const i of winners) bonByEnum[i] += prob / winners.length;
    }
    const bon = unwrapOk(bestOfN(seq, law, { N }), `N=${N}`);
    brute.sequences.forEach((s, i) => {
      const formula = s.prob * Math.exp(bon.logRatio[s.level]);
      close(formula, bonByEnum[i], 1e-12, `N=${N} sequence ${s.tokens.join(',')}`);
    });
  }
});

test('math.md §7: n = 1, N = 1 is p itself (reward E_p r, KL 0); the KL bound and its tightness', () => {
  const law = buildTokenRewardLaw([0.2, 0.5, 0.3], [-1, 2, 4]);
  const seq = unwrapOk(sequenceRewardLaw(law, 1), 'n=1');
  const bon = unwrapOk(bestOfN(seq, law, { N: 1 }, 0.5), 'N=1');
  close(bon.reward, 0.2 * -1 + 0.5 * 2 + 0.3 * 4, 1e-15, 'E_p r');
  assert.equal(bon.kl, 0, `KL at N = 1 is ${bon.kl}`);
  assert.equal(bon.klBound, 0);
  // No ties and a fine law: KL(BoN‖p) approaches log N − (N−1)/N (the continuous case) from
  // below, the gap shrinking like 1/K for K equally likely distinct values.
  let previousGap = Number.POSITIVE_INFINITY;
  for (const K of [10, 100, 1000]) {
    const uniform = buildTokenRewardLaw(
      new Array(K).fill(1),
      Array.from({ length: K }, (_, k) => k),
    );
    const s = unwrapOk(sequenceRewardLaw(uniform, 1), `K=${K}`);
    const b = unwrapOk(bestOfN(s, uniform, { N: 8 }), `K=${K} N=8`);
    const gap = b.klBound - b.kl;
    assert.ok(gap > 0 && gap < previousGap && gap <= 2 / K, `K=${K}: bound − KL = ${gap}`);
    previousGap = gap;
  }
});

test('BoN reward never exceeds the frontier at its own KL; log N budget comparison', () => {
  for (const c of laws) {
    const law = buildTokenRewardLaw(c.p, c.r);
    for (const n of [1, 3, 8]) {
      for (const N of [2, 10, 1e4]) {
        const v = unwrapOk(bestOfNVersusRL(law, n, { N }), `${c.name} n=${n} N=${N}`);
        assert.ok(
          v.bon.reward <= v.sameKL.reward + 1e-12 * Math.max(1, Math.abs(v.sameKL.reward)),
          `${c.name} n=${n} N=${N}: BoN reward ${v.bon.reward} > frontier ${v.sameKL.reward} at KL ${v.bon.kl}`,
        );
        close(v.sameKL.kl, Math.min(v.bon.kl, v.sameKL.kl), 1e-12, 'same-KL budget', 1);
        // KL(BoN‖φ_λⁿ) at the log N budget, by the stability identity (docs/math.md §3):
        // KL(φ‖φ_Δ) = KL(φ‖pⁿ) − Δ + λ(E_{φ_Δ}R − E_φ R) when λ < ∞.
        if (Number.isFinite(v.logNBudget.lambda)) {
          const identity =
            v.bon.kl - v.logNBudget.kl + v.logNBudget.lambda * (v.logNBudget.reward - v.bon.reward);
          close(v.bon.klToTilt!, identity, 1e-9, `${c.name} n=${n} N=${N} stability identity`, 1);
        } else {
          assert.equal(v.bon.klToTilt, Number.POSITIVE_INFINITY);
        }
      }
    }
  }
});

test('n = 1000 against the 600-digit fixture: N = e^5, e^500, e^1000 (full law and top window)', () => {
  const fc = fixture.cases.find((c: { name: string }) => c.name === 'k3-n1000');
  const law = buildTokenRewardLaw(fc.weights, [0, 1, 2]);
  const seq = unwrapOk(sequenceRewardLaw(law, fc.n), 'k3');
  for (const ref of fc.bestOfN) {
    const what = `k3 n=1000 log N=${ref.logN}`;
    const full = unwrapOk(bestOfN(seq, law, { logN: ref.logN }, ref.lambda), what);
    const windowed = unwrapOk(bestOfNForLength(law, fc.n, { logN: ref.logN }, { lambda: ref.lambda }), what);
    for (const [label, b] of [
      ['full', full],
      ['window', windowed],
    ] as const) {
      close(b.reward, ref.reward, 1e-10, `${what} ${label} E R`);
      close(b.kl, ref.kl, 1e-10, `${what} ${label} KL(BoN‖pⁿ)`);
      close(b.klBound, ref.bound, 1e-12, `${what} ${label} bound`);
      close(b.klToTilt!, ref.klToTilt, 1e-9, `${what} ${label} KL(BoN‖φ_λ)`);
      assert.ok(b.kl <= b.klBound, `${what}: KL ${b.kl} > bound ${b.klBound}`);
    }
    if (ref.logN >= 500) assert.ok(windowed.values.length < seq.values.length, `${what}: window not used`);
  }
});

test('N = 1 + 1e-12: b ≈ w, KL ≈ ½ Σ (b−w)²/w (second order), both below the bound', () => {
  const law = buildTokenRewardLaw([0.5, 0.3, 0.2], [0, 1, 3]);
  const n = 4;
  const seq = unwrapOk(sequenceRewardLaw(law, n), 'law');
  const N = 1 + 1e-12;
  const eps = N - 1; // exact (Sterbenz): 1.0000889e-12, the double nearest to 1 + 1e-12 minus 1
  const bon = unwrapOk(bestOfN(seq, law, { N }), 'N = 1 + 1e-12');
  // d b_j / dN at N = 1 is c_j = F_j log F_j − F_{j−1} log F_{j−1}.
  const w = Array.from(seq.logMass, Math.exp);
  let F = 0;
  let klSecondOrder = 0;
  let dReward = 0;
  w.forEach((wj, j) => {
    const prev = F;
    F = Math.min(1, F + wj);
    const c = F * Math.log(F) - (prev > 0 ? prev * Math.log(prev) : 0);
    klSecondOrder += (eps * c) ** 2 / (2 * wj);
    dReward += c * seq.values[j];
  });
  close(bon.reward, seq.mean + eps * dReward, 1e-14, 'E R at N = 1 + ε', 1);
  close(bon.kl, klSecondOrder, 1e-3, 'KL at N = 1 + ε (second order; O(ε) and rounding)');
  close(bon.klBound, eps ** 2 / 2, 1e-9, 'bound at N = 1 + ε');
  assert.ok(bon.kl >= 0 && bon.kl <= bon.klBound, `KL ${bon.kl} vs bound ${bon.klBound}`);
  // The same N given as log N.
  const viaLog = unwrapOk(bestOfN(seq, law, { logN: Math.log1p(eps) }), 'log N');
  close(viaLog.kl, bon.kl, 1e-3, 'KL via log N');
});

test('edge cases: one-value law, λ = ∞, KL bound series, invalid N / log N / λ', () => {
  const single = buildTokenRewardLaw([1], [3]);
  const s1 = unwrapOk(sequenceRewardLaw(single, 5), 'single');
  const b1 = unwrapOk(bestOfN(s1, single, { logN: 1000 }, Number.POSITIVE_INFINITY), 'single, log N = 1000');
  assert.equal(b1.reward, 15);
  assert.equal(b1.kl, 0);
  assert.equal(b1.klToTilt, 0);
  const bHuge = unwrapOk(bestOfNForLength(single, 1e9, { logN: 1000 }), 'single, n = 1e9');
  assert.equal(bHuge.reward, 3e9);
  const law = buildTokenRewardLaw([0.5, 0.5], [0, 1]);
  const seq = unwrapOk(sequenceRewardLaw(law, 3), 'two values');
  const inf = unwrapOk(bestOfN(seq, law, { N: 4 }, Number.POSITIVE_INFINITY), 'λ = ∞');
  assert.equal(inf.klToTilt, Number.POSITIVE_INFINITY);
  const huge = unwrapOk(bestOfN(seq, law, { logN: 1000 }), 'N = e^1000');
  assert.equal(huge.N, Number.POSITIVE_INFINITY);
  close(huge.reward, 3, 1e-15, 'N = e^1000 picks the top level');
  close(huge.kl, 3 * Math.LN2, 1e-15, 'KL → −log w_top');
  for (const x of [0.1, 0.5, 3, 50])
    close(bonKLBound(x), x - 1 + Math.exp(-x), 1e-13, `bound at log N = ${x}`);
  // Small x: x²/2 − x³/6 + x⁴/24, the omitted x⁵/120 is x³/60 ≤ 2e-14 relative for x ≤ 1e-4.
  for (const x of [1e-4, 1e-8, 1e-12]) {
    close(bonKLBound(x), (x * x) / 2 - (x * x * x) / 6 + (x * x * x * x) / 24, 1e-12, `bound series at ${x}`);
  }
  for (const size of [
    { N: 0.5 },
    { N: Number.NaN },
    { N: Number.POSITIVE_INFINITY },
    { logN: -1 },
    { logN: Number.NaN },
  ]) {
    expectError(bestOfN(seq, law, size), 'invalid-argument', `size ${JSON.stringify(size)}`);
    expectError(
      bestOfNForLength(law, 3, size),
      'invalid-argument',
      `size ${JSON.stringify(size)} (for length)`,
    );
  }
  expectError(bestOfN(seq, law, { N: 2 }, -1), 'out-of-range', 'λ < 0');
  expectError(bestOfN(seq, law, { N: 2 }, Number.NaN), 'invalid-argument', 'λ NaN');
  expectError(bestOfNForLength(law, 0, { N: 2 }), 'invalid-argument', 'n = 0');
});
