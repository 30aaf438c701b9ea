/**
 * The exact law of the sequence reward R under a Markov model (docs/math-markov.md §4), by the
 * dynamic programme over (state, lattice point):
 *   f₁(j, d₀(j)) = s(j),   f_t(j, i) = Σ_{i′→j} P(j | i′)·f_{t−1}(i′, i − d(i′, j)),
 * where every reward that can occur (start rewards r(j), transition rewards r(j) + c(i, j)) is
 * a + h·d on a lattice (detectLattice), and R = n·a + h·i. Then w(i) = Σ_j f_n(j, i). The memoryless
 * model's convolution (6.3) is the case where every row is p.
 *
 * Exactness: as LatticeConvolver, every entry is a mantissa times its own binary scale
 * 2^{−200·e} (masses reach e^{−2398} and far below), every update is a sum of non-negative
 * products aligned to the largest scale among its terms (terms three scales below are < 2^{−400}
 * relative and dropped), so the relative error after n steps is ≤ n·(indegree + 1) ulp. Each
 * state keeps only the window of points it can reach (min-sum / max-sum bounds).
 * `keepTop` restricts every step to the top keepTop + 1 points (best-of-N for huge N needs only
 * those, and they are exact: point i of a step needs only points ≥ i − D of the previous one).
 *
 * Cost: Σ_t Σ_{transitions} (window) ≈ nnz·D·n²/2 multiply-adds (O(n·K²·L) for a dense chain);
 * when that exceeds maxWork, or the support n·D + 1 exceeds maxSupport, the rewards are rounded
 * to the finest grid r_min + i·(r_max − r_min)/G that fits (error bound n·h/2 on every sequence's
 * R, as (6.5)), or the law is `too-large`.
 */
import {
  type BestOfN,
  type BestOfNSummary,
  type BonSize,
  bestOfNFromTopLevels,
  bestOfNSummaryWithTilt,
  bestOfNWithTilt,
  type ComparisonTilt,
  type LawMeta,
  type ParsedSize,
  parseBonSize,
} from './bestOfN.js';
import { requireSequenceLength } from './klrl.js';
import { detectLatticeUnchecked, type Lattice } from './lattice.js';
import { NeumaierSum } from './logspace.js';
import { type ActiveChain, activeChain, type MarkovChain } from './markovChain.js';
import { backwardPass } from './markovMessages.js';
import {
  basePass,
  limitPass,
  markovLambdaForBudgetUnchecked,
  markovMaxKLUnchecked,
  solveMarkovKL,
} from './markovTilt.js';
import { CoreFailure, guard, type Result, require } from './result.js';
import {
  assemble,
  DEFAULT_MAX_SUPPORT,
  DEFAULT_MAX_WORK,
  type SequenceLawOptions,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

const E = 200;
const SMALL = 2 ** -E;
const SCALE_UP = 2 ** E;
const ALIGN = [1, 2 ** -E, 2 ** (-2 * E)];
const LN2 = Math.LN2;
/** Most (state, point) cells the programme may hold (two buffers of mantissa and scale). */
const MAX_CELLS = 2e7;

/** The lattice of a chain's rewards (on its active transitions), with each transition's index. */
export interface ChainKernel {
  readonly lattice: Lattice;
  /** Lattice index of each active transition's reward, and of each start state's. */
  readonly edgeIndex: Int32Array;
  readonly startIndex: Int32Array;
  /** Largest index D. */
  readonly span: number;
  readonly exact: boolean;
  readonly errorBound: number;
}

/** All rewards that can occur, on the active chain (as given: uncentred, not reflected). */
function rewardValues(ac: ActiveChain): Float64Array {
  const { chain } = ac;
  const out = new Float64Array(ac.w.length + ac.startW.length);
  for (let e = 0; e < ac.w.length; e++) out[e] = chain.edgeReward[ac.edge[e]];
  for (let k = 0; k < ac.startW.length; k++) out[ac.w.length + k] = chain.reward[ac.token[ac.startCol[k]]];
  return out;
}

/** Transitions summed over all steps' windows: Σ_t nnz·(t·D) ≈ nnz·D·n²/2, plus the cells. */
function programmeWork(ac: ActiveChain, n: number, D: number, keep?: number): number {
  const window = keep === undefined ? (n * D) / 2 : Math.min(keep, (n * D) / 2);
  return (ac.col.length + ac.K) * n * Math.max(1, window);
}

/**
 * The lattice kernel of a chain at length n: exact when the rewards lie on a lattice small enough
 * for the limits, otherwise the finest admissible grid. Errors: `too-large`.
 */
export function chainKernel(
  chain: MarkovChain,
  n: number,
  options: SequenceLawOptions,
  keep?: number,
): ChainKernel {
  const ac = activeChain(chain);
  const maxSupport = options.maxSupport ?? DEFAULT_MAX_SUPPORT;
  const maxWork = options.maxWork ?? DEFAULT_MAX_WORK;
  require(Number.isFinite(maxSupport) &&
    maxSupport >= 1, 'invalid-argument', `maxSupport = ${maxSupport} must be a finite number ≥ 1`);
  require(Number.isFinite(maxWork) &&
    maxWork >= 1, 'invalid-argument', `maxWork = ${maxWork} must be a finite number ≥ 1`);
  const values = rewardValues(ac);
  const fits = (D: number) =>
    n * D + 1 <= maxSupport &&
    programmeWork(ac, n, D, keep) <= maxWork &&
    ac.K * (Math.min(n * D, keep ?? n * D) + 1) <= MAX_CELLS;
  const lattice = detectLatticeUnchecked(values);
  if (lattice !== null && fits(lattice.span)) return kernelOf(ac, lattice, true, 0);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let G = Math.floor((maxSupport - 1) / n);
  while (G >= 1 && !fits(G)) G = Math.floor(G / 2);
  require(G >=
    1, 'too-large', `the law of R for n = ${n} needs more than maxSupport = ${maxSupport} points or maxWork = ${maxWork} multiply-adds (${ac.col.length} transitions)`);
  const span = max - min;
  const step = span / G;
  const indices = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) indices[k] = Math.round(((values[k] - min) / span) * G);
  return kernelOf(ac, { offset: min, step, indices, span: G }, false, (n * step) / 2);
}

function kernelOf(ac: ActiveChain, lattice: Lattice, exact: boolean, errorBound: number): ChainKernel {
  const m = ac.w.length;
  return {
    lattice,
    edgeIndex: lattice.indices.subarray(0, m),
    startIndex: lattice.indices.subarray(m),
    span: lattice.span,
    exact,
    errorBound,
  };
}

/** The programme itself (see the module comment). */
export class ChainLawProgramme {
  /** Positions done (1 after construction). */
  t = 1;
  private readonly K: number;
  /** Incoming transitions per state (transpose CSR): source state, kernel mantissa, scale, index. */
  private readonly inStart: Int32Array;
  private readonly inFrom: Int32Array;
  private readonly inMant: Float64Array;
  private readonly inScale: Float64Array;
  private readonly inShift: Int32Array;
  private readonly cap: number;
  /** Per state: window [lo, hi] of absolute indices; cells at state·cap + (i − base). */
  private lo: Int32Array;
  private hi: Int32Array;
  private base: Int32Array;
  private mant: Float64Array;
  private scale: Float64Array;
  private nlo: Int32Array;
  private nhi: Int32Array;
  private nbase: Int32Array;
  private nmant: Float64Array;
  private nscale: Float64Array;
  /** Largest index reached at this step (the global top). */
  top = 0;

  constructor(
    ac: ActiveChain,
    readonly kernel: ChainKernel,
    readonly nMax: number,
    private readonly keepTop?: number,
  ) {
    const K = ac.K;
    this.K = K;
    const D = kernel.span;
    this.cap = (keepTop === undefined ? nMax * D : Math.min(nMax * D, keepTop)) + 1;
    chargeWork(2 * K * this.cap);
    // Transpose.
    const count = new Int32Array(K + 1);
    for (let e = 0; e < ac.col.length; e++) count[ac.col[e] + 1]++;
    for (let j = 0; j < K; j++) count[j + 1] += count[j];
    this.inStart = count.slice();
    const fill = count.slice(0, K);
    const m = ac.col.length;
    this.inFrom = new Int32Array(m);
    this.inMant = new Float64Array(m);
    this.inScale = new Float64Array(m);
    this.inShift = new Int32Array(m);
    for (let i = 0; i < K; i++)
      for (let e = ac.rowStart[i]; e < ac.rowStart[i + 1]; e++) {
        const j = ac.col[e];
        const k = fill[j]++;
        this.inFrom[k] = i;
        const [mm, sc] = split(ac.logProb[e]);
        this.inMant[k] = mm;
        this.inScale[k] = sc;
        this.inShift[k] = kernel.edgeIndex[e];
      }
    const cells = K * this.cap;
    this.mant = new Float64Array(cells);
    this.scale = new Float64Array(cells).fill(Number.POSITIVE_INFINITY);
    this.nmant = new Float64Array(cells);
    this.nscale = new Float64Array(cells).fill(Number.POSITIVE_INFINITY);
    this.lo = new Int32Array(K).fill(1);
    this.hi = new Int32Array(K).fill(0);
    this.base = new Int32Array(K);
    this.nlo = new Int32Array(K);
    this.nhi = new Int32Array(K);
    this.nbase = new Int32Array(K);
    // Position 1: the start.
    let top = 0;
    for (let k = 0; k < ac.startCol.length; k++) {
      const j = ac.startCol[k];
      const i = kernel.startIndex[k];
      const [mm, sc] = split(ac.startLogProb[k]);
      // Two start entries cannot share a state (one per state).
      this.lo[j] = i;
      this.hi[j] = i;
      this.base[j] = i;
      this.mant[j * this.cap] = mm;
      this.scale[j * this.cap] = sc;
      if (i > top) top = i;
    }
    this.top = top;
  }

  /** One position more: f_{t+1} from f_t. */
  step(): void {
    const { K, cap, inStart, inFrom, inMant, inScale, inShift } = this;
    const { lo, hi, base, mant, scale } = this;
    const { nlo, nhi, nbase, nmant, nscale } = this;
    // New windows.
    let top = -1;
    for (let j = 0; j < K; j++) {
      let a = Number.MAX_SAFE_INTEGER;
      let b = -1;
      for (let k = inStart[j]; k < inStart[j + 1]; k++) {
        const i = inFrom[k];
        if (hi[i] < lo[i]) continue;
        if (lo[i] + inShift[k] < a) a = lo[i] + inShift[k];
        if (hi[i] + inShift[k] > b) b = hi[i] + inShift[k];
      }
      nlo[j] = a;
      nhi[j] = b;
      if (b > top) top = b;
    }
    const floor = this.keepTop === undefined ? 0 : top - this.keepTop;
    let work = 0;
    for (let j = 0; j < K; j++) {
      if (nhi[j] < nlo[j] || nhi[j] < floor) {
        nlo[j] = 1;
        nhi[j] = 0;
        continue;
      }
      if (nlo[j] < floor) nlo[j] = floor;
      nbase[j] = nlo[j];
      const width = nhi[j] - nlo[j] + 1;
      const o = j * cap;
      for (let x = 0; x < width; x++) {
        nmant[o + x] = 0;
        nscale[o + x] = Number.POSITIVE_INFINITY;
      }
      for (let k = inStart[j]; k < inStart[j + 1]; k++) {
        const i = inFrom[k];
        if (hi[i] < lo[i]) continue;
        const shift = inShift[k];
        const pm = inMant[k];
        const ps = inScale[k];
        // Source points whose target lies in [nlo, nhi].
        const from = Math.max(lo[i], nlo[j] - shift);
        const to = Math.min(hi[i], nhi[j] - shift);
        const so = i * cap - base[i];
        const to0 = o - nlo[j] + shift;
        work += to - from + 1;
        for (let p = from; p <= to; p++) {
          const se = scale[so + p];
          if (se === Number.POSITIVE_INFINITY) continue;
          const tm = pm * mant[so + p];
          const te = se + ps;
          const c = to0 + p;
          const ae = nscale[c];
          if (te === ae) nmant[c] += tm;
          else if (ae === Number.POSITIVE_INFINITY) {
            nmant[c] = tm;
            nscale[c] = te;
          } else if (te < ae) {
            const d = ae - te;
            nmant[c] = d >= 3 ? tm : tm + nmant[c] * ALIGN[d];
            nscale[c] = te;
          } else {
            const d = te - ae;
            if (d < 3) nmant[c] += tm * ALIGN[d];
          }
        }
      }
      // Normalise mantissas into [2^−200, 2^100).
      for (let x = 0; x < width; x++) {
        let v = nmant[o + x];
        if (v === 0) continue;
        let e = nscale[o + x];
        while (v < SMALL) {
          v *= SCALE_UP;
          e += 1;
        }
        nmant[o + x] = v;
        nscale[o + x] = e;
      }
    }
    chargeWork(work + K);
    this.lo = nlo;
    this.hi = nhi;
    this.base = nbase;
    this.mant = nmant;
    this.scale = nscale;
    this.nlo = lo;
    this.nhi = hi;
    this.nbase = base;
    this.nmant = mant;
    this.nscale = scale;
    this.top = top;
    this.t++;
  }

  /**
   * The law of R at the current position: its reachable points (index, log mass), ascending,
   * summed over the states with scale alignment. `from`: the lowest index wanted.
   */
  points(from = 0): { index: number[]; logMass: number[] } {
    const { K, cap, lo, hi, base, mant, scale } = this;
    let a = Number.MAX_SAFE_INTEGER;
    let b = -1;
    for (let j = 0; j < K; j++) {
      if (hi[j] < lo[j]) continue;
      a = Math.min(a, lo[j]);
      b = Math.max(b, hi[j]);
    }
    a = Math.max(a, from);
    const index: number[] = [];
    const logMass: number[] = [];
    if (b < a) return { index, logMass };
    const width = b - a + 1;
    chargeWork(width * K);
    const accM = new Float64Array(width);
    const accE = new Float64Array(width).fill(Number.POSITIVE_INFINITY);
    for (let j = 0; j < K; j++) {
      if (hi[j] < lo[j]) continue;
      const o = j * cap - base[j];
      for (let p = Math.max(lo[j], a); p <= hi[j]; p++) {
        const te = scale[o + p];
        if (te === Number.POSITIVE_INFINITY) continue;
        const tm = mant[o + p];
        const c = p - a;
        const ae = accE[c];
        if (te === ae) accM[c] += tm;
        else if (ae === Number.POSITIVE_INFINITY) {
          accM[c] = tm;
          accE[c] = te;
        } else if (te < ae) {
          const d = ae - te;
          accM[c] = d >= 3 ? tm : tm + accM[c] * ALIGN[d];
          accE[c] = te;
        } else {
          const d = te - ae;
          if (d < 3) accM[c] += tm * ALIGN[d];
        }
      }
    }
    for (let c = 0; c < width; c++) {
      if (accE[c] === Number.POSITIVE_INFINITY || accM[c] === 0) continue;
      index.push(a + c);
      logMass.push(Math.log(accM[c]) - E * accE[c] * LN2);
    }
    return { index, logMass };
  }
}

/** A probability as mantissa ∈ [2^−200, 1] times 2^{−200·scale} (from its log, so 1e-300 is exact). */
function split(logP: number): [number, number] {
  if (logP === Number.NEGATIVE_INFINITY) return [0, Number.POSITIVE_INFINITY];
  if (logP >= -E * LN2) return [Math.exp(logP), 0];
  const sc = Math.floor(-logP / (E * LN2));
  return [Math.exp(logP + sc * E * LN2), sc];
}

export interface MarkovLawOptions extends SequenceLawOptions {}

/** The law of R under the chain for length n (module comment). Errors: bad n, `too-large`. */
export function markovRewardLaw(
  chain: MarkovChain,
  n: number,
  options: MarkovLawOptions = {},
): Result<SequenceRewardLaw> {
  return guard(() => buildMarkovRewardLaw(chain, n, options));
}

export function buildMarkovRewardLaw(
  chain: MarkovChain,
  n: number,
  options: MarkovLawOptions,
): SequenceRewardLaw {
  requireSequenceLength(n);
  const kernel = chainKernel(chain, n, options);
  const prog = new ChainLawProgramme(activeChain(chain), kernel, n);
  while (prog.t < n) prog.step();
  return lawAt(prog, n);
}

/** The law at the programme's current position n. */
export function lawAt(prog: ChainLawProgramme, n: number): SequenceRewardLaw {
  const { index, logMass } = prog.points();
  const lattice = prog.kernel.lattice;
  const values = index.map((i) => n * lattice.offset + i * lattice.step);
  const errorBound = prog.kernel.exact ? 0 : (n * lattice.step) / 2;
  return assemble(
    n,
    values,
    normaliseLog(logMass),
    prog.kernel.exact ? 'lattice' : 'fine-lattice',
    prog.kernel.exact,
    errorBound,
    lattice,
  );
}

/** Log masses shifted so they sum to 1 (the programme's rounding, ≈ n·ulp, is removed). */
function normaliseLog(logMass: number[]): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of logMass) if (x > max) max = x;
  const acc = new NeumaierSum();
  for (const x of logMass) acc.add(Math.exp(x - max));
  const shift = max + Math.log(acc.value);
  return logMass.map((x) => x - shift);
}

// ── best-of-N ────────────────────────────────────────────────────────────────────────────────

/** The comparison with φ_λ of a chain: KL(BoN‖φ_λ) needs E_φ R and KL(φ_λ‖p). */
export function chainTilt(chain: MarkovChain, n: number): ComparisonTilt {
  const ac = activeChain(chain);
  return {
    terms: (lambda) => {
      const pass = backwardPass(ac, n, lambda, { order: 1 });
      return { lambda, centre: pass.cumulants[0], nD: pass.kl };
    },
    get single() {
      return markovMaxKLUnchecked(chain, n) === 0 && basePass(ac, n).cumulants[1] === 0;
    },
  };
}

export interface MarkovBonOptions extends SequenceLawOptions {
  readonly lambda?: number;
  /** The law of R at this n, when built already (used where the whole law is needed). */
  readonly sequenceLaw?: SequenceRewardLaw;
}

/** log 800: the cut of (6.13). */
const LOG_CUT = Math.log(800);

/**
 * Best-of-N over sequences of a Markov model (§6 applied to the chain's law of R). For
 * log N ≥ log 800 only the top levels are computed (the programme's top window, from a
 * Chernoff-type estimate of the cut, doubled until the cut is verified), as bestOfNForLength.
 */
export function markovBestOfN(
  chain: MarkovChain,
  n: number,
  size: BonSize,
  options: MarkovBonOptions = {},
): Result<BestOfN> {
  return guard(() => markovBestOfNUnchecked(chain, n, parseBonSize(size), options));
}

export function markovBestOfNUnchecked(
  chain: MarkovChain,
  n: number,
  size: ParsedSize,
  options: MarkovBonOptions,
): BestOfN {
  requireSequenceLength(n);
  const tilt = chainTilt(chain, n);
  const full = () =>
    bestOfNWithTilt(
      options.sequenceLaw ?? buildMarkovRewardLaw(chain, n, options),
      tilt,
      size,
      options.lambda,
    );
  if (size.logN < LOG_CUT || options.sequenceLaw !== undefined) return full();
  const kmax = markovMaxKLUnchecked(chain, n);
  if (!(kmax > 0)) return full();
  // How far below the top the window must reach, in reward units (then in points of the grid).
  const depth = windowDepth(chain, n, size.logN, kmax);
  let keep: number | undefined;
  for (;;) {
    let kernel = chainKernel(chain, n, options, keep ?? 1);
    const total = n * kernel.span;
    if (keep === undefined) {
      keep = Math.min(total, Math.ceil(depth / kernel.lattice.step) + 4 * kernel.span + 32);
      kernel = chainKernel(chain, n, options, keep);
    }
    const prog = new ChainLawProgramme(activeChain(chain), kernel, n, keep);
    while (prog.t < n) prog.step();
    const { index, logMass } = prog.points(Math.max(0, prog.top - keep));
    const lattice = kernel.lattice;
    const values = index.map((i) => n * lattice.offset + i * lattice.step);
    const complete = keep >= n * kernel.span;
    const meta: LawMeta = {
      method: kernel.exact ? 'lattice' : 'fine-lattice',
      exact: kernel.exact,
      errorBound: kernel.exact ? 0 : (n * lattice.step) / 2,
    };
    const lm = complete ? normaliseLog(logMass) : logMass;
    const bon = bestOfNFromTopLevels(n, values, lm, complete, size, tilt, options.lambda, meta);
    if (bon !== null) return bon;
    if (complete) throw new CoreFailure('internal-error', 'the whole law always reaches the cut');
    keep = Math.min(n * kernel.span, 2 * keep);
  }
}

/**
 * How far below the top reward the best-of-N window must reach: down to E_{φ_s} R, where
 * KL(φ_s‖p) = log N − log 800 − log n − 8 (there N·P(R ≥ x) is still far above 800; the slack
 * covers the prefactor of the tail). ∞ when the whole law is needed.
 */
function windowDepth(chain: MarkovChain, n: number, logN: number, kmax: number): number {
  const d = logN - LOG_CUT - Math.log(n) - 8;
  if (!(d > 0)) return Number.POSITIVE_INFINITY;
  if (d >= kmax) return 0;
  const pass = solveMarkovKL(activeChain(chain), n, d, kmax);
  return Math.max(0, limitPass(chain, n).rMax - pass.cumulants[0]);
}

// ── the law of R under φ_λ, and the equivalence series ─────────────────────────────────────

/**
 * The law of R under φ_λ from its law under p: φ_λ(y) ∝ p(y)·e^{λ R(y)} depends on y only through
 * R, so w_φ(x) ∝ w(x)·e^{λx}, normalised in log space (log w + λ·(x − x_top), then log-sum-exp):
 * exact for any λ, e^{−λ·gap} far below the smallest double included. λ = ∞ keeps the top level.
 * The tails (and so the finite-n tail exponents of the `rate` query) follow.
 */
export function tiltedRewardLaw(seq: SequenceRewardLaw, lambda: number): SequenceRewardLaw {
  const L = seq.values.length;
  chargeWork(L);
  const top = seq.values[L - 1];
  if (lambda === Number.POSITIVE_INFINITY)
    return assemble(seq.n, [top], [0], seq.method, seq.exact, seq.errorBound, seq.lattice);
  const logMass: number[] = new Array(L);
  for (let j = 0; j < L; j++)
    logMass[j] = seq.logMass[j] + (lambda === 0 ? 0 : lambda * (seq.values[j] - top));
  return assemble(
    seq.n,
    seq.values,
    normaliseLog(logMass),
    seq.method,
    seq.exact,
    seq.errorBound,
    seq.lattice,
  );
}

/** One length of the Markov equivalence series. */
export interface MarkovEquivalencePoint {
  readonly n: number;
  readonly logN: number;
  readonly bonRewardPerToken: number;
  readonly klPerToken: number;
  /** KL(BoN ‖ φ_{nδ})/n, φ_{nδ} the finite-n KL-RL solution at Δ = nδ (+∞ when it is λ = ∞). */
  readonly klToRLPerToken: number;
  /** λ and E R/n of that finite-n KL-RL solution. */
  readonly rlLambda: number;
  readonly rlRewardPerToken: number;
  readonly exact: boolean;
  readonly errorBound: number;
}

/**
 * Best-of-N with N = e^{nδ} against KL-RL at Δ = nδ for each length (sorted, duplicates
 * removed): one law-of-R programme up to the largest n serves every n (the law at n is the
 * programme after n positions). KL-RL is the exact finite-n solution (for a memoryless model it is
 * φ_{λ*} at every n, λ* the per-token solution; for a chain λ_n → λ*). Errors: bad δ or n,
 * `too-large`.
 */
export function markovEquivalencePoints(
  chain: MarkovChain,
  rate: number,
  ns: ArrayLike<number>,
  options: SequenceLawOptions = {},
): Result<MarkovEquivalencePoint[]> {
  return guard(() => {
    require(typeof rate === 'number' &&
      Number.isFinite(rate) &&
      rate >= 0, 'invalid-argument', `the rate δ = ${rate} must be a finite number ≥ 0`);
    require(ns.length > 0, 'invalid-argument', 'the equivalence series needs at least one length n');
    for (let i = 0; i < ns.length; i++) requireSequenceLength(ns[i]);
    const lengths = [...new Set(Array.from(ns))].sort((a, b) => a - b);
    const nMax = lengths[lengths.length - 1];
    const kernel = chainKernel(chain, nMax, options);
    const prog = new ChainLawProgramme(activeChain(chain), kernel, nMax);
    const points: MarkovEquivalencePoint[] = [];
    for (const n of lengths) {
      while (prog.t < n) prog.step();
      const law = lawAt(prog, n);
      const rl = markovLambdaForBudgetUnchecked(chain, n, n * rate);
      const bon = bestOfNSummaryWithTilt(
        law,
        chainTilt(chain, n),
        parseBonSize({ logN: n * rate }),
        rl.lambda,
      );
      points.push({
        n,
        logN: bon.logN,
        bonRewardPerToken: bon.rewardPerToken,
        klPerToken: bon.kl / n,
        klToRLPerToken: (bon.klToTilt ?? Number.NaN) / n,
        rlLambda: rl.lambda,
        rlRewardPerToken: rl.rewardPerToken,
        exact: bon.exact,
        errorBound: bon.errorBound,
      });
    }
    return points;
  });
}

/**
 * Best-of-N's numbers from a computed law of R of a chain (no per-level arrays), compared with
 * the chain's φ_λ — for curves of many N over one law (the `bon` query's curve).
 */
export function markovBestOfNSummary(
  chain: MarkovChain,
  seqLaw: SequenceRewardLaw,
  size: BonSize,
  lambda?: number,
): Result<BestOfNSummary> {
  return guard(() => bestOfNSummaryWithTilt(seqLaw, chainTilt(chain, seqLaw.n), parseBonSize(size), lambda));
}
