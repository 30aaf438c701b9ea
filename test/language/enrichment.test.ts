// The optional result fields for the preview (docs/preview.md): params, tilt.p/r, bon.curve,
// cumulants.cgf, renyi.curve, simulate.kl/exact_reward/log_n — each against an independent
// reference (brute-force enumeration, direct formulas, closed forms) at relative tolerance 1e-10.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestOfNForLength, tokenRewardLaw } from '../../src/core/index.js';
import {
  AnalysisCache,
  analyze,
  LineIndex,
  type QueryResult,
  type QueryValues,
} from '../../src/language/index.js';
import { tokenRecordOf, tokenValue } from '../../src/presentation/tokens.js';
import * as brute from './bruteForce.js';
import { close, TOY } from './helpers.js';

const P = [0.4, 0.3, 0.2, 0.1];
const R = [0, 1, 2, 3];
const n = 4;

function results<K extends keyof QueryValues>(source: string, kind: K): Extract<QueryResult, { query: K }>[] {
  const a = analyze(source);
  const out = a.results.filter((r): r is Extract<QueryResult, { query: K }> => r.query === kind);
  for (const r of out) assert.ok(r.value, `${kind} failed: ${r.error}\n${JSON.stringify(a.diagnostics)}`);
  return out;
}
const values = <K extends keyof QueryValues>(source: string, kind: K) =>
  results(source, kind).map((r) => r.value as QueryValues[K]);

/** KL-RL reward at budget Δ by bisection on λ with the KL summed directly (docs/math.md §3). */
function rlReward(delta: number): number {
  const pM = P[P.length - 1];
  if (delta >= n * -Math.log(pM)) return n * Math.max(...R);
  if (delta === 0) return n * brute.klAndReward(P, P, R).reward;
  const D = (l: number) => n * brute.klAndReward(brute.tilted(P, R, l), P, R).kl;
  let lo = 0;
  let hi = 1;
  while (D(hi) < delta) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (D(mid) < delta) lo = mid;
    else hi = mid;
  }
  return n * brute.klAndReward(brute.tilted(P, R, (lo + hi) / 2), P, R).reward;
}

test('params: name, evaluated value and the range of each numeric argument; fresh after edits with a cache', () => {
  const query =
    'tilt(toy, delta = 2 * 0.5)\nbon(toy, N = exp(2))\nrate(toy, lambda = 1, x = 0..3, steps = 5)\n';
  const source = `${TOY}${query}`;
  const lines = new LineIndex(source);
  const at = (text: string) => {
    const i = source.indexOf(text);
    return lines.range(i, i + text.length);
  };
  const [tilt] = results(source, 'tilt');
  assert.deepEqual(tilt.params, [
    { name: 'delta', value: 1, range: at('2 * 0.5'), source: { kind: 'expression' } },
  ]);
  const [bon] = results(source, 'bon');
  assert.equal(bon.params?.length, 1);
  assert.equal(bon.params?.[0].name, 'N');
  close(bon.params?.[0].value, Math.exp(2), 'N = exp(2)');
  assert.deepEqual(bon.params?.[0].range, at('exp(2)'));
  const [rate] = results(source, 'rate');
  // x is a range (no single number): left out.
  const after = (prefix: string, length: number) => {
    const i = source.indexOf(prefix) + prefix.length;
    return lines.range(i, i + length);
  };
  assert.deepEqual(rate.params, [
    { name: 'lambda', value: 1, range: after('lambda = ', 1) },
    { name: 'steps', value: 5, range: after('steps = ', 1) },
  ]);

  // With a cache, moving the queries down answers from the cache but the ranges move along.
  const cache = new AnalysisCache();
  analyze(source, { cache });
  const hits = cache.hits;
  const moved = `${TOY}\n\n# comment\n${query}`;
  const again = analyze(moved, { cache });
  assert.ok(cache.hits - hits >= 3, 'answered from the cache');
  assert.deepEqual(again, analyze(moved), 'cached = fresh, params included');
  const movedLines = new LineIndex(moved);
  const i = moved.indexOf('2 * 0.5');
  assert.deepEqual(again.results[0].params?.[0].range, movedLines.range(i, i + 7));

  // A number literal has no `source`; exp(2) is an expression.
  assert.equal(rate.params?.[0].source, undefined);
  assert.deepEqual(bon.params?.[0].source, { kind: 'expression' });

  // A query that cannot be evaluated has no params.
  const failed = analyze(`${TOY}tilt(toy, delta = -1)\n`).results[0];
  assert.ok(failed.error !== undefined && failed.params === undefined);
});

test('params: how a value that is not a number literal is written (what a slider would rewrite)', () => {
  const source = `${TOY}let own = 2\nlet shared = 1\nlet formula = 2 * 0.5\nlet negative = -0.5\ntilt(toy, delta = own)\ntilt(toy, delta = shared)\nrate(toy, lambda = shared)\ntilt(toy, lambda = formula)\ncumulants(toy, lambda = pi)\nrate(toy, lambda = 1, x = negative)\n`;
  const lines = new LineIndex(source);
  const letValueRange = (text: string) => {
    const i = source.indexOf('=', source.indexOf(text)) + 2;
    return lines.range(i, source.indexOf('\n', i));
  };
  const sources = analyze(source).results.map((r) => [r.error, r.params?.map((p) => [p.name, p.source])]);
  assert.deepEqual(sources, [
    // Only this query uses `own`, whose value is a number: a slider moves the let.
    [undefined, [['delta', { kind: 'let', let: 'own', definition: letValueRange('let own'), uses: 1 }]]],
    // `shared` is used twice: a slider would replace the reference (and say so first).
    [
      undefined,
      [['delta', { kind: 'reference', let: 'shared', definition: letValueRange('let shared'), uses: 2 }]],
    ],
    [
      undefined,
      [['lambda', { kind: 'reference', let: 'shared', definition: letValueRange('let shared'), uses: 2 }]],
    ],
    // Used once, but its value is an expression: moving it would lose `2 * 0.5`.
    [
      undefined,
      [['lambda', { kind: 'reference', let: 'formula', definition: letValueRange('let formula'), uses: 1 }]],
    ],
    // A built-in constant is an expression, not a let.
    [undefined, [['lambda', { kind: 'expression' }]]],
    // x = negative is a number-or-range read through a let used once with a signed number.
    [
      undefined,
      [
        ['lambda', undefined],
        ['x', { kind: 'let', let: 'negative', definition: letValueRange('let negative'), uses: 1 }],
      ],
    ],
  ]);
});

test('tilt.p and tilt.r are the model per token, only up to 1000 tokens', () => {
  const [v] = values(`${TOY}tilt(toy, lambda = 0.5)\n`, 'tilt');
  assert.ok(v.p && v.r);
  assert.deepEqual(Object.keys(tokenRecordOf(v.p)), ['a', 'b', 'c', 'd']);
  for (const [k, p] of P.entries()) close(tokenValue(v.p, 'abcd'[k]), p, `p(${'abcd'[k]})`, 1e-15);
  assert.deepEqual(tokenRecordOf(v.r), { a: 0, b: 1, c: 2, d: 3 });
  const big = (k: number) =>
    `model big {\n vocab ${Array.from({ length: k }, (_, i) => `t${i}`).join(' ')}\n` +
    ` p ${Array.from({ length: k }, (_, i) => (i < 1000 ? '0.001' : '0')).join(' ')}\n` +
    ` reward ${Array.from({ length: k }, (_, i) => i % 7).join(' ')}\n length 3\n}\ntilt(big, lambda = 0.1)\n`;
  const [small] = values(big(1000), 'tilt');
  assert.equal(Object.keys(tokenRecordOf(small.p ?? {})).length, 1000);
  assert.equal(tokenValue(small.r, 't999'), 999 % 7);
  const [large] = values(big(1001), 'tilt');
  assert.equal(large.p, undefined);
  assert.equal(large.r, undefined);
  assert.equal(Object.keys(tokenRecordOf(large.phi)).length, 1001, 'phi is still complete');
});

function checkBonCurve(v: QueryValues['bon'], points: number): void {
  const curve = v.curve!;
  assert.equal(curve.length, points);
  assert.equal(curve[0].log_n, 0, 'N = 1 first');
  close(curve[points - 1].log_n, v.log_n, 'the query’s N last', 1e-15);
  close(curve[points - 1].reward, v.reward, 'last point = the query’s reward', 1e-12);
  close(curve[points - 1].kl, v.kl, 'last point = the query’s KL', 1e-12, 1e-300);
  for (const pt of curve) {
    const N = Math.exp(pt.log_n);
    const ref = brute.bestOfN(P, R, n, N);
    close(pt.reward, ref.reward, `E R at log N = ${pt.log_n}`);
    close(pt.kl, ref.kl, `KL at log N = ${pt.log_n}`, 1e-10, 1e-15);
    close(pt.kl_bound, Math.log(N) - (N - 1) / N, `bound at log N = ${pt.log_n}`, 1e-10, 1e-15);
    close(pt.same_kl_reward, rlReward(pt.kl), `KL-RL at the same KL, log N = ${pt.log_n}`);
    close(pt.log_n_budget_reward, rlReward(pt.log_n), `KL-RL at Δ = log N = ${pt.log_n}`);
    assert.ok(pt.reward <= pt.same_kl_reward! + 1e-12, 'BoN never beats the frontier at its KL');
  }
}

test('bon.curve: N = 1…N against brute-force best-of-N and KL-RL by bisection', () => {
  const [small] = values(`${TOY}bon(toy, N = 16)\n`, 'bon');
  checkBonCurve(small, 16);
  for (const [i, pt] of small.curve!.entries())
    close(pt.log_n, Math.log(i + 1), `integer N = ${i + 1}`, 1e-15);
  const [geometric] = values(`${TOY}bon(toy, N = 1000)\n`, 'bon');
  checkBonCurve(geometric, 64);
  for (const [i, pt] of geometric.curve!.entries())
    close(pt.log_n, (Math.log(1000) * i) / 63, `grid point ${i}`, 1e-14);
  // Above N = 800 the query's own value uses the core's top-levels path; the curve the whole law.
  const [huge] = values(`${TOY}bon(toy, logN = 7)\n`, 'bon');
  checkBonCurve(huge, 64);
  const [one] = values(`${TOY}bon(toy, N = 1)\n`, 'bon');
  assert.deepEqual(
    one.curve?.map((pt) => [pt.log_n, pt.kl, pt.kl_bound]),
    [[0, 0, 0]],
  );
});

test('bon.curve on a larger law: 16 points (work budget), each equal to the core’s best-of-N for that N', () => {
  const chat =
    'model chat {\n vocab a b c d e\n p 0.1 0.3 0.35 0.2 0.05\n reward -1 0 0.5 1 2\n length 32\n}\n';
  const law = tokenRewardLaw([0.1, 0.3, 0.35, 0.2, 0.05], [-1, 0, 0.5, 1, 2]);
  assert.ok(law.ok);
  const [v] = values(`${chat}bon(chat, N = 64)\n`, 'bon');
  assert.equal(v.curve?.length, 16);
  for (const pt of v.curve!) {
    // An independent computation of the law of R and of best-of-N by the core (its own path).
    const ref = bestOfNForLength(law.value, 32, { logN: pt.log_n });
    assert.ok(ref.ok);
    close(pt.reward, ref.value.reward, `E R at log N = ${pt.log_n}`);
    close(pt.kl, ref.value.kl, `KL at log N = ${pt.log_n}`, 1e-10, 1e-15);
    const N = Math.exp(pt.log_n);
    close(pt.kl_bound, Math.log(N) - (N - 1) / N, `bound at log N = ${pt.log_n}`, 1e-10, 1e-15);
  }
});

test('cumulants.cgf: Λ(t) = A(λ+t) − A(λ) on 65 points of [−2, 2], against φ_λ and enumeration', () => {
  const lambda = 0.7;
  const [v] = values(`${TOY}cumulants(toy, lambda = ${lambda})\n`, 'cumulants');
  const cgf = v.cgf!;
  assert.equal(cgf.length, 65);
  assert.equal(cgf[0].t, -2);
  assert.equal(cgf[32].t, 0);
  assert.equal(cgf[32].value, 0);
  assert.equal(cgf[64].t, 2);
  const phi = brute.tilted(P, R, lambda);
  const seqs = brute.sequences(phi, R, n);
  for (const [i, { t, value }] of cgf.entries()) {
    close(t, -2 + (4 * i) / 64, 'uniform grid', 1e-15, 1e-15);
    const direct = Math.log(phi.reduce((a, q, k) => a + q * Math.exp(t * R[k]), 0));
    close(value, direct, `Λ(${t})`, 1e-10, 1e-15);
    const enumerated = Math.log(seqs.reduce((a, s) => a + s.prob * Math.exp(t * s.reward), 0)) / n;
    close(value, enumerated, `Λ(${t}) by enumeration`, 1e-10, 1e-14);
  }
  // λ = ∞ (a budget beyond the maximum KL): no CGF samples, the cumulants stay.
  const [inf] = values(`${TOY}cumulants(toy, delta = 99)\n`, 'cumulants');
  assert.equal(inf.lambda, null);
  assert.equal(inf.cgf, undefined);
  // Wide rewards: the grid narrows to ±8/(r_max − r_min).
  const wide = TOY.replace('reward 0 1 2 3', 'reward 0 10 20 40');
  const [w] = values(`${wide}cumulants(toy, lambda = 0.1)\n`, 'cumulants');
  close(w.cgf![64].t, 8 / 40, 'scaled half-width', 1e-15);
});

test('renyi.curve: H_α(p, softmax r) on α = 10^(k/32), 0.1…10, α = 1 included, by the definition', () => {
  const logC = Math.log(R.reduce((a, r) => a + Math.exp(r), 0));
  const logQ = R.map((r) => r - logC);
  const H = (alpha: number) =>
    alpha === 1
      ? -P.reduce((a, p, k) => a + p * logQ[k], 0)
      : Math.log(P.reduce((a, p, k) => a + p * Math.exp((alpha - 1) * logQ[k]), 0)) / (1 - alpha);
  const [v] = values(`${TOY}renyi(toy, alpha = 2)\n`, 'renyi');
  const curve = v.curve!;
  assert.equal(curve.length, 65);
  assert.equal(curve[32].alpha, 1);
  close(curve[0].alpha, 0.1, 'first α', 1e-14);
  close(curve[64].alpha, 10, 'last α', 1e-14);
  for (const [i, c] of curve.entries()) {
    close(c.alpha, 10 ** ((i - 32) / 32), `α[${i}]`, 1e-14);
    close(c.cross_entropy, H(c.alpha), `H_${c.alpha}`);
  }
  const [wide] = values(`${TOY}renyi(toy, alpha = 50)\n`, 'renyi');
  assert.equal(wide.curve!.length, 129);
  assert.ok(wide.curve![0].alpha <= 0.01 + 1e-15 && wide.curve![128].alpha >= 50);
});

test('simulate: the exact KL and E R of the sampled model (and log N for bon)', () => {
  const seqsP = brute.sequences(P, R, n);
  const meanP = seqsP.reduce((a, s) => a + s.prob * s.reward, 0);
  const [base, tilt, bon] = values(
    `${TOY}simulate(toy, samples = 100)\nsimulate(toy, method = tilt, lambda = 0.6, samples = 100)\n` +
      'simulate(toy, method = bon, N = 8, samples = 100)\n',
    'simulate',
  );
  assert.equal(base.kl, 0);
  assert.equal(base.log_n, undefined);
  close(base.exact_reward, meanP, 'E_p R by enumeration');
  // KL(φⁿ‖pⁿ) and E_φ R summed over all 4⁴ sequences.
  const phi = brute.tilted(P, R, 0.6);
  const seqsPhi = brute.sequences(phi, R, n);
  let kl = 0;
  let reward = 0;
  seqsPhi.forEach((s, i) => {
    kl += s.prob * Math.log(s.prob / seqsP[i].prob);
    reward += s.prob * s.reward;
  });
  close(tilt.kl, kl, 'KL(φⁿ‖pⁿ) by enumeration');
  close(tilt.exact_reward, reward, 'E_φ R by enumeration');
  assert.equal(tilt.log_n, undefined);
  const ref = brute.bestOfN(P, R, n, 8);
  close(bon.kl, ref.kl, 'KL(BoN‖pⁿ)');
  close(bon.exact_reward, ref.reward, 'E_BoN R');
  close(bon.log_n, Math.log(8), 'log N', 1e-15);
});
