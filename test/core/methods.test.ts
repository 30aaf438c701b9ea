// Alignment methods side by side (src/core/methods.ts, softBestOfN.ts, blockBestOfN.ts,
// rejection.ts, winRateFrontier.ts, levelPolicy.ts) against the mpmath references of
// test/fixtures/methods.json (methods_runner.py: exact law of R, 50 digits) and docs/math.md §8's
// identities. Tolerance: 1e-9 relative, 1e-12 absolute near 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfNFromLaw, bestOfNSummary, parseBonSize } from '../../src/core/bestOfN.js';
import { frontier } from '../../src/core/frontier.js';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { summariseLevelPolicy, tiltLogRatios } from '../../src/core/levelPolicy.js';
import {
  blockBestOfN,
  defaultBlock,
  methodCurves,
  rejectionSampling,
  softBestOfN,
  winRateComparison,
} from '../../src/core/methods.js';
import { buildTokenRewardLaw, type TokenRewardLaw } from '../../src/core/rewardLaw.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { softBestOfNLevels } from '../../src/core/softBestOfN.js';
import { winRateFrontierAt, winRateFrontierCurve } from '../../src/core/winRateFrontier.js';
import { withWorkBudget } from '../../src/core/workBudget.js';
import { assertClose } from '../helpers/tolerance.js';
import { loadFixture, num } from './fixtureData.js';
import { expectError, unwrapOk } from './sequenceHelpers.js';

const REL = 1e-9;
const ABS = 1e-12;

interface Case {
  name: string;
  weights: number[];
  offset: number;
  step: number;
  n: number;
  levels: number;
  soft: {
    logN: string;
    lambda: number;
    reward: string;
    kl: string;
    winRate: string;
    lossRate: string;
    klToTilt: string;
  }[];
  bon: { logN: string; reward: string; kl: string; winRate: string; lossRate: string }[];
  tilt: { lambda: number; reward: string; kl: string; winRate: string; lossRate: string }[];
  rejection: {
    threshold: string;
    accept: string;
    reward: string;
    kl: string;
    winRate: string;
    klToTilt: string;
  }[];
  block: { block: number; logN: string; reward: string; kl: string; winRate: string; klToTilt: string }[];
  winRateFrontier: { delta: number; mu: string; winRate: string; lossRate: string; reward: string }[];
}
const fixture = loadFixture<{ cases: Case[] }>('methods.json');

function lawOf(c: Case): TokenRewardLaw {
  const C = c.weights.reduce((s, w) => s + w, 0);
  return buildTokenRewardLaw(
    c.weights.map((w) => w / C),
    c.weights.map((_, k) => c.offset + c.step * k),
  );
}

function close(actual: number, expected: string, context: unknown, rel = REL): void {
  assertClose(actual, num(expected), { rel, abs: ABS, context });
}

test('fixture: the law of R has the reference number of levels', () => {
  for (const c of fixture.cases) {
    const seq = unwrapOk(sequenceRewardLaw(lawOf(c), c.n), c.name);
    assert.equal(seq.values.length, c.levels, `${c.name}: levels`);
  }
});

test('soft best-of-N against the 50-digit reference: E R, KL, win rate, KL to φ_λⁿ (N = 2 … e^100)', () => {
  for (const c of fixture.cases) {
    const law = lawOf(c);
    for (const r of c.soft) {
      const ctx = { case: c.name, n: c.n, logN: r.logN, lambda: r.lambda };
      const v = unwrapOk(softBestOfN(law, c.n, { logN: num(r.logN) }, r.lambda), JSON.stringify(ctx));
      close(v.soft.reward, r.reward, { ...ctx, what: 'E R' });
      close(v.soft.kl, r.kl, { ...ctx, what: 'KL(soft‖pⁿ)' });
      close(v.soft.winRate, r.winRate, { ...ctx, what: 'W' });
      close(v.soft.lossRate, r.lossRate, { ...ctx, what: '1 − W' });
      close(v.soft.klToTilt, r.klToTilt, { ...ctx, what: 'KL(soft‖φ_λⁿ)' });
      assert.ok(
        Math.abs(v.soft.massError) < 1e-13,
        `${JSON.stringify(ctx)}: Σ w g − 1 = ${v.soft.massError}`,
      );
    }
  }
});

test('best-of-N and KL-RL win rates against the reference', () => {
  for (const c of fixture.cases) {
    const law = lawOf(c);
    const seq = unwrapOk(sequenceRewardLaw(law, c.n), c.name);
    for (const r of c.bon) {
      const ctx = { case: c.name, logN: r.logN };
      const b = unwrapOk(bestOfNSummary(seq, law, { logN: num(r.logN) }), JSON.stringify(ctx));
      close(b.reward, r.reward, { ...ctx, what: 'E R' });
      close(b.winRate, r.winRate, { ...ctx, what: 'W' });
      close(b.lossRate, r.lossRate, { ...ctx, what: '1 − W' });
      const full = bestOfNFromLaw(seq, law, parseBonSize({ logN: num(r.logN) }));
      close(full.winRate, r.winRate, { ...ctx, what: 'W (per-level path)' });
    }
    for (const r of c.tilt) {
      const ctx = { case: c.name, lambda: r.lambda };
      const s = summariseLevelPolicy(seq, tiltLogRatios(seq, law, r.lambda));
      close(s.reward, r.reward, { ...ctx, what: 'E R' });
      close(s.kl, r.kl, { ...ctx, what: 'KL' });
      close(s.winRate, r.winRate, { ...ctx, what: 'W' });
      close(s.lossRate, r.lossRate, { ...ctx, what: '1 − W' });
    }
  }
});

test('rejection sampling against the reference, by threshold, acceptance and budget', () => {
  for (const c of fixture.cases) {
    const law = lawOf(c);
    for (const r of c.rejection) {
      const ctx = { case: c.name, threshold: r.threshold };
      for (const target of [
        { threshold: num(r.threshold) },
        { accept: num(r.accept) },
        { delta: num(r.kl) },
      ]) {
        const v = unwrapOk(rejectionSampling(law, c.n, target), JSON.stringify({ ...ctx, target }));
        const what = { ...ctx, target };
        close(v.threshold, r.threshold, { ...what, what: 'threshold' });
        close(v.accept, r.accept, { ...what, what: 'accept' });
        close(v.rejection.reward, r.reward, { ...what, what: 'E R' });
        close(v.rejection.kl, r.kl, { ...what, what: 'KL' });
        close(v.rejection.winRate, r.winRate, { ...what, what: 'W' });
        close(v.rejection.klToTilt, r.klToTilt, { ...what, what: 'KL to the tilt with the same KL' });
        close(v.bon.logN, r.kl, { ...what, what: 'best-of-N with as many draws: log N = KL' });
      }
    }
  }
});

test('blockwise best-of-N against the reference (every divisor b of n)', () => {
  for (const c of fixture.cases) {
    const law = lawOf(c);
    for (const r of c.block) {
      const ctx = { case: c.name, block: r.block, logN: r.logN };
      const v = unwrapOk(blockBestOfN(law, c.n, { logN: num(r.logN) }, r.block), JSON.stringify(ctx));
      close(v.blockwise.reward, r.reward, { ...ctx, what: 'E R' });
      close(v.blockwise.kl, r.kl, { ...ctx, what: 'KL' });
      close(v.blockwise.winRate, r.winRate, { ...ctx, what: 'W' });
      if (v.tilt.lambda === Number.POSITIVE_INFINITY) {
        // The method's KL is the maximum KL to rounding: the tilt with that KL is p(·|M)ⁿ, and the
        // KL to it is ∞ (the reference, whose KL is a hair below the maximum, has ≈ 0 there).
        const maxKL = c.n * -Math.log(c.weights[c.weights.length - 1] / c.weights.reduce((s, w) => s + w, 0));
        assertClose(v.blockwise.kl, maxKL, { rel: 1e-12, context: { ...ctx, what: 'KL at the maximum' } });
        const ref = num(r.klToTilt);
        assert.ok(
          ref < 1e-12 || ref === Number.POSITIVE_INFINITY,
          JSON.stringify({ ...ctx, reference: r.klToTilt }),
        );
        assert.equal(v.blockwise.klToTilt, Number.POSITIVE_INFINITY);
      } else close(v.blockwise.klToTilt, r.klToTilt, { ...ctx, what: 'KL to the tilt with the same KL' });
    }
  }
});

test('win-rate frontier against the reference: μ, W, 1 − W and E R of its policy', () => {
  for (const c of fixture.cases) {
    const law = lawOf(c);
    const seq = unwrapOk(sequenceRewardLaw(law, c.n), c.name);
    for (const r of c.winRateFrontier) {
      const ctx = { case: c.name, delta: r.delta };
      const w = winRateFrontierAt(seq, r.delta);
      close(w.mu, r.mu, { ...ctx, what: 'μ' }, 1e-8);
      close(w.winRate, r.winRate, { ...ctx, what: 'W' });
      close(w.lossRate, r.lossRate, { ...ctx, what: '1 − W' });
      close(summariseLevelPolicy(seq, w.logRatio).reward, r.reward, { ...ctx, what: 'E R' });
      close(w.kl, String(r.delta), { ...ctx, what: 'KL = Δ' });
    }
  }
});

// ---- brute force: every N-tuple of sequences ---------------------------------------------------

interface Seq {
  p: number;
  r: number;
  tokens: number[];
}
function sequences(p: number[], r: number[], n: number): Seq[] {
  const out: Seq[] = [];
  const K = p.length;
  for (let code = 0; code < K ** n; code++) {
    let c = code;
    const tokens: number[] = [];
    for (let i = 0; i < n; i++) {
      tokens.push(c % K);
      c = Math.floor(c / K);
    }
    out.push({ tokens, p: tokens.reduce((s, t) => s * p[t], 1), r: tokens.reduce((s, t) => s + r[t], 0) });
  }
  return out;
}

/** The soft best-of-N law over sequences by enumerating every N-tuple (no integral, no levels). */
function bruteSoft(ys: Seq[], N: number, lambda: number): number[] {
  const pi = new Array<number>(ys.length).fill(0);
  const idx = new Array<number>(N).fill(0);
  for (let code = 0; code < ys.length ** N; code++) {
    let c = code;
    let prob = 1;
    let z = 0;
    for (let i = 0; i < N; i++) {
      idx[i] = c % ys.length;
      c = Math.floor(c / ys.length);
      prob *= ys[idx[i]].p;
      z += Math.exp(lambda * ys[idx[i]].r);
    }
    for (let i = 0; i < N; i++) pi[idx[i]] += (prob * Math.exp(lambda * ys[idx[i]].r)) / z;
  }
  return pi;
}

function bruteNumbers(ys: Seq[], pi: number[], p: number[], r: number[], lambda: number) {
  const z = p.reduce((s, pk, k) => s + pk * Math.exp(lambda * r[k]), 0);
  const phi = p.map((pk, k) => (pk * Math.exp(lambda * r[k])) / z);
  let reward = 0;
  let kl = 0;
  let toTilt = 0;
  let win = 0;
  for (let i = 0; i < ys.length; i++) {
    if (pi[i] === 0) continue;
    reward += pi[i] * ys[i].r;
    kl += pi[i] * Math.log(pi[i] / ys[i].p);
    toTilt += pi[i] * Math.log(pi[i] / ys[i].tokens.reduce((s, t) => s * phi[t], 1));
    for (const y of ys)
      win += pi[i] * y.p * (ys[i].r > y.r + 1e-9 ? 1 : Math.abs(ys[i].r - y.r) < 1e-9 ? 0.5 : 0);
  }
  return { reward, kl, toTilt, win };
}

test('soft best-of-N = enumeration of every N-tuple of sequences (tiny cases, no integral)', () => {
  const cases = [
    { p: [0.6, 0.4], r: [0, 1], n: 2 },
    { p: [0.5, 0.3, 0.2], r: [0, 1, 3], n: 2 },
    { p: [0.7, 0.2, 0.1], r: [-1, 0.5, 2], n: 1 },
  ];
  for (const c of cases) {
    const ys = sequences(c.p, c.r, c.n);
    const law = buildTokenRewardLaw(c.p, c.r);
    for (const N of [2, 3]) {
      for (const lambda of [0.4, 1.5, 6]) {
        const ctx = { ...c, N, lambda };
        const b = bruteNumbers(ys, bruteSoft(ys, N, lambda), c.p, c.r, lambda);
        const v = unwrapOk(softBestOfN(law, c.n, { N }, lambda), JSON.stringify(ctx)).soft;
        assertClose(v.reward, b.reward, { rel: 1e-12, abs: 1e-14, context: { ...ctx, what: 'E R' } });
        assertClose(v.kl, b.kl, { rel: 1e-10, abs: 1e-14, context: { ...ctx, what: 'KL' } });
        assertClose(v.klToTilt, b.toTilt, { rel: 1e-10, abs: 1e-13, context: { ...ctx, what: 'KL to φ' } });
        assertClose(v.winRate, b.win, { rel: 1e-12, abs: 1e-14, context: { ...ctx, what: 'W' } });
      }
    }
  }
});

test('blockwise best-of-N = enumeration of the best of N block sequences (ties uniform)', () => {
  const p = [0.5, 0.3, 0.2];
  const r = [0, 1, 2];
  const n = 4;
  const law = buildTokenRewardLaw(p, r);
  for (const block of [1, 2, 4]) {
    for (const N of [2, 3]) {
      const blocks = sequences(p, r, block);
      // The block policy: best of N block sequences, ties broken uniformly.
      const blockPi = new Array<number>(blocks.length).fill(0);
      const idx = new Array<number>(N).fill(0);
      for (let code = 0; code < blocks.length ** N; code++) {
        let c = code;
        let prob = 1;
        for (let i = 0; i < N; i++) {
          idx[i] = c % blocks.length;
          c = Math.floor(c / blocks.length);
          prob *= blocks[idx[i]].p;
        }
        const best = Math.max(...idx.map((i) => blocks[i].r));
        const winners = idx.filter((i) => blocks[i].r === best);
        for (const i of winners) blockPi[i] += prob / winners.length;
      }
      // The whole policy is the product over the n/b blocks.
      const ys = sequences(p, r, n);
      const pi = ys.map((y) => {
        let prob = 1;
        for (let s = 0; s < n; s += block) {
          const code = y.tokens.slice(s, s + block).reduce((acc, t, i) => acc + t * 3 ** i, 0);
          prob *= blockPi[code];
        }
        return prob;
      });
      const lambdaSame = unwrapOk(blockBestOfN(law, n, { N }, block), 'block').tilt.lambda;
      const b = bruteNumbers(ys, pi, p, r, lambdaSame);
      const v = unwrapOk(blockBestOfN(law, n, { N }, block), 'block').blockwise;
      const ctx = { block, N };
      assertClose(v.reward, b.reward, { rel: 1e-12, abs: 1e-14, context: { ...ctx, what: 'E R' } });
      assertClose(v.kl, b.kl, { rel: 1e-10, abs: 1e-14, context: { ...ctx, what: 'KL' } });
      assertClose(v.winRate, b.win, { rel: 1e-12, abs: 1e-14, context: { ...ctx, what: 'W' } });
      assertClose(v.klToTilt, b.toTilt, { rel: 1e-9, abs: 1e-13, context: { ...ctx, what: 'KL to φ' } });
    }
  }
});

// ---- identities (math.md §8) -------------------------------------------------------------------

const chat = buildTokenRewardLaw([0.1, 0.3, 0.35, 0.2, 0.05], [-1, 0, 0.5, 1, 2]);

test('soft best-of-N: Σ w g = 1, N = 1 and λ = 0 give pⁿ, λ → ∞ gives best-of-N, the step is converged', () => {
  const seq = unwrapOk(sequenceRewardLaw(chat, 32), 'chat n=32');
  const base = summariseLevelPolicy(seq, new Float64Array(seq.values.length));
  for (const logN of [Math.log(2), Math.log(64), 10, 100, 1000]) {
    const s = parseBonSize({ logN });
    for (const lambda of [0.05, 0.7, 3]) {
      const ctx = { logN, lambda };
      const q = softBestOfNLevels(seq, s.logN, s.logNm1, lambda);
      assert.equal(q.route, 'quadrature', JSON.stringify(ctx));
      assert.ok(Math.abs(q.massError) < 1e-13, `${JSON.stringify(ctx)}: Σ w g − 1 = ${q.massError}`);
      // The default step h = 1/4 against h = 1/8: the trapezoid rule has converged.
      const fine = softBestOfNLevels(seq, s.logN, s.logNm1, lambda, 0.125);
      const a = summariseLevelPolicy(seq, q.logRatio);
      const b = summariseLevelPolicy(seq, fine.logRatio);
      assertClose(a.reward, b.reward, { rel: 1e-13, context: { ...ctx, what: 'E R, h = 1/4 vs 1/8' } });
      assertClose(a.kl, b.kl, { rel: 1e-12, abs: 1e-15, context: { ...ctx, what: 'KL, h = 1/4 vs 1/8' } });
      assertClose(a.lossRate, b.lossRate, { rel: 1e-12, abs: 1e-15, context: { ...ctx, what: '1 − W' } });
    }
  }
  // N = 1 and λ = 0: pⁿ itself.
  for (const [N, lambda] of [
    [1, 2],
    [16, 0],
  ]) {
    const v = unwrapOk(softBestOfN(chat, 32, { N }, lambda), 'base').soft;
    assertClose(v.reward, base.reward, { rel: 1e-14, context: { N, lambda } });
    assert.ok(v.kl < 1e-25, `N = ${N}, λ = ${lambda}: KL ${v.kl}`);
    assert.equal(v.route, 'base');
    assertClose(v.winRate, 0.5, { rel: 1e-14, context: { N, lambda, what: 'W of pⁿ' } });
  }
  // Close to them: λ = 1e-7 and N = 1 + 1e-7 (continuity, through the quadrature).
  const near = unwrapOk(softBestOfN(chat, 32, { N: 16 }, 1e-7), 'λ = 1e-7').soft;
  assert.equal(near.route, 'quadrature');
  assertClose(near.reward, base.reward, { rel: 1e-6, context: 'λ = 1e-7' });
  assert.ok(near.kl < 1e-10 && near.kl > 0, `λ = 1e-7: KL ${near.kl}`);
  // λ → ∞: best-of-N. λ = 40 (quadrature) is within (N − 1)e^{−40·½} of it; λ = 1e3 delegates.
  for (const N of [2, 16, 1000]) {
    const bon = bestOfNFromLaw(seq, chat, parseBonSize({ N }));
    for (const lambda of [80, 1e3, Number.POSITIVE_INFINITY]) {
      const v = unwrapOk(softBestOfN(chat, 32, { N }, lambda), 'λ large').soft;
      const ctx = { N, lambda, route: v.route };
      assertClose(v.reward, bon.reward, { rel: 1e-12, context: { ...ctx, what: 'E R' } });
      assertClose(v.kl, bon.kl, { rel: 1e-11, context: { ...ctx, what: 'KL' } });
      assertClose(v.winRate, bon.winRate, { rel: 1e-12, context: { ...ctx, what: 'W' } });
    }
  }
});

test('soft best-of-N approaches φ_λⁿ: N·KL(soft‖φ_λⁿ) stays bounded, and falls on small examples', () => {
  const coin = buildTokenRewardLaw([0.7, 0.3], [0, 1]);
  for (const [law, n, lambda] of [
    [coin, 1, 1],
    [coin, 4, 0.5],
    [chat, 2, 1],
  ] as const) {
    let previous = Number.POSITIVE_INFINITY;
    for (const logN of [4, 6, 8, 10, 12]) {
      const v = unwrapOk(softBestOfN(law, n, { logN }, lambda), 'limit');
      const scaled = Math.exp(logN) * v.soft.klToTilt;
      const ctx = { n, lambda, logN, kl: v.soft.klToTilt, scaled };
      assert.ok(scaled < 1, `N·KL(soft‖φ) not bounded: ${JSON.stringify(ctx)}`);
      assert.ok(scaled <= previous, `N·KL(soft‖φ) grew: ${JSON.stringify(ctx)}, before ${previous}`);
      previous = scaled;
      // E R and the win rate approach the tilt's.
      assert.ok(
        Math.abs(v.soft.reward - v.tilt.reward) < 10 * Math.exp(-logN) * Math.max(1, n),
        JSON.stringify(ctx),
      );
    }
  }
});

test('a tiny KL(soft‖φ_λⁿ) keeps its digits: N²·KL settles as N grows (paper model, λ = 1)', () => {
  const at = (logN: number) => unwrapOk(softBestOfN(chat, 32, { logN }, 1), `logN = ${logN}`).soft.klToTilt;
  const scaled = [50, 55, 60].map((logN) => at(logN) * Math.exp(2 * logN));
  // KL falls from 3e-24 to 6e-33; N²·KL agrees to 1e-3 (the next order, 1/N, is e^{−50} smaller).
  for (const v of scaled) assertClose(v, scaled[2], { rel: 2e-3, context: { scaled } });
  assert.ok(at(60) > 0 && at(60) < 1e-31, `KL at N = e^60: ${at(60)}`);
});

test('blockwise with b = n is best-of-N; every method lies on or below both frontiers', () => {
  for (const N of [3, 64, Math.exp(30)]) {
    const v = unwrapOk(blockBestOfN(chat, 32, { N }, 32), 'b = n');
    assertClose(v.blockwise.reward, v.bon.reward, { rel: 1e-13, context: { N, what: 'E R' } });
    assertClose(v.blockwise.kl, v.bon.kl, { rel: 1e-12, context: { N, what: 'KL' } });
    assertClose(v.blockwise.winRate, v.bon.winRate, { rel: 1e-13, context: { N, what: 'W' } });
  }
  const seq = unwrapOk(sequenceRewardLaw(chat, 32), 'chat');
  const c = unwrapOk(
    methodCurves(chat, 32, { logNFrom: 0, logNTo: Math.log(1e5), steps: 24 }, { sequenceLaw: seq }),
    'curves',
  );
  for (const [name, curve] of [
    ['bon', c.bon],
    ['soft', c.soft],
    ['blockwise', c.blockwise],
    ['rejection', c.rejection],
    ['tilt', c.tilt],
  ] as const) {
    for (const p of curve) {
      const f = unwrapOk(lambdaForBudget(chat, 32, p.kl), 'frontier');
      const ctx = { method: name, ...p, frontier: f.reward };
      assert.ok(
        p.reward <= f.reward * (1 + 1e-12) + 1e-12,
        `above the reward frontier: ${JSON.stringify(ctx)}`,
      );
      const w = winRateFrontierAt(seq, p.kl);
      assert.ok(
        p.winRate <= w.winRate + 1e-12,
        `above the win-rate frontier: ${JSON.stringify({ ...ctx, frontierW: w.winRate })}`,
      );
    }
  }
  // Best-of-N lies almost on the win-rate frontier, the reward tilt clearly below it.
  const mid = c.bon[c.bon.length >> 1];
  const wMid = winRateFrontierAt(seq, mid.kl);
  assert.ok(wMid.lossRate >= (1 - mid.winRate) * 0.9, JSON.stringify({ mid, wMid }));
  const t = c.tilt[c.tilt.length >> 1];
  const wT = winRateFrontierAt(seq, t.kl);
  assert.ok(
    1 - t.winRate > 1.2 * wT.lossRate,
    `the tilt is not below the W frontier: ${JSON.stringify({ t, wT })}`,
  );
});

test('best-of-N win rate → N/(N+1) for continuous rewards (K equally likely values, gap ~ 1/K)', () => {
  for (const N of [2, 7, 100]) {
    let previous = Number.POSITIVE_INFINITY;
    for (const K of [10, 100, 1000, 10000]) {
      const law = buildTokenRewardLaw(
        new Array(K).fill(1 / K),
        Array.from({ length: K }, (_, k) => k),
      );
      const seq = unwrapOk(sequenceRewardLaw(law, 1), `K = ${K}`);
      const b = unwrapOk(bestOfNSummary(seq, law, { N }), `K = ${K}`);
      const gap = Math.abs(b.winRate - N / (N + 1));
      assert.ok(gap < previous, JSON.stringify({ N, K, winRate: b.winRate, gap, previous }));
      assert.ok(gap < 2 / K, JSON.stringify({ N, K, winRate: b.winRate, gap }));
      previous = gap;
    }
  }
});

test('the win-rate frontier curve: increasing, concave, W = ½ at KL 0 and 1 − w_top/2 at the maximum', () => {
  const seq = unwrapOk(sequenceRewardLaw(chat, 8), 'chat n=8');
  const curve = winRateFrontierCurve(seq, 33);
  assert.equal(curve[0].kl, 0);
  assertClose(curve[0].winRate, 0.5, { rel: 1e-14, context: 'W at KL 0' });
  const last = curve[curve.length - 1];
  assertClose(last.lossRate, Math.exp(seq.logMass[seq.values.length - 1]) / 2, {
    rel: 1e-12,
    context: 'top',
  });
  for (let i = 1; i < curve.length; i++) {
    assert.ok(curve[i].winRate >= curve[i - 1].winRate, `not increasing at ${i}`);
    if (i + 1 < curve.length) {
      const s1 = (curve[i].winRate - curve[i - 1].winRate) / (curve[i].kl - curve[i - 1].kl);
      const s2 = (curve[i + 1].winRate - curve[i].winRate) / (curve[i + 1].kl - curve[i].kl);
      assert.ok(s2 <= s1 * (1 + 1e-9) + 1e-15, `not concave at ${i}: ${s1} then ${s2}`);
    }
  }
  const f = unwrapOk(frontier(chat, 8, { steps: 9 }), 'reward frontier');
  assert.equal(f.maxKL, curve[curve.length - 1].kl, 'both frontiers end at the maximum KL');
});

test('the same-KL comparisons: KL(method‖φ_λ) = λ·(F(KL) − E R) (stability identity)', () => {
  const checks = [
    unwrapOk(rejectionSampling(chat, 32, { accept: 0.01 }), 'reject').rejection,
    unwrapOk(blockBestOfN(chat, 32, { N: 8 }, 8), 'block').blockwise,
    unwrapOk(softBestOfN(chat, 32, { N: 8 }, 1), 'soft').bon,
  ];
  for (const m of checks) {
    const t = unwrapOk(lambdaForBudget(chat, 32, m.kl), 'tilt');
    assertClose(m.klToTilt, t.lambda * (t.reward - m.reward), { rel: 1e-9, abs: 1e-12, context: m });
  }
});

test('win rates at one KL: every method tuned to Δ, the frontier above all of them', () => {
  for (const delta of [0.5, 4, 16]) {
    const v = unwrapOk(winRateComparison(chat, 32, delta, undefined), `Δ = ${delta}`);
    const ctx = { delta, v };
    assertClose(v.bon.kl, delta, { rel: 1e-11, context: { ...ctx, what: 'BoN tuned to Δ' } });
    assert.ok(v.soft !== null, JSON.stringify(ctx));
    assertClose(v.soft.kl, delta, { rel: 1e-10, context: { ...ctx, what: 'soft BoN tuned to Δ' } });
    assert.ok(v.rejection.kl <= delta * (1 + 1e-12), JSON.stringify(ctx));
    assertClose(v.tilt.kl, delta, { rel: 1e-12, context: { ...ctx, what: 'KL-RL at Δ' } });
    for (const m of [v.bon, v.soft, v.rejection, v.tilt])
      assert.ok(m.winRate <= v.frontier.winRate + 1e-12, `above the W frontier: ${JSON.stringify(ctx)}`);
  }
  // Beyond the maximum KL: best-of-N with N = ∞ is the top level.
  const maxKL = 32 * -Math.log(0.05);
  const top = unwrapOk(winRateComparison(chat, 32, maxKL + 1, undefined), 'Δ > max KL');
  assert.equal(top.bon.logN, Number.POSITIVE_INFINITY);
  assertClose(top.bon.reward, 64, { rel: 1e-14, context: 'top reward' });
});

test('astronomically large N: soft and blockwise best-of-N at N = e^1000 cost what N = 16 does', () => {
  const n = 200;
  const law = buildTokenRewardLaw(
    Array.from({ length: 11 }, (_, k) => 1 + 0.37 * k),
    Array.from({ length: 11 }, (_, k) => k),
  );
  const seq = unwrapOk(sequenceRewardLaw(law, n), 'n = 200');
  for (const logN of [100, 1000]) {
    const v = unwrapOk(softBestOfN(law, n, { logN }, 2, { sequenceLaw: seq }), `logN = ${logN}`);
    assert.ok(Math.abs(v.soft.massError) < 1e-13, `Σ w g − 1 = ${v.soft.massError}`);
    assert.ok(v.soft.kl < v.bon.kl && v.soft.kl < v.tilt.kl, JSON.stringify(v.soft));
    assert.ok(v.soft.winRate <= 1 && v.soft.lossRate > 0, JSON.stringify(v.soft));
    const b = unwrapOk(blockBestOfN(law, n, { logN }, 50), `block logN = ${logN}`);
    assert.ok(Number.isFinite(b.blockwise.kl) && b.blockwise.kl <= 4 * logN, JSON.stringify(b.blockwise));
  }
  const big = unwrapOk(
    softBestOfN(law, n, { logN: 1000 }, 0.2, { sequenceLaw: seq }),
    'logN = 1000, λ = 0.2',
  );
  // N = e^1000 ≫ anything the tilt needs: soft best-of-N is φ_λⁿ to the last digit.
  assertClose(big.soft.reward, big.tilt.reward, { rel: 1e-13, context: 'soft → tilt' });
  assert.ok(big.soft.klToTilt < 1e-20, `KL(soft‖φ) = ${big.soft.klToTilt}`);
});

test('errors: Result failures with clear codes, never NaN', () => {
  expectError(softBestOfN(chat, 32, { N: 16 }, -1), 'out-of-range', 'λ < 0');
  expectError(softBestOfN(chat, 32, { N: 16 }, Number.NaN), 'invalid-argument', 'λ NaN');
  expectError(softBestOfN(chat, 32, { N: 0.5 }, 1), 'invalid-argument', 'N < 1');
  expectError(blockBestOfN(chat, 32, { N: 4 }, 5), 'invalid-argument', 'block 5 ∤ 32');
  expectError(blockBestOfN(chat, 32, { N: 4 }, 0), 'invalid-argument', 'block 0');
  expectError(rejectionSampling(chat, 32, { threshold: 64.5 }), 'out-of-range', 'τ > n r_max');
  expectError(rejectionSampling(chat, 32, { accept: 0 }), 'out-of-range', 'accept 0');
  expectError(rejectionSampling(chat, 32, { accept: 1.5 }), 'out-of-range', 'accept > 1');
  expectError(rejectionSampling(chat, 32, { delta: -1 }), 'out-of-range', 'Δ < 0');
  expectError(winRateComparison(chat, 32, -1, undefined), 'out-of-range', 'Δ < 0');
  expectError(methodCurves(chat, 32, { logNFrom: 2, logNTo: 1, steps: 8 }), 'out-of-range', 'empty N range');
  expectError(softBestOfN(chat, 0, { N: 4 }, 1), 'invalid-argument', 'n = 0');
  // threshold exactly n·r_max accepts only the top; threshold below n·r_min accepts everything.
  const top = unwrapOk(rejectionSampling(chat, 32, { threshold: 64 }), 'τ = 64');
  assertClose(top.rejection.kl, 32 * -Math.log(0.05), { rel: 1e-13, context: 'τ = n r_max' });
  const all = unwrapOk(rejectionSampling(chat, 32, { threshold: -100 }), 'τ low');
  assert.equal(all.rejection.kl, 0);
  assert.equal(all.accept, 1);
  assert.equal(defaultBlock(32), 8);
  assert.equal(defaultBlock(3), 1);
  assert.equal(defaultBlock(200), 50);
});

test('the work budget stops every method cleanly', () => {
  const runs: [string, () => { ok: boolean; error?: { code: string; message: string } }][] = [
    ['soft', () => softBestOfN(chat, 400, { N: 64 }, 2)],
    ['block', () => blockBestOfN(chat, 400, { N: 64 }, 100)],
    ['reject', () => rejectionSampling(chat, 400, { accept: 0.01 })],
    ['winrate', () => winRateComparison(chat, 400, 8, undefined)],
    ['curves', () => methodCurves(chat, 400, { logNFrom: 0, logNTo: 5, steps: 8 })],
  ];
  for (const [name, run] of runs) {
    const r = withWorkBudget({ maxUnits: 20_000 }, run);
    expectError(r, 'work-budget-exceeded', name);
  }
});
