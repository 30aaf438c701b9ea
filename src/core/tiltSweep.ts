/**
 * A sweep of the tilt s ↦ φ_s along a path of steps, where each step costs multiplications only.
 *
 * Why: one exp per token per evaluation dominates everything for large vocabularies (≈ 11.5 ns
 * per exp against ≈ 1.4 ns per multiply). The weights w_k ∝ p_k e^{s(v_k − c₀)} are updated by a
 * stored factor g_k = e^{h(v_k − c₀) − ρ} (one exp pass per distinct step size h), so a path of
 * many points with few distinct step sizes costs few exp passes.
 *
 * Invariant: w_k = exp(log p_k + s(v_k − c₀) − τ), with c₀ = E_p r (so B(s) = A(s) − s c₀ is
 * small near s = 0) and τ tracked as a scalar; Σ w is renormalised to ≈ 1 after every step.
 * Then B(s) = τ + log Σw, A'(s) = c₀ + Σ w (v−c₀) / Σ w and D(s) = s(A'(s) − c₀) − B(s), where
 * 0 ≤ B ≤ s(A' − c₀) (convexity), so the absolute error of D is ≈ ulp·(D + B). Near the limit
 * the complement Dmax − D = s·Σφ_k (r_max − v_k) + log1p(T/p(M)) is accumulated as well (both
 * terms ≥ 0), exactly as in logPartition.ts; the mirrored form is used when stepping down.
 *
 * Accuracy: each step multiplies every weight by an exp within about half an ulp (fastExp.ts)
 * and renormalises, so after m steps a weight carries ≈ m·ulp + s·|v − c₀|·ulp relative error
 * (≈ 1e-13 after a few hundred steps) — the same order as evaluating e^{s v} directly at the end.
 * Active range: tokens far behind the sweep are dropped for good (see `shrink`), so passes
 * touch only [lo, hi) and get cheaper as the tilt concentrates φ_s on the top (bottom) values.
 * Range: a step must satisfy |h|·(r_max − A'(s)) ≤ 600 (sweeping up) so that g and Σ w·g stay
 * finite (`maxStep`). A weight whose factor underflows to 0 had φ_k < e^{−745} after the step
 * (the new normaliser Σ w·g ≥ e^{h(A'(s) − c₀) − ρ} ≥ 1 by convexity), and since log φ_s(k) is
 * concave in s it only keeps decreasing in that direction.
 */

import { fastExp } from './fastExp.js';
import { linearMass } from './logPartition.js';
import { log1pExp } from './logspace.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { chargeWork } from './workBudget.js';

/**
 * The largest |h|·(distance from the mean to the end) a factor may use: e^{300} per factor, so
 * a step combining two factors stays below e^{600} (and K·e^{600} below the largest double).
 */
export const MAX_STEP_SPAN = 300;

/**
 * Tokens are dropped once their total weight is ≤ DROP_RELATIVE × the weight of the kept tokens
 * other than the end value (the quantity whose relative accuracy the complement Dmax − D needs).
 */
const DROP_RELATIVE = 1e-30;

/**
 * A pool of per-token buffers shared by all sweeps. Fresh 400 kB typed arrays cost more than the
 * exp pass that fills them (zeroing and page faults), and the app traces frontiers repeatedly,
 * so buffers are recycled; the pool keeps at most ~64 MB.
 */
const pool: Float64Array[] = [];
let pooledBytes = 0;
const POOL_LIMIT_BYTES = 64 * 1024 * 1024;

function acquire(size: number): Float64Array {
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i].length === size) {
      const buf = pool[i];
      pool.splice(i, 1);
      pooledBytes -= buf.byteLength;
      return buf;
    }
  }
  return new Float64Array(size);
}

function release(buf: Float64Array): void {
  if (pooledBytes + buf.byteLength > POOL_LIMIT_BYTES) return;
  pool.push(buf);
  pooledBytes += buf.byteLength;
}

export interface StepFactor {
  readonly h: number;
  readonly g: Float64Array;
  readonly rho: number;
}

export interface SweepPoint {
  readonly s: number;
  readonly logPartition: number;
  readonly mean: number;
  /** Approximate variance (raw-moment difference; for step-size predictions only). */
  readonly variance: number;
  readonly kl: number;
  /** Limit of D in the sweep's direction minus D (computed without cancellation). */
  readonly klToLimit: number;
  /** r_max − A'(s) when sweeping up, A'(s) − r_min when sweeping down. */
  readonly meanGap: number;
}

export class TiltSweep {
  private readonly w: Float64Array;
  private readonly d: Float64Array;
  /** r_max − v_k (sweeping up) or v_k − r_min (down). */
  private readonly gapTo: Float64Array;
  private readonly c0: number;
  private tau = 0;
  private s = 0;
  private sum = 1;
  private m1 = 0;
  private lastPoint: SweepPoint;
  /** Active tokens [lo, hi): those outside carry a negligible, forever-shrinking share. */
  private lo = 0;
  private hi: number;
  /** Buffers taken from the pool, returned by `dispose`. */
  private readonly owned: Float64Array[] = [];

  /**
   * Starts at s = 0 on `law` (callers sweep around λ by passing the law re-based at φ_λ).
   * `direction` +1 sweeps towards r_max, −1 towards r_min (it selects the complement used).
   */
  constructor(
    private readonly law: TokenRewardLaw,
    private readonly direction: 1 | -1,
  ) {
    const K = law.values.length;
    this.hi = K;
    const p = linearMass(law);
    this.w = acquire(K);
    this.w.set(p);
    this.owned.push(this.w);
    let mean = 0;
    for (let k = 0; k < K; k++) mean += p[k] * law.values[k];
    this.c0 = mean;
    this.d = acquire(K);
    this.owned.push(this.d);
    for (let k = 0; k < K; k++) this.d[k] = law.values[k] - mean;
    this.gapTo = acquire(K);
    this.owned.push(this.gapTo);
    for (let k = 0; k < K; k++)
      this.gapTo[k] = direction === 1 ? law.rMax - law.values[k] : law.values[k] - law.rMin;
    this.lastPoint = this.accumulate();
  }

  /**
   * Returns the sweep's buffers (weights and every factor it created) to the pool; the sweep
   * and its factors must not be used afterwards.
   */
  dispose(): void {
    for (const buf of this.owned) release(buf);
    this.owned.length = 0;
  }

  get position(): number {
    return this.s;
  }

  get current(): SweepPoint {
    return this.lastPoint;
  }

  /**
   * The largest step allowed from the current point: |h|·gap ≤ MAX_STEP_SPAN, gap = r_max − A'(s)
   * when sweeping up (A'(s) − r_min down). The factor's largest entry is e^{|h|·gap}, the weights
   * are ≤ 1 after renormalisation, and along the sweep the mean only moves towards the end, so a
   * factor created within this bound stays safe when reused later.
   */
  maxStep(): number {
    const gap = this.lastPoint.meanGap;
    return gap > 0 ? MAX_STEP_SPAN / gap : Number.POSITIVE_INFINITY;
  }

  /** Whether a single step of size h (in the sweep's direction) is within range now. */
  stepAllowed(h: number): boolean {
    return Math.abs(h) <= this.maxStep();
  }

  /** One exp pass: the factor for steps of size h (centred at the current mean). */
  factor(h: number): StepFactor {
    const d = this.d;
    const g = acquire(d.length);
    this.owned.push(g);
    const rho = h * this.m1;
    chargeWork(this.hi - this.lo);
    // Only the active range: the sweep never widens it again, so other entries are never read.
    for (let k = this.lo; k < this.hi; k++) g[k] = fastExp(h * d[k] - rho);
    return { h, g, rho };
  }

  /**
   * Advances s by the sum of the factors' steps (one or two factors) using multiplications only,
   * in one fused pass, and returns the new point.
   */
  step(f: StepFactor, second?: StepFactor): SweepPoint {
    chargeWork(this.hi - this.lo);
    const inv = 1 / this.sum;
    this.tau += f.rho + Math.log(this.sum);
    this.s += f.h;
    // The direct Σw·gap (one more array read per token) is needed only for the complement,
    // used once D passes half its limit; before that r_max − A' = (r_max − c₀) − m₁ is enough
    // (for the step bound only). Started early (D > 0.3·limit) so the complement regime is
    // normally entered with it; otherwise `point` sums it separately.
    const withGap = this.lastPoint.kl > 0.3 * this.limit();
    if (second === undefined) {
      this.lastPoint = withGap ? this.fusedPass(f.g, inv) : this.fusedPassNoGap(f.g, inv);
    } else {
      this.tau += second.rho;
      this.s += second.h;
      this.lastPoint = withGap
        ? this.fusedPass2(f.g, second.g, inv)
        : this.fusedPass2NoGap(f.g, second.g, inv);
    }
    return this.lastPoint;
  }

  /** w ← w·g·inv and the sums Σw, Σw·d, Σw·d², Σw·gap in one pass (kept monomorphic for the JIT). */
  private fusedPass(g: Float64Array, inv: number): SweepPoint {
    const { w, d, gapTo, hi } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let gap = 0;
    for (let k = this.lo; k < hi; k++) {
      const wk = w[k] * g[k] * inv;
      w[k] = wk;
      const dk = d[k];
      const wd = wk * dk;
      s0 += wk;
      s1 += wd;
      s2 += wd * dk;
      gap += wk * gapTo[k];
    }
    return this.point(s0, s1, s2, gap);
  }

  /** The limit of D in the sweep's direction. */
  private limit(): number {
    const { law } = this;
    return law.values.length === 1 ? 0 : this.direction === 1 ? -law.logMassMax : -law.logMassMin;
  }

  /** As `fusedPass` without Σw·gap (passed as NaN to `point`). */
  private fusedPassNoGap(g: Float64Array, inv: number): SweepPoint {
    const { w, d, hi } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let k = this.lo; k < hi; k++) {
      const wk = w[k] * g[k] * inv;
      w[k] = wk;
      const wd = wk * d[k];
      s0 += wk;
      s1 += wd;
      s2 += wd * d[k];
    }
    return this.point(s0, s1, s2, Number.NaN);
  }

  /** As `fusedPass2` without Σw·gap. */
  private fusedPass2NoGap(g: Float64Array, g2: Float64Array, inv: number): SweepPoint {
    const { w, d, hi } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let k = this.lo; k < hi; k++) {
      const wk = w[k] * g[k] * g2[k] * inv;
      w[k] = wk;
      const wd = wk * d[k];
      s0 += wk;
      s1 += wd;
      s2 += wd * d[k];
    }
    return this.point(s0, s1, s2, Number.NaN);
  }

  /** Σ w·gap over the active range (when a pass skipped it but the complement needs it). */
  private gapSum(): number {
    chargeWork(this.hi - this.lo);
    let gap = 0;
    for (let k = this.lo; k < this.hi; k++) gap += this.w[k] * this.gapTo[k];
    return gap;
  }

  /** As `fusedPass` with two factors (w ← w·g·g₂·inv). */
  private fusedPass2(g: Float64Array, g2: Float64Array, inv: number): SweepPoint {
    const { w, d, gapTo, hi } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let gap = 0;
    for (let k = this.lo; k < hi; k++) {
      const wk = w[k] * g[k] * g2[k] * inv;
      w[k] = wk;
      const dk = d[k];
      const wd = wk * dk;
      s0 += wk;
      s1 += wd;
      s2 += wd * dk;
      gap += wk * gapTo[k];
    }
    return this.point(s0, s1, s2, gap);
  }

  private accumulate(): SweepPoint {
    const { w, d, gapTo } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let gap = 0;
    for (let k = 0; k < w.length; k++) {
      const wk = w[k];
      s0 += wk;
      s1 += wk * d[k];
      s2 += wk * d[k] * d[k];
      gap += wk * gapTo[k];
    }
    return this.point(s0, s1, s2, gap);
  }

  private point(s0: number, s1: number, s2: number, gap: number): SweepPoint {
    const { w, law } = this;
    const K = w.length;
    const up = this.direction === 1;
    const end = up ? K - 1 : 0;
    this.sum = s0;
    const m1 = s1 / s0;
    this.m1 = m1;
    const s = this.s;
    const B = s === 0 ? 0 : this.tau + Math.log(s0);
    // Without the direct sum: the difference form, accurate to ≈ ulp·(r_max − r_min) absolute.
    let meanGap = Number.isNaN(gap)
      ? Math.max(0, up ? law.rMax - this.c0 - m1 : this.c0 + m1 - law.rMin)
      : gap / s0;
    const limit = K === 1 ? 0 : up ? -law.logMassMax : -law.logMassMin;
    const direct = s === 0 || K === 1 ? 0 : Math.max(0, s * m1 - B);
    let kl = direct;
    let klToLimit = limit - direct;
    // Below half the limit the end value need not dominate; shrink only where rest is cheap.
    if (K > 1 && direct <= limit / 2 && s0 - w[end] > 0.5 * s0) this.shrink(s0 - w[end]);
    if (K > 1 && direct > limit / 2) {
      // Complement: |s|·gap + log1p(rest / w_end), both terms ≥ 0 (gap summed directly).
      if (Number.isNaN(gap)) meanGap = this.gapSum() / s0;
      const rest = s0 - w[end] > 0.5 * s0 ? s0 - w[end] : this.restSum(end);
      this.shrink(rest);
      klToLimit = Math.abs(s) * meanGap + log1pExp(Math.log(rest) - Math.log(w[end]));
      kl = limit - klToLimit;
    }
    return {
      s,
      logPartition: s * this.c0 + B,
      mean: this.c0 + m1,
      variance: Math.max(0, s2 / s0 - m1 * m1),
      kl: Math.max(0, kl),
      klToLimit: Math.max(0, klToLimit),
      meanGap,
    };
  }

  private restSum(end: number): number {
    chargeWork(this.hi - this.lo);
    let rest = 0;
    for (let k = this.lo; k < this.hi; k++) if (k !== end) rest += this.w[k];
    return rest;
  }

  /**
   * Drops the tokens at the far end of the active range (lowest values sweeping up, highest
   * down) whose total weight is ≤ DROP_RELATIVE·rest, rest = Σ of the kept weights off the end
   * value; at least one value besides the end is always kept. Why this is exact for the rest of
   * the sweep: every dropped value lies beyond every kept one, so each ratio φ_s(j)/φ_s(i) =
   * (p_j/p_i)·e^{s(v_j − v_i)} only shrinks as s moves on; the dropped share of every sum
   * (Σw, Σw·d, Σw·gap, rest) stays ≤ 1e-30 relative — gap weights included, as long as the
   * spread of the gaps is below 1e14 — far below rounding. Costs one read per dropped token.
   */
  private shrink(rest: number): void {
    const { w } = this;
    const budget = DROP_RELATIVE * rest;
    let dropped = 0;
    if (this.direction === 1) {
      const stop = w.length - 2;
      while (this.lo < stop && dropped + w[this.lo] <= budget) dropped += w[this.lo++];
    } else {
      while (this.hi > 2 && dropped + w[this.hi - 1] <= budget) dropped += w[--this.hi];
    }
  }
}
