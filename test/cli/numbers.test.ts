// The numbers printed by `node dist/cli.js eval --json` for every query kind, against the core's
// own functions called directly on the same model and against the naive formulas in
// reference.ts. A wiring mistake in the language layer or the CLI (a per-token value where a
// total is due, a swapped key, a lost digit) fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';
import { sequenceCumulants } from '../../src/core/cumulants.js';
import { frontier } from '../../src/core/frontier.js';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { blockBestOfN, methodCurves, softBestOfN, winRateComparison } from '../../src/core/methods.js';
import { tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { assertClose } from '../helpers/tolerance.js';
import { CLI, ensureBuilt, ROOT } from './build.js';
import * as ref from './reference.js';

// The model of test/cli/fixtures/all-queries.align.
const toy: ref.Toy = { p: [0.4, 0.3, 0.2, 0.1], r: [0, 1, 2, 3], n: 8 };
const q = [0.1, 0.2, 0.3, 0.4];
const law = (() => {
  const built = tokenRewardLaw(toy.p, toy.r);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
})();
const REL = 1e-9;

// biome-ignore lint/suspicious/noExplicitAny: the JSON is validated structurally in bin.test.ts
let results: { query: string; value?: any; error?: string }[] = [];

before(() => {
  ensureBuilt();
  const run = spawnSync(process.execPath, [CLI, 'eval', 'test/cli/fixtures/all-queries.align', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  results = JSON.parse(run.stdout).results;
});

/** The value of the i-th query of the fixture (each test fails on its own query's error only). */
// biome-ignore lint/suspicious/noExplicitAny: see above
function resultValue(i: number, kind: string): any {
  const r = results[i];
  assert.equal(r?.query, kind);
  assert.ok(r.value !== undefined, `${kind} failed: ${r.error}`);
  return r.value;
}

function core<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test('numbers: tilt(delta = 2) is the core solution, φ_λ is p·e^{λr}/Z', () => {
  const v = resultValue(0, 'tilt');
  const sol = core(lambdaForBudget(law, toy.n, 2));
  assertClose(v.lambda, sol.lambda, { rel: REL });
  assertClose(v.beta, 1 / sol.lambda, { rel: REL });
  assertClose(v.kl, 2, { rel: REL });
  assertClose(v.reward, sol.reward, { rel: REL });
  assertClose(v.kl_per_token, 2 / toy.n, { rel: REL });
  assertClose(v.reward_per_token, sol.reward / toy.n, { rel: REL });
  assertClose(toy.n * ref.perTokenKL(toy, v.lambda), 2, { rel: 1e-9 });
  const phi = ref.tilted(toy, v.lambda);
  for (const [k, t] of ['a', 'b', 'c', 'd'].entries())
    assertClose(v.phi[t], phi[k], { rel: 1e-9, context: t });
});

test('numbers: tilt beyond the maximum KL is λ = ∞ on the best token', () => {
  const v = resultValue(9, 'tilt');
  assert.equal(v.lambda, null);
  assert.equal(v.beta, 0);
  assertClose(v.kl, toy.n * Math.log(10), { rel: REL });
  assert.equal(v.reward, 24);
  assertClose(v.phi.d, 1, { rel: 1e-14 });
  assert.ok(v.phi.a >= 0 && v.phi.a < 1e-300, 'the other tokens have no mass');
});

test('numbers: frontier(steps = 5) is the core frontier', () => {
  const v = resultValue(1, 'frontier');
  const f = core(frontier(law, toy.n, { steps: 5 }));
  assert.equal(v.points.length, 5);
  v.points.forEach((pt: { lambda: number | null; kl: number; reward: number }, i: number) => {
    const expected = f.points[i];
    if (Number.isFinite(expected.lambda)) assertClose(pt.lambda as number, expected.lambda, { rel: REL });
    else assert.equal(pt.lambda, null);
    assertClose(pt.kl, expected.kl, { rel: REL, abs: 1e-15 });
    assertClose(pt.reward, expected.reward, { rel: REL });
    assertClose(pt.kl, (i * toy.n * Math.log(10)) / 4, {
      rel: 1e-9,
      abs: 1e-12,
      context: 'KL evenly spaced',
    });
  });
  assertClose(v.max_kl, toy.n * Math.log(10), { rel: REL });
  assert.equal(v.max_reward, 24);
});

test('numbers: bon(N = 16) equals the explicit convolution formulas', () => {
  const v = resultValue(2, 'bon');
  const direct = ref.bestOfN(toy, Math.log(16));
  assert.equal(v.N, 16);
  assertClose(v.log_n, Math.log(16), { rel: REL });
  assertClose(v.reward, direct.reward, { rel: 1e-9 });
  assertClose(v.kl, direct.kl, { rel: 1e-8 });
  assertClose(v.kl_bound, Math.log(16) - 15 / 16, { rel: REL });
  assert.ok(v.kl <= v.kl_bound + 1e-12);
  assert.equal(v.exact, true);
  const same = core(lambdaForBudget(law, toy.n, v.kl));
  assertClose(v.same_kl.lambda, same.lambda, { rel: 1e-9 });
  assertClose(v.same_kl.reward, same.reward, { rel: 1e-9 });
  assert.ok(v.reward <= v.same_kl.reward + 1e-9, 'BoN never beats the frontier at its own KL');
  const budget = core(lambdaForBudget(law, toy.n, Math.log(16)));
  assertClose(v.log_n_budget.lambda, budget.lambda, { rel: 1e-9 });
  assertClose(v.log_n_budget.reward, budget.reward, { rel: 1e-9 });
  const toTilt = ref.bestOfN(toy, Math.log(16), budget.lambda).klToTilt as number;
  assertClose(v.log_n_budget.kl_bon_to_tilt, toTilt, { rel: 1e-7 });
});

test('numbers: equivalence(rate = 0.3) — RL per token and BoN with N = e^{nδ}', () => {
  const v = resultValue(3, 'equivalence');
  const rl = core(lambdaForBudget(law, 1, 0.3));
  assertClose(v.lambda, rl.lambda, { rel: 1e-9 });
  assertClose(v.rl_reward_per_token, rl.reward, { rel: 1e-9 });
  assert.equal(v.points[0].n, 1);
  assert.equal(v.points.at(-1).n, 32);
  for (const pt of v.points) {
    const m = { ...toy, n: pt.n };
    const bon = ref.bestOfN(m, pt.n * 0.3, rl.lambda);
    assertClose(pt.bon_reward_per_token, bon.reward / pt.n, { rel: 1e-7, context: pt });
    assertClose(pt.kl_per_token, bon.kl / pt.n, { rel: 1e-6, context: pt });
    assertClose(pt.kl_to_rl_per_token, (bon.klToTilt as number) / pt.n, {
      rel: 1e-6,
      abs: 1e-12,
      context: pt,
    });
  }
});

test('numbers: rate(lambda = 1) is sup_t [t x − Λ(t)], ∞ nowhere inside [r_min, r_max]', () => {
  const v = resultValue(4, 'rate');
  assertClose(v.mean, ref.mean(toy, 1), { rel: 1e-9 });
  assert.equal(v.points.length, 7);
  const phi = ref.tilted(toy, 1);
  for (const pt of v.points) {
    let expected: number;
    if (pt.x === 0) expected = -Math.log(phi[0]);
    else if (pt.x === 3) expected = -Math.log(phi[3]);
    else {
      const s = ref.solveMean(toy, pt.x);
      expected = (s - 1) * pt.x - ref.logPartition(toy, s) + ref.logPartition(toy, 1);
    }
    assertClose(pt.rate, expected, { rel: 1e-7, abs: 1e-12, context: pt });
    assert.ok(pt.tail_rate === null || pt.tail_rate >= 0, 'tail exponent is a rate');
  }
});

test('numbers: cumulants(lambda = 1) are the core sequence cumulants', () => {
  const v = resultValue(5, 'cumulants');
  const kappa = core(sequenceCumulants(law, toy.n, 1, 4));
  assert.equal(v.kappa.length, 4);
  for (let i = 0; i < 4; i++) assertClose(v.kappa[i], kappa[i], { rel: REL, abs: 1e-12 });
  assertClose(v.kappa[0], toy.n * ref.mean(toy, 1), { rel: 1e-9 });
});

test('numbers: renyi(alpha = 2) is −log Σ p q with q = softmax(r)', () => {
  const v = resultValue(6, 'renyi');
  const logC = Math.log(toy.r.reduce((acc, r) => acc + Math.exp(r), 0));
  const qk = toy.r.map((r) => Math.exp(r - logC));
  assertClose(v.log_c, logC, { rel: REL });
  assertClose(v.cross_entropy, -Math.log(toy.p.reduce((acc, p, k) => acc + p * qk[k], 0)), { rel: 1e-9 });
  // §5: A(1) = log C − H_2(p, q).
  assertClose(ref.logPartition(toy, 1), v.log_c - v.cross_entropy, { rel: 1e-9 });
});

test('numbers: compare(policy = q) — KL, gap and the stability bound', () => {
  const v = resultValue(7, 'compare');
  const klq = toy.n * ref.kl(q, toy.p);
  assertClose(v.kl, klq, { rel: 1e-9 });
  assertClose(v.reward, toy.n * q.reduce((acc, x, k) => acc + x * toy.r[k], 0), { rel: 1e-9 });
  const opt = core(lambdaForBudget(law, toy.n, klq));
  assertClose(v.frontier_reward, opt.reward, { rel: 1e-9 });
  assertClose(v.gap, opt.reward - v.reward, { rel: 1e-9 });
  assertClose(v.lambda, opt.lambda, { rel: 1e-9 });
  assertClose(v.kl_to_optimal, toy.n * ref.kl(q, ref.tilted(toy, opt.lambda)), { rel: 1e-8 });
  assertClose(v.bound, opt.lambda * v.gap, { rel: 1e-9 });
  assert.ok(v.kl_to_optimal <= v.bound + 1e-9, 'the stability theorem');
});

test('numbers: simulate(base) is within 5 standard errors of n·E_p r', () => {
  const v = resultValue(8, 'simulate');
  assert.equal(v.method, 'base');
  assert.equal(v.samples, 2000);
  assert.equal(v.seed, 7);
  const variance =
    toy.n * (ref.tilted(toy, 0).reduce((a, x, k) => a + x * toy.r[k] ** 2, 0) - ref.mean(toy, 0) ** 2);
  assertClose(v.reward_stderr, Math.sqrt(variance / 2000), { rel: 0.2 });
  assert.ok(Math.abs(v.reward_mean - toy.n * ref.mean(toy, 0)) < 5 * v.reward_stderr);
});

test('numbers: tilt and bon carry their win rates — Σ π_j (F_{j−1} + w_j/2) on the explicit law of R', () => {
  const w = ref.sequenceLaw(toy.p, toy.r, toy.n);
  const t = resultValue(0, 'tilt');
  const phi = ref.sequenceLaw(ref.tilted(toy, t.lambda), toy.r, toy.n);
  assertClose(t.win_rate, ref.winRate(phi, w), { rel: 1e-12, context: 'tilt' });
  const b = resultValue(2, 'bon');
  assertClose(b.win_rate, ref.winRate(ref.bonLevels(w, 16), w), { rel: 1e-12, context: 'bon' });
});

test('numbers: softbon, blockbon, winrate and methods are the core comparisons on the same model', () => {
  const s = resultValue(10, 'softbon');
  const sc = core(softBestOfN(law, toy.n, { N: 16 }, 1));
  for (const [key, got, want] of [
    ['reward', s.reward, sc.soft.reward],
    ['kl', s.kl, sc.soft.kl],
    ['kl_to_tilt', s.kl_to_tilt, sc.soft.klToTilt],
    ['win_rate', s.win_rate, sc.soft.winRate],
    ['loss_rate', s.loss_rate, sc.soft.lossRate],
    ['bon.reward', s.bon.reward, sc.bon.reward],
    ['tilt.reward', s.tilt.reward, sc.tilt.reward],
  ] as const)
    assertClose(got, want, { rel: 1e-14, context: `softbon ${key}` });
  assert.equal(s.tokens_sampled, 16 * toy.n);
  assert.equal(s.beta, 1);
  // The best-of-N comparison is plain best-of-N with the same N.
  const w = ref.sequenceLaw(toy.p, toy.r, toy.n);
  assertClose(s.bon.win_rate, ref.winRate(ref.bonLevels(w, 16), w), { rel: 1e-12, context: 'softbon.bon W' });
  const k = resultValue(11, 'blockbon');
  const kc = core(blockBestOfN(law, toy.n, { N: 4 }, 2));
  assertClose(k.reward, kc.blockwise.reward, { rel: 1e-14, context: 'blockbon reward' });
  assertClose(k.win_rate, kc.blockwise.winRate, { rel: 1e-14, context: 'blockbon W' });
  assert.equal(k.blocks, 4);
  // E R and KL are n/b times the block's best-of-N.
  const block = ref.bestOfN({ ...toy, n: 2 }, Math.log(4));
  assertClose(k.reward, 4 * block.reward, { rel: 1e-9, context: 'blockbon E R = (n/b)·block' });
  assertClose(k.kl, 4 * block.kl, { rel: 1e-8, context: 'blockbon KL = (n/b)·block' });
  const wr = resultValue(13, 'winrate');
  const wc = core(winRateComparison(law, toy.n, 2, undefined));
  assertClose(wr.win_rate, wc.frontier.winRate, { rel: 1e-14, context: 'winrate frontier' });
  assertClose(wr.bon.kl, 2, { rel: 1e-10, context: 'best-of-N tuned to Δ = 2' });
  assertClose(wr.softbon.kl, 2, { rel: 1e-9, context: 'soft best-of-N tuned to Δ = 2' });
  assert.ok(wr.reject.kl <= 2 + 1e-12);
  for (const m of [wr.kl_rl, wr.bon, wr.softbon, wr.reject]) assert.ok(m.win_rate <= wr.win_rate + 1e-12);
  const ms = resultValue(14, 'methods');
  const mc = core(methodCurves(law, toy.n, { logNFrom: 0, logNTo: Math.log(64), steps: 4 }));
  assert.equal(ms.bon.length, 4);
  for (let i = 0; i < 4; i++) assertClose(ms.bon[i].reward, mc.bon[i].reward, { rel: 1e-14, context: i });
  assert.equal(ms.block, 2, 'the default block of n = 8 is the largest divisor ≤ n/4');
});

test('numbers: reject(accept = 0.05) is the conditional law above the threshold', () => {
  const v = resultValue(12, 'reject');
  const w = ref.sequenceLaw(toy.p, toy.r, toy.n);
  // The highest level whose upper tail is at least 0.05, by the definition.
  let tau = 0;
  for (let j = 0; j < w.length; j++) if (w.slice(j).reduce((a, b) => a + b, 0) >= 0.05) tau = j;
  const accept = w.slice(tau).reduce((a, b) => a + b, 0);
  const pi = w.map((wj, j) => (j >= tau ? wj / accept : 0));
  assert.equal(v.threshold, tau);
  assertClose(v.accept, accept, { rel: 1e-12 });
  assertClose(v.kl, -Math.log(accept), { rel: 1e-12 });
  assertClose(
    v.reward,
    pi.reduce((a, p, j) => a + p * j, 0),
    { rel: 1e-12 },
  );
  assertClose(v.win_rate, ref.winRate(pi, w), { rel: 1e-12 });
  assertClose(v.tokens_sampled, toy.n / accept, { rel: 1e-12 });
  assertClose(v.bon.log_n, -Math.log(accept), { rel: 1e-12, context: 'best-of-N with as many draws' });
});
