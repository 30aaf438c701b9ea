// The methods' queries through the language (softbon, blockbon, reject, winrate, methods; win_rate on
// tilt and bon): parameters as the query table defines them, huge N in log form for every method,
// the approximation note, the optional tilt.win_rate, and every value against the core's own call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blockBestOfN,
  methodCurves,
  rejectionSampling,
  softBestOfN,
  tokenRewardLaw,
  winRateComparison,
} from '../../src/core/index.js';
import { analyze } from '../../src/language/index.js';
import type { QueryResult, QueryValues } from '../../src/presentation/results.js';
import { close } from './helpers.js';

const CHAT = `model chat {
  vocab   rude  terse  neutral  helpful  top
  p       0.10  0.30   0.35     0.20     0.05
  reward  -1    0      0.5      1        2
  length  32
}
`;
const law = (() => {
  const r = tokenRewardLaw([0.1, 0.3, 0.35, 0.2, 0.05], [-1, 0, 0.5, 1, 2]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

function core<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The values of a document's queries, failing on any error or warning. */
function values(source: string): QueryResult[] {
  const a = analyze(source);
  const problems = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  assert.deepEqual(problems, [], source);
  for (const r of a.results) assert.equal(r.error, undefined, `${r.query}: ${r.error}`);
  return a.results;
}

function resultValue<K extends keyof QueryValues>(r: QueryResult, kind: K): QueryValues[K] {
  assert.equal(r.query, kind);
  return r.value as QueryValues[K];
}

test('softbon: lambda and beta name the same temperature; the values are the core comparison', () => {
  const [a, b] = values(`${CHAT}softbon(chat, N = 64, lambda = 2)\nsoftbon(chat, N = 64, beta = 0.5)\n`);
  const va = resultValue(a, 'softbon');
  assert.deepEqual(resultValue(b, 'softbon'), va);
  const c = core(softBestOfN(law, 32, { N: 64 }, 2));
  close(va.reward, c.soft.reward, 'E R', 1e-14);
  close(va.kl_to_tilt ?? Number.NaN, c.soft.klToTilt, 'KL(soft‖φ)', 1e-14);
  close(va.loss_rate, c.soft.lossRate, '1 − W', 1e-14);
  close(va.bon.reward, c.bon.reward, 'BoN E R', 1e-14);
  close(va.tilt.reward, c.tilt.reward, 'tilt E R', 1e-14);
  assert.equal(va.tokens_sampled, 64 * 32);
  assert.equal(va.tilt.tokens_sampled, 32);
  assert.equal(va.exact, true);
});

test('N in log form for every method: exp(1000) candidates, a log N range, N beyond the double range', () => {
  const [s, k, m, w, r] = values(
    `${CHAT}softbon(chat, N = exp(1000), lambda = 0.5)\n` +
      'blockbon(chat, N = exp(1000), block = 8)\n' +
      'methods(chat, logN = 0..2000, steps = 3)\n' +
      'winrate(chat, delta = 95)\n' +
      'reject(chat, threshold = 64)\n',
  );
  const soft = resultValue(s, 'softbon');
  assert.equal(soft.N, null, 'N = e^1000 overflows a double: null');
  assert.equal(soft.log_n, 1000);
  assert.equal(soft.tokens_sampled, null);
  const c = core(softBestOfN(law, 32, { logN: 1000 }, 0.5));
  close(soft.reward, c.soft.reward, 'E R at N = e^1000', 1e-14);
  // N = e^1000 ≫ anything φ_0.5 needs: soft best-of-N is φ_λⁿ.
  close(soft.reward, soft.tilt.reward, 'soft → tilt', 1e-12);
  const block = resultValue(k, 'blockbon');
  assert.equal(block.N, null);
  close(
    block.reward,
    core(blockBestOfN(law, 32, { logN: 1000 }, 8)).blockwise.reward,
    'blockwise E R',
    1e-14,
  );
  const methods = resultValue(m, 'methods');
  assert.equal(methods.log_n_to, 2000);
  assert.deepEqual(
    methods.bon.map((p) => p.log_n),
    [0, 1000, 2000],
  );
  assert.equal(methods.bon[2].tokens_sampled, null);
  const win = resultValue(w, 'winrate');
  assert.ok(win.bon.log_n !== null && win.bon.log_n > 90, JSON.stringify(win.bon));
  const top = resultValue(r, 'reject');
  close(top.kl, 32 * -Math.log(0.05), 'rejection at n·r_max', 1e-13);
  close(top.bon.log_n ?? Number.NaN, top.kl, 'best-of-N with as many draws', 1e-13);
});

test('winrate, reject and methods equal the core; defaults from the query table', () => {
  const [w, r, m] = values(
    `${CHAT}winrate(chat, delta = 4)\nreject(chat, accept = 0.01)\nmethods(chat, steps = 8)\n`,
  );
  const win = resultValue(w, 'winrate');
  const wc = core(winRateComparison(law, 32, 4, undefined));
  close(win.win_rate, wc.frontier.winRate, 'frontier W', 1e-14);
  close(win.loss_rate, wc.frontier.lossRate, 'frontier 1 − W', 1e-14);
  assert.ok(win.softbon, 'the default temperature reaches Δ');
  close(win.softbon.kl, 4, 'soft best-of-N tuned to Δ', 1e-10);
  close(win.softbon.lambda ?? Number.NaN, wc.softLambda, 'default λ: the KL-RL λ at 2Δ', 1e-14);
  const rej = resultValue(r, 'reject');
  const rc = core(rejectionSampling(law, 32, { accept: 0.01 }));
  close(rej.threshold, rc.threshold, 'threshold', 1e-15);
  assert.ok(rej.accept >= 0.01, `accept ${rej.accept} ≥ 0.01`);
  const methods = resultValue(m, 'methods');
  const mc = core(methodCurves(law, 32, { logNFrom: 0, logNTo: Math.log(1024), steps: 8 }));
  assert.equal(methods.block, 8, 'default block: the largest divisor of 32 that is ≤ 8');
  close(methods.lambda ?? Number.NaN, mc.softLambda, 'default λ: the KL-RL λ at Δ = log 1024', 1e-14);
  assert.equal(methods.softbon.length, 8);
  for (let i = 0; i < 8; i++) close(methods.softbon[i].reward, mc.soft[i].reward, `soft point ${i}`, 1e-14);
  // A winrate whose soft best-of-N cannot reach Δ: absent, with a note.
  const [far] = values(`${CHAT}winrate(chat, delta = 4, lambda = 0.1)\n`);
  assert.equal(resultValue(far, 'winrate').softbon, undefined);
});

test('conflicting or missing parameters are reported by the checker', () => {
  const codes = (source: string) => analyze(`${CHAT}${source}\n`).diagnostics.map((d) => d.code);
  assert.deepEqual(codes('softbon(chat, N = 4)'), ['missing-parameter']);
  assert.deepEqual(codes('softbon(chat, N = 4, lambda = 1, beta = 1)'), ['conflicting-parameters']);
  assert.deepEqual(codes('blockbon(chat, N = 4)'), ['missing-parameter']);
  assert.deepEqual(codes('reject(chat)'), ['missing-parameter']);
  assert.deepEqual(codes('reject(chat, threshold = 3, accept = 0.5)'), ['conflicting-parameters']);
  assert.deepEqual(codes('methods(chat, N = 1..4, logN = 0..2)'), ['conflicting-parameters']);
  assert.deepEqual(codes('winrate(chat)'), ['missing-parameter']);
  // Δ beyond the maximum KL binds nothing: the usual warning.
  assert.deepEqual(codes('winrate(chat, delta = 200)'), ['budget-exceeds-max-kl']);
});

test('tilt.win_rate: present when the exact law of R is cheap, left out (not approximated) otherwise', () => {
  const [small, bon] = values(`${CHAT}tilt(chat, delta = 16)\nbon(chat, N = 16)\n`);
  const t = resultValue(small, 'tilt');
  assert.ok(t.win_rate !== undefined && t.win_rate > 0.99 && t.win_rate < 1, JSON.stringify(t));
  close(t.win_rate, core(winRateComparison(law, 32, 16, undefined)).tilt.winRate, 'tilt W', 1e-14);
  assert.ok(resultValue(bon, 'bon').win_rate !== undefined);
  const big = CHAT.replace('length  32', 'length  1000000');
  const t0 = performance.now();
  const [huge] = values(`${big}tilt(chat, delta = 16)\n`);
  const ms = performance.now() - t0;
  assert.equal(resultValue(huge, 'tilt').win_rate, undefined, 'n = 10⁶: no win rate');
  assert.ok(ms < 2000, `the skipped win rate still cost ${ms} ms`);
});

test('an approximate law of R is reported on the methods too (approximation note, exact: false)', () => {
  const irrational = 'model m {\n  vocab a b c\n  p 0.5 0.3 0.2\n  reward 0 1 sqrt(2)\n  length 40\n}\n';
  const a = analyze(`${irrational}softbon(m, N = 8, lambda = 1)\nreject(m, accept = 0.1)\n`, {
    limits: { maxExactSupport: 200 },
  });
  const notes = a.diagnostics.filter((d) => d.code === 'approximation');
  assert.equal(notes.length, 2, JSON.stringify(a.diagnostics));
  for (const r of a.results) assert.equal((r.value as { exact: boolean }).exact, false, r.query);
});
