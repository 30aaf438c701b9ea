// The alignment methods on a Markov model (src/core/markovMethods.ts) against brute-force
// enumeration of every sequence of a small chain that is far from memoryless (markovHelpers.ts):
// each policy is built sequence by sequence from its definition — soft best-of-N from the exact
// selection probabilities over all (N − 1)-tuples of rival levels, rejection sampling as p
// restricted to R ≥ τ, the win-rate tilt from its μ, blockwise best-of-N block by block from
// each boundary token's own candidate law — and E R, KL(·‖p), KL(·‖φ_λ) and the win rate against
// p are summed over the sequences. Tolerance 1e-9 relative (the KL to the tilt: 1e-9 of KL + 1e-12).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  markovBlockBestOfN,
  markovMethodCurves,
  markovRejectionSampling,
  markovSoftBestOfN,
  markovWinRateComparison,
  unwrap,
} from '../../src/core/index.js';
import { assertClose } from '../helpers/tolerance.js';
import { coreChain, type Enumerated, enumerate, kl, type SmallChain, tilted } from './markovHelpers.js';

/** A sticky chain with transition rewards: the law of R is far from any memoryless model's. */
const STICKY: SmallChain = {
  start: [0.5, 0.3, 0.2],
  P: [
    [0.8, 0.15, 0.05],
    [0.1, 0.3, 0.6],
    [0.25, 0.05, 0.7],
  ],
  r: [0, 1, 2],
  c: [
    [0, 0.5, -1],
    [0, 0, 0.5],
    [1, -0.5, 0],
  ],
};

/** Four tokens, one forbidden transition per row, no transition rewards. */
const FOUR: SmallChain = {
  start: [0.1, 0.2, 0.3, 0.4],
  P: [
    [0, 0.5, 0.3, 0.2],
    [0.6, 0, 0.2, 0.2],
    [0.1, 0.1, 0, 0.8],
    [0.3, 0.3, 0.4, 0],
  ],
  r: [-1, 0, 0.5, 1.5],
  c: null,
};

const REL = 1e-9;

interface Brute {
  readonly e: Enumerated;
  /** Distinct values of R, their masses under p, and each sequence's level. */
  readonly x: number[];
  readonly w: number[];
  readonly level: number[];
}

function brute(m: SmallChain, n: number): Brute {
  const e = enumerate(m, n);
  const x = [...new Set(e.reward)].sort((a, b) => a - b);
  const level = e.reward.map((R) => x.indexOf(R));
  const w = x.map(() => 0);
  e.prob.forEach((p, k) => {
    w[level[k]] += p;
  });
  return { e, x, w, level };
}

/** E R, KL(π‖p), KL(π‖φ_λ) (λ given) and the win rate of π against p (ties one half). */
function numbers(b: Brute, pi: number[], lambda?: number) {
  const { e, x, w, level } = b;
  const below = x.map((_, j) => w.slice(0, j).reduce((a, v) => a + v, 0));
  let reward = 0;
  let win = 0;
  pi.forEach((q, k) => {
    reward += q * e.reward[k];
    win += q * (below[level[k]] + w[level[k]] / 2);
  });
  return {
    reward,
    kl: kl(pi, e.prob),
    win,
    klToTilt: lambda === undefined ? Number.NaN : kl(pi, tilted(e, lambda)),
  };
}

/** A level policy π(y) = p(y)·P_π(level)/w(level). */
function levelPolicy(b: Brute, levelMass: number[]): number[] {
  return b.e.prob.map((p, k) => (p * levelMass[b.level[k]]) / b.w[b.level[k]]);
}

/** Soft best-of-N's level law, exactly: N·w_j·E[e^{λx_j}/(e^{λx_j} + S)] over all rival tuples. */
function softLevels(b: Brute, N: number, lambda: number): number[] {
  const { x, w } = b;
  const out = x.map(() => 0);
  const rivals = (depth: number, prob: number, S: number, j: number) => {
    if (depth === N - 1) {
      const own = Math.exp(lambda * x[j]);
      out[j] += N * w[j] * prob * (own / (own + S));
      return;
    }
    for (let k = 0; k < x.length; k++) rivals(depth + 1, prob * w[k], S + Math.exp(lambda * x[k]), j);
  };
  for (let j = 0; j < x.length; j++) rivals(0, 1, 0, j);
  return out;
}

/** Best-of-N's level weights b_j/w_j of a law (ties uniform). */
function bonRatios(w: number[], N: number): number[] {
  let F = 0;
  return w.map((wj) => {
    const lo = F;
    F += wj;
    return (F ** N - lo ** N) / wj;
  });
}

/** Blockwise best-of-N, sequence by sequence: each block the best of N from its own boundary. */
function blockPolicy(m: SmallChain, b: Brute, n: number, block: number, N: number): number[] {
  // Candidate laws of one block from a boundary token (−1: the start): continuation → (prob, reward).
  const candidate = (prev: number) => {
    const sub: SmallChain =
      prev < 0
        ? m
        : {
            ...m,
            start: m.P[prev],
            r: m.r.map((r, j) => r + (m.c ? m.c[prev][j] : 0)),
          };
    const e = enumerate(sub, block);
    // The first token's reward from `prev` is w(prev, j) = r(j) + c(prev, j) (set in sub.r) but
    // the later tokens must use the original r: recompute the rewards directly.
    const reward = e.tokens.map((t) => {
      let R = prev < 0 ? m.r[t[0]] : m.r[t[0]] + (m.c ? m.c[prev][t[0]] : 0);
      for (let s = 1; s < t.length; s++) R += m.r[t[s]] + (m.c ? m.c[t[s - 1]][t[s]] : 0);
      return R;
    });
    const xs = [...new Set(reward)].sort((a, c) => a - c);
    const ws = xs.map(() => 0);
    e.prob.forEach((p, k) => {
      ws[xs.indexOf(reward[k])] += p;
    });
    const ratio = bonRatios(ws, N);
    const policy = new Map<string, number>();
    e.tokens.forEach((t, k) => {
      policy.set(t.join(','), e.prob[k] * ratio[xs.indexOf(reward[k])]);
    });
    return policy;
  };
  const cache = new Map<number, Map<string, number>>();
  const of = (prev: number) => {
    let c = cache.get(prev);
    if (!c) {
      c = candidate(prev);
      cache.set(prev, c);
    }
    return c;
  };
  return b.e.tokens.map((y) => {
    let q = 1;
    for (let k = 0; k < n / block; k++) {
      const prev = k === 0 ? -1 : y[k * block - 1];
      q *= of(prev).get(y.slice(k * block, (k + 1) * block).join(',')) ?? 0;
    }
    return q;
  });
}

function close(value: number, expected: number, what: string, rel = REL, abs = 0) {
  assertClose(value, expected, { rel, abs, context: what });
}

const CASES: { name: string; chain: SmallChain; n: number }[] = [
  { name: 'sticky, n = 6', chain: STICKY, n: 6 },
  { name: 'sticky, n = 4', chain: STICKY, n: 4 },
  { name: 'four tokens, n = 6', chain: FOUR, n: 6 },
];

describe('alignment methods on a Markov model against enumeration', () => {
  for (const { name, chain: m, n } of CASES) {
    const chain = coreChain(m);
    const b = brute(m, n);

    test(`${name}: soft best-of-N (N = 1, 3, 4) with its tilt and best-of-N`, () => {
      for (const [N, lambda] of [
        [3, 0.7],
        [4, 0.25],
        [1, 1.3],
        [3, 0],
      ]) {
        const r = unwrap(markovSoftBestOfN(chain, n, { N }, lambda));
        const want = numbers(b, levelPolicy(b, softLevels(b, N, lambda)), lambda);
        const at = `${name}, N = ${N}, λ = ${lambda}`;
        close(r.soft.reward, want.reward, `soft E R (${at})`);
        close(r.soft.kl, want.kl, `soft KL (${at})`, REL, 1e-14);
        close(r.soft.winRate, want.win, `soft win rate (${at})`);
        close(r.soft.lossRate, 1 - want.win, `soft loss rate (${at})`);
        close(r.soft.klToTilt, want.klToTilt, `KL(soft‖φ_λ) (${at})`, REL, 1e-12);
        // φ_λ itself, and best-of-N with the same N (KL to the tilt of its own KL).
        const phi = numbers(b, tilted(b.e, lambda));
        close(r.tilt.reward, phi.reward, `φ_λ E R (${at})`);
        close(r.tilt.kl, phi.kl, `φ_λ KL (${at})`, REL, 1e-14);
        close(r.tilt.winRate, phi.win, `φ_λ win rate (${at})`);
        const bon = numbers(
          b,
          levelPolicy(
            b,
            bonRatios(b.w, N).map((g, j) => g * b.w[j]),
          ),
        );
        close(r.bon.reward, bon.reward, `best-of-N E R (${at})`);
        close(r.bon.kl, bon.kl, `best-of-N KL (${at})`, REL, 1e-14);
        close(r.bon.winRate, bon.win, `best-of-N win rate (${at})`);
      }
    });

    test(`${name}: rejection sampling at every threshold`, () => {
      for (const tau of b.x) {
        const r = unwrap(markovRejectionSampling(chain, n, { threshold: tau }));
        const keep = b.x.map((x, j) => (x >= tau ? b.w[j] : 0));
        const acc = keep.reduce((a, v) => a + v, 0);
        const want = numbers(
          b,
          levelPolicy(
            b,
            keep.map((v) => v / acc),
          ),
          r.tilt.lambda,
        );
        const at = `${name}, τ = ${tau}`;
        close(r.accept, acc, `acceptance (${at})`);
        close(r.rejection.reward, want.reward, `E R (${at})`);
        close(r.rejection.kl, want.kl, `KL (${at})`, REL, 1e-14);
        close(r.rejection.winRate, want.win, `win rate (${at})`);
        close(r.rejection.tokens, n / acc, `tokens (${at})`);
        if (Number.isFinite(r.tilt.lambda))
          close(r.rejection.klToTilt, want.klToTilt, `KL to the tilt of the same KL (${at})`, REL, 1e-12);
        // The tilt of the same KL: KL(φ_λ‖p) equals the method's KL.
        close(r.tilt.kl, want.kl, `the tilt's KL (${at})`, 1e-8, 1e-12);
      }
    });

    test(`${name}: the win-rate frontier and the methods tuned to its KL`, () => {
      for (const delta of [0.05, 0.4, 1.2]) {
        const r = unwrap(markovWinRateComparison(chain, n, delta, undefined));
        const at = `${name}, Δ = ${delta}`;
        // The frontier policy g ∝ e^{μ u_j}, u the mid-distribution of R under p.
        const u = b.w.map((wj, j) => b.w.slice(0, j).reduce((a, v) => a + v, 0) + wj / 2);
        const mu = r.frontier.mu;
        const gw = b.w.map((wj, j) => wj * Math.exp(mu * (u[j] - 1)));
        const z = gw.reduce((a, v) => a + v, 0);
        const want = numbers(
          b,
          levelPolicy(
            b,
            gw.map((v) => v / z),
          ),
        );
        close(r.frontier.kl, delta, `frontier KL (${at})`);
        close(want.kl, delta, `frontier KL by enumeration (${at})`, 1e-8);
        close(r.frontier.winRate, want.win, `frontier win rate (${at})`);
        close(r.frontier.reward, want.reward, `frontier E R (${at})`);
        // KL-RL at Δ (the chain's φ_λ), its win rate by enumeration.
        const phi = numbers(b, tilted(b.e, r.tilt.lambda));
        close(r.tilt.kl, Math.min(delta, r.tilt.kl), `KL-RL KL ≤ Δ (${at})`);
        close(r.tilt.reward, phi.reward, `KL-RL E R (${at})`);
        close(r.tilt.winRate, phi.win, `KL-RL win rate (${at})`);
        // Soft best-of-N at its λ with N solved for KL = Δ (N real: the formula's level law).
        if (r.soft !== null) close(r.soft.kl, delta, `soft best-of-N KL (${at})`, 1e-8);
        // Rejection at the highest threshold with KL ≤ Δ.
        const keep = b.x.map((x, j) => (x >= r.rejection.threshold ? b.w[j] : 0));
        const acc = keep.reduce((a, v) => a + v, 0);
        const rej = numbers(
          b,
          levelPolicy(
            b,
            keep.map((v) => v / acc),
          ),
        );
        close(r.rejection.winRate, rej.win, `rejection win rate (${at})`);
        close(r.rejection.reward, rej.reward, `rejection E R (${at})`);
      }
    });

    test(`${name}: blockwise best-of-N, block by block from each boundary token`, () => {
      for (const block of [1, 2, n / 2, n]) {
        for (const N of [2, 5]) {
          const r = unwrap(markovBlockBestOfN(chain, n, { N }, block));
          const pi = blockPolicy(m, b, n, block, N);
          const total = pi.reduce((a, v) => a + v, 0);
          const at = `${name}, b = ${block}, N = ${N}`;
          close(total, 1, `the brute-force policy is a law (${at})`, 1e-12);
          const want = numbers(b, pi, r.tilt.lambda);
          close(r.blockwise.reward, want.reward, `E R (${at})`);
          close(r.blockwise.kl, want.kl, `KL (${at})`, REL, 1e-14);
          close(r.blockwise.winRate, want.win, `win rate (${at})`);
          close(r.blockwise.lossRate, 1 - want.win, `loss rate (${at})`);
          close(r.blockwise.klToTilt, want.klToTilt, `KL to the tilt of the same KL (${at})`, 1e-8, 1e-11);
          close(r.blocks, n / block, `blocks (${at})`);
          if (block === n) {
            close(r.blockwise.reward, r.bon.reward, `b = n is best-of-N: E R (${at})`, 1e-12);
            close(r.blockwise.kl, r.bon.kl, `b = n is best-of-N: KL (${at})`, 1e-12, 1e-15);
          }
        }
      }
    });

    test(`${name}: the method curves agree with the single queries`, () => {
      const c = unwrap(markovMethodCurves(chain, n, { logNFrom: 0, logNTo: Math.log(16), steps: 3 }));
      for (const p of c.bon) {
        const N = Math.exp(p.parameter);
        const soft = unwrap(markovSoftBestOfN(chain, n, { logN: p.parameter }, c.softLambda));
        close(p.reward, soft.bon.reward, `bon curve E R at N = ${N}`, 1e-12);
        close(p.kl, soft.bon.kl, `bon curve KL at N = ${N}`, 1e-12, 1e-15);
      }
      c.soft.forEach((p) => {
        const soft = unwrap(markovSoftBestOfN(chain, n, { logN: p.parameter }, c.softLambda));
        close(p.reward, soft.soft.reward, `soft curve E R at log N = ${p.parameter}`, 1e-12);
      });
      c.blockwise.forEach((p) => {
        const k = unwrap(markovBlockBestOfN(chain, n, { logN: p.parameter }, c.block));
        close(p.reward, k.blockwise.reward, `blockwise curve E R at log N = ${p.parameter}`, 1e-12);
        close(p.winRate, k.blockwise.winRate, `blockwise curve W at log N = ${p.parameter}`, 1e-12);
      });
      // The KL-RL curve: each point's E R is the chain's φ_λ's, by enumeration.
      for (const p of c.tilt) {
        const phi = numbers(b, tilted(b.e, p.parameter));
        close(p.reward, phi.reward, `KL-RL curve E R at λ = ${p.parameter}`);
        close(p.winRate, phi.win, `KL-RL curve W at λ = ${p.parameter}`);
      }
    });
  }
});

test('blockwise best-of-N on a chain: b must divide n; beyond maxWork a clear too-large error', () => {
  const chain = coreChain(STICKY);
  const bad = markovBlockBestOfN(chain, 6, { N: 2 }, 4);
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.equal(bad.error.code, 'invalid-argument');
  const big = markovBlockBestOfN(chain, 400, { N: 2 }, 100, { maxWork: 1e6 });
  assert.equal(big.ok, false);
  if (!big.ok) {
    assert.equal(big.error.code, 'too-large');
    assert.match(big.error.message, /boundary token has its own block law/);
  }
});
