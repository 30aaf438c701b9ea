/**
 * Forward passes over a Markov model's positions (docs/math-markov.md §2–§3): the per-position
 * marginals of the optimal policy φ_λ (not stationary near the ends: the backward messages are
 * transient near t = n, the forward marginals near t = 1), and the comparison of a policy given
 * as another chain with the optimum (the stability theorem of math.md (3.8) for chains).
 *
 * Both walk t = 1 … n with the transitions out of each position (markovMessages.ts's
 * `tiltedRows`, cached per distinct backward state). Where the backward states are periodic
 * (the middle of a long sequence) and the forward vector repeats with the same lag, the walk
 * jumps over whole periods, adding their contributions once per period: n = 10⁹ costs what the
 * two mixing times cost.
 */
import { requireSequenceLength } from './klrl.js';
import { klTerm } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import { type ActiveChain, activeChain, type MarkovChain } from './markovChain.js';
import { backwardPass, type PassResult, tiltedRows } from './markovMessages.js';
import { markovLambdaForBudgetUnchecked } from './markovTilt.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import { chargeWork } from './workBudget.js';

/** φ_λ's marginals at chosen positions and their average over all n positions. */
export interface TiltMarginals {
  /** The positions asked for (1-based, ascending, duplicates removed, within 1..n). */
  readonly positions: number[];
  /** Per position: φ_λ(y_t = token), per token. */
  readonly marginals: Float64Array[];
  /** (1/n)·Σ_t φ_λ(y_t = token): the expected token frequencies. */
  readonly average: Float64Array;
}

/** Forward vectors agree when their L1 distance is below this (probability vectors). */
const SAME = 1e-15;

/** The transitions out of each position of a recorded pass, cached per backward state. */
class PositionRows {
  private readonly cache = new Map<object, { p: Float64Array; logP: Float64Array }>();
  constructor(
    private readonly ac: ActiveChain,
    private readonly s: number,
    private readonly pass: PassResult,
  ) {}

  /** q(· | ·) out of position t (1 ≤ t < n): from the state of position t + 1. */
  at(t: number): { p: Float64Array; logP: Float64Array } {
    const st = (this.pass.stateAt as (t: number) => { v: Float64Array; l: Float64Array; key?: object })(
      t + 1,
    );
    const key = st.key ?? st;
    let rows = this.cache.get(key);
    if (rows === undefined) {
      rows = { p: new Float64Array(this.ac.col.length), logP: new Float64Array(this.ac.col.length) };
      tiltedRows(this.ac, this.s, st, rows.p, rows.logP);
      if (this.cache.size > 4096) this.cache.clear();
      this.cache.set(key, rows);
    }
    return rows;
  }

  /** The first position's law (per start entry). */
  first(): { p: Float64Array; logP: Float64Array } {
    const n = this.ac.startCol.length;
    const out = { p: new Float64Array(n), logP: new Float64Array(n) };
    tiltedRows(
      this.ac,
      this.s,
      (this.pass.stateAt as (t: number) => { v: Float64Array; l: Float64Array })(1),
      out.p,
      out.logP,
      true,
    );
    return out;
  }

  /** Whether the transitions out of t repeat with the pass's lag (the periodic middle). */
  periodic(t: number): boolean {
    const to = this.pass.periodicTo;
    return to !== undefined && this.pass.lag > 0 && t + 1 + this.pass.lag <= to;
  }
}

/** Sorted unique positions within 1..n. */
function cleanPositions(positions: readonly number[], n: number): number[] {
  return [...new Set(positions.filter((t) => Number.isInteger(t) && t >= 1 && t <= n))].sort((a, b) => a - b);
}

/**
 * φ_λ's marginals at `positions` and the average marginal (λ ∈ [0, ∞]). Errors: bad n or λ.
 */
export function tiltMarginals(
  chain: MarkovChain,
  n: number,
  lambda: number,
  positions: readonly number[],
): Result<TiltMarginals> {
  return guard(() => {
    requireSequenceLength(n);
    require(lambda >= 0, 'invalid-argument', `λ = ${lambda} must be ≥ 0`);
    const ac = activeChain(chain);
    const pass = backwardPass(ac, n, lambda, { order: 1, record: true });
    const rows = new PositionRows(ac, lambda, pass);
    const wanted = cleanPositions(positions, n);
    const K = ac.K;
    let pi = new Float64Array(K);
    let next = new Float64Array(K);
    const first = rows.first();
    for (let k = 0; k < ac.startCol.length; k++) pi[ac.startCol[k]] += first.p[k];
    const sum = new Float64Array(K);
    const comp = new Float64Array(K);
    const add = (v: Float64Array, times: number) => {
      for (let i = 0; i < K; i++) {
        const x = v[i] * times;
        const t = sum[i] + x;
        comp[i] += Math.abs(sum[i]) >= Math.abs(x) ? sum[i] - t + x : x - t + sum[i];
        sum[i] = t;
      }
    };
    const found = new Map<number, Float64Array>();
    const lag = Math.max(1, pass.lag);
    const ring: Float64Array[] = [];
    let matches = 0;
    let w = 0;
    for (let t = 1; t <= n; t++) {
      if (w < wanted.length && wanted[w] === t) found.set(wanted[w++], pi.slice());
      add(pi, 1);
      if (t === n) break;
      ring[t % (lag + 1)] = pi.slice();
      // Jump over whole periods once the marginals repeat in the periodic middle.
      if (t > lag && rows.periodic(t)) {
        const old = ring[(t - lag) % (lag + 1)];
        let d = 0;
        for (let i = 0; i < K; i++) d += Math.abs(pi[i] - old[i]);
        matches = d <= SAME ? matches + 1 : 0;
        if (matches >= 2) {
          const end = (pass.periodicTo as number) - lag - 1;
          const periods = Math.floor((end - t) / lag);
          if (periods > 0) {
            chargeWork(K * lag);
            // Positions t+1 … t+periods·lag repeat the last lag marginals (ending at t).
            const period = Array.from({ length: lag }, (_, k) => ring[(t - lag + 1 + k) % (lag + 1)]);
            for (const v of period) add(v, periods);
            while (w < wanted.length && wanted[w] <= t + periods * lag) {
              const m = wanted[w] - t;
              found.set(wanted[w++], period[(m - 1) % lag].slice());
            }
            t += periods * lag;
            matches = 0;
          }
        }
      }
      const q = rows.at(t);
      next.fill(0);
      chargeWork(ac.col.length);
      for (let i = 0; i < K; i++) {
        const pii = pi[i];
        if (pii === 0) continue;
        for (let e = ac.rowStart[i]; e < ac.rowStart[i + 1]; e++) next[ac.col[e]] += pii * q.p[e];
      }
      [pi, next] = [next, pi];
    }
    const toTokens = (v: Float64Array) => {
      const out = new Float64Array(chain.size);
      for (let i = 0; i < K; i++) out[ac.token[i]] = v[i];
      return out;
    };
    const average = new Float64Array(K);
    for (let i = 0; i < K; i++) average[i] = (sum[i] + comp[i]) / n;
    return {
      positions: wanted,
      marginals: wanted.map((t) => toTokens(found.get(t) as Float64Array)),
      average: toTokens(average),
    };
  });
}

/** Up to `count` positions of 1..n: all of them, or the ends densely and the middle evenly. */
export function marginalPositions(n: number, count = 200): number[] {
  if (n <= count) return Array.from({ length: n }, (_, k) => k + 1);
  const edge = Math.floor(count / 3);
  const out = new Set<number>();
  for (let t = 1; t <= edge; t++) {
    out.add(t);
    out.add(n + 1 - t);
  }
  const middle = count - 2 * edge;
  for (let k = 1; k <= middle; k++) out.add(Math.round(edge + ((n - 2 * edge) * k) / (middle + 1)));
  return [...out].sort((a, b) => a - b);
}

// ── a policy chain against the optimum ────────────────────────────────────────────────────

/** The comparison of a policy chain q with the optimal φ_Δ (as stability.ts's PolicyComparison). */
export interface ChainComparison {
  /** KL(q‖p) over the n positions (∞ when q puts mass where p has none). */
  readonly kl: number;
  /** E_q R. */
  readonly reward: number;
  readonly budget: number;
  /** F(Δ) = E_{φ_Δ} R. */
  readonly frontierReward: number;
  /** ε = F(Δ) − E_q R. */
  readonly gap: number;
  readonly lambda: number;
  /** KL(q‖φ_Δ), summed position by position (not from the identity). */
  readonly klToOptimal: number;
  /** λ·ε where the stability theorem applies, else +∞ (`boundStatus`). */
  readonly bound: number;
  readonly boundStatus: 'applies' | 'not-binding' | 'over-budget';
  readonly withinBudget: boolean;
}

/**
 * KL(a‖b) for rows given as sorted (column, probability) lists: Σ_k b_k f(log a_k − log b_k)
 * (math.md (3.11): non-negative terms); ∞ when a has mass where b has none.
 */
function rowKL(
  aCol: ArrayLike<number>,
  aLog: ArrayLike<number>,
  a0: number,
  a1: number,
  bCol: ArrayLike<number>,
  bLog: ArrayLike<number>,
  b0: number,
  b1: number,
  bMap?: Int32Array,
): number {
  let sum = 0;
  let k = b0;
  for (let e = a0; e < a1; e++) {
    const j = aCol[e];
    while (k < b1 && (bMap ? bMap[bCol[k]] : bCol[k]) < j) {
      sum += Math.exp(bLog[k]);
      k++;
    }
    if (k >= b1 || (bMap ? bMap[bCol[k]] : bCol[k]) !== j) {
      if (aLog[e] !== Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
      continue;
    }
    const la = aLog[e];
    const lb = bLog[k];
    if (la === Number.NEGATIVE_INFINITY) sum += Math.exp(lb);
    else if (lb === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
    else {
      const u = la - lb;
      sum += Math.abs(u) < 0.5 ? Math.exp(lb) * klTerm(u) : Math.exp(lb) + (u - 1) * Math.exp(la);
    }
    k++;
  }
  for (; k < b1; k++) sum += Math.exp(bLog[k]);
  return sum;
}

/**
 * Compares a policy chain q (same tokens and rewards as the model) with the optimal φ_Δ of the
 * model p at budget Δ (default KL(q‖p)), n positions. KL(q‖p), E_q R and KL(q‖φ_Δ) are summed
 * position by position over q's marginals μ_t (chain rule: KL(s_q‖s) + Σ_t Σ_i μ_t(i)·KL(Q_i‖P_i),
 * and with φ_t's rows for KL(q‖φ_Δ)), each row's KL as non-negative terms, so the stability
 * identity KL(q‖φ_Δ) = [KL(q‖p) − Δ] + λ·ε is a genuine check. Errors: a policy over another
 * number of tokens, bad n or Δ, Δ omitted while KL(q‖p) = ∞.
 */
export function compareChains(
  model: MarkovChain,
  policy: MarkovChain,
  n: number,
  delta?: number,
): Result<ChainComparison> {
  return guard(() => {
    requireSequenceLength(n);
    require(policy.size ===
      model.size, 'length-mismatch', `the policy has ${policy.size} tokens, the model ${model.size}`);
    const own = policyKLAndReward(model, policy, n);
    const budget = delta ?? own.kl;
    require(typeof budget === 'number' &&
      budget >= 0 &&
      !Number.isNaN(budget), 'invalid-argument', `the budget Δ = ${budget} is not a non-negative number`);
    require(Number.isFinite(budget) ||
      delta !==
        undefined, 'invalid-argument', 'q puts mass where p has none (KL = ∞): give the budget Δ explicitly');
    const sol = markovLambdaForBudgetUnchecked(model, n, budget);
    const lambda = sol.lambda;
    const klToOptimal = klToTilt(model, policy, n, lambda);
    const gap = sol.reward - own.reward;
    const withinBudget = own.kl <= budget;
    const boundStatus = !sol.binding ? 'not-binding' : withinBudget ? 'applies' : 'over-budget';
    const bound =
      boundStatus === 'applies' ? (lambda === 0 ? 0 : Math.max(0, lambda * gap)) : Number.POSITIVE_INFINITY;
    return {
      kl: own.kl,
      reward: own.reward,
      budget,
      frontierReward: sol.reward,
      gap,
      lambda,
      klToOptimal,
      bound,
      boundStatus,
      withinBudget,
    };
  });
}

/** q's marginals position by position, with the jump over periods once they repeat. */
function walkPolicy(
  policy: MarkovChain,
  n: number,
  lag: number,
  periodicUntil: number,
  term: (t: number, mu: Float64Array) => number,
): number {
  const K = policy.size;
  let mu = Float64Array.from(policy.start);
  let next = new Float64Array(K);
  const total = new NeumaierSum();
  const ring: Float64Array[] = [];
  const terms: number[] = [];
  let matches = 0;
  for (let t = 1; t <= n; t++) {
    const x = term(t, mu);
    if (x === Number.POSITIVE_INFINITY) return x;
    total.add(x);
    terms[t % (lag + 1)] = x;
    if (t === n) break;
    ring[t % (lag + 1)] = mu.slice();
    if (t > lag && t + 1 + lag <= periodicUntil) {
      const old = ring[(t - lag) % (lag + 1)];
      let d = 0;
      for (let i = 0; i < K; i++) d += Math.abs(mu[i] - old[i]);
      matches = d <= SAME ? matches + 1 : 0;
      if (matches >= 2) {
        const periods = Math.floor((periodicUntil - lag - 1 - t) / lag);
        if (periods > 0) {
          const per = new NeumaierSum();
          for (let k = 0; k < lag; k++) per.add(terms[(t - k) % (lag + 1)]);
          total.add(periods * per.value);
          t += periods * lag;
          matches = 0;
        }
      }
    }
    next.fill(0);
    chargeWork(policy.col.length);
    for (let i = 0; i < K; i++) {
      const m = mu[i];
      if (m === 0) continue;
      for (let e = policy.rowStart[i]; e < policy.rowStart[i + 1]; e++)
        next[policy.col[e]] += m * policy.prob[e];
    }
    [mu, next] = [next, mu];
  }
  return total.value;
}

/** KL(q‖p) and E_q R (q's own homogeneous walk). */
function policyKLAndReward(
  model: MarkovChain,
  policy: MarkovChain,
  n: number,
): { kl: number; reward: number } {
  const K = model.size;
  chargeWork(policy.col.length + model.col.length);
  // Row terms: KL(Q_i‖P_i) and Σ_j Q_ij·w(i, j).
  const rowKLs = new Float64Array(K);
  const rowRewards = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    rowKLs[i] = rowKL(
      policy.col,
      policy.logProb,
      policy.rowStart[i],
      policy.rowStart[i + 1],
      model.col,
      model.logProb,
      model.rowStart[i],
      model.rowStart[i + 1],
    );
    let r = 0;
    for (let e = policy.rowStart[i]; e < policy.rowStart[i + 1]; e++)
      r += policy.prob[e] * policy.edgeReward[e];
    rowRewards[i] = r;
  }
  const startKL = denseKL(policy.start, policy.logStart, model.start, model.logStart);
  let startReward = 0;
  for (let j = 0; j < K; j++) if (policy.start[j] > 0) startReward += policy.start[j] * policy.reward[j];
  const kl =
    startKL === Number.POSITIVE_INFINITY
      ? startKL
      : startKL +
        walkPolicy(policy, n - 1, 1, n, (_t, mu) => {
          let x = 0;
          for (let i = 0; i < K; i++) if (mu[i] > 0) x += mu[i] * rowKLs[i];
          return x;
        });
  // Rewards: the walk over positions 1..n−1 (transitions out of them), plus the start.
  const reward =
    startReward +
    (n > 1
      ? walkPolicy(policy, n - 1, 1, n, (_t, mu) => {
          let x = 0;
          for (let i = 0; i < K; i++) if (mu[i] !== 0) x += mu[i] * rowRewards[i];
          return x;
        })
      : 0);
  return { kl: n > 1 ? kl : startKL, reward };
}

/** KL of two dense distributions given with their logs (non-negative terms). */
function denseKL(a: Float64Array, logA: Float64Array, b: Float64Array, logB: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    if (a[j] === 0) {
      sum += b[j];
      continue;
    }
    if (b[j] === 0) return Number.POSITIVE_INFINITY;
    const u = logA[j] - logB[j];
    sum += Math.abs(u) < 0.5 ? b[j] * klTerm(u) : b[j] + (u - 1) * a[j];
  }
  return sum;
}

/** KL(q‖φ_λ) position by position (φ's rows from a recorded backward pass). */
function klToTilt(model: MarkovChain, policy: MarkovChain, n: number, lambda: number): number {
  const ac = activeChain(model);
  const pass = backwardPass(ac, n, lambda, { order: 1, record: true });
  const rows = new PositionRows(ac, lambda, pass);
  // Tokens → active states of the model (−1: p never reaches the token: any mass there is ∞).
  const act = ac.activeOf;
  const K = model.size;
  // The first position: KL(s_q ‖ φ₁).
  const first = rows.first();
  const phi1 = new Float64Array(K);
  const logPhi1 = new Float64Array(K).fill(Number.NEGATIVE_INFINITY);
  for (let k = 0; k < ac.startCol.length; k++) {
    const tok = ac.token[ac.startCol[k]];
    phi1[tok] = first.p[k];
    logPhi1[tok] = first.logP[k];
  }
  const startKL = denseKL(policy.start, policy.logStart, phi1, logPhi1);
  if (startKL === Number.POSITIVE_INFINITY || n === 1) return startKL;
  // Row KLs per backward state (cached with the rows' own cache keys).
  const cache = new Map<Float64Array, Float64Array>();
  const rowKLsAt = (t: number): Float64Array => {
    const q = rows.at(t);
    let out = cache.get(q.p);
    if (out === undefined) {
      out = new Float64Array(K);
      for (let i = 0; i < K; i++) {
        const a = act[i];
        if (a < 0) {
          out[i] = Number.POSITIVE_INFINITY;
          continue;
        }
        out[i] = rowKL(
          policy.col,
          policy.logProb,
          policy.rowStart[i],
          policy.rowStart[i + 1],
          ac.col,
          q.logP,
          ac.rowStart[a],
          ac.rowStart[a + 1],
          ac.token,
        );
      }
      cache.set(q.p, out);
    }
    return out;
  };
  const lag = Math.max(1, pass.lag);
  const until = pass.periodicTo ?? 0;
  const rest = walkPolicy(policy, n - 1, lag, until, (t, mu) => {
    const kls = rowKLsAt(t);
    let x = 0;
    for (let i = 0; i < K; i++) {
      if (mu[i] === 0) continue;
      if (kls[i] === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
      x += mu[i] * kls[i];
    }
    return x;
  });
  if (!Number.isFinite(rest) && rest !== Number.POSITIVE_INFINITY)
    throw new CoreFailure('numerical-failure', 'KL(q‖φ) is not a number');
  return startKL + rest;
}
