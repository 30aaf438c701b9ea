// The shared-work paths of the speed passes: the best-of-N level parts computed once per law of R
// (bonLevels.ts), the convolver's fast path, the summary and curve paths and the solvers' reused
// iterates must give the same numbers, bit for bit, as the direct computations they replace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bestOfN,
  bestOfNFromConvolver,
  bestOfNSummary,
  bestOfNSummaryFromConvolver,
  parseBonSize,
} from '../../src/core/bestOfN.js';
import { bonLevelParts, bonLogRatios, bonLogRatiosFromParts } from '../../src/core/bonLevels.js';
import { scaledCgf, scaledCgfCurve } from '../../src/core/cumulants.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { LatticeConvolver } from '../../src/core/latticeConvolution.js';
import { copyTiltStats, evaluateTiltIterate, evaluateTiltWith } from '../../src/core/logPartition.js';
import { renyiCrossEntropy, renyiCrossEntropyCurve } from '../../src/core/renyi.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { latticeKernel, sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { unwrapOk } from './sequenceHelpers.js';

const law = buildTokenRewardLaw([0.1, 0.3, 0.35, 0.2, 0.05], [-1, 0, 0.5, 1, 2]);

test('bonLogRatiosFromParts equals bonLogRatios for every N, and a repeated bestOfN is unchanged', () => {
  const seq = unwrapOk(sequenceRewardLaw(law, 40), 'law of R');
  const L = seq.values.length;
  const logAbove = new Float64Array(L);
  for (let j = 0; j < L; j++) logAbove[j] = j + 1 < L ? seq.logUpper[j + 1] : Number.NEGATIVE_INFINITY;
  const levels = { logMass: seq.logMass, logAbove, logCdf: seq.logLower };
  const parts = bonLevelParts(levels);
  for (const logN of [1e-12, 0.3, Math.LN2, 1, 5, 40, 700]) {
    const logNm1 = logN < 1 ? Math.log(Math.expm1(logN)) : logN + Math.log1p(-Math.exp(-logN));
    assert.deepEqual(bonLogRatiosFromParts(parts, logN, logNm1), bonLogRatios(levels, logN, logNm1));
  }
  const first = unwrapOk(bestOfN(seq, law, { N: 64 }), 'bon 64');
  unwrapOk(bestOfN(seq, law, { N: 1 }), 'bon 1');
  const again = unwrapOk(bestOfN(seq, law, { N: 64 }), 'bon 64');
  assert.equal(again.reward, first.reward);
  assert.equal(again.kl, first.kl);
  assert.deepEqual(again.logRatio, first.logRatio);
});

test('the convolver matches a direct log-space convolution on a sparse kernel', () => {
  const offsets = [0, 2, 3, 4, 6];
  const logMass = [0.1, 0.3, 0.35, 0.2, 0.05].map(Math.log);
  const conv = new LatticeConvolver(offsets, logMass, 60);
  // Reference: plain doubles are enough at 60 steps (smallest mass 0.05^60 ≈ 1e-78).
  let w = new Float64Array(1);
  w[0] = 1;
  for (let m = 1; m <= 60; m++) {
    conv.step();
    const next = new Float64Array(w.length + 6);
    for (let i = 0; i < w.length; i++)
      for (let k = 0; k < 5; k++) next[i + offsets[k]] += Math.exp(logMass[k]) * w[i];
    w = next;
    for (let i = 0; i < w.length; i++) {
      const got = conv.logMassAt(i);
      if (w[i] === 0) assert.equal(got, Number.NEGATIVE_INFINITY);
      else assert.ok(Math.abs(got - Math.log(w[i])) <= 1e-12 * Math.max(1, Math.abs(got)), `m=${m} i=${i}`);
    }
  }
});

test('the equivalence series on a top window equals best-of-N on the whole law at every n', () => {
  const ns = [1, 3, 9, 20, 50, 90];
  for (const rate of [0, 0.05, 0.5, 2, 3.5]) {
    const series = unwrapOk(equivalenceSeries(law, rate, ns), 'series');
    for (const pt of series.points) {
      const seq = unwrapOk(sequenceRewardLaw(law, pt.n), 'law of R');
      const direct = unwrapOk(bestOfN(seq, law, { logN: pt.n * rate }, series.lambda), 'bon');
      const tol = (x: number) => 1e-11 * Math.max(1, Math.abs(x));
      assert.ok(Math.abs(pt.bonRewardPerToken - direct.rewardPerToken) <= tol(direct.rewardPerToken));
      assert.ok(Math.abs(pt.klPerToken - direct.kl / pt.n) <= tol(direct.kl / pt.n), `δ=${rate} n=${pt.n}`);
      const klRL = (direct.klToTilt ?? Number.NaN) / pt.n;
      if (Number.isFinite(klRL)) assert.ok(Math.abs(pt.klToRLPerToken - klRL) <= tol(klRL));
      else assert.equal(pt.klToRLPerToken, klRL);
    }
  }
});

// The summary paths (no per-level arrays, levels with b_j = 0 skipped) must give bestOfN's numbers
// bit for bit: the preview's curves and the equivalence series read them instead.
test('bestOfNSummary equals bestOfN exactly, for every N and with a comparison tilt', () => {
  for (const n of [1, 7, 40]) {
    const seq = unwrapOk(sequenceRewardLaw(law, n), 'law of R');
    for (const size of [
      { N: 1 },
      { N: 1 + 1e-9 },
      { N: 1.5 },
      { N: 3 },
      { N: 64 },
      { N: 1e6 },
      { logN: 900 },
    ]) {
      for (const lambda of [undefined, 0, 0.7, Number.POSITIVE_INFINITY]) {
        const full = unwrapOk(bestOfN(seq, law, size, lambda), 'bon');
        const summary = unwrapOk(bestOfNSummary(seq, law, size, lambda), 'summary');
        for (const key of [
          'N',
          'logN',
          'reward',
          'rewardPerToken',
          'kl',
          'klBound',
          'lambda',
          'klToTilt',
        ] as const)
          assert.ok(Object.is(summary[key], full[key]), `n=${n} ${JSON.stringify(size)} λ=${lambda} ${key}`);
      }
    }
  }
});

test('bestOfNSummaryFromConvolver equals bestOfNFromConvolver exactly', () => {
  const n = 30;
  const kernel = latticeKernel(law, n, {}, true)!;
  const conv = new LatticeConvolver(kernel.offsets, kernel.logMass, n);
  for (let m = 0; m < n; m++) conv.step();
  for (const logN of [0, 0.2, 2, 10, 25]) {
    const size = parseBonSize({ logN });
    const full = bestOfNFromConvolver(conv, kernel, n, size, law, 0.4)!;
    const summary = bestOfNSummaryFromConvolver(conv, kernel, n, size, law, 0.4)!;
    for (const key of ['reward', 'kl', 'klToTilt', 'klBound', 'exact', 'errorBound'] as const)
      assert.ok(Object.is(summary[key], full[key]), `log N = ${logN} ${key}`);
  }
});

test('curves equal their points computed one by one, bit for bit', () => {
  const ts = [-2, -0.5, -1e-9, 0, 1e-9, 0.25, 2];
  const cgf = unwrapOk(scaledCgfCurve(law, 0.6, ts), 'cgf curve');
  for (const [i, t] of ts.entries())
    assert.ok(Object.is(cgf[i], unwrapOk(scaledCgf(law, 0.6, t), 'cgf')), `t = ${t}`);
  const p = [0.1, 0.3, 0.35, 0.2, 0.05];
  const r = [-1, 0, 0.5, 1, 2];
  const alphas = [0.1, 0.5, 1 - 1e-9, 1, 1.5, 10];
  const renyi = unwrapOk(renyiCrossEntropyCurve(p, r, alphas), 'renyi curve');
  for (const [i, a] of alphas.entries())
    assert.deepEqual(renyi[i], unwrapOk(renyiCrossEntropy(p, r, a), 'renyi'), `α = ${a}`);
  assert.equal(renyiCrossEntropyCurve(p, r, [1, -1]).ok, false);
  assert.equal(scaledCgfCurve(law, Number.POSITIVE_INFINITY, ts).ok, false);
});

test('a root solver iterate (reused record) has the numbers of a fresh evaluation', () => {
  for (const s of [-3, 0, 1e-9, 0.2, 1.5, 40]) {
    const fresh = evaluateTiltWith(law, s, 3, false);
    const iterate = evaluateTiltIterate(law, s, 3, false);
    assert.deepEqual(copyTiltStats(iterate.stats), fresh.stats);
    assert.deepEqual(Array.from(iterate.central.subarray(0, 4)), Array.from(fresh.central));
  }
});
