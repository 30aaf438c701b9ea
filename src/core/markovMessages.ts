/**
 * The backward recursion of a tilted Markov chain (docs/math-markov.md §2–§3): the messages
 * h_t(i) = Σ_j P(j | i)·e^{s·w(i, j)}·h_{t+1}(j), h_n = 1, and with them everything the tilt
 * φ_s(y) = p(y)·e^{s·R(y) − A_n(s)} needs — A_n(s), the cumulants of R under φ_s, KL(φ_s‖p) —
 * in one backward pass over the positions, O(nnz) per position.
 *
 * How the numbers stay exact:
 *  - Residual form. The max-sum recursion V_t(i) = max_j [w(i, j) + V_{t+1}(j)] runs alongside,
 *    and the messages are h̃_t = h_t·e^{−s·V_t} = Σ_j P·e^{−s·ρ(i, j)}·h̃_{t+1}(j) with the
 *    residuals ρ(i, j) = V_t(i) − w(i, j) − V_{t+1}(j) ≥ 0, exactly 0 on the maximising
 *    transitions. So h̃ ∈ (0, 1], no exponent is ever positive, and a huge tilt (s = 10⁴⁰)
 *    keeps the probabilities of the maximising paths (a plain log-sum-exp would round them
 *    away in s·w). s = ∞ is the limit itself: only residual-0 transitions.
 *  - Log space, common part split off. Every per-state quantity (log h̃, V, the cumulants of the
 *    future reward, the future KL) is kept as a common value (Neumaier-summed over positions)
 *    plus a deviation per state, so deviations stay O(1) while totals grow like n.
 *  - Cumulants by jets. The conditional cumulant generating function of the future reward from
 *    state i is log Σ_j q(j | i)·exp(τ·w + K_{t+1}(j; τ)); the common part factors out, and the
 *    mixture is formed from centred deviations (law of total cumulance, by power series), so no
 *    large moments cancel.
 *  - KL by the chain rule, Σ_t E[KL(q_t(·|y_t) ‖ P(·|y_t))], each row's term Σ_j P·f(u_j) with
 *    f(u) = 1 + (u − 1)eᵘ ≥ 0 (math.md (2.6)): non-negative terms, full relative accuracy for
 *    tiny tilts.
 *  - Periodic regime. The recursion is time-homogeneous: once the per-state deviations repeat
 *    with some lag ℓ (the chain's period, or a small multiple), every earlier position repeats
 *    them too, and the commons grow by the same increment every ℓ positions. The pass then
 *    jumps: n = 10⁹ costs what the mixing time costs. Repetition is tested to ~1e-13 relative,
 *    twice in a row; chains that never settle (reducible chains whose classes compete) are
 *    computed position by position.
 *
 * Run with n = ∞ the recursion is power iteration on the tilted matrix M_s: the increments per
 * position are then log ρ(s) and the derivatives Λ⁽ᵐ⁾(s) of Λ = log ρ (markovPerron.ts).
 */

import { klTerm } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import type { ActiveChain } from './markovChain.js';
import { CoreFailure } from './result.js';
import { chargeWork } from './workBudget.js';

export const MAX_JET_ORDER = 8;

/** What a pass computes besides log Z: cumulants up to `order` (1 = the mean only). */
export interface PassOptions {
  readonly order: number;
  /** Keep each position's (V, log h̃) deviations, for forward passes (marginals, policies). */
  readonly record?: boolean;
  /**
   * Compute the gap E_φ[R* − R] (default true). A λ solve needs it above K_max/2 only, and a
   * frontier's points not at all; without it the fast rows skip a term (`gap` is then NaN).
   */
  readonly gap?: boolean;
  /**
   * Every row by the log-space pass (`rowPass`), never the fused kernel: the reference the kernel
   * is tested against (markovKernel.test.ts). Default false.
   */
  readonly careful?: boolean;
}

/** The per-state deviations after a position (see the module comment). */
export interface MessageState {
  /** V_t(i) − common (max-sum deviations, ≤ 0). */
  readonly v: Float64Array;
  /** log h̃_t(i) − common (≤ 0, max 0). */
  readonly l: Float64Array;
  /** The same object for positions that share their deviations (a periodic regime's phases). */
  readonly key?: object;
}

/**
 * The tilted transition probabilities out of one position: q(j | i) = P(j | i)·e^{−s·ρ(i, j)}·
 * h̃(j)/Σ, from the deviations `next` of the following position (per active transition, into
 * `out`; their logs into `outLog` when given). With `start`, the first position's law instead
 * (per start entry). The residual form of the recursion, so exact for any s.
 */
export function tiltedRows(
  ac: ActiveChain,
  s: number,
  next: MessageState,
  out: Float64Array,
  outLog?: Float64Array,
  start = false,
): void {
  const rows = start ? 1 : ac.K;
  const col = start ? ac.startCol : ac.col;
  const logP = start ? ac.startLogProb : ac.logProb;
  const w = start ? ac.startW : ac.w;
  const { v, l } = next;
  let vmax = 0;
  for (let i = 0; i < v.length; i++) vmax = Math.max(vmax, -v[i]);
  const tol = 1e-13 * (ac.scale + vmax);
  chargeWork(col.length);
  for (let i = 0; i < rows; i++) {
    const e0 = start ? 0 : ac.rowStart[i];
    const e1 = start ? col.length : ac.rowStart[i + 1];
    let best = Number.NEGATIVE_INFINITY;
    for (let e = e0; e < e1; e++) {
      const a = w[e] + v[col[e]];
      if (a > best) best = a;
    }
    let xmax = Number.NEGATIVE_INFINITY;
    for (let e = e0; e < e1; e++) {
      const j = col[e];
      let r = best - (w[e] + v[j]);
      if (r <= tol) r = 0;
      const x = logP[e] - (r === 0 ? 0 : s * r) + l[j];
      out[e] = x;
      if (x > xmax) xmax = x;
    }
    let sum = 0;
    for (let e = e0; e < e1; e++) sum += Math.exp(out[e] - xmax);
    const lam = xmax + Math.log(sum);
    for (let e = e0; e < e1; e++) {
      const lx = out[e] - lam;
      if (outLog) outLog[e] = lx;
      out[e] = Math.exp(lx);
    }
  }
}

export interface PassResult {
  readonly n: number;
  readonly s: number;
  /** max R over sequences with positive probability (in the chain's orientation). */
  readonly rMax: number;
  /** log Σ_y p(y)·e^{−s·(R* − R(y))} ≤ 0: A_n(s) = s·R* + this (for finite s). */
  readonly logResidual: number;
  /** κ₁ … κ_order of R under φ_s (κ₁ = E R). */
  readonly cumulants: Float64Array;
  /** KL(φ_s ‖ p). */
  readonly kl: number;
  /** E_φ[R* − R] ≥ 0 (the reward gap to the best sequence). */
  readonly gap: number;
  /** Position at which the periodic regime was detected (0: never), and its lag. */
  readonly settledAt: number;
  readonly lag: number;
  /** With `record`: the deviations at position t (1..n). */
  readonly stateAt?: (t: number) => MessageState;
  /**
   * With `record`, when the regime was periodic: positions [periodicFrom, periodicTo] whose
   * states repeat with the lag (the transitions out of t use the state of t + 1).
   */
  readonly periodicFrom?: number;
  readonly periodicTo?: number;
}

/** The increments per position once the recursion is periodic (n = ∞: Perron mode). */
export interface PeriodicRegime {
  readonly s: number;
  readonly lag: number;
  /** log ρ(s) of the tilted matrix (per position, averaged over the lag). */
  readonly logRho: number;
  /** Λ′(s) … Λ⁽ᵒʳᵈᵉʳ⁾(s), per position. */
  readonly derivatives: Float64Array;
  /** The per-position KL rate λΛ′ − Λ of the stationary tilted chain. */
  readonly klRate: number;
  /** The largest mean reward per position over the chain's cycles (growth of the max-sum V). */
  readonly maxRate: number;
  /** x_max − Λ′(s) ≥ 0: the expected residual per position (computed directly). */
  readonly gapRate: number;
  /** Λ(s) − s·x_max ≤ 0 (the residual messages' growth, log ρ of the residual matrix). */
  readonly residualRate: number;
  /** The deviations at the lag's positions (right Perron vector: h̃·e^{s·V}). */
  readonly states: MessageState[];
  /** Commons (s·ΔV + Δlog h̃) per position over the lag, oldest first: to rebuild the vector. */
  readonly stepLogGrowth: Float64Array;
}

/** Largest number of positions iterated looking for the periodic regime (n = ∞). */
const MAX_PERRON_STEPS = 1_000_000;

const FACTORIAL = [1, 1, 2, 6, 24, 120, 720, 5040, 40320];

/**
 * Steps before the affine regime is looked for: it is the regime of chains whose classes drift
 * apart, which settle late anyway, and comparing second differences from the first step cost an
 * eighth of a sparse chain's pass.
 */
const AFFINE_AFTER = 64;

/** Doubles per state in the fast path's packed state (six used; eight keep a state in one line). */
const PACK = 8;

/**
 * One backward pass (module comment) of length n ≥ 1 at tilt s ∈ [0, ∞] on the active chain.
 * Throws CoreFailure('work-budget-exceeded') through chargeWork.
 */
export function backwardPass(ac: ActiveChain, n: number, s: number, options: PassOptions): PassResult {
  const run = new Recursion(
    ac,
    s,
    options.order,
    options.record === true,
    options.gap !== false,
    options.careful === true,
  );
  try {
    return run.finish(n, run.runTo(n));
  } finally {
    run.release();
  }
}

/**
 * The buffers of a pass (per transition, per state, the ring of recent states), kept per chain
 * and cumulant order for the next pass: a frontier or a λ solve runs hundreds of passes, and
 * allocating them anew each time cost a tenth of the time, in the garbage collector. A pass takes
 * them while it runs (a pass started meanwhile gets its own).
 */
interface Scratch {
  readonly x: Float64Array;
  readonly ex: Float64Array;
  readonly res: Float64Array;
  readonly tr: Float64Array;
  readonly aw: Float64Array;
  /** w(i, j) per target j when it depends on j only (no transition rewards), else null. */
  readonly wByTarget: Float64Array | null;
  /** The largest transition reward (≥ 0: w is centred) and the span down to the smallest. */
  readonly wTop: number;
  readonly wSpan: number;
  readonly packed: Float64Array;
  readonly col8: Int32Array;
  readonly cur: Float64Array;
  readonly nxt: Float64Array;
  /** lastV, rowBest, rowMean, rowLam, rowSres, expV, rowSum (per state). */
  readonly perState: Float64Array[];
  /** rowFilled, changedV. */
  readonly flags: Uint8Array[];
  readonly ring: Float64Array[];
  readonly ringIncr: Float64Array[];
  readonly row: RowOut;
  /** The commons' increments of a step, and the commons (compensated pairs). */
  readonly incr: Float64Array;
  readonly commons: Float64Array;
  readonly series: Float64Array;
  readonly mix: Float64Array;
  readonly logSeries: Float64Array;
  /** The lags at which the regime is looked for, and their match counters. */
  readonly lags: readonly number[];
  readonly periodicMatches: Int32Array;
  readonly affineMatches: Int32Array;
  busy: boolean;
}

function rewardRange(ac: ActiveChain): { wTop: number; wSpan: number } {
  let wTop = 0;
  let wLow = 0;
  for (let e = 0; e < ac.w.length; e++) {
    wTop = Math.max(wTop, ac.w[e]);
    wLow = Math.min(wLow, ac.w[e]);
  }
  return { wTop, wSpan: wTop - wLow };
}

/** w(i, j) per target j if every transition into j carries the same reward, else null. */
function rewardsByTarget(ac: ActiveChain): Float64Array | null {
  const out = new Float64Array(ac.K).fill(Number.NaN);
  for (let e = 0; e < ac.col.length; e++) {
    const j = ac.col[e];
    if (Number.isNaN(out[j])) out[j] = ac.w[e];
    else if (out[j] !== ac.w[e]) return null;
  }
  return out;
}

/**
 * Lags tried for the periodic regime: small ones and the chain's period times them, as far as
 * the ring of states they need fits in memory (channels·K doubles per state).
 */
function regimeLags(ac: ActiveChain, channels: number): number[] {
  const period = Math.max(1, ac.period);
  const memoryCap = Math.max(period, Math.floor(4e6 / (channels * Math.max(1, ac.K))));
  const lags = new Set<number>();
  for (const b of [1, 2, 3, 4, 6, 12]) {
    if (b <= memoryCap) lags.add(b);
    if (b * period <= memoryCap) lags.add(b * period);
  }
  return [...lags].sort((a, b) => a - b);
}

const scratchPool = new WeakMap<ActiveChain, Map<number, Scratch>>();

/**
 * Typed arrays of the given lengths (in elements of 8 bytes; `ints` of 4) cut from one buffer,
 * each start 64·(k + 1) bytes past the end of the array before. Why: the kernel reads and writes
 * several of these arrays at the same index in one loop, and where the allocator happened to
 * place two of them a multiple of 4096 bytes apart, the processor mistakes their accesses for
 * conflicting ones (4K aliasing): the same λ solve on a 1,000-state chain took 38 ms in one process
 * and 47–60 ms in the next. In one buffer the relative placement is fixed, and none of them is.
 */
function arena(
  doubles: readonly number[],
  ints: readonly number[],
): { f64: Float64Array[]; i32: Int32Array[] } {
  const slots = [...doubles, ...ints.map((n) => Math.ceil(n / 2))];
  const starts: number[] = [];
  let total = 0;
  for (let k = 0; k < slots.length; k++) {
    total += 8 * (k + 1);
    starts.push(total);
    total += slots[k];
  }
  const buffer = new ArrayBuffer(8 * total);
  return {
    f64: doubles.map((n, k) => new Float64Array(buffer, 8 * starts[k], n)),
    i32: ints.map((n, k) => new Int32Array(buffer, 8 * starts[doubles.length + k], n)),
  };
}

function acquireScratch(ac: ActiveChain, order: number): Scratch {
  let byOrder = scratchPool.get(ac);
  if (byOrder === undefined) {
    byOrder = new Map();
    scratchPool.set(ac, byOrder);
  }
  const kept = byOrder.get(order);
  if (kept !== undefined && !kept.busy) {
    kept.busy = true;
    return kept;
  }
  const nnz = Math.max(ac.col.length, ac.startCol.length);
  const lags = regimeLags(ac, order + 4);
  const m = ac.col.length;
  const K = ac.K;
  const state = (order + 4) * K;
  const {
    f64: [x, ex, res, tr, aw, packed, cur, nxt, ...perState],
    i32: [col8],
  } = arena([nnz, nnz, nnz, 4 * m, m, K * PACK, state, state, K, K, K, K, K, K, K], [m]);
  for (let e = 0; e < m; e++) col8[e] = ac.col[e] * PACK;
  const made: Scratch = {
    x,
    ex,
    res,
    tr,
    aw,
    wByTarget: rewardsByTarget(ac),
    ...rewardRange(ac),
    packed,
    col8,
    cur,
    nxt,
    perState,
    flags: [new Uint8Array(ac.K), new Uint8Array(ac.K)],
    ring: [],
    ringIncr: [],
    row: new RowOut(order),
    incr: new Float64Array(order + 4),
    commons: new Float64Array(2 * (order + 4)),
    series: new Float64Array(order + 1),
    mix: new Float64Array(order + 1),
    logSeries: new Float64Array(order + 1),
    lags,
    periodicMatches: new Int32Array(lags.length),
    affineMatches: new Int32Array(lags.length),
    busy: true,
  };
  if (kept === undefined) byOrder.set(order, made);
  return made;
}

/**
 * Iterates the recursion until it is periodic (power iteration on M_s) and returns the growth
 * per position. Errors: `numerical-failure` when it does not settle within MAX_PERRON_STEPS
 * positions (a chain that mixes extremely slowly, or one whose classes compete).
 */
export function periodicRegime(ac: ActiveChain, s: number, order: number): PeriodicRegime {
  const run = new Recursion(ac, s, order, false);
  try {
    const settled = run.runTo(Number.POSITIVE_INFINITY);
    if (!settled)
      throw new CoreFailure(
        'numerical-failure',
        `the tilted chain did not settle within ${MAX_PERRON_STEPS} positions: it mixes too slowly for its Perron root to be found`,
      );
    return run.regime();
  } finally {
    run.release();
  }
}

/** Per-row results of `rowPass` (reused, no allocation per row). */
class RowOut {
  best = 0;
  lam = 0;
  kl = 0;
  gap = 0;
  readonly jets: Float64Array;
  constructor(order: number) {
    this.jets = new Float64Array(order + 1);
  }
}

class Recursion {
  private readonly K: number;
  private readonly order: number;
  /** Current deviations: v, l, c_1..c_order, kl, gap (each K long) in one buffer. */
  private cur: Float64Array;
  private nxt: Float64Array;
  /** Commons: V, log h̃, C_1..C_order, KL, gap. */
  /**
   * Neumaier sums per channel: [sum, compensation] pairs. Not NeumaierSum objects: a double passed
   * to a method that is not inlined is boxed, and this is added to every step of every pass.
   */
  private readonly commons: Float64Array;
  /** Residuals below this are ties (sums that are equal but rounded differently); per step. */
  private tol = 0;
  /** max |V| of the current state, for `agree` (which compares it with several lags). */
  private stateVmax = 0;
  private readonly channels: number;
  /** Scratch per transition. */
  private readonly x: Float64Array;
  private readonly ex: Float64Array;
  private readonly res: Float64Array;
  /**
   * The fast path (tilts not tiny, so log-sums need no expm1). Per transition, interleaved for
   * the fused loop (`tr`): P·e^{−s·ρ}, s·ρ, ρ, w (0 when w is per target: packed) — kept per row while the max-sum deviations V of
   * the row's targets repeat. Per state (`packed`, one cache line each): e^{log h̃} and the rest
   * of the next position's state; `col8` are the transitions' targets × PACK.
   */
  private readonly tr: Float64Array;
  /**
   * The product fill (`fastRow`): P·e^{s(w − w_top)} per transition, e^{s·V} per state (or, when
   * the rewards depend on the target only, e^{s(w − w_top + V)} per state and no `aw`), and when
   * it applies.
   */
  private readonly aw: Float64Array;
  private awReady = false;
  private readonly wByTarget: Float64Array | null;
  private readonly expV: Float64Array;
  private readonly wTop: number;
  private readonly wSpan: number;
  private productFill = false;
  private readonly rowFilled: Uint8Array;
  private readonly changedV: Uint8Array;
  private readonly lastV: Float64Array;
  private readonly packed: Float64Array;
  private readonly col8: Int32Array;
  private readonly scratch: Scratch;
  /** Per row, for the fast path: its max-sum, and its mean and log-sum at the step before. */
  private readonly rowBest: Float64Array;
  private readonly rowMean: Float64Array;
  private readonly rowLam: Float64Array;
  /**
   * Per row, the fast path's sum Σ P·e^{−s·ρ}·h̃ (log h̃ of the next step is its log less the
   * reference row's), and 1/(the reference row's sum) when every row of the step was fast (else
   * NaN): `pack` then has e^{log h̃} as a product, not an exp per state, and the more accurate one
   * (two roundings, where the exp of a rounded log h̃ carries |log h̃|·ε).
   */
  private readonly rowSum: Float64Array;
  private sumScale = Number.NaN;
  private readonly withGap: boolean;
  /** max s·ρ over a row's transitions (with its factors), and max |log h̃| of the packed state. */
  private readonly rowSres: Float64Array;
  private maxAbsL = 0;
  private readonly fast: boolean;
  private readonly row: RowOut;
  private readonly series: Float64Array;
  private readonly mix: Float64Array;
  private readonly logSeries: Float64Array;
  // Periodic-regime detection: ring of recent states and their increments.
  private readonly ringSize: number;
  private readonly ring: Float64Array[];
  private readonly ringIncr: Float64Array[];
  private readonly lags: readonly number[];
  /** Consecutive matches per lag: periodic (state repeats) and affine (second differences vanish). */
  private readonly periodicMatches: Int32Array;
  private readonly affineMatches: Int32Array;
  /** Perron mode accepts only the periodic regime. */
  private periodicOnly = false;
  /** Positions computed so far (the state is that of position n − done, or 'done' steps in). */
  private done = 0;
  private settledLag = 0;
  private settledAfter = 0;
  /** The regime found: the state repeats (periodic), or grows by a fixed drift per lag (affine). */
  private settledMode: 'periodic' | 'affine' | undefined;
  private readonly recorded: Map<number, Float64Array> | undefined;
  private jumpedFrom = 0;
  private jumpedTo = 0;

  constructor(
    private readonly ac: ActiveChain,
    private readonly s: number,
    order: number,
    record: boolean,
    withGap = true,
    careful = false,
  ) {
    this.withGap = withGap;
    if (!(Number.isInteger(order) && order >= 1 && order <= MAX_JET_ORDER))
      throw new CoreFailure('invalid-argument', `cumulant order ${order} is not in 1..${MAX_JET_ORDER}`);
    if (!(s >= 0)) throw new CoreFailure('invalid-argument', `the tilt s = ${s} must be ≥ 0 here`);
    this.K = ac.K;
    this.order = order;
    this.channels = order + 4;
    const scratch = acquireScratch(ac, order);
    this.scratch = scratch;
    this.commons = scratch.commons.fill(0);
    this.cur = scratch.cur.fill(0);
    this.nxt = scratch.nxt;
    const [lastV, rowBest, rowMean, rowLam, rowSres, expV, rowSum] = scratch.perState;
    const [rowFilled, changedV] = scratch.flags;
    this.x = scratch.x;
    this.ex = scratch.ex;
    this.res = scratch.res;
    this.lastV = lastV.fill(Number.NaN);
    this.rowFilled = rowFilled.fill(0);
    this.changedV = changedV;
    this.rowBest = rowBest;
    this.rowMean = rowMean.fill(Number.NaN);
    this.rowLam = rowLam.fill(Number.NaN);
    this.rowSres = rowSres;
    this.rowSum = rowSum;
    // Below s·scale = 1e-3 the careful path keeps the KL's relative accuracy (expm1 near 0);
    // s = 0 is p itself (KL 0).
    this.fast = !careful && (s === 0 || s * ac.scale >= 1e-3);
    this.packed = scratch.packed;
    this.col8 = scratch.col8;
    this.tr = scratch.tr;
    this.aw = scratch.aw;
    this.wByTarget = scratch.wByTarget;
    this.expV = expV;
    this.wTop = scratch.wTop;
    this.wSpan = scratch.wSpan;
    this.row = scratch.row;
    this.series = scratch.series;
    this.mix = scratch.mix;
    this.logSeries = scratch.logSeries;
    this.lags = scratch.lags;
    this.ringSize = 2 * this.lags[this.lags.length - 1] + 1;
    this.ring = scratch.ring;
    this.ringIncr = scratch.ringIncr;
    this.periodicMatches = scratch.periodicMatches.fill(0);
    this.affineMatches = scratch.affineMatches.fill(0);
    this.recorded = record ? new Map() : undefined;
  }

  /** Returns the buffers to the pool (the pass's results hold none of them). */
  release(): void {
    this.scratch.busy = false;
  }

  /** Offsets of the channels in a state buffer (V first, at 0). */
  private get offL(): number {
    return this.K;
  }
  private offC(k: number): number {
    return (1 + k) * this.K; // k = 1..order
  }
  private get offKL(): number {
    return (this.order + 2) * this.K;
  }
  private get offGap(): number {
    return (this.order + 3) * this.K;
  }

  /**
   * Runs backward steps until position 1 (finite n) or until periodic (n = ∞). Returns whether
   * a regime was found (for finite n the remaining positions were then jumped over).
   */
  runTo(n: number): boolean {
    this.periodicOnly = !Number.isFinite(n);
    this.record(n);
    const incr = this.scratch.incr;
    const limit = Number.isFinite(n) ? n - 1 : MAX_PERRON_STEPS;
    while (this.done < limit) {
      this.step(incr);
      this.done++;
      const lag = this.detect(incr);
      const position = Number.isFinite(n) ? n - this.done : 0;
      this.record(position);
      if (lag > 0) {
        this.settledLag = lag;
        this.settledAfter = this.done;
        if (!Number.isFinite(n)) return true;
        this.jump(n, lag);
        // The few positions left after the jump (fewer than the lag) are computed plainly.
        while (this.done < n - 1) {
          this.step(incr);
          this.done++;
          this.record(n - this.done);
        }
        return true;
      }
    }
    return false;
  }

  private record(position: number): void {
    if (this.recorded === undefined || !Number.isFinite(position) || position < 1) return;
    this.recorded.set(position, this.cur.slice(0, 2 * this.K));
  }

  /**
   * Skips whole periods: the commons grow by the period's increment, and the state repeats
   * (periodic) or moves by its drift per period (affine: the drift of each phase, from the last
   * two periods).
   */
  private jump(n: number, lag: number): void {
    const position = n - this.done;
    const periods = Math.floor((position - 1) / lag);
    if (periods <= 0) return;
    chargeWork(this.channels * (lag + this.cur.length));
    for (let c = 0; c < this.channels; c++) {
      const inc = new NeumaierSum();
      for (let k = 0; k < lag; k++) inc.add(this.ringIncrAt(k)[c]);
      this.addCommon(c, periods * inc.value);
    }
    if (this.settledMode === 'affine') {
      const before = this.ring[(this.done - 1 - lag) % this.ringSize];
      for (let k = 0; k < this.cur.length; k++) this.cur[k] += periods * (this.cur[k] - before[k]);
    }
    this.jumpedFrom = position;
    this.sumScale = Number.NaN; // the state moved (affine): its sums are not this step's
    this.jumpedTo = position - periods * lag;
    this.done += periods * lag;
  }

  /** Increments of the k-th most recent step (k = 0: the last one). */
  private ringIncrAt(k: number): Float64Array {
    return this.ringIncr[(this.done - 1 - k) % this.ringSize];
  }

  /**
   * The state at a position (record mode), including positions inside a jump: the recorded state
   * of the same phase, moved by its drift per period in the affine regime.
   */
  stateAt(t: number): MessageState {
    const recorded = this.recorded as Map<number, Float64Array>;
    let buf = recorded.get(t);
    if (buf === undefined && t < this.jumpedFrom && t >= this.jumpedTo) {
      const lag = this.settledLag;
      const base = this.jumpedFrom;
      const phase = base + ((((t - base) % lag) + lag) % lag);
      buf = recorded.get(phase);
      if (buf !== undefined && this.settledMode === 'affine') {
        const older = recorded.get(phase + lag) as Float64Array;
        const periods = (phase - t) / lag;
        const moved = new Float64Array(buf.length);
        for (let k = 0; k < buf.length; k++) moved[k] = buf[k] + periods * (buf[k] - older[k]);
        return { v: moved.subarray(0, this.K), l: moved.subarray(this.K) };
      }
    }
    if (buf === undefined) throw new CoreFailure('internal-error', `no recorded state for position ${t}`);
    return { v: buf.subarray(0, this.K), l: buf.subarray(this.K, 2 * this.K), key: buf };
  }

  /** One backward step: the state of position t from that of t + 1; `incr` gets the commons' growth. */
  private step(incr: Float64Array): void {
    const { K, ac, row } = this;
    const cur = this.cur;
    const nxt = this.nxt;
    chargeWork(ac.col.length * (this.order + 3) + K);
    let gmax = Number.NEGATIVE_INFINITY;
    let ref = 0;
    let refLam = Number.NEGATIVE_INFINITY;
    // A row's residuals (hence e^{−s·ρ}) repeat when the max-sum deviations V of its targets do.
    const { changedV, rowFilled } = this;
    let anyChanged = false;
    let vLow = 0; // V ≤ 0: its lowest value, for the tie tolerance and the product fill
    const lastV = this.lastV;
    for (let i = 0; i < K; i++) {
      const v = cur[i];
      const changed = v !== lastV[i];
      changedV[i] = changed ? 1 : 0;
      if (changed) anyChanged = true;
      lastV[i] = v;
      if (v < vLow) vLow = v;
    }
    this.tol = 1e-13 * (ac.scale - vLow);
    if (this.fast) {
      this.pack();
      this.productFill = this.s * (this.wSpan - vLow) <= 40;
      // Rewards by target: e^{s(w(j) − w_top + V(j))} per state, and no per-transition factor.
      const wt = this.wByTarget;
      if (this.productFill && (anyChanged || this.done === 0))
        for (let j = 0; j < K; j++)
          this.expV[j] = Math.exp(this.s * (wt === null ? cur[j] : cur[j] + wt[j] - this.wTop));
    }
    const col = ac.col;
    let allFast = this.fast;
    for (let i = 0; i < K; i++) {
      const e0 = ac.rowStart[i];
      const e1 = ac.rowStart[i + 1];
      let fill = rowFilled[i] === 0;
      if (!fill && anyChanged)
        for (let e = e0; e < e1; e++)
          if (changedV[col[e]] !== 0) {
            fill = true;
            break;
          }
      if (!(this.fast && this.fastRow(i, e0, e1, fill))) {
        allFast = false;
        this.rowPass(e0, e1, ac.col, ac.prob, ac.w);
        nxt[i] = row.best;
        nxt[this.offL + i] = row.lam;
        for (let k = 1; k <= this.order; k++) nxt[this.offC(k) + i] = row.jets[k];
        nxt[this.offKL + i] = row.kl;
        nxt[this.offGap + i] = row.gap;
      }
      const best = nxt[i];
      const lam = nxt[K + i];
      if (best > gmax) gmax = best;
      if (lam > refLam) {
        refLam = lam;
        ref = i;
      }
    }
    this.sumScale = allFast ? 1 / this.rowSum[ref] : Number.NaN;
    // Split off the commons: V by its maximum, the rest by the reference state (largest h̃).
    incr[0] = gmax;
    for (let i = 0; i < K; i++) nxt[i] -= gmax;
    for (let c = 1; c < this.channels; c++) {
      const off = c * K;
      const r = nxt[off + ref];
      incr[c] = r;
      for (let i = 0; i < K; i++) nxt[off + i] -= r;
    }
    const commons = this.commons;
    for (let c = 0; c < this.channels; c++) {
      // Neumaier's compensated sum, written out (see `commons`).
      const x = incr[c];
      const sum = commons[2 * c];
      const t = sum + x;
      commons[2 * c + 1] += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      commons[2 * c] = t;
    }
    this.cur = nxt;
    this.nxt = cur;
  }

  /**
   * `rowPass` in linear space for a row of the recursion (s·scale ≥ 1e-3, or s = 0): the weights
   * y = P·e^{−s·ρ}·h̃(j) = P·e^{d} are the products of a cached per-transition factor P·e^{−s·ρ}
   * and a per-state e^{log h̃} (no exp per transition), and one fused loop forms every sum at
   * once from the next position's state, packed per state (`pack`) so a transition reads one
   * cache line:
   *  - the mean and variance of the future reward about a shift c (the row's mean of the step
   *    before, close once the recursion converges): Σq(z − c)² − (z̄ − c)² loses nothing while
   *    (z̄ − c)² ≤ Var, and the row is redone about its own mean otherwise (first steps);
   *  - the row's KL by E_q[d] − log Σ P·e^{d}, both about the row's log-sum of the step before.
   *    The difference cancels where KL is small beside the d's; the rounding bound is checked,
   *    and such rows are redone by the non-negative terms P·f(u) (math.md (2.6)).
   * The max-sum `best` of a row is kept with its factors (both change only when V does).
   * False (nothing done) when the row's sum could underflow: the careful path then runs.
   */
  private fastRow(i: number, e0: number, e1: number, fill: boolean): boolean {
    const { cur, s, packed, col8, tr, tol } = this;
    const { col, prob: P, w } = this.ac;
    if (fill) {
      let srMax = 0;
      let best = Number.NEGATIVE_INFINITY;
      for (let e = e0; e < e1; e++) {
        const a = w[e] + cur[col[e]];
        if (a > best) best = a;
      }
      // Moderate tilts: e^{−s·ρ} = e^{s(w − w_top)}·e^{s·V(j)}·e^{s(w_top − best)}, a product of
      // a per-pass, a per-state and a per-row exponential (no exp per transition and step); the
      // exponents stay within ±40, so nothing overflows and the rounding is that of e^{−s·ρ}.
      const product = this.productFill;
      const rowScale = product ? Math.exp(s * (this.wTop - best)) : 0;
      const { aw, expV, wByTarget } = this;
      if (product && wByTarget === null && !this.awReady) this.fillAw();
      const perTarget = wByTarget !== null;
      for (let e = e0; e < e1; e++) {
        const j = col[e];
        let r = best - (w[e] + cur[j]);
        if (r <= tol) r = 0;
        // s·ρ capped at 1e300 (s = ∞ rules the transition out: factor 0), so 0·(s·ρ) is 0.
        const sr = r === 0 ? 0 : Math.min(s * r, 1e300);
        if (sr > srMax) srMax = sr;
        const t = e << 2;
        tr[t] =
          r === 0 ? P[e] : product ? (perTarget ? P[e] : aw[e]) * expV[j] * rowScale : P[e] * Math.exp(-sr);
        tr[t + 1] = sr;
        tr[t + 2] = r;
        tr[t + 3] = perTarget ? 0 : w[e]; // rewards by target: in the packed state (`pack`)
      }
      this.rowBest[i] = best;
      this.rowSres[i] = srMax;
      this.rowFilled[i] = 1;
    }
    const priorMean = this.rowMean[i];
    const priorLam = this.rowLam[i];
    const b0 = col8[e0];
    const c = !Number.isNaN(priorMean) ? priorMean : tr[(e0 << 2) + 3] + packed[b0 + 2];
    const cd = !Number.isNaN(priorLam) ? priorLam : packed[b0 + 1] - tr[(e0 << 2) + 1];
    let sum = 0;
    let sz = 0;
    let szz = 0;
    let sc2 = 0;
    let skl = 0;
    let sgap = 0;
    const withGap = this.withGap;
    let sd = 0;
    if (withGap || this.wByTarget === null) {
      for (let e = e0; e < e1; e++) {
        const b = col8[e];
        const t = e << 2;
        const y = tr[t] * packed[b];
        const z = tr[t + 3] + packed[b + 2] - c;
        const dd = packed[b + 1] - tr[t + 1] - cd;
        const yz = y * z;
        sum += y;
        sz += yz;
        szz += yz * z;
        sc2 += y * packed[b + 3];
        skl += y * packed[b + 4];
        if (withGap) sgap += y * (tr[t + 2] + packed[b + 5]);
        sd += y * dd;
      }
    } else {
      // The same loop for the common case (no gap; rewards by target, so w + C₁ is packed per
      // state and tr[t + 3] is 0): one load, one add and a test fewer per transition, ~15% of it.
      for (let e = e0; e < e1; e++) {
        const b = col8[e];
        const t = e << 2;
        const y = tr[t] * packed[b];
        const z = packed[b + 2] - c;
        const dd = packed[b + 1] - tr[t + 1] - cd;
        const yz = y * z;
        sum += y;
        sz += yz;
        szz += yz * z;
        sc2 += y * packed[b + 3];
        skl += y * packed[b + 4];
        sd += y * dd;
      }
    }
    // Terms below 1e-280 would lose digits as subnormals (and 0 has no log): the careful path.
    if (!(sum > 1e-280)) return false;
    const logSum = Math.log(sum);
    const inv = 1 / sum;
    let dev = sz * inv;
    let second = szz * inv;
    let mean = c + dev;
    if (this.order === 2 && !(2 * dev * dev <= second)) {
      // The shift was far from the mean ((z̄ − c)² > Var: a first step): redone about the mean.
      dev = 0;
      second = 0;
      for (let e = e0; e < e1; e++) {
        const b = col8[e];
        const t = e << 2;
        const q = tr[t] * packed[b] * inv;
        const d = tr[t + 3] + packed[b + 2] - mean;
        dev += q * d;
        second += q * d * d;
      }
      mean += dev;
    }
    let kl = 0;
    if (s !== 0) {
      // E_q[d] − log Σ P e^{d} about cd. Its rounding: of each d − cd (inputs up to |log h̃| +
      // s·ρ + |cd|), of the q-weighted sum of those, and of the log.
      const lead = logSum - cd;
      kl = sd * inv - lead;
      const dBound = this.maxAbsL + this.rowSres[i] + Math.abs(cd);
      const err = 4e-16 * (4 + Math.abs(logSum) + 3 * dBound + Math.abs(lead));
      if (!(err <= 1e-12 * kl)) {
        kl = 0;
        for (let e = e0; e < e1; e++) {
          const b = col8[e];
          const t = e << 2;
          const pe = P[e];
          const q = tr[t] * packed[b] * inv;
          const u = packed[b + 1] - tr[t + 1] - logSum;
          if (u === Number.NEGATIVE_INFINITY) kl += pe;
          else if (u > -0.5 && u < 0.5) kl += pe * klTerm(u);
          else kl += pe + (u - 1) * q;
        }
      }
    }
    // Straight into the next state (channels V, log h̃, C₁ … C_order, KL, gap; see the offsets).
    const nxt = this.nxt;
    const K = this.K;
    const order = this.order;
    nxt[i] = this.rowBest[i];
    nxt[K + i] = logSum;
    if (order <= 2) {
      nxt[2 * K + i] = mean;
      if (order === 2) nxt[3 * K + i] = second - dev * dev + sc2 * inv;
    } else {
      // Higher cumulants by the jets of the mixture (law of total cumulance), from q per transition.
      const ex = this.ex;
      for (let e = e0; e < e1; e++) ex[e] = tr[e << 2] * packed[col8[e]] * inv;
      this.mixJets(e0, e1, col, w, mean);
      const jets = this.row.jets;
      for (let k = 1; k <= order; k++) nxt[(1 + k) * K + i] = jets[k];
    }
    nxt[(order + 2) * K + i] = kl + skl * inv;
    nxt[(order + 3) * K + i] = withGap ? sgap * inv : 0;
    this.rowMean[i] = mean;
    this.rowLam[i] = logSum;
    this.rowSum[i] = sum;
    return true;
  }

  /** P·e^{s(w − w_top)} per transition, once per pass (`fastRow`'s product fill). */
  private fillAw(): void {
    const { aw, s, wTop } = this;
    const { prob: P, w } = this.ac;
    for (let e = 0; e < P.length; e++) aw[e] = P[e] * Math.exp(s * (w[e] - wTop));
    this.awReady = true;
  }

  /**
   * The next position's state per state, for `fastRow`: e^{log h̃}, log h̃, C₁ (w(j) + C₁ when the
   * rewards depend on the target only), C₂, KL, gap.
   */
  private pack(): void {
    const { K, cur, packed } = this;
    const offC1 = this.offC(1);
    const offKL = this.offKL;
    const offGap = this.offGap;
    const two = this.order >= 2;
    const offC2 = two ? this.offC(2) : 0;
    // Rewards by target: w(j) + C₁(j) here, and 0 in the per-transition w (`fastRow`'s fill), the
    // same sum rounded once.
    const wt = this.wByTarget;
    const { rowSum, sumScale } = this;
    const ratio = !Number.isNaN(sumScale);
    let maxAbsL = 0;
    for (let j = 0; j < K; j++) {
      const b = j * PACK;
      const l = cur[K + j];
      if (-l > maxAbsL) maxAbsL = -l;
      packed[b] = ratio ? rowSum[j] * sumScale : Math.exp(l);
      packed[b + 1] = l;
      packed[b + 2] = wt === null ? cur[offC1 + j] : wt[j] + cur[offC1 + j];
      packed[b + 3] = two ? cur[offC2 + j] : 0;
      packed[b + 4] = cur[offKL + j];
      packed[b + 5] = cur[offGap + j];
    }
    this.maxAbsL = maxAbsL;
  }

  /** `tol` for the current deviations (a field, not a return value: see `commons`). */
  private updateTolerance(): void {
    let vmax = 0;
    for (let i = 0; i < this.K; i++) vmax = Math.max(vmax, -this.cur[i]);
    this.tol = 1e-13 * (this.ac.scale + vmax);
  }

  /** Adds x to channel c's common part (rare calls: the jump). */
  private addCommon(c: number, x: number): void {
    const commons = this.commons;
    const sum = commons[2 * c];
    const t = sum + x;
    commons[2 * c + 1] += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    commons[2 * c] = t;
  }

  /** Channel c's common part. */
  private common(c: number): number {
    return this.commons[2 * c] + this.commons[2 * c + 1];
  }

  /**
   * One row of the recursion (the transitions e0..e1−1 of a state, or the start), from the
   * current deviations: best (max-sum), lam (log Σ P e^{−s ρ} h̃), the future reward's mean and
   * higher cumulants (jets[1..order]), the future KL and the future gap.
   */
  private rowPass(e0: number, e1: number, col: Int32Array, P: Float64Array, w: Float64Array): void {
    const { cur, x, ex, res, row, s, K, tol } = this;
    const order = this.order;
    let best = Number.NEGATIVE_INFINITY;
    for (let e = e0; e < e1; e++) {
      const a = w[e] + cur[col[e]];
      if (a > best) best = a;
    }
    // δ_e = log h̃_{t+1}(j) − s·ρ(i, j) ≤ 0; the row's log-sum is lam = log Σ_e P_e·e^{δ_e}.
    let dmax = Number.NEGATIVE_INFINITY;
    const offL = K;
    for (let e = e0; e < e1; e++) {
      const j = col[e];
      let r = best - (w[e] + cur[j]);
      if (r <= tol) r = 0;
      res[e] = r;
      const d = cur[offL + j] - (r === 0 ? 0 : s * r);
      x[e] = d;
      if (d > dmax) dmax = d;
    }
    // Σ P e^{δ − δmax} with e^{t} − 1 kept too (expm1 for t near 0): where the sum is near 1 (small
    // tilts, messages near equal), its log is log1p of the small part, with full relative accuracy.
    let sum = 0;
    let sumM1 = 0;
    for (let e = e0; e < e1; e++) {
      const t = x[e] - dmax;
      x[e] = t;
      let y: number;
      let ym1: number;
      if (t > -0.5) {
        ym1 = Math.expm1(t);
        y = ym1 + 1;
      } else {
        y = Math.exp(t);
        ym1 = y - 1;
      }
      ex[e] = y;
      sum += P[e] * y;
      sumM1 += P[e] * ym1;
    }
    const logSum = sum > 0.5 && sum < 2 ? Math.log1p(sumM1) : Math.log(sum);
    const lam = dmax + logSum;
    const inv = 1 / sum;
    // Mean of the future reward, future KL, future gap.
    const offC1 = this.offC(1);
    const offKL = this.offKL;
    const offGap = this.offGap;
    let mean = 0;
    let klRow = 0;
    let klNext = 0;
    let gap = 0;
    for (let e = e0; e < e1; e++) {
      const pe = P[e];
      const q = pe * ex[e] * inv;
      ex[e] = q;
      const j = col[e];
      mean += q * (w[e] + cur[offC1 + j]);
      klNext += q * cur[offKL + j];
      gap += q * (res[e] + cur[offGap + j]);
      // u = log(q/P) = (δ − δmax) − log Σ: small when the tilt is small, never formed from log P.
      const u = x[e] - logSum;
      if (u === Number.NEGATIVE_INFINITY) klRow += pe;
      else if (u > -0.5 && u < 0.5) klRow += pe * klTerm(u);
      else klRow += pe + (u - 1) * q;
    }
    row.best = best;
    row.lam = lam;
    row.kl = klRow + klNext;
    row.gap = gap;
    const jets = row.jets;
    if (order === 1) {
      jets[1] = mean;
    } else if (order === 2) {
      let a1 = 0;
      let var2 = 0;
      const offC2 = this.offC(2);
      for (let e = e0; e < e1; e++) {
        const q = ex[e];
        const j = col[e];
        const d = w[e] + cur[offC1 + j] - mean;
        a1 += q * d;
        var2 += q * (cur[offC2 + j] + d * d);
      }
      jets[1] = mean + a1;
      jets[2] = var2 - a1 * a1;
    } else {
      this.mixJets(e0, e1, col, w, mean);
    }
  }

  /**
   * Cumulants of the mixture Σ_j q_j·exp(τ·a_j + Σ_{k≥2} c_k(j) τᵏ/k!) (a_j centred at the
   * mean): exp of each component's series, mixed, then log (power series, coefficients in τᵏ).
   */
  private mixJets(e0: number, e1: number, col: Int32Array, w: Float64Array, mean: number): void {
    const { cur, ex, order, series, mix, logSeries, row } = this;
    mix.fill(0);
    const g = logSeries; // reused as the component's log series g_1..g_order
    const offC1 = this.offC(1);
    for (let e = e0; e < e1; e++) {
      const q = ex[e];
      if (q === 0) continue;
      const j = col[e];
      g[1] = w[e] + cur[offC1 + j] - mean;
      for (let k = 2; k <= order; k++) g[k] = cur[this.offC(k) + j] / FACTORIAL[k];
      series[0] = 1;
      for (let k = 1; k <= order; k++) {
        let acc = 0;
        for (let r = 1; r <= k; r++) acc += r * g[r] * series[k - r];
        series[k] = acc / k;
      }
      for (let k = 1; k <= order; k++) mix[k] += q * series[k];
    }
    // log of 1 + Σ mix_k τᵏ.
    const l = logSeries;
    for (let k = 1; k <= order; k++) {
      let acc = 0;
      for (let r = 1; r < k; r++) acc += r * l[r] * mix[k - r];
      l[k] = mix[k] - acc / k;
    }
    row.jets[1] = mean + l[1];
    for (let k = 2; k <= order; k++) row.jets[k] = FACTORIAL[k] * l[k];
  }

  /**
   * Stores the state in the ring and returns a lag at which the recursion has settled, twice in a
   * row: the state repeats (periodic), or — finite n only — its second differences vanish
   * (affine: classes that do not communicate drift apart at constant rates, and the commons grow
   * by a constant increment per period). 0 while neither holds.
   */
  private detect(incr: Float64Array): number {
    let vmax = 0;
    for (let i = 0; i < this.K; i++) vmax = Math.max(vmax, Math.abs(this.cur[i]));
    this.stateVmax = vmax;
    const slot = (this.done - 1) % this.ringSize;
    if (this.ring[slot] === undefined) {
      this.ring[slot] = new Float64Array(this.cur.length);
      this.ringIncr[slot] = new Float64Array(this.channels);
    }
    this.ring[slot].set(this.cur);
    this.ringIncr[slot].set(incr);
    for (let k = 0; k < this.lags.length; k++) {
      const lag = this.lags[k];
      if (this.done <= lag) continue;
      const b = this.ring[(this.done - 1 - lag) % this.ringSize];
      if (this.agree(this.cur, b, null)) {
        if (++this.periodicMatches[k] >= 2) {
          this.settledMode = 'periodic';
          return lag;
        }
        // The state repeats at this lag, so at its multiples too: the smallest lag settles first,
        // and comparing the others (12 full comparisons near convergence) would be wasted.
        return 0;
      }
      this.periodicMatches[k] = 0;
      if (this.periodicOnly || this.done <= 2 * lag || this.done <= AFFINE_AFTER) continue;
      const c = this.ring[(this.done - 1 - 2 * lag) % this.ringSize];
      if (this.agree(this.cur, b, c) && this.incrementsRepeat(lag)) {
        if (++this.affineMatches[k] >= 2) {
          this.settledMode = 'affine';
          return lag;
        }
      } else this.affineMatches[k] = 0;
    }
    return 0;
  }

  /** The sums of the commons' increments over the last two periods of `lag` agree. */
  private incrementsRepeat(lag: number): boolean {
    for (let ch = 0; ch < this.channels; ch++) {
      let a = 0;
      let b = 0;
      let m = 0;
      for (let k = 0; k < lag; k++) {
        const x = this.ringIncrAt(k)[ch];
        const y = this.ringIncrAt(k + lag)[ch];
        a += x;
        b += y;
        m += Math.abs(x) + Math.abs(y);
      }
      if (Math.abs(a - b) > 1e-13 * m) return false;
    }
    return true;
  }

  /**
   * Whether states agree to ~1e-13 relative, channel by channel: a ≈ b (c null), or
   * a − b ≈ b − c (the second difference vanishes). The tolerance of each entry scales with the
   * magnitudes involved and a floor per channel (the reward scale for V, 1 for log h̃, scaleᵏ for
   * the k-th cumulant, the largest entry and the last increment for KL and gap).
   */
  private agree(a: Float64Array, b: Float64Array, c: Float64Array | null): boolean {
    const { K, s } = this;
    const scale = this.ac.scale;
    const TOL = 1e-13;
    // diff: a − b, or a − 2b + c; mag: |a| + |b| (+ |c|). Written out (no closures: this runs
    // every step of every pass).
    const second = c !== null;
    const cc = c ?? a;
    const vmax = this.stateVmax; // max |V| of `a` (the current state), found once per step
    // Log messages: compare s·V + log h̃ (what the transitions depend on) when s·V is moderate,
    // else V and log h̃ separately (huge tilts: the tie structure must repeat exactly).
    const joint = s * vmax <= 1e3;
    for (let i = 0; i < K; i++) {
      const va = a[i];
      const vb = b[i];
      const vc = second ? cc[i] : 0;
      const la = a[K + i];
      const lb = b[K + i];
      const lc = second ? cc[K + i] : 0;
      if (joint) {
        const sa = va === 0 ? 0 : s * va;
        const ja = sa + la;
        const jb = (vb === 0 ? 0 : s * vb) + lb;
        const jc = (vc === 0 ? 0 : s * vc) + lc;
        const d = second ? ja - 2 * jb + jc : ja - jb;
        const m = Math.abs(ja) + Math.abs(jb) + (second ? Math.abs(jc) : 0) + Math.abs(sa) + Math.abs(la);
        if (Math.abs(d) > TOL * (1 + m)) return false;
      } else {
        const dv = second ? va - 2 * vb + vc : va - vb;
        const mv = Math.abs(va) + Math.abs(vb) + (second ? Math.abs(vc) : 0);
        if (Math.abs(dv) > TOL * (scale + mv)) return false;
        const dl = second ? la - 2 * lb + lc : la - lb;
        const ml = Math.abs(la) + Math.abs(lb) + (second ? Math.abs(lc) : 0);
        if (Math.abs(dl) > TOL * (1 + ml)) return false;
      }
    }
    for (let k = 1; k <= this.order; k++) {
      const off = this.offC(k);
      const floor = scale ** k;
      for (let i = 0; i < K; i++) {
        const x = a[off + i];
        const y = b[off + i];
        const z = second ? cc[off + i] : 0;
        const d = second ? x - 2 * y + z : x - y;
        const m = Math.abs(x) + Math.abs(y) + (second ? Math.abs(z) : 0);
        if (Math.abs(d) > TOL * (floor + m)) return false;
      }
    }
    const lastIncr = this.ringIncr[(this.done - 1) % this.ringSize];
    for (let ch = this.order + 2; ch <= this.order + 3; ch++) {
      const off = ch * K;
      let top = 0;
      for (let i = 0; i < K; i++) top = Math.max(top, Math.abs(a[off + i]));
      const floor = top + Math.abs(lastIncr[ch]);
      for (let i = 0; i < K; i++) {
        const x = a[off + i];
        const y = b[off + i];
        const z = second ? cc[off + i] : 0;
        const d = second ? x - 2 * y + z : x - y;
        const m = Math.abs(x) + Math.abs(y) + (second ? Math.abs(z) : 0);
        if (Math.abs(d) > TOL * (floor + m)) return false;
      }
    }
    return true;
  }

  /** The start row and the totals (finite n). */
  finish(n: number, settled: boolean): PassResult {
    const { ac, row, s } = this;
    this.updateTolerance();
    this.rowPass(0, ac.startCol.length, ac.startCol, ac.startProb, ac.startW);
    const rMaxC = this.common(0) + row.best;
    const logResidual = this.common(1) + row.lam;
    const cumulants = new Float64Array(this.order);
    cumulants[0] = this.common(2) + row.jets[1] + n * ac.offset;
    for (let k = 2; k <= this.order; k++) cumulants[k - 1] = this.common(1 + k) + row.jets[k];
    const kl = this.common(this.order + 2) + row.kl;
    const gap = this.common(this.order + 3) + row.gap;
    return {
      n,
      s,
      rMax: rMaxC + n * ac.offset,
      logResidual: Math.min(0, logResidual),
      cumulants,
      kl: s === 0 ? 0 : Math.max(0, kl), // s = 0 is p itself, whatever the rounding of h̃ ≈ 1
      gap: this.withGap ? Math.max(0, gap) : Number.NaN,
      settledAt: settled ? n - this.settledAfter : 0,
      lag: this.settledLag,
      ...(this.recorded ? { stateAt: (t: number) => this.stateAt(t) } : {}),
      ...(this.recorded && settled && this.jumpedFrom > 0 && this.settledMode === 'periodic'
        ? { periodicFrom: 1, periodicTo: this.jumpedFrom + this.settledLag }
        : {}),
    };
  }

  /** The growth per position in the periodic regime (Perron mode). */
  regime(): PeriodicRegime {
    const lag = this.settledLag;
    const order = this.order;
    const sums = Array.from({ length: this.channels }, () => new NeumaierSum());
    const stepLogGrowth = new Float64Array(lag);
    const states: MessageState[] = [];
    for (let k = lag - 1; k >= 0; k--) {
      const inc = this.ringIncrAt(k);
      for (let c = 0; c < this.channels; c++) sums[c].add(inc[c]);
      stepLogGrowth[lag - 1 - k] = (inc[0] === 0 ? 0 : this.s * inc[0]) + inc[1];
      const buf = this.ring[(this.done - 1 - k) % this.ringSize];
      states.push({ v: buf.slice(0, this.K), l: buf.slice(this.K, 2 * this.K) });
    }
    const dV = sums[0].value / lag;
    const dL = sums[1].value / lag;
    const derivatives = new Float64Array(order);
    for (let k = 1; k <= order; k++) derivatives[k - 1] = sums[1 + k].value / lag;
    derivatives[0] += this.ac.offset;
    return {
      s: this.s,
      lag,
      logRho: (dV === 0 ? 0 : this.s * dV) + dL + this.s * this.ac.offset,
      derivatives,
      klRate: Math.max(0, sums[order + 2].value / lag),
      maxRate: dV + this.ac.offset,
      gapRate: Math.max(0, sums[order + 3].value / lag),
      residualRate: Math.min(0, dL),
      states,
      stepLogGrowth,
    };
  }
}
