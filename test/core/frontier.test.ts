// The KL–reward frontier: every point exactly on (nD(λ), nA'(λ)), exact endpoints, even KL
// spacing, monotone and concave with secant slopes between 1/λ_{i+1} and 1/λ_i (F' = 1/λ), the
// multiplicative sweep for large vocabularies, options and invalid input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Frontier, frontier } from '../../src/core/frontier.js';
import { tiltStats } from '../../src/core/logPartition.js';
import { type TokenRewardLaw, tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { TiltSweep } from '../../src/core/tiltSweep.js';
import { assertClose } from '../helpers/tolerance.js';

function law(p: ArrayLike<number>, r: ArrayLike<number>): TokenRewardLaw {
  const res = tokenRewardLaw(p, r);
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
function trace(l: TokenRewardLaw, n: number, steps: number, extra: object = {}): Frontier {
  const res = frontier(l, n, { steps, ...extra });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}
/** A deterministic pseudo-random law with K distinct rewards (LCG; no Math.random). */
function randomLaw(K: number, seed: number): TokenRewardLaw {
  let x = seed;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
  const p = new Float64Array(K);
  const r = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    p[k] = next() + 1e-3;
    r[k] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  }
  return law(p, r);
}

/** The checks every frontier must pass (tolerance `rel` for "on the frontier"). */
function checkFrontier(l: TokenRewardLaw, n: number, f: Frontier, rel: number, label: string): void {
  const pts = f.points;
  for (const [i, pt] of pts.entries()) {
    const st = tiltStats(l, pt.lambda);
    assert.ok(st.ok);
    assertClose(pt.kl, n * st.value.kl, {
      rel,
      abs: 1e-300,
      context: { label, i, lambda: pt.lambda, what: 'kl' },
    });
    assertClose(pt.reward, n * st.value.mean, {
      rel,
      context: { label, i, lambda: pt.lambda, what: 'reward' },
    });
  }
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    assert.ok(b.kl > a.kl && b.lambda > a.lambda && b.reward > a.reward, `${label}: not increasing at ${i}`);
    // F' = 1/λ is decreasing, so the secant slope lies in [1/λ_i, 1/λ_{i−1}] (mean value theorem).
    const slope = (b.reward - a.reward) / (b.kl - a.kl);
    const slack = 1e-7 * slope; // rounding of a difference of nearby values
    assert.ok(
      slope <= 1 / a.lambda + slack && slope >= 1 / b.lambda - slack,
      `${label}: slope ${slope} at ${i} outside [1/${b.lambda}, 1/${a.lambda}]`,
    );
    if (i >= 2) {
      const prev = (a.reward - pts[i - 2].reward) / (a.kl - pts[i - 2].kl);
      assert.ok(slope <= prev + slack, `${label}: not concave at ${i}: ${slope} > ${prev}`);
    }
  }
}

test('small law: exact spacing, exact endpoints, every point on the frontier', () => {
  const p = [0.1, 0.25, 0.3, 0.2, 0.15];
  const r = [-1.5, -0.2, 0.4, 1.1, 2.5];
  const l = law(p, r);
  const n = 6;
  const f = trace(l, n, 33);
  assert.equal(f.points.length, 33);
  assertClose(f.maxKL, n * -Math.log(0.15), { rel: 1e-15, context: 'maxKL' });
  assert.equal(f.maxReward, n * 2.5);
  assert.equal(f.points[0].lambda, 0);
  assert.equal(f.points[0].kl, 0);
  assertClose(f.points[0].reward, n * p.reduce((a, pk, k) => a + pk * r[k], 0), {
    rel: 1e-15,
    context: 'n·E_p r',
  });
  const last = f.points[32];
  assert.equal(last.lambda, Number.POSITIVE_INFINITY);
  assert.equal(last.reward, n * 2.5);
  assert.equal(last.kl, f.maxKL);
  for (let i = 1; i < 32; i++)
    assertClose(f.points[i].kl, (f.maxKL * i) / 32, { rel: 1e-13, context: { i } });
  checkFrontier(l, n, { ...f, points: f.points.slice(0, 32) }, 1e-13, 'small');
});

test('large law (multiplicative sweep): points on the frontier to 1e-11, spacing within half a step', () => {
  const l = randomLaw(3000, 7);
  const n = 4;
  // Count exp passes, to be sure the sweep (not the exact-solve fallback) produced the points.
  const original = TiltSweep.prototype.factor;
  let passes = 0;
  TiltSweep.prototype.factor = function (this: TiltSweep, h: number) {
    passes++;
    return original.call(this, h);
  };
  let f: Frontier;
  try {
    f = trace(l, n, 200);
  } finally {
    TiltSweep.prototype.factor = original;
  }
  assert.ok(passes > 0 && passes < 60, `the sweep used ${passes} exp passes for 198 interior points`);
  assert.equal(f.points.length, 200);
  const interior = f.points.slice(0, 199);
  checkFrontier(l, n, { ...f, points: interior }, 1e-11, 'sweep');
  const spacing = f.maxKL / 199;
  for (let i = 1; i < 199; i++) {
    const miss = Math.abs(f.points[i].kl - i * spacing) / spacing;
    assert.ok(miss < 0.5, `point ${i}: kl ${f.points[i].kl} is ${miss} spacings from its target`);
  }
});

test('the sweep agrees with direct evaluation after hundreds of steps', () => {
  const l = randomLaw(500, 3);
  const sweep = new TiltSweep(l, 1);
  const f = sweep.factor(0.01);
  for (let i = 0; i < 400; i++) sweep.step(f);
  const direct = tiltStats(l, sweep.position);
  assert.ok(direct.ok);
  const pt = sweep.current;
  assertClose(pt.kl, direct.value.kl, { rel: 1e-12, context: { s: pt.s, what: 'D' } });
  assertClose(pt.mean, direct.value.mean, { rel: 1e-12, context: { s: pt.s, what: "A'" } });
  assertClose(pt.logPartition, direct.value.logPartition, { rel: 1e-12, context: { s: pt.s, what: 'A' } });
});

test('deltaFrom / deltaTo: exact endpoints, clamping to the maximum', () => {
  const l = randomLaw(200, 11);
  const n = 2;
  const full = trace(l, n, 10);
  const part = trace(l, n, 17, { deltaFrom: 0.3, deltaTo: 0.6 * full.maxKL });
  assertClose(part.points[0].kl, 0.3, { rel: 1e-13, context: 'first = deltaFrom' });
  assertClose(part.points[16].kl, 0.6 * full.maxKL, { rel: 1e-13, context: 'last = deltaTo' });
  checkFrontier(l, n, part, 1e-11, 'partial');
  const clamped = trace(l, n, 5, { deltaTo: 10 * full.maxKL });
  assert.equal(clamped.points[4].lambda, Number.POSITIVE_INFINITY);
});

test('one-value law: a single point', () => {
  const f = trace(law([0.5, 0.5], [2, 2]), 3, 10);
  assert.deepEqual(f.points, [{ lambda: 0, kl: 0, reward: 6 }]);
  assert.equal(f.maxKL, 0);
});

test('extreme regime: rewards ±1e3, p down to 1e-300', () => {
  const l = law([1e-300, 0.5, 0.5 - 1e-300], [1000, -1000, 999]);
  const f = trace(l, 1, 40);
  checkFrontier(l, 1, { ...f, points: f.points.slice(0, 39) }, 1e-11, 'extreme');
  assertClose(f.maxKL, -Math.log(1e-300), { rel: 1e-15, context: 'maxKL' });
});

test('extreme regime through the sweep: 300 values in ±1e3, every 7th mass 1e-300', () => {
  let x = 77;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
  const K = 300;
  const p = new Float64Array(K);
  const r = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    p[k] = k % 7 === 0 ? 1e-300 : next();
    r[k] = 2000 * next() - 1000;
  }
  const l = law(p, r);
  const f = trace(l, 3, 120);
  checkFrontier(l, 3, { ...f, points: f.points.slice(0, 119) }, 1e-11, 'extreme sweep');
  for (let i = 1; i < 119; i++) {
    const miss = Math.abs(f.points[i].kl - (i * f.maxKL) / 119) / (f.maxKL / 119);
    assert.ok(miss < 0.5, `point ${i} is ${miss} spacings from its target`);
  }
});

test('invalid options', () => {
  const l = randomLaw(10, 5);
  for (const steps of [0, 1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const res = frontier(l, 1, { steps });
    assert.ok(!res.ok && res.error.code === 'out-of-range', `steps = ${steps}`);
  }
  const cases = [
    { deltaFrom: -1 },
    { deltaFrom: Number.NaN },
    { deltaTo: Number.NaN },
    { deltaFrom: 1e9 },
    { deltaFrom: 1, deltaTo: 0.5 },
  ];
  for (const extra of cases) {
    const res = frontier(l, 1, { steps: 5, ...extra });
    assert.ok(!res.ok, `options ${JSON.stringify(extra)} should fail`);
  }
  const badN = frontier(l, 0, { steps: 5 });
  assert.ok(!badN.ok && badN.error.code === 'invalid-argument');
});
