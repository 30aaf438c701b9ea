// rate, equivalence, renyi, compare and simulate against independent references.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, type QueryResult, type QueryValues } from '../../src/language/index.js';
import * as brute from './bruteForce.js';
import { close, TOY } from './helpers.js';

const P = [0.4, 0.3, 0.2, 0.1];
const R = [0, 1, 2, 3];

function values<K extends keyof QueryValues>(source: string, kind: K): QueryValues[K][] {
  const a = analyze(source);
  const results = a.results.filter((r): r is Extract<QueryResult, { query: K }> => r.query === kind);
  for (const r of results) assert.ok(r.value, `${kind} failed: ${r.error}\n${JSON.stringify(a.diagnostics)}`);
  return results.map((r) => r.value as QueryValues[K]);
}

test('rate: I_λ(x) equals the Legendre supremum; tail_rate equals the enumerated tail of φ_λ^n', () => {
  const [v] = values(`${TOY}rate(toy, lambda = 0.8, x = 0..3, steps = 13)\n`, 'rate');
  const phi = brute.tilted(P, R, 0.8);
  const mean = phi.reduce((a, q, k) => a + q * R[k], 0);
  close(v.mean, mean, 'mean A′(λ)');
  const { x: levels, w } = brute.rewardLaw(phi, R, 4);
  for (const pt of v.points) {
    close(pt.rate, brute.rateBySupremum(P, R, 0.8, pt.x), `I_λ(${pt.x})`, 1e-9, 1e-12);
    // P(R/n ≥ x) above the mean, P(R/n ≤ x) below, by enumeration.
    const upper = pt.x >= mean;
    let prob = 0;
    levels.forEach((l, j) => {
      if (upper ? l >= 4 * pt.x - 1e-9 : l <= 4 * pt.x + 1e-9) prob += w[j];
    });
    close(pt.tail_rate, -Math.log(prob) / 4, `tail rate at x = ${pt.x}`, 1e-9, 1e-12);
    assert.ok(pt.tail_rate! >= pt.rate! - 1e-12, `tail exponent ≥ I at x = ${pt.x} (Chernoff)`);
  }
  const [out] = values(`${TOY}rate(toy, lambda = 0.8, x = 3.5)\n`, 'rate');
  assert.equal(out.points[0].rate, null, 'I = ∞ outside [r_min, r_max] (null in JSON)');
  assert.equal(out.points[0].tail_rate, null, 'probability 0 → null');
});

test('equivalence: each n equals brute-force best-of-e^{nδ} against φ_λ*^n', () => {
  const delta = 0.3;
  const [v] = values(`${TOY}equivalence(toy, rate = ${delta}, n = 1..4, steps = 4)\n`, 'equivalence');
  assert.deepEqual(
    v.points.map((p) => p.n),
    [1, 2, 3, 4],
  );
  const [t] = values(
    `model one {\n vocab a b c d\n p 0.4 0.3 0.2 0.1\n reward 0 1 2 3\n}\ntilt(one, delta = ${delta})\n`,
    'tilt',
  );
  close(v.lambda, t.lambda!, 'λ* with D(λ*) = δ');
  close(v.rl_reward_per_token, t.reward_per_token, 'A′(λ*)');
  for (const pt of v.points) {
    const ref = brute.bestOfNVsTilt(P, R, pt.n, pt.n * delta, v.lambda!);
    close(pt.bon_reward_per_token, ref.reward / pt.n, `BoN reward per token at n = ${pt.n}`, 1e-9);
    close(pt.kl_to_rl_per_token, ref.klToTilt / pt.n, `KL(BoN‖φ)/n at n = ${pt.n}`, 1e-8, 1e-13);
  }
});

test('renyi: the definition, the α = 1 cross entropy and the identity A(s) = s log C − s H_{1+s}', () => {
  const logC = Math.log(R.reduce((a, r) => a + Math.exp(r), 0));
  const q = R.map((r) => Math.exp(r - logC));
  for (const alpha of [0.5, 2, 3.5]) {
    const [v] = values(`${TOY}renyi(toy, alpha = ${alpha})\n`, 'renyi');
    const H = Math.log(P.reduce((a, pk, k) => a + pk * q[k] ** (alpha - 1), 0)) / (1 - alpha);
    close(v.cross_entropy, H, `H_${alpha}`);
    close(v.log_c, logC, 'log C');
    const s = alpha - 1;
    close(s * v.log_c - s * v.cross_entropy, brute.logPartition(P, R, s), `A(${s}) via Rényi`);
  }
  const [one] = values(`${TOY}renyi(toy, alpha = 1)\n`, 'renyi');
  close(one.cross_entropy, -P.reduce((a, pk, k) => a + pk * Math.log(q[k]), 0), 'H_1 = cross entropy');
});

test('compare: brute-force KL, reward, frontier gap and the stability identity', () => {
  const Q = [0.1, 0.2, 0.3, 0.4];
  const src = `${TOY}policy q of toy { p 0.1 0.2 0.3 0.4 }\ncompare(toy, policy = q, delta = 2)\ncompare(toy, policy = q)\n`;
  const [v, own] = values(src, 'compare');
  const [t] = values(`${TOY}tilt(toy, delta = 2)\n`, 'tilt');
  const klq = 4 * brute.klAndReward(Q, P, R).kl;
  const rewardq = 4 * brute.klAndReward(Q, P, R).reward;
  close(v.kl, klq, 'KL(qⁿ‖pⁿ)');
  close(v.reward, rewardq, 'E_q R');
  close(v.frontier_reward, t.reward, 'F(Δ)');
  close(v.gap, t.reward - rewardq, 'gap');
  close(v.lambda, t.lambda!, 'λ(Δ)');
  const phi = brute.tilted(P, R, t.lambda!);
  const klOpt = 4 * Q.reduce((a, qk, k) => a + qk * Math.log(qk / phi[k]), 0);
  close(v.kl_to_optimal, klOpt, 'KL(qⁿ‖φ_Δ)');
  // docs/math.md §3: KL(q‖φ_Δ) = [KL(q‖pⁿ) − Δ] + λ (F − E_q R).
  close(v.kl_to_optimal, klq - 2 + t.lambda! * (t.reward - rewardq), 'stability identity', 1e-9);
  close(v.bound, t.lambda! * v.gap, 'bound λ·gap');
  // Default budget: the policy's own KL.
  close(own.kl, klq, 'own KL');
  assert.ok(
    own.kl_to_optimal! <= own.bound! + 1e-12,
    `KL(q‖φ) ≤ λ·gap at its own KL: ${JSON.stringify(own)}`,
  );
});

test('compare: no bound (null = ∞, with a note) where the stability theorem does not apply', () => {
  // toy: p(M) = 0.1, so the maximum KL is 4·log 10 = 9.21. At Δ = 20 the budget does not bind:
  // q on the top token is as good as φ_Δ (gap 0) but far from it, which the old bound 0 denied.
  const src = `${TOY}policy top of toy { p 0 0 0 1 }\npolicy q of toy { p 0.1 0.2 0.3 0.4 }\ncompare(toy, policy = top, delta = 20)\ncompare(toy, policy = q, delta = 20)\ncompare(toy, policy = q, delta = 0.5)\ncompare(toy, policy = q, delta = 2)\n`;
  const [top, loose, over, applies] = values(src, 'compare');
  for (const [v, what] of [
    [top, 'top token, Δ = 20'],
    [loose, 'q, Δ = 20'],
  ] as const) {
    assert.equal(v.lambda, null, `${what}: λ = ∞`);
    assert.equal(v.bound, null, `${what}: no bound`);
    assert.match(v.bound_note ?? '', /does not bind/, what);
  }
  assert.equal(top.gap, 0, 'the top token reaches the maximum reward');
  // KL(δ_top‖p restricted to M) = 0 here: M is one token; q is far from it.
  assert.ok(loose.kl_to_optimal === null || loose.kl_to_optimal > 0, JSON.stringify(loose));
  // KL(qⁿ‖pⁿ) = 4·KL(q‖p) ≈ 1.9 > Δ = 0.5: beyond the budget.
  assert.ok(over.kl! > 0.5 && over.lambda !== null);
  assert.equal(over.bound, null);
  assert.match(over.bound_note ?? '', /exceeds the budget/);
  // Within a binding budget the bound is λ·gap and there is no note.
  assert.ok(applies.kl! <= 2 && applies.bound !== null, JSON.stringify(applies));
  assert.equal(applies.bound_note, undefined);
  assert.ok(applies.kl_to_optimal! <= applies.bound!, JSON.stringify(applies));
});

test('simulate: seeded, reproducible, and within 5 standard errors of the exact means', () => {
  const src = `${TOY}simulate(toy, samples = 4000, seed = 11)\nsimulate(toy, method = tilt, delta = 2, samples = 4000, seed = 11)\nsimulate(toy, method = bon, N = 8, samples = 4000, seed = 11)\nsimulate(toy, samples = 4000, seed = 12)\n`;
  const [base, tilt, bon, other] = values(src, 'simulate');
  const again = values(src, 'simulate');
  assert.deepEqual(again, [base, tilt, bon, other], 'same seed, same numbers');
  assert.notEqual(other.reward_mean, base.reward_mean, 'another seed, other numbers');
  const [t] = values(`${TOY}tilt(toy, delta = 2)\n`, 'tilt');
  const exact = {
    base: 4 * brute.klAndReward(P, P, R).reward,
    tilt: t.reward,
    bon: brute.bestOfN(P, R, 4, 8).reward,
  };
  for (const [name, v] of [
    ['base', base],
    ['tilt', tilt],
    ['bon', bon],
  ] as const) {
    assert.equal(v.method, name);
    assert.equal(v.samples, 4000);
    const z = Math.abs(v.reward_mean - exact[name]) / v.reward_stderr;
    assert.ok(
      z < 5,
      `${name}: mean ${v.reward_mean} ± ${v.reward_stderr} vs exact ${exact[name]} (z = ${z})`,
    );
  }
});
