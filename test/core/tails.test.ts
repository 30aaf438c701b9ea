// Exact finite-n tail exponents (src/core/tails.ts) against brute force, the n = 1000 fixture,
// and docs/math.md §4: the Chernoff bound (exponent ≥ Cramér's rate A*(x) = D(s) at x = A'(s)) with a
// gap that shrinks like log n / n.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluateTilt } from '../../src/core/logPartition.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { tailExponent, tailExponents } from '../../src/core/tails.js';
import { bruteForce, close, expectError, unwrapOk } from './sequenceHelpers.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sequence_reference.json', import.meta.url), 'utf8'),
);

test('tail exponents match brute-force tails on both sides of the mean, +∞ outside the support', () => {
  const p = [0.25, 0.25, 0.3, 0.2];
  const r = [0.1, 0.2, 0.3, -0.4];
  const law = buildTokenRewardLaw(p, r);
  for (let n = 1; n <= 5; n++) {
    const brute = bruteForce(p, r, n);
    const seq = unwrapOk(sequenceRewardLaw(law, n), `n=${n}`);
    const mean = brute.levels.reduce((s, l) => s + l.w * l.x, 0) / n;
    for (const lvl of brute.levels) {
      const x = lvl.x / n; // exactly at a level: the tail includes it
      const t = unwrapOk(tailExponent(seq, x), `n=${n} x=${x}`);
      const upper = x >= mean;
      const prob = brute.levels
        .filter((l) => (upper ? l.x >= lvl.x - 1e-9 : l.x <= lvl.x + 1e-9))
        .reduce((s, l) => s + l.w, 0);
      assert.equal(t.side, upper ? 'upper' : 'lower', `n=${n} x=${x}: side`);
      close(t.exponent, -Math.log(prob) / n, 1e-11, `n=${n} x=${x} exponent`, 1e-4);
    }
    const above = unwrapOk(tailExponent(seq, 0.3 + 1e-9), `n=${n} above r_max`);
    assert.equal(above.exponent, Number.POSITIVE_INFINITY);
    assert.equal(above.logProbability, Number.NEGATIVE_INFINITY);
    const below = unwrapOk(tailExponent(seq, -0.4 - 1e-9), `n=${n} below r_min`);
    assert.equal(below.exponent, Number.POSITIVE_INFINITY);
  }
});

test('n = 1000: exponents from the fixture tails, including e^{−2398}', () => {
  const fc = fixture.cases.find((c: { name: string }) => c.name === 'k11-uniform-n1000-top');
  const law = buildTokenRewardLaw(
    fc.weights,
    fc.weights.map((_: number, k: number) => k),
  );
  const seq = unwrapOk(sequenceRewardLaw(law, 1000), 'uniform');
  for (const lvl of fc.levels) {
    const t = unwrapOk(tailExponent(seq, lvl.x / 1000), `x=${lvl.x}`);
    close(t.exponent, -lvl.logUpper / 1000, 1e-12, `x=${lvl.x / 1000} exponent`);
  }
});

test('math.md §4: exponent ≥ A*(x) (Chernoff) and the gap shrinks like log n / n', () => {
  const law = buildTokenRewardLaw([0.5, 0.3, 0.2], [0, 1, 2]);
  for (const s of [-1.5, -0.5, 0.4, 1.2]) {
    const st = evaluateTilt(law, s).stats;
    const x = st.mean;
    const rate = st.kl; // A*(A'(s)) = D(s)
    let previous = Number.POSITIVE_INFINITY;
    for (const n of [25, 100, 400, 1600]) {
      const seq = unwrapOk(sequenceRewardLaw(law, n), `n=${n}`);
      const t = unwrapOk(tailExponent(seq, x), `n=${n} x=${x}`);
      const gap = t.exponent - rate;
      assert.ok(gap >= -1e-12, `s=${s} n=${n}: exponent ${t.exponent} below Cramér's rate ${rate}`);
      assert.ok(gap <= (Math.log(n) + 3) / n, `s=${s} n=${n}: gap ${gap} > (log n + 3)/n`);
      assert.ok(gap < previous, `s=${s} n=${n}: gap ${gap} did not shrink (previous ${previous})`);
      previous = gap;
    }
  }
});

test('invalid levels are typed errors', () => {
  const law = buildTokenRewardLaw([0.5, 0.5], [0, 1]);
  const seq = unwrapOk(sequenceRewardLaw(law, 4), 'law');
  expectError(tailExponent(seq, Number.NaN), 'invalid-argument', 'NaN');
  expectError(tailExponent(seq, Number.POSITIVE_INFINITY), 'invalid-argument', '∞');
  expectError(tailExponents(seq, [0.5, Number.NaN]), 'invalid-argument', 'grid with NaN');
  const grid = unwrapOk(tailExponents(seq, [0, 0.5, 1]), 'grid');
  close(grid[0].exponent, Math.log(16) / 4, 1e-15, 'P(R ≤ 0) = 1/16');
  close(grid[1].exponent, -Math.log(11 / 16) / 4, 1e-14, 'P(R ≥ 2) = 11/16');
});
