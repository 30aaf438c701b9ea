// An independent brute force: every quantity of docs/math.md §3–§6 computed from its definition by
// enumerating all Kⁿ sequences (K ≤ 4, n ≤ 6) — no formula of the core is reused — and compared
// with the core. Best-of-N is simulated literally for small cases: all N-tuples of sequences,
// the maximum's ties broken uniformly. Tolerance 1e-10 relative; a sum of terms of both signs is
// compared to 1e-12 of the sum of the terms' magnitudes (noted where used).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestOfN } from '../../src/core/bestOfN.js';
import {
  comparePolicy,
  lambdaForBudget,
  sequenceCumulants,
  tiltAtLambda,
  tokenRewardLaw,
} from '../../src/core/index.js';
import { sequenceRewardLaw } from '../../src/core/sequenceLaw.js';
import { tailExponent } from '../../src/core/tails.js';
import { mulberry32 } from '../helpers/random.js';
import { assertClose } from '../helpers/tolerance.js';

const REL = 1e-10;

/** A distribution over all Kⁿ sequences: probabilities and rewards, index = base-K digits. */
interface SeqDist {
  readonly prob: number[];
  readonly reward: number[];
}

function normalise(w: number[]): number[] {
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** p^n (or qⁿ) over all sequences, with R(y) = Σ r(y_i). */
function product(tokenProb: number[], r: number[], n: number): SeqDist {
  const K = r.length;
  const size = K ** n;
  const prob: number[] = [];
  const reward: number[] = [];
  for (let idx = 0; idx < size; idx++) {
    let rest = idx;
    let pr = 1;
    let rw = 0;
    for (let i = 0; i < n; i++) {
      const k = rest % K;
      rest = Math.floor(rest / K);
      pr *= tokenProb[k];
      rw += r[k];
    }
    prob.push(pr);
    reward.push(rw);
  }
  return { prob, reward };
}

/** φ(y) ∝ pⁿ(y) e^{λR(y)}, normalised over the enumeration (shifted by the largest exponent). */
function tiltSequences(base: SeqDist, lambda: number): SeqDist {
  if (lambda === Number.POSITIVE_INFINITY) {
    // The limit: pⁿ restricted to the sequences of the largest reward.
    const { x, level } = levels(base);
    return {
      prob: normalise(base.prob.map((pb, i) => (level[i] === x.length - 1 ? pb : 0))),
      reward: base.reward,
    };
  }
  const logs = base.prob.map((p, i) =>
    p > 0 ? Math.log(p) + lambda * base.reward[i] : Number.NEGATIVE_INFINITY,
  );
  const m = Math.max(...logs);
  return { prob: normalise(logs.map((l) => Math.exp(l - m))), reward: base.reward };
}

function expectation(d: SeqDist, f: (reward: number) => number): number {
  let s = 0;
  for (let i = 0; i < d.prob.length; i++) s += d.prob[i] * f(d.reward[i]);
  return s;
}

/** KL(a‖b) = Σ a log(a/b) over the enumeration (∞ if a > 0 where b = 0). */
function kl(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    if (b[i] === 0) return Number.POSITIVE_INFINITY;
    s += a[i] * Math.log(a[i] / b[i]);
  }
  return s;
}

/** The distinct values of R (merging float sums that differ by rounding only) and their masses. */
function levels(d: SeqDist): { x: number[]; w: number[]; level: number[] } {
  const order = d.prob.map((_, i) => i).filter((i) => d.prob[i] > 0);
  order.sort((i, j) => d.reward[i] - d.reward[j]);
  const x: number[] = [];
  const w: number[] = [];
  const level = new Array<number>(d.prob.length).fill(-1);
  for (const i of order) {
    const last = x.length - 1;
    if (last >= 0 && Math.abs(d.reward[i] - x[last]) <= 1e-9 * (1 + Math.abs(x[last]))) {
      w[last] += d.prob[i];
    } else {
      x.push(d.reward[i]);
      w.push(d.prob[i]);
    }
    level[i] = x.length - 1;
  }
  return { x, w, level };
}

/** Cumulants κ₂..κ₈ from central moments μ₂..μ₈ (the explicit polynomials, not a recursion). */
function cumulantsFromMoments(mu: number[]): { kappa: number[]; scale: number[] } {
  const [m2, m3, m4, m5, m6, m7, m8] = [mu[2], mu[3], mu[4], mu[5], mu[6], mu[7], mu[8]];
  const terms: number[][] = [
    [m2],
    [m3],
    [m4, -3 * m2 * m2],
    [m5, -10 * m3 * m2],
    [m6, -15 * m4 * m2, -10 * m3 * m3, 30 * m2 ** 3],
    [m7, -21 * m5 * m2, -35 * m4 * m3, 210 * m3 * m2 * m2],
    [m8, -28 * m6 * m2, -56 * m5 * m3, -35 * m4 * m4, 420 * m4 * m2 * m2, 560 * m3 * m3 * m2, -630 * m2 ** 4],
  ];
  return {
    kappa: terms.map((t) => t.reduce((a, b) => a + b, 0)),
    scale: terms.map((t) => t.reduce((a, b) => a + Math.abs(b), 0)),
  };
}

/**
 * λ ≥ 0 with KL(φ_λ‖pⁿ) = Δ by bisection on the enumeration (independent of the core's solver);
 * ∞ when Δ reaches the KL of pⁿ restricted to the top level (the budget is not binding).
 */
function bruteLambda(base: SeqDist, delta: number): number {
  const { w } = levels(base);
  if (delta >= -Math.log(w[w.length - 1])) return Number.POSITIVE_INFINITY;
  const klAt = (l: number) => kl(tiltSequences(base, l).prob, base.prob);
  let lo = 0;
  let hi = 1;
  while (klAt(hi) < delta) hi *= 2;
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (klAt(mid) < delta) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Best-of-N by its definition: all N-tuples of sequences, uniform choice among the maximisers. */
function bestOfNByTuples(base: SeqDist, N: number): number[] {
  const size = base.prob.length;
  const out = new Array<number>(size).fill(0);
  const tuple = new Array<number>(N).fill(0);
  const total = size ** N;
  const { level } = levels(base);
  for (let t = 0; t < total; t++) {
    let rest = t;
    let pr = 1;
    for (let i = 0; i < N; i++) {
      tuple[i] = rest % size;
      rest = Math.floor(rest / size);
      pr *= base.prob[tuple[i]];
    }
    if (pr === 0) continue;
    let best = -1;
    for (const y of tuple) best = Math.max(best, level[y]);
    const winners = tuple.filter((y) => level[y] === best);
    for (const y of winners) out[y] += pr / winners.length;
  }
  return out;
}

/** Best-of-N for integer N via the law of the running maximum (M_{k+1} = max(M_k, X)). */
function bestOfNByMaximum(base: SeqDist, N: number): number[] {
  const { w, level } = levels(base);
  let maxLaw = [...w];
  for (let k = 1; k < N; k++) {
    const next = new Array<number>(w.length).fill(0);
    for (let a = 0; a < w.length; a++)
      for (let b = 0; b < w.length; b++) next[Math.max(a, b)] += maxLaw[a] * w[b];
    maxLaw = next;
  }
  // Given the maximum level, the selected draw is uniform among the maximisers, each distributed
  // as pⁿ restricted to that level.
  return base.prob.map((p, i) => (p > 0 ? (maxLaw[level[i]] * p) / w[level[i]] : 0));
}

function unwrap<T>(
  r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
  ctx: unknown,
): T {
  if (!r.ok) throw new Error(`core failed for ${JSON.stringify(ctx)}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

interface Case {
  name: string;
  p: number[];
  r: number[];
  ns: number[];
}
const CASES: Case[] = [
  { name: 'K=1', p: [1], r: [0.75], ns: [1, 3] },
  { name: 'K=2', p: [0.3, 0.7], r: [0, 1], ns: [1, 2, 5, 6] },
  { name: 'K=3 lattice', p: [0.5, 0.3125, 0.1875], r: [-1, 0, 2], ns: [1, 3, 5] },
  { name: 'K=4 ties', p: [0.1, 0.2, 0.3, 0.4], r: [1, 0, 1, -1], ns: [2, 4, 6] },
  { name: 'K=3 irrational', p: [0.2, 0.5, 0.3], r: [0, 1, Math.SQRT2], ns: [2, 4] },
  { name: 'K=4 zero mass', p: [0.25, 0, 0.5, 0.25], r: [-0.5, 9, 0.25, 1.5], ns: [3] },
];

for (const c of CASES) {
  const p = normalise(c.p);
  const law = unwrap(tokenRewardLaw(c.p, c.r), c.name);
  for (const n of c.ns) {
    describe(`brute force ${c.name}, n = ${n} (${c.r.length ** n} sequences)`, () => {
      const base = product(p, c.r, n);
      const ctx = (quantity: string, extra: object = {}) => ({
        case: c.name,
        p: c.p,
        r: c.r,
        n,
        quantity,
        ...extra,
      });
      const lv = levels(base);

      test('law of R, E_p R, tail probabilities', () => {
        const seq = unwrap(sequenceRewardLaw(law, n), ctx('sequenceRewardLaw'));
        assert.equal(
          seq.values.length,
          lv.x.length,
          JSON.stringify(ctx('number of levels', { brute: lv.x, core: Array.from(seq.values) })),
        );
        lv.x.forEach((x, j) => {
          assertClose(seq.values[j], x, { rel: 1e-12, abs: 1e-12, context: ctx('level value', { j }) });
          assertClose(Math.exp(seq.logMass[j]), lv.w[j], { rel: REL, context: ctx('P(R = x)', { x }) });
        });
        const mean = expectation(base, (x) => x);
        const meanScale = expectation(base, (x) => Math.abs(x));
        assertClose(seq.mean, mean, { rel: REL, abs: 1e-12 * meanScale, context: ctx('E_p R') });
        const t0 = unwrap(tiltAtLambda(law, n, 0), ctx('tiltAtLambda 0'));
        assertClose(t0.reward, mean, { rel: REL, abs: 1e-12 * meanScale, context: ctx("n A'(0)") });
        // Tails at levels strictly between the values of R.
        for (let j = 0; j + 1 < lv.x.length; j++) {
          const x = (lv.x[j] + lv.x[j + 1]) / 2 / n;
          const upper = x >= mean / n;
          let prob = 0;
          for (let i = 0; i < base.prob.length; i++) {
            if (upper ? base.reward[i] >= n * x : base.reward[i] <= n * x) prob += base.prob[i];
          }
          const tail = unwrap(tailExponent(seq, x), ctx('tailExponent', { x }));
          assert.equal(tail.side, upper ? 'upper' : 'lower', JSON.stringify(ctx('tail side', { x })));
          assertClose(tail.logProbability, Math.log(prob), {
            rel: REL,
            abs: 1e-13,
            context: ctx('log tail probability', { x, upper }),
          });
        }
      });

      test('optimal tilt over sequences: KL, reward, λ for the budget, cumulants of R', () => {
        for (const lambda of [0.3, 1.7]) {
          const phi = tiltSequences(base, lambda);
          const klBrute = kl(phi.prob, base.prob);
          const rewardBrute = expectation(phi, (x) => x);
          const sol = unwrap(tiltAtLambda(law, n, lambda), ctx('tiltAtLambda', { lambda }));
          assertClose(sol.kl, klBrute, {
            rel: REL,
            abs: 1e-14 * n,
            context: ctx('KL(phi_lambda^n || p^n)', { lambda }),
          });
          assertClose(sol.reward, rewardBrute, {
            rel: REL,
            abs: 1e-12 * expectation(phi, Math.abs),
            context: ctx('E_phi R', { lambda }),
          });
          if (klBrute > 1e-9 && lv.x.length > 1) {
            const back = unwrap(lambdaForBudget(law, n, klBrute), ctx('lambdaForBudget', { delta: klBrute }));
            assertClose(back.lambda, lambda, {
              rel: 1e-9,
              context: ctx('lambda(KL(phi_lambda))', { delta: klBrute }),
            });
          }
          // Cumulants of R under φ_λⁿ by direct central moments.
          const mu = [1, 0];
          for (let k = 2; k <= 8; k++) mu.push(expectation(phi, (x) => (x - rewardBrute) ** k));
          const { kappa, scale } = cumulantsFromMoments(mu);
          const core = unwrap(sequenceCumulants(law, n, lambda, 8), ctx('sequenceCumulants', { lambda }));
          assertClose(core[0], rewardBrute, {
            rel: REL,
            abs: 1e-12 * expectation(phi, Math.abs),
            context: ctx('kappa_1', { lambda }),
          });
          // κ_m is a signed sum of products of moments: compare to 1e-12 of the terms' magnitudes.
          kappa.forEach((k, i) => {
            assertClose(core[i + 1], k, {
              rel: REL,
              abs: 1e-12 * scale[i] + 1e-300,
              context: ctx(`kappa_${i + 2}`, { lambda }),
            });
          });
        }
      });

      test('stability identity: random memoryless q and a random distribution over sequences', () => {
        if (lv.x.length < 2) return assert.ok(true);
        const rng = mulberry32(1000 * n + c.r.length);
        const q = normalise(p.map((pk) => (pk > 0 ? rng() + 0.05 : 0)));
        const qn = product(q, c.r, n);
        const klQ = kl(qn.prob, base.prob);
        const rewardQ = expectation(qn, (x) => x);
        for (const delta of [klQ, 0.5 * klQ + 0.01, 0.37 * n]) {
          const lambda = bruteLambda(base, delta);
          const opt = tiltSequences(base, lambda);
          const frontierReward = expectation(opt, (x) => x);
          const klToOpt = kl(qn.prob, opt.prob);
          const at = (quantity: string) => ctx(quantity, { q, delta });
          const cmp = unwrap(comparePolicy(c.p, c.r, q, n, delta), at('comparePolicy'));
          assertClose(cmp.kl, klQ, { rel: REL, abs: 1e-14 * n, context: at('KL(q^n || p^n)') });
          assertClose(cmp.reward, rewardQ, {
            rel: REL,
            abs: 1e-12 * expectation(qn, Math.abs),
            context: at('E_q R'),
          });
          // λ by bisection on enumerated KLs: KL is flat in λ only where A'' is tiny (not here).
          assertClose(cmp.lambda, lambda, { rel: 1e-9, context: at('lambda') });
          assertClose(cmp.frontierReward, frontierReward, {
            rel: 1e-9,
            abs: 1e-12 * n,
            context: at('frontier reward'),
          });
          assertClose(cmp.klToOptimal, klToOpt, {
            rel: 1e-9,
            abs: 1e-12 * n,
            context: at('KL(q^n || phi_Delta)'),
          });
          // The theorem itself, all terms by enumeration.
          if (!Number.isFinite(lambda)) continue; // the identity needs a binding budget
          const rhs = klQ - delta + lambda * (frontierReward - rewardQ);
          assertClose(klToOpt, rhs, {
            rel: 1e-9,
            abs: 1e-11 * (klQ + delta + Math.abs(lambda * frontierReward)),
            context: at('identity (memoryless q)'),
          });
        }
        // A non-memoryless φ: random weights on every sequence, against the core's λ and F(Δ).
        const phi: SeqDist = {
          prob: normalise(base.prob.map((pb) => (pb > 0 ? rng() ** 3 : 0))),
          reward: base.reward,
        };
        const klPhi = kl(phi.prob, base.prob);
        const rewardPhi = expectation(phi, (x) => x);
        for (const delta of [klPhi, 0.2 * n]) {
          const at = (quantity: string) => ctx(quantity, { delta, phi: 'random over sequences' });
          const sol = unwrap(lambdaForBudget(law, n, delta), at('lambdaForBudget'));
          if (!Number.isFinite(sol.lambda)) continue;
          const opt = tiltSequences(base, sol.lambda);
          const lhs = kl(phi.prob, opt.prob);
          const rhs = klPhi - delta + sol.lambda * (sol.reward - rewardPhi);
          assertClose(lhs, rhs, {
            rel: 1e-9,
            abs: 1e-11 * (klPhi + delta + Math.abs(sol.lambda * sol.reward)),
            context: at('identity (non-memoryless phi)'),
          });
        }
      });

      test('best-of-N by definition: level law, E R, KL(BoN‖pⁿ), KL(BoN‖φ_λⁿ)', () => {
        const seq = unwrap(sequenceRewardLaw(law, n), ctx('sequenceRewardLaw'));
        const size = base.prob.length;
        const Ns = [1, 2, 3, 7, 50];
        for (const N of Ns) {
          const literal = size ** N <= 5000;
          const bon = literal ? bestOfNByTuples(base, N) : bestOfNByMaximum(base, N);
          if (literal && N > 1) {
            // The two brute forces agree where both run.
            const viaMax = bestOfNByMaximum(base, N);
            bon.forEach((b, i) => {
              assertClose(viaMax[i], b, {
                rel: 1e-12,
                abs: 1e-300,
                context: ctx('tuples vs maximum', { N, i }),
              });
            });
          }
          const bonDist: SeqDist = { prob: bon, reward: base.reward };
          const reward = expectation(bonDist, (x) => x);
          const klBase = kl(bon, base.prob);
          for (const lambda of [0, 0.8]) {
            const at = (quantity: string) =>
              ctx(quantity, { N, lambda, method: literal ? 'all N-tuples' : 'running maximum' });
            const core = unwrap(bestOfN(seq, law, { N }, lambda), at('bestOfN'));
            assertClose(core.reward, reward, {
              rel: REL,
              abs: 1e-12 * expectation(bonDist, Math.abs),
              context: at('E_BoN R'),
            });
            assertClose(core.kl, klBase, { rel: REL, abs: 1e-13 * (1 + n), context: at('KL(BoN || p^n)') });
            const bound = Math.log(N) - (N - 1) / N;
            assert.ok(klBase <= bound + 1e-12, JSON.stringify(at('brute KL <= log N - (N-1)/N')));
            const phi = tiltSequences(base, lambda);
            assertClose(core.klToTilt ?? Number.NaN, kl(bon, phi.prob), {
              rel: REL,
              abs: 1e-12 * (1 + n),
              context: at('KL(BoN || phi_lambda^n)'),
            });
            // Level law: P_BoN(R = x_j).
            const levelMass = new Array<number>(lv.x.length).fill(0);
            bon.forEach((b, i) => {
              if (lv.level[i] >= 0) levelMass[lv.level[i]] += b;
            });
            core.values.forEach((x, k) => {
              const j = lv.x.findIndex((v) => Math.abs(v - x) <= 1e-9 * (1 + Math.abs(v)));
              assert.ok(j >= 0, JSON.stringify(at('BoN level not in the brute-force support')));
              assertClose(Math.exp(core.logLevelMass[k]), levelMass[j], {
                rel: REL,
                abs: 1e-300,
                context: at(`P_BoN(R = ${x})`),
              });
            });
          }
        }
      });
    });
  }
}
