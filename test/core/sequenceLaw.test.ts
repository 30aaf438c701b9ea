// The law of R over sequences (src/core/sequenceLaw.ts, lattice.ts) against brute-force
// enumeration of all Kⁿ sequences and an exact big-integer + mpmath fixture at n = 1000.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { detectLattice } from '../../src/core/lattice.js';
import { buildTokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { exactLawFits, sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { mulberry32 } from '../helpers/random.js';
import { bruteForce, close, expectError, unwrapOk } from './sequenceHelpers.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sequence_reference.json', import.meta.url), 'utf8'),
);

interface Case {
  name: string;
  p: number[];
  r: number[];
  method: string;
}
const cases: Case[] = [
  // Duplicate reward 1 (merged), a gap in the lattice (no 2): exact lattice convolution.
  { name: 'integer with gap and tie', p: [0.4, 0.1, 0.2, 0.3], r: [0, 1, 1, 3], method: 'lattice' },
  // Decimal rewards with a negative offset: lattice h = 0.1 despite binary rounding.
  { name: 'decimals', p: [0.25, 0.25, 0.3, 0.2], r: [0.1, 0.2, 0.3, -0.4], method: 'lattice' },
  // Irrational spacing: not a lattice, small enough for exact types.
  { name: 'irrational', p: [0.5, 0.3, 0.2], r: [0, 1, Math.SQRT2], method: 'types' },
  // Very unequal masses (1e-200) stay exact.
  { name: 'small mass', p: [1, 1e-50, 0.5], r: [0, 2, 5], method: 'lattice' },
];

test('law of R matches brute-force enumeration (K ≤ 4, n ≤ 6): values, masses, both tails', () => {
  for (const c of cases) {
    const law = buildTokenRewardLaw(c.p, c.r);
    for (let n = 1; n <= 6; n++) {
      const brute = bruteForce(c.p, c.r, n);
      const seq = unwrapOk(sequenceRewardLaw(law, n), `${c.name} n=${n}`);
      assert.equal(seq.method, c.method, `${c.name} n=${n}: method`);
      assert.equal(seq.exact, true);
      assert.equal(seq.errorBound, 0);
      assert.equal(seq.values.length, brute.levels.length, `${c.name} n=${n}: number of levels`);
      let upper = 1;
      let lower = 0;
      for (let j = 0; j < brute.levels.length; j++) {
        const b = brute.levels[j];
        const what = `${c.name} n=${n} level ${j} (x=${b.x})`;
        close(seq.values[j], b.x, 1e-12, `${what} value`, 1);
        close(Math.exp(seq.logMass[j]), b.w, 1e-12, `${what} mass`);
        lower += b.w;
        close(Math.exp(seq.logUpper[j]), upper, 1e-12, `${what} P(R ≥ x)`);
        close(Math.exp(seq.logLower[j]), Math.min(1, lower), 1e-12, `${what} P(R ≤ x)`);
        upper -= b.w;
      }
      const mean = brute.levels.reduce((s, l) => s + l.w * l.x, 0);
      close(seq.mean, mean, 1e-12, `${c.name} n=${n} mean`, 1);
    }
  }
});

test('n = 1000 law and tails agree with the exact big-integer/mpmath fixture (to 1e-10 relative)', () => {
  for (const fc of fixture.cases) {
    const law = buildTokenRewardLaw(
      fc.weights,
      fc.weights.map((_: number, k: number) => fc.offset + fc.step * k),
    );
    const seq = unwrapOk(sequenceRewardLaw(law, fc.n), fc.name);
    assert.equal(seq.method, 'lattice');
    const byIndex = new Map<number, number>();
    for (let j = 0; j < seq.values.length; j++) byIndex.set(Math.round(seq.values[j]), j);
    for (const lvl of fc.levels) {
      const j = byIndex.get(Math.round(lvl.x));
      assert.ok(j !== undefined, `${fc.name}: level x=${lvl.x} missing`);
      const what = `${fc.name} x=${lvl.x}`;
      // log-masses down to −2398: an absolute log error of 1e-10 is a relative mass error of 1e-10.
      close(seq.logMass[j], lvl.logMass, 1e-10, `${what} log w`, 1 / Math.max(1, Math.abs(lvl.logMass)));
      assert.ok(
        Math.abs(seq.logMass[j] - lvl.logMass) <= 1e-10,
        `${what}: log w ${seq.logMass[j]} vs ${lvl.logMass}`,
      );
      assert.ok(
        Math.abs(seq.logUpper[j] - lvl.logUpper) <= 1e-10,
        `${what}: log P(R ≥ x) ${seq.logUpper[j]} vs ${lvl.logUpper}, error ${Math.abs(seq.logUpper[j] - lvl.logUpper)}`,
      );
      if (lvl.logLower !== undefined) {
        assert.ok(
          Math.abs(seq.logLower[j] - lvl.logLower) <= 1e-10,
          `${what}: log P(R ≤ x) ${seq.logLower[j]} vs ${lvl.logLower}, error ${Math.abs(seq.logLower[j] - lvl.logLower)}`,
        );
      }
    }
  }
});

test('uniform K = 11, n = 1000: top masses C(n+k−1, k)/11ⁿ far below 1e-308', () => {
  const law = buildTokenRewardLaw(new Array(11).fill(1), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const seq = unwrapOk(sequenceRewardLaw(law, 1000), 'uniform');
  const L = seq.values.length;
  assert.equal(L, 10001);
  // For k ≤ 10 below the top, the count of sequences is the number of ways to place k unit
  // deficits among n tokens: C(n + k − 1, k).
  let logBinom = 0;
  for (let k = 0; k <= 10; k++) {
    if (k > 0) logBinom += Math.log((1000 + k - 1) / k);
    const expected = logBinom - 1000 * Math.log(11);
    const got = seq.logMass[L - 1 - k];
    assert.ok(Math.abs(got - expected) <= 1e-10, `k=${k}: log w ${got}, expected ${expected}`);
  }
});

test('masses below 2^-200 per token (kernel with its own scale): w_k = C(3,k)·q^k exactly', () => {
  const law = buildTokenRewardLaw([1, 1e-200], [0, 1]);
  const seq = unwrapOk(sequenceRewardLaw(law, 3), 'tiny');
  assert.equal(seq.values.length, 4);
  const logQ = Math.log(1e-200);
  const binom = [1, 3, 3, 1];
  for (let k = 0; k <= 3; k++) {
    // log w_k = log C(3,k) + k log(1e-200) − 3 log(1 + 1e-200), the last term below 1e-199.
    const expected = Math.log(binom[k]) + k * logQ;
    assert.ok(
      Math.abs(seq.logMass[k] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
      `k=${k}: log w ${seq.logMass[k]}, expected ${expected}`,
    );
  }
});

test('detectLattice: decimals, negative offsets, single value, irrational', () => {
  const d = unwrapOk(detectLattice([0.1, 0.2, 0.3]), '0.1/0.2/0.3');
  assert.ok(d !== null, '0.1, 0.2, 0.3 must be a lattice');
  close(d.step, 0.1, 1e-14, 'step of 0.1/0.2/0.3');
  assert.deepEqual(Array.from(d.indices), [0, 1, 2]);
  const neg = unwrapOk(detectLattice([-0.3, -0.1, 0.2]), 'negative');
  assert.ok(neg !== null);
  close(neg.step, 0.1, 1e-14, 'step of −0.3/−0.1/0.2');
  assert.equal(neg.offset, -0.3);
  assert.deepEqual(Array.from(neg.indices), [0, 2, 5]);
  const thirds = unwrapOk(detectLattice([1 / 3, 2 / 3, 5 / 3]), 'thirds');
  assert.ok(thirds !== null);
  close(thirds.step, 1 / 3, 1e-14, 'step of thirds');
  const big = unwrapOk(detectLattice([-1000, 1000, 250.5]), 'big');
  assert.ok(big !== null, 'rewards −1000, 1000, 250.5 lie on a lattice of step 0.5');
  close(big.step, 0.5, 1e-14, 'step of −1000/1000/250.5');
  const one = unwrapOk(detectLattice([7.25]), 'single');
  assert.ok(one !== null);
  assert.equal(one.span, 0);
  assert.equal(unwrapOk(detectLattice([0, 1, Math.SQRT2]), 'sqrt2'), null);
  assert.equal(unwrapOk(detectLattice([0, Math.PI, 1]), 'pi'), null);
  assert.equal(unwrapOk(detectLattice([0, 1, Math.E]), 'e'), null);
  expectError(detectLattice([0, Number.NaN]), 'invalid-reward', 'NaN value');
  expectError(detectLattice([]), 'empty-vocabulary', 'empty');
});

test('fine-lattice approximation: error bound n·h/2 brackets the exact tails and mean', () => {
  const p = [0.5, 0.3, 0.2];
  const r = [0, 1, Math.SQRT2];
  const law = buildTokenRewardLaw(p, r);
  for (const n of [3, 6]) {
    const brute = bruteForce(p, r, n);
    // One below the number of types C(n + 2, 2), so the grid is used: G = ⌊(maxSupport − 1)/n⌋.
    const maxSupport = ((n + 2) * (n + 1)) / 2 - 1;
    const G = Math.floor((maxSupport - 1) / n);
    const seq = unwrapOk(sequenceRewardLaw(law, n, { maxSupport }), `fine n=${n}`);
    assert.equal(seq.method, 'fine-lattice');
    assert.equal(seq.exact, false);
    close(seq.errorBound, (n * (Math.SQRT2 / G)) / 2, 1e-14, `n=${n} errorBound = n·h/2`);
    const exactUpper = (x: number) => brute.levels.filter((l) => l.x >= x).reduce((s, l) => s + l.w, 0);
    const eb = seq.errorBound;
    for (let j = 0; j < seq.values.length; j++) {
      const x = seq.values[j];
      const approx = Math.exp(seq.logUpper[j]);
      const lo = exactUpper(x + eb + 1e-12);
      const hi = exactUpper(x - eb - 1e-12);
      assert.ok(
        approx >= lo - 1e-14 && approx <= hi + 1e-14,
        `n=${n} x=${x}: P ${approx} outside [${lo}, ${hi}]`,
      );
    }
    const mean = brute.levels.reduce((s, l) => s + l.w * l.x, 0);
    assert.ok(Math.abs(seq.mean - mean) <= eb, `n=${n}: |mean ${seq.mean} − exact ${mean}| > ${eb}`);
  }
});

test('edge cases: one-value law, invalid n, size limits', () => {
  const single = buildTokenRewardLaw([0.3, 0.7], [2.5, 2.5]);
  const seq = unwrapOk(sequenceRewardLaw(single, 7), 'single value');
  assert.deepEqual(Array.from(seq.values), [17.5]);
  assert.deepEqual(Array.from(seq.logMass), [0]);
  assert.deepEqual(Array.from(seq.logUpper), [0]);
  const huge = unwrapOk(sequenceRewardLaw(single, 1e9), 'single value, n = 1e9');
  assert.deepEqual(Array.from(huge.values), [2.5e9]);
  // Large n with two values: neither types (≥ n + 1 of them) nor a grid fit → too-large, quickly.
  expectError(sequenceRewardLaw(buildTokenRewardLaw([1, 1], [0, Math.SQRT2]), 1e9), 'too-large', 'n = 1e9');
  const law = buildTokenRewardLaw([1, 2, 3], [0, 1, 2]);
  for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    expectError(sequenceRewardLaw(law, n), 'invalid-argument', `n = ${n}`);
  }
  expectError(sequenceRewardLaw(law, 100, { maxSupport: 50 }), 'too-large', 'support beyond the limit');
  expectError(sequenceRewardLaw(law, 10, { maxSupport: Number.NaN }), 'invalid-argument', 'NaN maxSupport');
  // A lattice too fine for the limits falls back to a coarser grid, with its bound.
  const fine = unwrapOk(sequenceRewardLaw(law, 100, { maxSupport: 101 }), 'coarse grid');
  assert.equal(fine.method, 'fine-lattice');
  assert.equal(fine.errorBound, 100);
});

test('type enumeration over a 50,000-token vocabulary (n = 1): no recursion, O(n) per type', {
  timeout: 20_000,
}, () => {
  const K = 50_000;
  const p = Array.from({ length: K }, (_, k) => 1 / (k + 2));
  const r = Array.from({ length: K }, (_, k) => Math.sin(k) * 3 + k * 1e-6); // distinct, no lattice
  const law = tokenRewardLaw(p, r);
  assert.ok(law.ok);
  const one = sequenceRewardLaw(law.value, 1);
  assert.ok(one.ok, JSON.stringify(!one.ok && one.error));
  // n = 1: the law of R is the token law itself, value by value.
  assert.equal(one.value.values.length, law.value.values.length);
  for (let i = 0; i < law.value.values.length; i += 997) {
    assert.equal(one.value.values[i], law.value.values[i], `value ${i}`);
    const d = Math.abs(one.value.logMass[i] - law.value.logMass[i]);
    assert.ok(
      d <= 1e-12 * Math.max(1, Math.abs(law.value.logMass[i])),
      `log mass ${i}: ${one.value.logMass[i]} vs ${law.value.logMass[i]}`,
    );
  }
});

test('exactLawFits: yes for a lattice or an enumeration of types within the limits, no otherwise (never an error for size)', () => {
  const lattice = tokenRewardLaw([0.5, 0.3, 0.2], [0, 1, 2]);
  assert.ok(lattice.ok);
  assert.deepEqual(exactLawFits(lattice.value, 64), { ok: true, value: true });
  // Three incommensurable rewards: no lattice; types for small n only.
  const types = tokenRewardLaw([0.5, 0.3, 0.2], [0, 1, Math.SQRT2]);
  assert.ok(types.ok);
  assert.deepEqual(exactLawFits(types.value, 8), { ok: true, value: true });
  // Continuous rewards on many tokens: neither fits, for any limits (even those no grid fits).
  const rand = mulberry32(3);
  const K = 20_000;
  const wide = tokenRewardLaw(
    Array.from({ length: K }, () => 1 / K),
    Array.from({ length: K }, () => rand() * 2 - 1),
  );
  assert.ok(wide.ok);
  assert.deepEqual(exactLawFits(wide.value, 64), { ok: true, value: false });
  assert.deepEqual(exactLawFits(wide.value, 64, { maxSupport: 2, maxWork: 2 }), { ok: true, value: false });
  assert.equal(exactLawFits(wide.value, 0).ok, false, 'an invalid n is still an error');
});
