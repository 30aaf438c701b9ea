// The Fourier method for continuous rewards (src/core/fourierLaw.ts, docs/math-continuous.md):
// every stated bound holds against the exact law of R — brute force over all Kⁿ sequences for
// K = 3..6 tokens and n = 2..8, and the exact multinomial types for K = 6, n = 30 — for N from 1
// to e^{50}; the bounds meet the goals on a Gaussian-reward model with thousands of
// tokens; few-valued laws keep the fine lattice or the exact methods under 'auto'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfNForLength, bestOfNFromLaw, bestOfNSummary, parseBonSize } from '../../src/core/bestOfN.js';
import { equivalenceSeries } from '../../src/core/equivalence.js';
import { defaultFourierAccuracy, FourierEngine } from '../../src/core/fourierLaw.js';
import { evaluateTilt } from '../../src/core/logPartition.js';
import { buildTokenRewardLaw, type TokenRewardLaw } from '../../src/core/rewardLaw.js';
import { buildSequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { tailExponent, tailExponents } from '../../src/core/tails.js';
import { centredTokenLaw, certifyCF } from '../../src/core/tokenCharacteristic.js';
import { bruteForce, unwrapOk } from './sequenceHelpers.js';

interface Level {
  x: number;
  w: number;
}

/** Rounding slack of a comparison: 1e-12 of the scale (the exact references are doubles too). */
const SLACK = 1e-12;

/**
 * Best-of-N by its definition on an exact level law (ascending): b_j = F_j^N − F_{j−1}^N with
 * F_j^N = exp(−N·(−log(1 − G_j))), G_j = P(R > x_j) summed from the top (accurate for huge N);
 * E_BoN R = Σ b_j x_j, KL(BoN‖pⁿ) = Σ b_j log(b_j/w_j), KL(BoN‖φ_λⁿ) = KL − λ E_BoN R + n A(λ).
 */
function exactBon(levels: Level[], logN: number, n: number, law: TokenRewardLaw, lambda: number) {
  const L = levels.length;
  const G = new Array<number>(L);
  let acc = 0;
  for (let j = L - 1; j >= 0; j--) {
    G[j] = acc;
    acc += levels[j].w;
  }
  const powN = (g: number) =>
    g <= 0 ? 1 : g >= 1 ? 0 : Math.exp(-Math.exp(logN + Math.log(-Math.log1p(-g))));
  let reward = 0;
  let kl = 0;
  for (let j = 0; j < L; j++) {
    const b = powN(G[j]) - (j > 0 ? powN(G[j - 1]) : 0);
    if (b > 0) {
      reward += b * levels[j].x;
      kl += b * Math.log(b / levels[j].w);
    }
  }
  const A = evaluateTilt(law, lambda, 2).stats.logPartition;
  return { reward, kl, klToTilt: kl - lambda * reward + n * A };
}

/** P(R ≥ x) or P(R ≤ x) of an exact level law. */
function exactTail(levels: Level[], x: number, upper: boolean): number {
  let s = 0;
  for (const l of levels) if (upper ? l.x >= x : l.x <= x) s += l.w;
  return s;
}

function within(value: number, exact: number, bound: number, what: string, inputs: string): void {
  const err = Math.abs(value - exact);
  assert.ok(
    Number.isFinite(value) && err <= bound + SLACK * Math.max(1, Math.abs(exact)),
    `${what} (${inputs}): value ${value}, expected ${exact}, error ${err}, stated bound ${bound}`,
  );
}

const SMALL = [
  { name: 'K=3', p: [0.5, 0.3, 0.2], r: [0, 1, Math.SQRT2] },
  { name: 'K=4', p: [0.25, 0.25, 0.3, 0.2], r: [0.1, 0.2, Math.PI / 10, -0.4] },
  {
    name: 'K=6',
    p: [0.1, 0.2, 0.3, 0.15, 0.15, 0.1],
    r: [-1.3, 0.7, Math.E / 3, 0.05, 1.9, -0.21],
  },
];
/** An accuracy the few-valued test laws reach in well under a second per evaluation. */
const ACCURACY = 1e-3;
const LAMBDA = 0.7;

test('E_BoN R, KL(BoN‖pⁿ), KL(BoN‖φ_λⁿ) within their stated bounds against brute force (K = 3..6, n = 2..8)', () => {
  for (const { name, p, r } of SMALL) {
    const law = buildTokenRewardLaw(p, r);
    for (const n of [2, 5, 8]) {
      if (p.length ** n > 300_000) continue;
      const levels = bruteForce(p, r, n).levels;
      const engine = new FourierEngine(law, n, ACCURACY);
      const logNs = [0, Math.log(1.5), Math.log(2), Math.log(10), 3, 10];
      if (n === 5 && p.length === 4) logNs.push(50);
      for (const logN of logNs) {
        const inputs = `${name}, n = ${n}, log N = ${logN}, λ = ${LAMBDA}`;
        const ex = exactBon(levels, logN, n, law, LAMBDA);
        const b = engine.bestOfN(parseBonSize({ logN }), LAMBDA);
        within(b.reward, ex.reward, b.rewardError, 'E_BoN R', inputs);
        within(b.kl, ex.kl, b.klError, 'KL(BoN‖pⁿ)', inputs);
        within(b.klToTilt ?? Number.NaN, ex.klToTilt, b.klToTiltError ?? 0, 'KL(BoN‖φ_λⁿ)', inputs);
      }
    }
  }
});

test('tail probabilities: the level shift brackets the exact tails, the log error bounds them (brute force)', () => {
  let shifts = 0;
  let logErrors = 0;
  for (const { name, p, r } of SMALL) {
    const law = buildTokenRewardLaw(p, r);
    for (const n of [2, 5, 8]) {
      if (p.length ** n > 300_000) continue;
      const levels = bruteForce(p, r, n).levels;
      const engine = new FourierEngine(law, n, ACCURACY);
      const lo = levels[0].x;
      const hi = levels[levels.length - 1].x;
      for (const q of [0.1, 0.55, 0.95]) {
        const x = lo + q * (hi - lo) + 1e-3;
        const upper = x >= n * engine.mean;
        const t = engine.tail(x, upper);
        const P = Math.exp(t.logProbability);
        const inputs = `${name}, n = ${n}, x = ${x}, ${upper ? 'upper' : 'lower'}`;
        if (Number.isFinite(t.shift)) {
          shifts++;
          const further = exactTail(levels, upper ? x + t.shift : x - t.shift, upper);
          const nearer = exactTail(levels, upper ? x - t.shift : x + t.shift, upper);
          assert.ok(
            further <= P * (1 + SLACK) && P <= nearer * (1 + SLACK),
            `tail bracket (${inputs}): value ${P}, expected within [${further}, ${nearer}] (shift ${t.shift})`,
          );
        }
        if (Number.isFinite(t.logError)) {
          logErrors++;
          const exact = exactTail(levels, x, upper);
          within(t.logProbability, Math.log(exact), t.logError, 'log P', inputs);
        }
      }
    }
  }
  assert.ok(shifts >= 10 && logErrors >= 10, `only ${shifts} shifts and ${logErrors} log errors were finite`);
});

/** K = 6 with irrational rewards: 324,632 types at n = 30, the exact law by the types method. */
function sixTokens(): TokenRewardLaw {
  let s = 7;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const p: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < 6; i++) {
    p.push(rnd() + 0.05);
    r.push(rnd() * 2 - 1 + Math.SQRT2 * 1e-3 * i);
  }
  return buildTokenRewardLaw(p, r);
}

test('n = 30, K = 6 against the exact types law: best-of-N for N up to e^{50}, tails, equivalence', () => {
  const law = sixTokens();
  const n = 30;
  const exact = buildSequenceRewardLaw(law, n, { maxSupport: 1_000_000 });
  assert.equal(exact.method, 'types');
  const options = { method: 'fourier' as const, accuracy: ACCURACY };
  for (const logN of [0.5, 3, 10, 50]) {
    const size = parseBonSize({ logN });
    const ex = bestOfNFromLaw(exact, law, size, LAMBDA);
    const b = unwrapOk(bestOfNForLength(law, n, { logN }, { ...options, lambda: LAMBDA }), 'fourier test');
    const inputs = `K = 6, n = 30, log N = ${logN}, λ = ${LAMBDA}`;
    assert.equal(b.method, 'fourier', inputs);
    within(b.reward, ex.reward, b.errorBound, 'E_BoN R', inputs);
    within(b.kl, ex.kl, b.klErrorBound ?? 0, 'KL(BoN‖pⁿ)', inputs);
    within(
      b.klToTilt ?? Number.NaN,
      ex.klToTilt ?? Number.NaN,
      b.klToTiltErrorBound ?? 0,
      'KL(BoN‖φ)',
      inputs,
    );
  }
  const seq = buildSequenceRewardLaw(law, n, options);
  for (const x of [-0.2, 0.1, 0.3, 0.5]) {
    const t = unwrapOk(tailExponent(seq, x), 'fourier test');
    const e = unwrapOk(tailExponent(exact, x), 'fourier test');
    const inputs = `K = 6, n = 30, x = ${x}`;
    assert.equal(t.side, e.side, inputs);
    if (t.method === 'fourier') {
      assert.ok(t.exponentError !== undefined && Number.isFinite(t.exponentError), inputs);
      within(t.exponent, e.exponent, t.exponentError ?? 0, 'tail exponent', inputs);
    }
  }
  const rate = 0.3;
  const eqF = unwrapOk(equivalenceSeries(law, rate, [n], options), 'fourier test').points[0];
  const eqX = unwrapOk(equivalenceSeries(law, rate, [n]), 'fourier test').points[0];
  const inputs = `K = 6, n = 30, rate = ${rate}`;
  assert.equal(eqF.method, 'fourier', inputs);
  within(eqF.bonRewardPerToken, eqX.bonRewardPerToken, eqF.errorBound / n, 'E_BoN R / n', inputs);
  within(eqF.klPerToken, eqX.klPerToken, (eqF.klErrorBound ?? 0) / n, 'KL / n', inputs);
  within(eqF.klToRLPerToken, eqX.klToRLPerToken, (eqF.klToRLErrorBound ?? 0) / n, 'KL to φ / n', inputs);
});

/** A Gaussian-reward model with K tokens (fixed seed), like bench/scale's GPT-2-sized one. */
function gaussianModel(K: number): TokenRewardLaw {
  let s = 1;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const p: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < K; i++) {
    p.push(rnd() + 0.01);
    const u = rnd();
    const v = rnd();
    r.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return buildTokenRewardLaw(p, r);
}

test('the goals: bound ≤ 1e-6·sd(R) at n = 64 and ≤ 1e-5·sd(R) at n = 1024 (5,000 Gaussian-reward tokens)', () => {
  const law = gaussianModel(5000);
  const variance = evaluateTilt(law, 0, 2).stats.variance;
  for (const [n, goal] of [
    [64, 1e-6],
    [1024, 1e-5],
  ] as const) {
    const sd = Math.sqrt(n * variance);
    for (const logN of [Math.log(64), 50]) {
      const b = unwrapOk(bestOfNForLength(law, n, { logN }, { lambda: 0.5 }), 'fourier test');
      const inputs = `n = ${n}, log N = ${logN}, sd(R) = ${sd}`;
      assert.equal(b.method, 'fourier', inputs);
      assert.ok(
        b.errorBound <= goal * sd,
        `${inputs}: bound ${b.errorBound} = ${b.errorBound / sd}·sd(R) > ${goal}·sd(R)`,
      );
      // KL(BoN‖pⁿ) ≤ log N − (N − 1)/N always; the bounds are stated and finite.
      assert.ok(b.kl <= b.klBound + (b.klErrorBound ?? 0), inputs);
      assert.ok(
        Number.isFinite(b.klErrorBound ?? Number.NaN) && Number.isFinite(b.klToTiltErrorBound ?? Number.NaN),
      );
    }
    const seq = buildSequenceRewardLaw(law, n, {});
    const t = unwrapOk(tailExponent(seq, 0.5), 'fourier test');
    assert.equal(t.method, 'fourier', `tail at n = ${n}`);
    assert.ok(
      t.errorBound <= goal * sd,
      `tail at n = ${n}: shift ${t.errorBound} > ${goal}·sd(R) = ${goal * sd}`,
    );
    const eq = unwrapOk(equivalenceSeries(law, 0.5, [n]), 'fourier test').points[0];
    assert.equal(eq.method, 'fourier', `equivalence at n = ${n}`);
    assert.ok(eq.errorBound <= goal * sd, `equivalence at n = ${n}: bound ${eq.errorBound} > ${goal * sd}`);
  }
});

test("'auto' keeps the exact methods and the fine lattice for few-valued laws (the Fourier method is not used)", () => {
  const few = buildTokenRewardLaw([0.5, 0.3, 0.2], [0, 1, Math.SQRT2]);
  assert.equal(unwrapOk(bestOfNForLength(few, 20, { N: 10 }), 'fourier test').method, 'types');
  const twenty = gaussianModel(20);
  const b = unwrapOk(bestOfNForLength(twenty, 16, { N: 10 }), 'fourier test');
  assert.equal(b.method, 'fine-lattice');
  assert.equal(b.klErrorBound, undefined);
  // A forced Fourier law's levels are still the fine lattice's (for consumers of the whole law).
  const seq = buildSequenceRewardLaw(twenty, 16, { method: 'fourier' });
  assert.equal(seq.method, 'fine-lattice');
});

test('win rate of the Fourier best-of-N: N/(N + 1) of the smoothed law, and 1 − W summed directly', () => {
  const law = gaussianModel(5000);
  for (const logN of [Math.log(3), 40]) {
    const b = unwrapOk(bestOfNForLength(law, 64, { logN }), 'fourier test');
    const N = Math.exp(logN);
    assert.ok(Math.abs(b.lossRate - 1 / (N + 1)) <= 1e-15 / (N + 1), `log N = ${logN}: ${b.lossRate}`);
    assert.ok(Math.abs(b.winRate - N / (N + 1)) <= 1e-15, `log N = ${logN}: ${b.winRate}`);
  }
});

// ---- Shared spectra (math-continuous.md §10): curves over N, several levels, several lengths ----

test('a bon curve over N = 1 … e^{50} (K = 6, n = 30): every point within its stated bound of the exact types law', () => {
  const law = sixTokens();
  const n = 30;
  const exact = buildSequenceRewardLaw(law, n, { maxSupport: 1_000_000 });
  const seq = buildSequenceRewardLaw(law, n, { method: 'fourier', accuracy: ACCURACY });
  let fourier = 0;
  for (const logN of [0, 0.3, 1, 2, 3, 4.5, 6, 6.7, 8, 12, 20, 30, 40, 50]) {
    const size = parseBonSize({ logN });
    const ex = bestOfNFromLaw(exact, law, size, LAMBDA);
    const b = unwrapOk(bestOfNSummary(seq, law, { logN }, LAMBDA), 'fourier test');
    const inputs = `K = 6, n = 30, log N = ${logN}, curve point (${b.method})`;
    // A point falls back where the query at that N would (its bound worse than the fine lattice's).
    const own = unwrapOk(
      bestOfNForLength(law, n, { logN }, { method: 'fourier', accuracy: ACCURACY, lambda: LAMBDA }),
      'fourier test',
    );
    assert.equal(b.method, own.method, `${inputs}: the query at this N uses ${own.method}`);
    if (b.method === 'fourier') fourier++;
    within(b.reward, ex.reward, b.errorBound, 'E_BoN R', inputs);
    if (b.method === 'fourier') {
      within(b.kl, ex.kl, b.klErrorBound ?? Number.NaN, 'KL(BoN‖pⁿ)', inputs);
      within(
        b.klToTilt ?? Number.NaN,
        ex.klToTilt ?? Number.NaN,
        b.klToTiltErrorBound ?? Number.NaN,
        'KL(BoN‖φ)',
        inputs,
      );
    }
  }
  assert.ok(fourier >= 10, `only ${fourier} of 14 curve points used the Fourier method`);
});

test('tails at several levels (K = 6, n = 30): shared tilts, each level within its stated bounds of the exact types law', () => {
  const law = sixTokens();
  const n = 30;
  const exact = buildSequenceRewardLaw(law, n, { maxSupport: 1_000_000 });
  const seq = buildSequenceRewardLaw(law, n, { method: 'fourier', accuracy: ACCURACY });
  const xs = [-0.25, -0.15, -0.05, 0.05, 0.12, 0.2, 0.3, 0.4];
  const tails = unwrapOk(tailExponents(seq, xs), 'fourier test');
  let fourier = 0;
  for (let i = 0; i < xs.length; i++) {
    const t = tails[i];
    const e = unwrapOk(tailExponent(exact, xs[i]), 'fourier test');
    const inputs = `K = 6, n = 30, levels ${xs.join(', ')}, x = ${xs[i]} (${t.method})`;
    assert.equal(t.x, xs[i], inputs);
    assert.equal(t.side, e.side, inputs);
    if (t.method !== 'fourier') continue;
    fourier++;
    assert.ok(
      t.exponentError !== undefined && Number.isFinite(t.exponentError),
      `${inputs}: no exponent bound`,
    );
    within(t.exponent, e.exponent, t.exponentError ?? 0, 'tail exponent', inputs);
    // The level shift: P(R ≥ x + a) ≤ P̂ ≤ P(R ≥ x − a) (mirrored below the mean).
    const upper = t.side === 'upper';
    const X = n * xs[i];
    const a = t.errorBound;
    const further = unwrapOk(tailExponent(exact, (upper ? X + a : X - a) / n), 'fourier test');
    const nearer = unwrapOk(tailExponent(exact, (upper ? X - a : X + a) / n), 'fourier test');
    const P = Math.exp(t.logProbability);
    assert.ok(
      Math.exp(further.logProbability) <= P * (1 + SLACK) &&
        P <= Math.exp(nearer.logProbability) * (1 + SLACK),
      `${inputs}: value ${P}, expected within [${Math.exp(further.logProbability)}, ${Math.exp(nearer.logProbability)}] (shift ${a})`,
    );
  }
  assert.ok(fourier >= 6, `only ${fourier} of ${xs.length} levels used the Fourier method`);
});

test('an equivalence series over several lengths (K = 6, n = 20, 25, 30): each length within its stated bounds or exact', () => {
  const law = sixTokens();
  const ns = [20, 25, 30];
  const rate = 0.3;
  const f = unwrapOk(
    equivalenceSeries(law, rate, ns, { method: 'fourier', accuracy: ACCURACY }),
    'fourier test',
  );
  // The exact references one length at a time (types; a series of several shares a fine lattice).
  const exactPoint = (n: number) =>
    unwrapOk(equivalenceSeries(law, rate, [n], { maxSupport: 1_000_000 }), 'fourier test').points[0];
  let fourier = 0;
  assert.deepEqual(
    f.points.map((p) => p.n),
    ns,
  );
  for (let i = 0; i < ns.length; i++) {
    const pf = f.points[i];
    const px = exactPoint(ns[i]);
    const inputs = `K = 6, n = ${pf.n} of ${ns.join(', ')}, rate = ${rate}`;
    assert.ok(px.exact, `${inputs}: the reference is not exact (${px.method})`);
    // A length whose Fourier bound would be worse than the fine lattice's takes the shared
    // convolution, here exact types (n = 20), as a series of that length alone does.
    const alone = unwrapOk(
      equivalenceSeries(law, rate, [pf.n], { method: 'fourier', accuracy: ACCURACY }),
      'fourier test',
    ).points[0];
    assert.equal(pf.method, alone.method, `${inputs}: alone, this length uses ${alone.method}`);
    if (pf.method !== 'fourier') {
      assert.ok(pf.exact, `${inputs}: ${pf.method}`);
      within(pf.bonRewardPerToken, px.bonRewardPerToken, 0, 'E_BoN R / n (exact)', inputs);
      continue;
    }
    fourier++;
    within(pf.bonRewardPerToken, px.bonRewardPerToken, pf.errorBound / pf.n, 'E_BoN R / n', inputs);
    within(pf.klPerToken, px.klPerToken, (pf.klErrorBound ?? Number.NaN) / pf.n, 'KL / n', inputs);
    within(
      pf.klToRLPerToken,
      px.klToRLPerToken,
      (pf.klToRLErrorBound ?? Number.NaN) / pf.n,
      'KL to φ / n',
      inputs,
    );
  }
  assert.ok(fourier >= 2, `only ${fourier} of ${ns.length} lengths used the Fourier method`);
});

test('the goals hold for curves, several levels and several lengths (5,000 Gaussian-reward tokens, n = 64)', () => {
  const law = gaussianModel(5000);
  const n = 64;
  const sd = Math.sqrt(n * evaluateTilt(law, 0, 2).stats.variance);
  const goal = 1e-6 * sd;
  const seq = buildSequenceRewardLaw(law, n, {});
  for (const logN of [0, 1, 2, 3, Math.log(64), 8, 14, 20]) {
    const b = unwrapOk(bestOfNSummary(seq, law, { logN }, 0.5), 'fourier test');
    const inputs = `n = ${n}, log N = ${logN}, curve point, sd(R) = ${sd}`;
    assert.equal(b.method, 'fourier', inputs);
    assert.ok(
      b.errorBound <= goal,
      `${inputs}: bound ${b.errorBound} = ${b.errorBound / sd}·sd(R) > 1e-6·sd(R)`,
    );
  }
  const xs = [-0.1, 0.05, 0.2, 0.35];
  const tails = unwrapOk(tailExponents(seq, xs), 'fourier test');
  for (const t of tails) {
    const inputs = `n = ${n}, levels ${xs.join(', ')}, x = ${t.x}`;
    assert.equal(t.method, 'fourier', inputs);
    assert.ok(t.errorBound <= goal, `${inputs}: shift ${t.errorBound} > 1e-6·sd(R) = ${goal}`);
  }
  const eq = unwrapOk(equivalenceSeries(law, 0.5, [64, 128]), 'fourier test');
  for (const p of eq.points) {
    const sdN = Math.sqrt(p.n * evaluateTilt(law, 0, 2).stats.variance);
    assert.equal(p.method, 'fourier', `equivalence at n = ${p.n} of 64, 128`);
    // The default aims at 1e-6·sd(R) up to n = 64 and at 1e-6·√(n/64)·sd(R) beyond.
    const aim = defaultFourierAccuracy(p.n);
    assert.equal(aim, 1e-6 * Math.sqrt(Math.max(1, p.n / 64)));
    assert.ok(
      p.errorBound <= aim * sdN,
      `equivalence at n = ${p.n}: bound ${p.errorBound} > ${aim}·sd(R) = ${aim * sdN}`,
    );
  }
});

test('certificates bound |ϕ_s| on every cell (direct sums inside the cells), and one serves every length', () => {
  let s = 11;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const p: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < 40; i++) {
    p.push(rnd() + 0.02);
    r.push(3 * rnd() - 1);
  }
  const law = buildTokenRewardLaw(p, r);
  const cl = centredTokenLaw(law, 0.4);
  const phiAbs = (t: number) => {
    let re = 0;
    let im = 0;
    for (let k = 0; k < cl.y.length; k++) {
      re += cl.q[k] * Math.cos(t * cl.y[k]);
      im += cl.q[k] * Math.sin(t * cl.y[k]);
    }
    return Math.hypot(re, im);
  };
  for (const count of [1, 7, 1000, 450_000]) {
    const start = 0.7;
    const delta = 0.37;
    const cert = certifyCF(cl, start, delta, count);
    assert.equal(cert.sup.length, count);
    const stride = Math.max(1, Math.floor(count / 300));
    for (let j = 0; j < count; j += stride) {
      for (const u of [0, 0.5, 1, rnd()]) {
        const t = start + (j + u) * delta;
        const v = phiAbs(t);
        assert.ok(
          v <= cert.sup[j],
          `cell ${j} of ${count} (δ = ${delta}, from ${start}), t = ${t}: |ϕ| = ${v} > certified ${cert.sup[j]}`,
        );
      }
    }
    // Not vacuous: away from ω = 0 the bounds are far below 1 for this law.
    const mid = cert.sup[Math.floor(count / 2)];
    assert.ok(count < 100 || mid < 0.9, `count ${count}: the certified bound ${mid} is vacuous`);
  }
  // One tilt's certificate serves every length: the longer length (wider cells, nearer T_c)
  // takes the one computed for the shorter.
  const big = gaussianModel(5000);
  const e64 = new FourierEngine(big, 64, ACCURACY);
  const e256 = new FourierEngine(big, 256, ACCURACY);
  const a = e64.spectrum(0.25);
  const b = e256.spectrum(0.25);
  const ca = a.certificate(a.bulkEnd);
  assert.equal(b.certificate(b.bulkEnd + 0.01), ca, 'n = 256 did not reuse the certificate of n = 64');
  // The shorter one cannot use the longer one's (its cells would be too wide): computed anew.
  const e32 = new FourierEngine(big, 32, ACCURACY);
  const c = e32.spectrum(0.25);
  assert.notEqual(c.certificate(c.bulkEnd), ca);
});
