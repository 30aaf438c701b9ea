// Evaluated values against the core's own functions on the same law AND independent references
// (brute-force enumeration, closed forms of a 2-token model).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaForBudget } from '../../src/core/klrl.js';
import { tokenRewardLaw } from '../../src/core/rewardLaw.js';
import { analyze, type QueryResult, type QueryValues } from '../../src/language/index.js';
import { tokenRecordOf, tokenValue } from '../../src/presentation/tokens.js';
import { wireAnalysis } from '../../src/presentation/wire.js';
import * as brute from './bruteForce.js';
import { close, TOY } from './helpers.js';

const P = [0.4, 0.3, 0.2, 0.1];
const R = [0, 1, 2, 3];
const N_LEN = 4;

function value<K extends keyof QueryValues>(source: string, kind: K, index = 0): QueryValues[K] {
  const a = analyze(source);
  const results = a.results.filter((r): r is Extract<QueryResult, { query: K }> => r.query === kind);
  const r = results[index];
  assert.ok(r, `no ${kind} result in:\n${source}\n${JSON.stringify(a.diagnostics)}`);
  assert.ok(r.value, `${kind} failed: ${r.error}\n${JSON.stringify(a.diagnostics)}`);
  return r.value as QueryValues[K];
}

test('tilt on a 2-token model matches the closed form φ = (1/4, 3/4) at λ = log 3', () => {
  const src =
    'model coin {\n vocab h t\n p 1/2 1/2\n reward 0 1\n length 3\n}\ntilt(coin, lambda = log(3))\n';
  const v = value(src, 'tilt');
  const klPerToken = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
  close(v.lambda, Math.log(3), 'λ');
  close(v.beta, 1 / Math.log(3), 'β');
  close(tokenValue(v.phi, 'h'), 0.25, 'φ(h)');
  close(tokenValue(v.phi, 't'), 0.75, 'φ(t)');
  close(v.kl_per_token, klPerToken, 'KL per token');
  close(v.kl, 3 * klPerToken, 'KL');
  close(v.reward, 2.25, 'reward');
  // Inverse: the budget Δ = 3·KL gives back λ = log 3.
  const back = value(src.replace('lambda = log(3)', `delta = ${3 * klPerToken}`), 'tilt');
  close(back.lambda, Math.log(3), 'λ recovered from Δ', 1e-9);
});

test('tilt equals lambdaForBudget on the same law and the brute-force KL/reward', () => {
  for (const delta of [0, 0.1, 1, 4, 9]) {
    const v = value(`${TOY}tilt(toy, delta = ${delta})\n`, 'tilt');
    const law = tokenRewardLaw(P, R);
    assert.ok(law.ok);
    const core = lambdaForBudget(law.value, N_LEN, delta);
    assert.ok(core.ok);
    close(v.lambda, core.value.lambda, `λ at Δ = ${delta}`);
    close(v.reward, core.value.reward, `reward at Δ = ${delta}`);
    const phi = brute.tilted(P, R, v.lambda!);
    const ref = brute.klAndReward(phi, P, R);
    close(v.kl, N_LEN * ref.kl, `KL at Δ = ${delta} vs brute force`, 1e-9, 1e-14);
    close(v.kl, delta, `KL = Δ at Δ = ${delta}`, 1e-9, 1e-14);
    close(v.reward, N_LEN * ref.reward, `reward at Δ = ${delta} vs brute force`, 1e-9);
    for (const [k, t] of ['a', 'b', 'c', 'd'].entries())
      close(tokenValue(v.phi, t), phi[k], `φ(${t}) at Δ = ${delta}`, 1e-9);
  }
});

test('tilt beyond the maximum KL: λ = ∞ (null), all mass on the top token', () => {
  const v = value(`${TOY}tilt(toy, delta = 50)\n`, 'tilt');
  assert.equal(v.lambda, null);
  assert.equal(v.beta, 0);
  close(v.kl, 4 * Math.log(10), 'KL = n·(−log p(M))');
  close(v.reward, 12, 'reward = n·r_max');
  assert.deepEqual(Object.keys(tokenRecordOf(v.phi)), ['a', 'b', 'c', 'd']);
  for (const t of ['a', 'b', 'c']) assert.equal(tokenValue(v.phi, t), 0, `φ(${t})`);
  close(tokenValue(v.phi, 'd'), 1, 'φ(d)', 1e-15);
});

test('frontier points lie on the brute-force curve (n D(λ), n A′(λ)) and ascend in KL', () => {
  const v = value(`${TOY}frontier(toy, steps = 9)\n`, 'frontier');
  assert.equal(v.points.length, 9);
  close(v.max_kl, 4 * Math.log(10), 'max KL');
  close(v.max_reward, 12, 'max reward');
  for (let i = 0; i < v.points.length; i++) {
    const pt = v.points[i];
    if (i > 0) assert.ok(pt.kl > v.points[i - 1].kl, `KL ascends at ${i}: ${JSON.stringify(v.points)}`);
    if (pt.lambda === null) {
      close(pt.reward, 12, 'reward at λ = ∞');
      continue;
    }
    const ref = brute.klAndReward(brute.tilted(P, R, pt.lambda), P, R);
    close(pt.kl, 4 * ref.kl, `KL of point ${i} (λ = ${pt.lambda})`, 1e-9, 1e-14);
    close(pt.reward, 4 * ref.reward, `reward of point ${i} (λ = ${pt.lambda})`, 1e-9);
  }
});

test('cumulants equal brute-force cumulants of R under φ_λ^n', () => {
  for (const lambda of [0, 0.7]) {
    const v = value(`${TOY}cumulants(toy, lambda = ${lambda}, order = 4)\n`, 'cumulants');
    const ref = brute.cumulants4(brute.tilted(P, R, lambda), R, N_LEN);
    assert.equal(v.kappa.length, 4);
    // κ_j scale like σ^j: compare relative to that scale.
    const sigma = Math.sqrt(ref[1]);
    v.kappa.forEach((k, j) => {
      const err = Math.abs(k - ref[j]) / sigma ** (j + 1);
      assert.ok(
        err <= 1e-10,
        `κ${j + 1} at λ = ${lambda}: value ${k}, expected ${ref[j]}, scaled error ${err}`,
      );
    });
  }
});

test('best-of-N equals the brute-force level formulas; N = 1 is the base model', () => {
  for (const N of [1, 2.5, 16]) {
    const v = value(`${TOY}bon(toy, N = ${N})\n`, 'bon');
    const ref = brute.bestOfN(P, R, N_LEN, N);
    close(v.reward, ref.reward, `BoN reward at N = ${N}`, 1e-9);
    if (N === 1) assert.ok(Math.abs(v.kl) <= 1e-15, `KL at N = 1 is ${v.kl}`);
    else close(v.kl, ref.kl, `KL(BoN‖pⁿ) at N = ${N}`, 1e-9);
    close(v.kl_bound, Math.log(N) - (N - 1) / N, `bound at N = ${N}`);
    assert.ok(v.kl <= v.kl_bound + 1e-12, `KL ≤ bound at N = ${N}`);
    assert.equal(v.exact, true);
    // Optimality of φ_Δ: BoN never beats the frontier at its own KL.
    assert.ok(v.reward <= v.same_kl.reward + 1e-9, `BoN ${v.reward} ≤ frontier ${v.same_kl.reward}`);
    const law = tokenRewardLaw(P, R);
    assert.ok(law.ok);
    const atLogN = lambdaForBudget(law.value, N_LEN, Math.log(N));
    assert.ok(atLogN.ok);
    close(v.log_n_budget.reward, atLogN.value.reward, `KL-RL reward at Δ = log N = ${Math.log(N)}`);
  }
});

test('best-of-N with N = exp(1000) keeps log N exactly and reaches the top reward', () => {
  const v = value(`${TOY}bon(toy, N = exp(1000))\nbon(toy, logN = 1000)\n`, 'bon');
  assert.equal(v.N, null);
  assert.equal(v.log_n, 1000);
  close(v.reward, 12, 'reward → n·r_max');
  close(v.kl_bound, 999, 'bound = log N − 1');
  const same = value(`${TOY}bon(toy, N = exp(1000))\nbon(toy, logN = 1000)\n`, 'bon', 1);
  assert.deepEqual(same, v);
});

test('results never contain NaN or Infinity (JSON round trip is lossless)', () => {
  const a = analyze(
    `${TOY}tilt(toy, delta = 50)\nfrontier(toy, steps = 5)\nbon(toy, N = 1e300)\ncumulants(toy, delta = 50)\n`,
  );
  const json = JSON.stringify(a);
  // Per-token tables are columns in memory, objects in JSON: the JSON form is what round-trips.
  assert.deepEqual(JSON.parse(json), wireAnalysis(a));
  assert.ok(!/NaN|Infinity/.test(json), json);
});
