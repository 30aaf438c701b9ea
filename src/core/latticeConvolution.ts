/**
 * Exact n-fold convolution of a lattice law, with an extended exponent per lattice point.
 *
 * math.md §6: for per-token rewards a + h·d_k (d_k ≥ 0 integers, d_0 = 0 after shifting) with
 * masses p_k, the law of R = Σ_i r(y_i) after m tokens is w⁽ᵐ⁾ on the points 0..m·D with
 *   w⁽ᵐ⁾_i = Σ_k p_k w⁽ᵐ⁻¹⁾_{i−d_k}.
 * Masses fall far below the smallest double (n = 1000, p = 1/11 gives e^{−2398} at the edge),
 * so every point stores its own scale: w_i = v_i · 2^{−E·e_i} with an integer e_i and a mantissa
 * v_i ∈ [2^{−E}, 2) (or v_i = 0 for unreachable points), E = 200.
 *
 * Why this is exact to ≈ m·K·ulp: every update is a sum of non-negative products, so the
 * relative rounding error of one step is at most (K + 1) ulp and the errors of all steps add;
 * nothing is subtracted, so there is no cancellation anywhere. Terms are aligned to the largest
 * scale among them by the factors 1, 2^{−E}, 2^{−2E}; terms three or more scales below the largest
 * are dropped — each is < 2^{−3E} while the largest is ≥ 2^{−2E} (mantissa times kernel mantissa),
 * a relative change below K·2^{−200}. Kernel masses below 2^{−E} carry their own scale the same
 * way, so p_k down to 1e-300 are exact.
 *
 * Speed: where the D + 1 neighbours of a point share one scale (most points: the scale changes
 * once per ≈ 140/|slope of log w| points), the update is the plain linear-space sum
 * Σ_k p_k v_{i−d_k}, as fast as an ordinary convolution; only points near a change of scale take
 * the aligned path. Cost: K multiply-adds per point and step, Σ_m (m·D + 1)·K in total.
 *
 * `keepTop` restricts step m to the points [m·D − keepTop, m·D]: exact as well, because point i
 * of step m only needs points ≥ i − D of step m − 1 (best-of-N with huge N needs only the top).
 *
 * Range of the scales. A tilted law at huge λ has masses such as e^{−1e40} (log mass −1e40), and
 * after m steps a point may hold e^{−m·1e40}. Scales are therefore doubles, not 32-bit integers:
 * they are exact integers up to 2^53 (masses down to e^{−1.2e18}), and beyond that they are still
 * integers, rounded to a few ulp relative — the log of the mass keeps its relative accuracy,
 * which is all a log mass of −1e40 carries anyway (its own ulp is ≈ 2e24). A kernel mass whose
 * log is −∞ (it underflowed even in log space) is exactly 0 and is left out of the kernel.
 * (Int32 scales used to wrap around at 2^31, and a kernel mantissa computed from a wrapped
 * scale was e^{±1e24} = ∞/0: the normalisation loop `while (s ≥ 2) s ·= 2^{−E}` then never ended
 * for s = ∞ — the hang of `rate(m, lambda = 1e40, …)`.)
 *
 * Work: every step reports its multiply-adds to the work budget (workBudget.ts).
 */

import { CoreFailure } from './result.js';
import { chargeWork } from './workBudget.js';

const E = 200;
const SMALL = 2 ** -E;
const SCALE_UP = 2 ** E;
const ALIGN = [1, 2 ** -E, 2 ** (-2 * E)];
/** The scale of a point with no terms (larger than every real scale). */
const NO_TERMS = Number.POSITIVE_INFINITY;
/** Points per block in the fast-path test. */
const BLOCK = 32;
/**
 * Second result of `alignedSum` (avoids allocating a pair per point). A typed-array slot, not a
 * `let`: a double kept in a module variable is boxed, one allocation per point.
 */
const alignedValue = new Float64Array(1);
// ln 2 split so that (E·e)·LN2_HI is exact for |E·e| < 2^21 (fdlibm's split).
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;

export class LatticeConvolver {
  /** Number of convolution steps done (tokens so far). */
  steps = 0;
  /** Points [lo, hi] of the current step hold valid data. */
  lo = 0;
  hi = 0;
  readonly maxOffset: number;
  private readonly maxSteps: number;
  private readonly offsets: Int32Array;
  private readonly kernelMantissa: Float64Array;
  private readonly kernelScale: Float64Array;
  /** True when every kernel mass is ≥ 2^{−E} (the same-scale fast path is then exact). */
  private readonly plainKernel: boolean;
  /** log p of the largest and of the zero offset (−∞ when 0 is not an offset): see `logMassAt`. */
  private readonly topLogMass: number;
  private readonly bottomLogMass: number;
  private v: Float64Array;
  /** Scales (integers held in doubles: see the module comment). */
  private e: Float64Array;
  private run: Int32Array;
  private nv: Float64Array;
  private ne: Float64Array;
  private nrun: Int32Array;
  /** Scratch: one block's neighbours copied onto a common scale. */
  private readonly aligned: Float64Array;

  /**
   * @param offsets distinct non-negative lattice offsets d_k (any order, one must be 0)
   * @param logMass log p_k (normalised), aligned with offsets
   * @param maxSteps the largest number of steps that will be taken (sizes the buffers)
   * @param keepTop keep only the top keepTop + 1 points of every step (Infinity: all)
   */
  constructor(
    offsets: ArrayLike<number>,
    logMass: ArrayLike<number>,
    maxSteps: number,
    private readonly keepTop = Number.POSITIVE_INFINITY,
  ) {
    // Entries with log mass −∞ have mass exactly 0: they are left out (a zero term would still
    // take part in choosing a point's largest scale).
    const kept: number[] = [];
    for (let k = 0; k < offsets.length; k++) {
      const lm = logMass[k];
      if (Number.isNaN(lm) || lm > 1e-9) {
        throw new CoreFailure('numerical-failure', `lattice kernel: log mass ${lm} is not a log-probability`);
      }
      if (lm !== Number.NEGATIVE_INFINITY) kept.push(k);
    }
    if (kept.length === 0) throw new CoreFailure('numerical-failure', 'lattice kernel: every mass is 0');
    const K = kept.length;
    this.offsets = new Int32Array(K);
    this.kernelMantissa = new Float64Array(K);
    this.kernelScale = new Float64Array(K);
    let D = 0;
    let plain = true;
    let top = Number.NEGATIVE_INFINITY;
    let bottom = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < K; t++) {
      const k = kept[t];
      this.offsets[t] = offsets[k];
      if (this.offsets[t] >= D) {
        D = this.offsets[t];
        top = logMass[k];
      }
      if (this.offsets[t] === 0) bottom = logMass[k];
      // p_k = mantissa · 2^{−E·scale}, mantissa ∈ (2^{−E}, 1].
      const scale = Math.max(0, Math.floor(-logMass[k] / (E * Math.LN2)));
      this.kernelScale[t] = scale;
      // The exponent is in [−E ln 2, 0] up to rounding; for |log p| beyond ≈ 2^21 the product
      // E·scale·ln 2 is itself rounded (by up to ulp(log p), the precision of log p itself), and
      // for |log p| ≈ 1e40 the rounding exceeds the whole interval (e^{±1e24}): clamp into it.
      const r = logMass[k] + E * scale * LN2_HI + E * scale * LN2_LO;
      this.kernelMantissa[t] = Math.exp(r > 1 ? 0 : r < -E * Math.LN2 - 1 ? -E * Math.LN2 : r);
      if (scale > 0) plain = false;
    }
    this.plainKernel = plain;
    this.topLogMass = top;
    this.bottomLogMass = bottom;
    this.maxOffset = D;
    this.maxSteps = maxSteps;
    // A step's window has at most min(m·D, keepTop) + 1 points; the buffers are circular.
    // They are views of two allocations, not seven: each typed array beyond 64 bytes lives
    // outside the JS heap, and with V8's concurrent GC one costs microseconds to create.
    const size = Math.min(maxSteps * D, keepTop) + 1;
    const doubles = new Float64Array(4 * size + BLOCK + D);
    const ints = new Int32Array(2 * size);
    this.v = doubles.subarray(0, size);
    this.nv = doubles.subarray(size, 2 * size);
    this.e = doubles.subarray(2 * size, 3 * size);
    this.ne = doubles.subarray(3 * size, 4 * size);
    this.aligned = doubles.subarray(4 * size);
    this.run = ints.subarray(0, size);
    this.nrun = ints.subarray(size);
    this.v[0] = 1;
  }

  /** Advances one token: w⁽ᵐ⁾ = w⁽ᵐ⁻¹⁾ * p. */
  step(): void {
    if (this.steps >= this.maxSteps)
      throw new RangeError(`LatticeConvolver: more than ${this.maxSteps} steps`);
    const D = this.maxOffset;
    const offsets = this.offsets;
    const pm = this.kernelMantissa;
    const { v, e, run, nv, ne, nrun } = this;
    // Buffers are indexed relative to the window's first point: slot = point − lo.
    const prevLo = this.lo;
    const prevHi = this.hi;
    const hi = prevHi + D;
    const lo = Math.max(0, hi - this.keepTop);
    chargeWork((hi - lo + 1) * offsets.length);
    const plain = this.plainKernel;
    let prevScale = 0;
    let runStart = lo;
    for (let i = lo; i <= hi; ) {
      // Blocks stop at prevLo + D − 1 and at prevHi, so that only the D points at each edge of
      // the window (whose neighbours leave the previous window) miss the fast path below.
      let blockEnd = Math.min(hi, i + BLOCK - 1);
      if (i < prevLo + D) blockEnd = Math.min(blockEnd, prevLo + D - 1);
      else if (i <= prevHi) blockEnd = Math.min(blockEnd, prevHi);
      // Fast block: every neighbour i − D .. blockEnd lies in the previous window. If they share
      // one scale the outputs are plain sums Σ_k p_k v_{i−d_k}; if their scales differ by at most
      // 2, the neighbours are first copied onto the largest scale (factors 1, 2^{−E}, 2^{−2E}, all
      // products stay normal doubles, nothing is dropped) and the same plain sum runs on the copy.
      let source: Float64Array | null = null;
      let origin = 0;
      let sc = 0;
      if (plain && i - D >= prevLo && blockEnd <= prevHi) {
        if (run[blockEnd - prevLo] <= i - D) {
          source = v;
          origin = prevLo;
          sc = e[blockEnd - prevLo];
        } else {
          let minScale = NO_TERMS;
          let maxScale = -NO_TERMS;
          for (let j = i - D - prevLo; j <= blockEnd - prevLo; j++) {
            if (v[j] === 0) continue;
            if (e[j] < minScale) minScale = e[j];
            if (e[j] > maxScale) maxScale = e[j];
          }
          if (maxScale - minScale <= 2) {
            const tmp = this.aligned;
            for (let j = i - D; j <= blockEnd; j++) {
              const sj = j - prevLo;
              tmp[j - (i - D)] = v[sj] === 0 ? 0 : v[sj] * ALIGN[e[sj] - minScale];
            }
            source = tmp;
            origin = i - D;
            sc = minScale;
          }
        }
      }
      if (source !== null) {
        // The sums go straight to the new buffer; only those outside [2^{−E}, 2) (or 0) are
        // rescaled in place. (runStart starts at lo, so the window's first point opens a run.)
        blockSums(source, i - origin, blockEnd - i + 1, offsets, pm, nv, i - lo);
        if (allMantissas(nv, i - lo, blockEnd - lo)) {
          // The common case: every sum keeps the block's scale, so the block continues the run
          // (or starts one) as a whole, without a test per point.
          if (sc !== prevScale) runStart = i;
          for (let q = i - lo; q <= blockEnd - lo; q++) {
            ne[q] = sc;
            nrun[q] = runStart;
          }
          prevScale = sc;
        } else {
          for (let q = i - lo; q <= blockEnd - lo; q++) {
            let s = nv[q];
            let scale = sc;
            if (!(s >= SMALL && s < 2)) {
              if (s === 0) scale = prevScale;
              else {
                while (s < SMALL) {
                  s *= SCALE_UP;
                  scale++;
                }
                while (s >= 2) {
                  s *= SMALL;
                  scale--;
                }
                nv[q] = s;
              }
            }
            if (scale !== prevScale) runStart = q + lo;
            ne[q] = scale;
            nrun[q] = runStart;
            prevScale = scale;
          }
        }
      } else {
        for (let q = i; q <= blockEnd; q++) {
          let s = 0;
          let scale = this.alignedSum(q, prevLo, prevHi);
          if (scale === NO_TERMS) scale = prevScale;
          else s = alignedValue[0];
          if (s === 0) scale = prevScale;
          else {
            while (s < SMALL) {
              s *= SCALE_UP;
              scale++;
            }
            while (s >= 2) {
              s *= SMALL;
              scale--;
            }
          }
          if (scale !== prevScale || q === lo) runStart = q;
          nv[q - lo] = s;
          ne[q - lo] = scale;
          nrun[q - lo] = runStart;
          prevScale = scale;
        }
      }
      i = blockEnd + 1;
    }
    this.v = nv;
    this.e = ne;
    this.run = nrun;
    this.nv = v;
    this.ne = e;
    this.nrun = run;
    this.lo = lo;
    this.hi = hi;
    this.steps++;
  }

  /**
   * Σ_k p_k w_{i−d_k} with every term aligned to the largest scale among them; the mantissa is
   * left in `alignedValue` and the scale is returned (NO_TERMS when every term is 0).
   */
  private alignedSum(i: number, prevLo: number, prevHi: number): number {
    const K = this.offsets.length;
    const { offsets, v, e } = this;
    const ps = this.kernelScale;
    const pm = this.kernelMantissa;
    let best = NO_TERMS;
    for (let k = 0; k < K; k++) {
      const j = i - offsets[k];
      if (j < prevLo || j > prevHi) continue;
      const sj = j - prevLo;
      if (v[sj] !== 0 && e[sj] + ps[k] < best) best = e[sj] + ps[k];
    }
    let s = 0;
    if (best !== NO_TERMS) {
      for (let k = 0; k < K; k++) {
        const j = i - offsets[k];
        if (j < prevLo || j > prevHi) continue;
        const sj = j - prevLo;
        const gap = e[sj] + ps[k] - best;
        if (v[sj] !== 0 && gap < 3) s += pm[k] * v[sj] * ALIGN[gap];
      }
    }
    alignedValue[0] = s;
    return best;
  }

  /**
   * log w_i for a point i ∈ [lo, hi] of the current step (−∞ when unreachable).
   * The two end points have a closed form: only the all-top (all-zero-offset) sequence reaches
   * m·D (0), so w = p_top^m (p_0^m) and log w = m·log p — exact to an ulp of log w. The stored
   * mantissa of a mass near 1 (a nearly deterministic law: w = (1 − 3e-12)²) only knows log w to
   * an ulp of 1 (1e-16 absolute, 2e-5 relative to log w = −6e-12), and best-of-N reads exactly
   * that quantity: KL(BoN‖pⁿ) = −log w_top when N is large and the top dominates.
   */
  logMassAt(i: number): number {
    const si = i - this.lo;
    const v = this.v[si];
    if (v === 0) return Number.NEGATIVE_INFINITY;
    if (this.steps > 0) {
      if (i === this.hi) return this.steps * this.topLogMass;
      if (i === 0 && this.bottomLogMass !== Number.NEGATIVE_INFINITY) return this.steps * this.bottomLogMass;
    }
    const k = E * this.e[si];
    return Math.log(v) - k * LN2_HI - k * LN2_LO;
  }

  /** log w_i for every point of [lo, hi] (index 0 = point lo). */
  logMasses(): Float64Array {
    const out = new Float64Array(this.hi - this.lo + 1);
    for (let i = this.lo; i <= this.hi; i++) out[i - this.lo] = this.logMassAt(i);
    return out;
  }
}

/** Whether every sum in xs[from..to] is a mantissa already: in [2^{−E}, 2) (so not 0). */
function allMantissas(xs: Float64Array, from: number, to: number): boolean {
  for (let q = from; q <= to; q++) {
    const s = xs[q];
    if (!(s >= SMALL && s < 2)) return false;
  }
  return true;
}

/**
 * The fast path's plain sums out[at + t] = Σ_k p_k·source[base + t − d_k], t < width, each summed
 * in the order k = 0..K−1 (so every point gets the same double as a point-by-point loop would).
 * Four points at a time in registers: each kernel entry is loaded once per four points and no
 * partial sum goes through memory — about half the loads and stores of a sweep per kernel entry
 * over the block, which is what a convolution step spends its time on.
 */
function blockSums(
  source: Float64Array,
  base: number,
  width: number,
  offsets: Int32Array,
  pm: Float64Array,
  out: Float64Array,
  at: number,
): void {
  const K = offsets.length;
  const p0 = pm[0];
  const o0 = base - offsets[0];
  let t = 0;
  for (; t + 3 < width; t += 4) {
    let s0 = p0 * source[o0 + t];
    let s1 = p0 * source[o0 + t + 1];
    let s2 = p0 * source[o0 + t + 2];
    let s3 = p0 * source[o0 + t + 3];
    for (let k = 1; k < K; k++) {
      const pk = pm[k];
      const ok = base - offsets[k] + t;
      s0 += pk * source[ok];
      s1 += pk * source[ok + 1];
      s2 += pk * source[ok + 2];
      s3 += pk * source[ok + 3];
    }
    out[at + t] = s0;
    out[at + t + 1] = s1;
    out[at + t + 2] = s2;
    out[at + t + 3] = s3;
  }
  for (; t < width; t++) {
    let s0 = p0 * source[o0 + t];
    for (let k = 1; k < K; k++) s0 += pm[k] * source[base - offsets[k] + t];
    out[at + t] = s0;
  }
}
