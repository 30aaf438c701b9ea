// The fast paths of the per-token core keep full accuracy: the compressed-law start and Halley
// steps of `solveTiltForKL` (coarseLaw.ts), and the active range of the multiplicative sweep
// (tiltSweep.ts, tokens far behind the sweep dropped) — every frontier point must still be
// exactly (n D(λ), n A'(λ)) at its reported λ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coarseLaw } from '../../src/core/coarseLaw.js';
import { frontier } from '../../src/core/frontier.js';
import { solveTiltForKL } from '../../src/core/klrl.js';
import { tiltStats } from '../../src/core/logPartition.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/** Deterministic law with K tokens; `shape` maps a uniform u to a reward, `mass` to a weight. */
function makeLaw(K: number, seed: number, shape: (u: number) => number, mass = (u: number) => u + 1e-3) {
  let x = seed;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
  const p = new Float64Array(K);
  const r = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    p[k] = mass(next());
    r[k] = shape(next());
  }
  return law(p, r);
}

const laws: [string, TokenRewardLaw][] = [
  ['uniform rewards', makeLaw(20000, 7, (u) => 4 * u - 2)],
  ['skewed rewards, wide range', makeLaw(12000, 11, (u) => 50 * u ** 3)],
  // An isolated, light top value: D is strongly curved near its limit.
  [
    'isolated light top',
    (() => {
      const base = makeLaw(9000, 13, (u) => u);
      const p = Array.from(base.logMass, (m) => Math.exp(m));
      const r = Array.from(base.values);
      p.push(1e-12);
      r.push(5);
      return law(p, r);
    })(),
  ],
];

test('coarse law: far smaller, same ends and end masses', () => {
  for (const [name, l] of laws) {
    const c = coarseLaw(l);
    assert.ok(c !== null && c.values.length < l.values.length / 4, name);
    assert.equal(c.rMax, l.rMax);
    assert.equal(c.rMin, l.rMin);
    assert.equal(c.logMassMax, l.logMassMax);
    assert.equal(c.logMassMin, l.logMassMin);
    for (let k = 1; k < c.values.length; k++) assert.ok(c.values[k] > c.values[k - 1], name);
  }
});

test('λ from the coarse start + Halley agrees with a plain Newton solve to ≈ 1e-14', () => {
  for (const [name, l] of laws) {
    const dMax = -l.logMassMax;
    for (const f of [1e-6, 0.01, 0.2, 0.5, 0.7, 0.95, 0.999999]) {
      const d = f * dMax;
      const fast = solveTiltForKL(l, d);
      // An explicit start bypasses the coarse model (Newton from a distant point).
      const plain = solveTiltForKL(l, d, fast.s * 1.5);
      assertClose(fast.s, plain.s, { rel: 2e-14, context: `${name}, d = ${f}·Dmax` });
      const kl = f > 0.5 ? dMax - fast.klToLimit : fast.kl;
      assertClose(kl, d, { rel: 1e-13, context: `${name}, D(λ) = d at ${f}·Dmax` });
    }
  }
});

test('sweep with dropped tokens: every frontier point is exactly on the frontier', () => {
  for (const [name, l] of laws) {
    const res = frontier(l, 3, { steps: 200 });
    if (!res.ok) throw new Error(res.error.message);
    const pts = res.value.points;
    for (let i = 1; i < pts.length - 1; i++) {
      const st = tiltStats(l, pts[i].lambda);
      if (!st.ok) throw new Error(st.error.message);
      assertClose(pts[i].kl, 3 * st.value.kl, { rel: 1e-12, context: `${name} kl at ${i}` });
      assertClose(pts[i].reward, 3 * st.value.mean, {
        rel: 1e-12,
        abs: 1e-13,
        context: `${name} reward at ${i}`,
      });
      assert.ok(pts[i].kl > pts[i - 1].kl, `${name}: increasing at ${i}`);
    }
  }
});
