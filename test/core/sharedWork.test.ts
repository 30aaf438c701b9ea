// The shared-work paths of the speed pass: the best-of-N level parts computed once per law of R
// (bonLevels.ts) and the kernel-outer fast path of the lattice convolver must give the same
// numbers, bit for bit, as the direct per-point computations they replace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfN } from '../../src/core/bestOfN.js';
import { bonLevelParts, bonLogRatios, bonLogRatiosFromParts } from '../../src/core/bonLevels.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { LatticeConvolver } from '../../src/core/latticeConvolution.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
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
