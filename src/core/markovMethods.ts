/**
 * The alignment methods on a Markov model (docs/math-markov.md §4): soft best-of-N, rejection
 * sampling, the win-rate frontier, the method curves, and blockwise best-of-N (below: not a level
 * policy on a chain, computed by its own programme). The first four change the law of the
 * sequences only through the value of R — π(y) = p(y)·g(R(y)) — so each is a sum over the exact
 * law of R of the chain (markovLaw.ts: the programme over (token, lattice point)), exactly as for
 * a memoryless model (methods.ts, levelPolicy.ts). The comparison tilt is the chain's φ_λ: its λ
 * for a budget, E_{φ_λ} R and KL(φ_λ‖p) come from the backward recursion (markovTilt.ts), and
 * KL(π‖φ_λ) = Σ π_j [ℓ_j − λ(x_j − E_{φ_λ} R) − KL(φ_λ‖p)] since log(φ_λ/p) = λR − A_n(λ) and
 * A_n(λ) = λ·E_{φ_λ} R − KL(φ_λ‖p).
 */
import {
  type BonSize,
  bestOfNFromLaw,
  type ComparisonTilt,
  type ParsedSize,
  parseBonSize,
} from './bestOfN.js';
import { requireBlock } from './blockBestOfN.js';
import { requireSequenceLength } from './klrl.js';
import { summariseLevelPolicy, tiltLogRatios } from './levelPolicy.js';
import { NeumaierSum } from './logspace.js';
import { type ActiveChain, activeChain, type MarkovChain } from './markovChain.js';
import { buildMarkovRewardLaw, type ChainKernel, chainKernel, chainTilt } from './markovLaw.js';
import {
  markovFrontier,
  markovLambdaForBudgetUnchecked,
  markovMaxKLUnchecked,
  markovTiltAtLambdaUnchecked,
} from './markovTilt.js';
import {
  type BlockBonComparison,
  bonPoint,
  type CurveOptions,
  defaultBlock,
  type MethodBase,
  type MethodCurves,
  type MethodPoint,
  methodCurvesOn,
  type RejectionComparison,
  rejectionSamplingOn,
  type SoftBonComparison,
  softBestOfNOn,
  tiltAtBudget,
  type WinRateComparison,
  winRateComparisonOn,
} from './methods.js';
import type { RejectionTarget } from './rejection.js';
import { CoreFailure, guard, type Result, unwrap } from './result.js';
import {
  assemble,
  DEFAULT_MAX_WORK,
  type SequenceLawOptions,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

export interface MarkovMethodOptions extends SequenceLawOptions {
  /** The chain's law of R at this n, when built already. */
  readonly sequenceLaw?: SequenceRewardLaw;
}

/** The base model of a chain: its φ_λ (markovTilt.ts) as the comparison tilt. */
export function chainMethodBase(chain: MarkovChain, n: number): MethodBase {
  return {
    n,
    tilt: chainTilt(chain, n),
    maxKL: () => markovMaxKLUnchecked(chain, n),
    lambdaForBudget: (delta) => markovLambdaForBudgetUnchecked(chain, n, delta).lambda,
    tiltAt: (lambda) => markovTiltAtLambdaUnchecked(chain, n, lambda),
    frontier: (steps, deltaTo) => unwrap(markovFrontier(chain, n, { steps, deltaTo })).points,
  };
}

function lawOf(chain: MarkovChain, n: number, options: MarkovMethodOptions): SequenceRewardLaw {
  requireSequenceLength(n);
  const shared = options.sequenceLaw;
  if (shared !== undefined && shared.n === n) return shared;
  return buildMarkovRewardLaw(chain, n, options);
}

/** Soft best-of-N on a chain (methods.ts `softBestOfN`): N candidates, inverse temperature λ. */
export function markovSoftBestOfN(
  chain: MarkovChain,
  n: number,
  size: BonSize,
  lambda: number,
  options: MarkovMethodOptions = {},
): Result<SoftBonComparison> {
  return guard(() => softBestOfNOn(lawOf(chain, n, options), chainMethodBase(chain, n), size, lambda));
}

/** Rejection sampling on a chain (methods.ts `rejectionSampling`). */
export function markovRejectionSampling(
  chain: MarkovChain,
  n: number,
  target: RejectionTarget,
  options: MarkovMethodOptions = {},
): Result<RejectionComparison> {
  return guard(() => rejectionSamplingOn(lawOf(chain, n, options), chainMethodBase(chain, n), target));
}

/** The win-rate frontier at Δ and the methods tuned to it, on a chain (methods.ts `winRateComparison`). */
export function markovWinRateComparison(
  chain: MarkovChain,
  n: number,
  delta: number,
  softLambda: number | undefined,
  options: MarkovMethodOptions = {},
): Result<WinRateComparison> {
  return guard(() =>
    winRateComparisonOn(lawOf(chain, n, options), chainMethodBase(chain, n), delta, softLambda),
  );
}

/** Every method across its parameter on a chain (methods.ts `methodCurves`). */
export function markovMethodCurves(
  chain: MarkovChain,
  n: number,
  curve: CurveOptions,
  options: MarkovMethodOptions = {},
): Result<MethodCurves> {
  return guard(() => {
    const seq = lawOf(chain, n, options);
    const block = curve.block ?? defaultBlock(n);
    const base = chainMethodBase(chain, n);
    const blockOptions = { ...options, sequenceLaw: seq };
    return methodCurvesOn(seq, base, curve, block, (size) =>
      chainBlockPoint(chain, n, seq, base, size, block, blockOptions, false),
    );
  });
}

// ── blockwise best-of-N on a chain ─────────────────────────────────────────────────────────────

/**
 * Blockwise best-of-N on a chain (docs/math-markov.md (M4.4)). The blocks are not independent:
 * the candidates of block k + 1 are drawn from the chain after the last token i of block k. So
 * the policy is a Markov chain over the block boundaries. For each boundary token i (and for the
 * start), the block's joint law of (block reward index d, last token j),
 * f_i(d, j) = P(R_block = b·a + h·d, y_b = j | y_0 = i), comes from the programme of (M4.1) over
 * the b transitions; best-of-N on its level law w_i(d) = Σ_j f_i(d, j) gives the level weights
 * b_i(d) (§6, ties uniform: the chosen block is p restricted to its level), and the chosen block
 * has the joint law q_i(d, j) = f_i(d, j)·b_i(d)/w_i(d). Then, with m = n/b blocks,
 *   G_1(j, v) = q_s(v, j),   G_{k+1}(j, v) = Σ_i Σ_d G_k(i, v − d)·q_i(d, j),
 *   P(R = n·a + h·v) = Σ_j G_m(j, v)                       (the law of R: E R and the win rate);
 *   KL(·‖p) = KL_s + Σ_{k<m} Σ_i μ_k(i)·KL_i,  μ_k(i) = Σ_v G_k(i, v)   (the chain rule over
 *   blocks, KL_i = Σ_d b_i(d)·log(b_i(d)/w_i(d)) the block's best-of-N KL from boundary i);
 *   KL(·‖φ_λ) = [KL(·‖p) − KL(φ_λ‖p)] + λ·(E_{φ_λ} R − E R), since log(φ_λ/p) = λR − A_n(λ),
 * with λ the KL-RL tilt of the same KL (as methods.ts). The block laws are kept in log space
 * (each cell's terms summed with the largest factored out); the boundary steps convolve rows
 * stored as a scale times values in [0, 1] (`boundaryStep`). All terms are ≥ 0. The work, ≈ (K + 1)·b·(nnz + K)·W for the block laws
 * (W = b·D + 1 lattice points of a block) plus Σ_k K²·(k·b·D + 1)·W for the boundaries, is checked
 * against `maxWork` before starting (`too-large`) and charged as it goes.
 */
export function markovBlockBestOfN(
  chain: MarkovChain,
  n: number,
  size: BonSize,
  block: number,
  options: MarkovMethodOptions = {},
): Result<BlockBonComparison> {
  return guard(() => {
    requireSequenceLength(n);
    requireBlock(n, block);
    const parsed = parseBonSize(size);
    const full = lawOf(chain, n, options);
    const base = chainMethodBase(chain, n);
    const r = chainBlockPoint(chain, n, full, base, parsed, block, options, true);
    return {
      n,
      method: full.method,
      exact: full.exact,
      errorBound: full.errorBound,
      N: parsed.N,
      logN: parsed.logN,
      block,
      blocks: n / block,
      blockwise: r,
      bon: bonPoint(full, base, parsed),
      tilt: tiltAtBudget(full, base, r.kl),
    };
  });
}

/** Incoming transitions per active state (transpose): source, log P, lattice index. */
interface Incoming {
  readonly start: Int32Array;
  readonly from: Int32Array;
  readonly logP: Float64Array;
  readonly shift: Int32Array;
}

function incoming(ac: ActiveChain, kernel: ChainKernel): Incoming {
  const K = ac.K;
  const m = ac.col.length;
  const start = new Int32Array(K + 1);
  for (let e = 0; e < m; e++) start[ac.col[e] + 1]++;
  for (let j = 0; j < K; j++) start[j + 1] += start[j];
  const fill = start.slice(0, K);
  const from = new Int32Array(m);
  const logP = new Float64Array(m);
  const shift = new Int32Array(m);
  for (let i = 0; i < K; i++)
    for (let e = ac.rowStart[i]; e < ac.rowStart[i + 1]; e++) {
      const k = fill[ac.col[e]]++;
      from[k] = i;
      logP[k] = ac.logProb[e];
      shift[k] = kernel.edgeIndex[e];
    }
  return { start, from, logP, shift };
}

/** `steps` transitions of the programme (M4.1) on K × W log masses (indices beyond W dropped). */
function advance(cur: Float64Array, K: number, W: number, steps: number, inc: Incoming): Float64Array {
  let f = cur;
  for (let t = 0; t < steps; t++) {
    chargeWork(inc.from.length * W + K * W);
    const next = new Float64Array(K * W).fill(Number.NEGATIVE_INFINITY);
    for (let j = 0; j < K; j++)
      for (let d = 0; d < W; d++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let k = inc.start[j]; k < inc.start[j + 1]; k++) {
          const s = d - inc.shift[k];
          if (s < 0) continue;
          const v = f[inc.from[k] * W + s] + inc.logP[k];
          if (v > max) max = v;
        }
        if (max === Number.NEGATIVE_INFINITY) continue;
        let sum = 0;
        for (let k = inc.start[j]; k < inc.start[j + 1]; k++) {
          const s = d - inc.shift[k];
          if (s < 0) continue;
          sum += Math.exp(f[inc.from[k] * W + s] + inc.logP[k] - max);
        }
        next[j * W + d] = max + Math.log(sum);
      }
    f = next;
  }
  return f;
}

/** The block laws f (K × W log masses) from the start and from each boundary token. */
interface ChainBlockLaws {
  readonly first: Float64Array;
  readonly from: readonly Float64Array[];
}

/** Block laws by chain and (n, b, limits): they do not depend on N (a curve reuses them). */
const BLOCK_LAWS = new WeakMap<MarkovChain, Map<string, ChainBlockLaws>>();

function blockLaws(
  chain: MarkovChain,
  ac: ActiveChain,
  kernel: ChainKernel,
  n: number,
  b: number,
  options: SequenceLawOptions,
): ChainBlockLaws {
  const key = `${n}/${b}/${options.maxSupport ?? ''}/${options.maxWork ?? ''}`;
  let byKey = BLOCK_LAWS.get(chain);
  const cached = byKey?.get(key);
  if (cached !== undefined) return cached;
  const K = ac.K;
  const W = b * kernel.span + 1;
  const inc = incoming(ac, kernel);
  const init = new Float64Array(K * W).fill(Number.NEGATIVE_INFINITY);
  for (let k = 0; k < ac.startCol.length; k++)
    init[ac.startCol[k] * W + kernel.startIndex[k]] = ac.startLogProb[k];
  const first = advance(init, K, W, b - 1, inc);
  const from: Float64Array[] = [];
  if (b < n)
    for (let i = 0; i < K; i++) {
      const point = new Float64Array(K * W).fill(Number.NEGATIVE_INFINITY);
      point[i * W] = 0;
      from.push(advance(point, K, W, b, inc));
    }
  const laws = { first, from };
  if (byKey === undefined) {
    byKey = new Map();
    BLOCK_LAWS.set(chain, byKey);
  }
  byKey.set(key, laws);
  return laws;
}

/** The chosen block's joint law log q(d, j) from one boundary, and its best-of-N KL. */
interface ChosenBlock {
  readonly logQ: Float64Array;
  readonly kl: number;
}

/** Best-of-N on the block law f (K × W, log masses summing to 1): q = f·b/w per (d, j). */
function chooseBlock(
  f: Float64Array,
  K: number,
  W: number,
  b: number,
  kernel: ChainKernel,
  tilt: ComparisonTilt,
  size: ParsedSize,
): ChosenBlock {
  chargeWork(3 * K * W);
  const ds: number[] = [];
  const logW: number[] = [];
  for (let d = 0; d < W; d++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < K; j++) max = Math.max(max, f[j * W + d]);
    if (max === Number.NEGATIVE_INFINITY) continue;
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.exp(f[j * W + d] - max);
    ds.push(d);
    logW.push(max + Math.log(sum));
  }
  // Normalised (the programme's rounding removed), as the chain's law of R.
  let top = Number.NEGATIVE_INFINITY;
  for (const x of logW) top = Math.max(top, x);
  const acc = new NeumaierSum();
  for (const x of logW) acc.add(Math.exp(x - top));
  const shift = top + Math.log(acc.value);
  const lattice = kernel.lattice;
  const law = assemble(
    b,
    ds.map((d) => b * lattice.offset + d * lattice.step),
    logW.map((x) => x - shift),
    kernel.exact ? 'lattice' : 'fine-lattice',
    kernel.exact,
    kernel.exact ? 0 : (b * lattice.step) / 2,
    lattice,
  );
  const bon = bestOfNFromLaw(law, tilt, size);
  const logQ = new Float64Array(K * W).fill(Number.NEGATIVE_INFINITY);
  for (let l = 0; l < ds.length; l++) {
    const d = ds[l];
    const add = bon.logRatio[l] - shift;
    if (add === Number.NEGATIVE_INFINITY) continue;
    for (let j = 0; j < K; j++) logQ[j * W + d] = f[j * W + d] + add;
  }
  return { logQ, kl: bon.kl };
}

/** Blockwise best-of-N's point on a chain (see `markovBlockBestOfN`). Internal (throws). */
export function chainBlockPoint(
  chain: MarkovChain,
  n: number,
  full: SequenceRewardLaw,
  base: MethodBase,
  size: ParsedSize,
  block: number,
  options: MarkovMethodOptions,
  withTilt: boolean,
): MethodPoint {
  requireBlock(n, block);
  const ac = activeChain(chain);
  const kernel = chainKernel(chain, n, options);
  const K = ac.K;
  const D = kernel.span;
  const b = block;
  const m = n / b;
  const W = b * D + 1;
  const nnz = ac.col.length;
  let work = (m > 1 ? K + 1 : 1) * b * (nnz + K) * W;
  for (let k = 1; k < m; k++) work += K * K * (k * b * D + 1) * W;
  const maxWork = options.maxWork ?? DEFAULT_MAX_WORK;
  if (work > maxWork)
    throw new CoreFailure(
      'too-large',
      `blockwise best-of-N on this chain needs about ${work.toPrecision(2)} operations (more than maxWork = ${maxWork}): the blocks depend on the token before them, so every boundary token has its own block law (use a shorter block or sequence)`,
    );
  const laws = blockLaws(chain, ac, kernel, n, b, options);
  const tilt = base.tilt as ComparisonTilt;
  // The first block from the start; the later ones from each boundary token i.
  const first = chooseBlock(laws.first, K, W, b, kernel, tilt, size);
  const from = laws.from.map((f) => chooseBlock(f, K, W, b, kernel, tilt, size));
  // The boundaries: G over (token, reward index so far).
  let G = first.logQ;
  let L = W;
  const kl = new NeumaierSum();
  kl.add(first.kl);
  for (let k = 1; k < m; k++) {
    // μ_k(i) and the KL of the next block.
    for (let i = 0; i < K; i++) {
      const mu = logSumRow(G, i * L, L);
      if (mu > Number.NEGATIVE_INFINITY && from[i].kl > 0) kl.add(Math.exp(mu) * from[i].kl);
    }
    const L2 = L + b * D;
    G = boundaryStep(G, L, L2, from, K, W);
    L = L2;
  }
  // The law of R on the levels of the chain's law: log π_v − log w_v.
  const lattice = kernel.lattice;
  const F = full.values.length;
  const ratios = new Float64Array(F);
  for (let l = 0; l < F; l++) {
    const v = Math.round((full.values[l] - n * lattice.offset) / lattice.step);
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < K; j++) if (v >= 0 && v < L) max = Math.max(max, G[j * L + v]);
    let sum = 0;
    if (max > Number.NEGATIVE_INFINITY) for (let j = 0; j < K; j++) sum += Math.exp(G[j * L + v] - max);
    ratios[l] = (max === Number.NEGATIVE_INFINITY ? max : max + Math.log(sum)) - full.logMass[l];
  }
  const s = summariseLevelPolicy(full, ratios);
  const klValue = Math.max(0, kl.value);
  let klToTilt = Number.POSITIVE_INFINITY;
  if (withTilt) {
    const lambda = base.lambdaForBudget(klValue);
    if (lambda === Number.POSITIVE_INFINITY) klToTilt = F === 1 ? 0 : Number.POSITIVE_INFINITY;
    else {
      const t = base.tiltAt(lambda);
      klToTilt = Math.max(0, klValue - t.kl + lambda * (t.reward - s.reward));
    }
  }
  return {
    reward: s.reward,
    kl: klValue,
    klToTilt,
    winRate: s.winRate,
    lossRate: s.lossRate,
    tokens: size.N * n,
  };
}

/** A row of log masses as a scale (its largest value) and its values divided by e^{scale}. */
function scaled(logRow: Float64Array, o: number, len: number): { scale: number; lin: Float64Array } {
  let max = Number.NEGATIVE_INFINITY;
  for (let v = 0; v < len; v++) if (logRow[o + v] > max) max = logRow[o + v];
  const lin = new Float64Array(len);
  if (max > Number.NEGATIVE_INFINITY) for (let v = 0; v < len; v++) lin[v] = Math.exp(logRow[o + v] - max);
  return { scale: max, lin };
}

/**
 * One block boundary: G'(j, v) = Σ_i Σ_d G(i, v − d)·q_i(d, j), G (K × L) and the result
 * (K × L2) as log masses. Each row of G and of q_i(·, j) is a scale times values in [0, 1], so the
 * convolutions are plain multiply-adds of non-negative numbers; the K sums over i are combined
 * with the largest product of scales factored out. Values below e^{−745} of their row's largest
 * underflow to 0: their share of every sum is below the double's resolution.
 */
function boundaryStep(
  G: Float64Array,
  L: number,
  L2: number,
  from: readonly ChosenBlock[],
  K: number,
  W: number,
): Float64Array {
  chargeWork(K * K * L * W + K * (L + L2));
  const rows = Array.from({ length: K }, (_, i) => scaled(G, i * L, L));
  const next = new Float64Array(K * L2).fill(Number.NEGATIVE_INFINITY);
  const acc = new Float64Array(L2);
  const conv = new Float64Array(L2);
  for (let j = 0; j < K; j++) {
    const qs = from.map((c) => scaled(c.logQ, j * W, W));
    let top = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < K; i++) top = Math.max(top, rows[i].scale + qs[i].scale);
    if (top === Number.NEGATIVE_INFINITY) continue;
    acc.fill(0);
    for (let i = 0; i < K; i++) {
      const factor = Math.exp(rows[i].scale + qs[i].scale - top);
      if (!(factor > 0)) continue;
      const g = rows[i].lin;
      const q = qs[i].lin;
      conv.fill(0);
      for (let u = 0; u < L; u++) {
        const gu = g[u];
        if (gu === 0) continue;
        for (let d = 0; d < W; d++) conv[u + d] += gu * q[d];
      }
      for (let v = 0; v < L2; v++) acc[v] += factor * conv[v];
    }
    for (let v = 0; v < L2; v++) if (acc[v] > 0) next[j * L2 + v] = top + Math.log(acc[v]);
  }
  return next;
}

/** log Σ_v exp(G[o + v]) over a row of length L. */
function logSumRow(G: Float64Array, o: number, L: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let v = 0; v < L; v++) if (G[o + v] > max) max = G[o + v];
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let v = 0; v < L; v++) sum += Math.exp(G[o + v] - max);
  return max + Math.log(sum);
}

/**
 * The win rate of the chain's φ_λ against p (λ ∈ [0, ∞]) from the chain's law of R, with the
 * law's exactness (the `tilt` query reports it only when exact). Errors: those of the law of R.
 */
export function markovTiltWinRate(
  chain: MarkovChain,
  n: number,
  lambda: number,
  options: MarkovMethodOptions = {},
): Result<{ readonly winRate: number; readonly lossRate: number; readonly exact: boolean }> {
  return guard(() => {
    const seq = lawOf(chain, n, options);
    const s = summariseLevelPolicy(seq, tiltLogRatios(seq, chainTilt(chain, n), lambda));
    return { winRate: s.winRate, lossRate: s.lossRate, exact: seq.exact };
  });
}
