// The equivalence series (src/core/equivalence.ts): BoN with N = e^{nδ} vs KL-RL at budget nδ.
// Checked against the definition by enumeration for small n, against bestOfNForLength for
// larger n, and for the convergence the paper proves (docs/math.md §6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfNForLength } from '../../src/core/bestOfN.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { evaluateTilt } from '../../src/core/logPartition.js';
import { buildTokenRewardLaw } from '../../src/core/rewardLaw.js';
import { bruteForce, close, expectError, unwrapOk } from './sequenceHelpers.js';

const p = [0.4, 0.1, 0.2, 0.3];
const r = [0, 1, 1, 3];
const law = buildTokenRewardLaw(p, r);
const delta = 0.3;

test('small n: per-token BoN reward and KL equal the definition by enumeration', () => {
  const series = unwrapOk(equivalenceSeries(law, delta, [1, 2, 3, 4, 5]), 'series');
  const st = evaluateTilt(law, series.lambda).stats;
  close(st.kl, delta, 1e-13, 'D(λ*) = δ');
  close(series.rlRewardPerToken, st.mean, 1e-15, "A'(λ*)");
  for (const pt of series.points) {
    const brute = bruteForce(p, r, pt.n);
    const N = Math.exp(pt.n * delta);
    let F = 0;
    let reward = 0;
    let kl = 0;
    for (const lvl of brute.levels) {
      const prev = F;
      F = Math.min(1, F + lvl.w);
      const b = F ** N - prev ** N;
      reward += b * lvl.x;
      if (b > 0) kl += b * Math.log(b / lvl.w);
    }
    close(pt.bonRewardPerToken, reward / pt.n, 1e-12, `n=${pt.n} BoN reward per token`);
    close(pt.klPerToken, kl / pt.n, 1e-10, `n=${pt.n} KL per token`);
    assert.ok(
      pt.klPerToken <= delta,
      `n=${pt.n}: KL/n ${pt.klPerToken} above δ = ${delta} (bound log N / n)`,
    );
    assert.equal(pt.exact, true);
  }
});

test('n = 1..256: agrees with bestOfNForLength and converges to KL-RL (reward gap and KL → 0)', () => {
  const ns = Array.from({ length: 256 }, (_, i) => i + 1);
  const series = unwrapOk(equivalenceSeries(law, delta, ns), 'series');
  assert.equal(series.points.length, 256);
  for (const n of [7, 64, 200, 256]) {
    const pt = series.points[n - 1];
    const bon = unwrapOk(bestOfNForLength(law, n, { logN: n * delta }, { lambda: series.lambda }), `n=${n}`);
    close(pt.bonRewardPerToken, bon.rewardPerToken, 1e-12, `n=${n} reward`);
    close(pt.klPerToken, bon.kl / n, 1e-12, `n=${n} KL`);
    close(pt.klToRLPerToken, bon.klToTilt! / n, 1e-10, `n=${n} KL to RL`);
  }
  const gap = (n: number) => Math.abs(series.points[n - 1].bonRewardPerToken - series.rlRewardPerToken);
  const klRL = (n: number) => series.points[n - 1].klToRLPerToken;
  assert.ok(
    gap(256) < gap(64) && gap(64) < gap(16),
    `reward gaps ${gap(16)}, ${gap(64)}, ${gap(256)} not shrinking`,
  );
  assert.ok(
    klRL(256) < klRL(64) && klRL(64) < klRL(16),
    `KL(BoN‖φ)/n ${klRL(16)}, ${klRL(64)}, ${klRL(256)} not shrinking`,
  );
  assert.ok(gap(256) < 0.05 && klRL(256) < 0.05, `n=256: gap ${gap(256)}, KL/n ${klRL(256)}`);
});

test('δ = 0 is N = 1 (BoN = p); δ ≥ −log p(M) is λ* = ∞; invalid input', () => {
  const zero = unwrapOk(equivalenceSeries(law, 0, [3]), 'δ = 0');
  assert.equal(zero.lambda, 0);
  close(zero.points[0].bonRewardPerToken, 0.1 + 0.2 + 0.9, 1e-15, 'E_p r');
  assert.equal(zero.points[0].klPerToken, 0);
  assert.equal(zero.points[0].klToRLPerToken, 0);
  const beyond = unwrapOk(equivalenceSeries(law, 2, [2, 3]), 'δ = 2 > −log 0.3');
  assert.equal(beyond.lambda, Number.POSITIVE_INFINITY);
  assert.equal(beyond.rlRewardPerToken, 3);
  assert.equal(beyond.points[0].klToRLPerToken, Number.POSITIVE_INFINITY);
  const single = unwrapOk(equivalenceSeries(buildTokenRewardLaw([1], [2]), 0.5, [1, 1e9]), 'one value');
  assert.deepEqual(
    single.points.map((pt) => [pt.bonRewardPerToken, pt.klPerToken, pt.klToRLPerToken]),
    [
      [2, 0, 0],
      [2, 0, 0],
    ],
  );
  expectError(equivalenceSeries(law, Number.NaN, [1]), 'invalid-argument', 'δ NaN');
  expectError(equivalenceSeries(law, -0.1, [1]), 'invalid-argument', 'δ < 0');
  expectError(equivalenceSeries(law, 0.3, []), 'invalid-argument', 'no n');
  expectError(equivalenceSeries(law, 0.3, [1, 0]), 'invalid-argument', 'n = 0');
});
