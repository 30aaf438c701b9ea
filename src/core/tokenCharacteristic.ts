/**
 * The characteristic function of one token's reward under a tilted law, with rigorous error bounds
 * (math-continuous.md §3, §4), for the Fourier inversion of the law of R (fourierLaw.ts).
 *
 * For a tilt s the token law is q_s(k) = p_k e^{s v_k − A(s)}; centred at c = A'(s), its
 * characteristic function is ϕ_s(ω) = Σ_k q_s(k) e^{iω y_k}, y_k = v_k − c. Two evaluators:
 *
 *  - `LowFrequencyCF` (|ω| ≤ ω_max, any number of points): the values are grouped into bins of
 *    width w = 1/ω_max with centres c_b, and e^{iω y} = e^{iω c_b}·Σ_{m ≤ 18} (iω(y − c_b))^m/m!,
 *    so one point costs (bins × 19) operations instead of one complex exponential per value. The
 *    omitted terms are below (|ω|w/2)^19/19!·e^{|ω|w/2} ≤ 2.6e-23 per unit mass.
 *  - `certifyCF` (a long range [t_a, t_b] at spacing δ): an upper bound on |ϕ_s| over every cell
 *    [t_a + jδ, t_a + (j+1)δ], from a type-1 non-uniform FFT by Gaussian gridding (Greengard & Lee,
 *    SIAM Review 46(3), 2004) with explicit aliasing and truncation bounds, plus the Lipschitz
 *    bound ||ϕ(t)| − |ϕ(t')|| ≤ |t − t'|·Σ q|y|. It costs one FFT of twice the number of cells, not
 *    one exponential per value and point (50,257 values × 10⁶ points would take minutes).
 */
import { fftErrorBound, fftInverse, nextPowerOfTwo } from './fft.js';
import { evaluateTilt, tiltedLogMassUnchecked } from './logPartition.js';
import { NeumaierSum } from './logspace.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import { chargeWork } from './workBudget.js';

const U = 2 ** -53;

/** A token law tilted by s and centred at its mean, in linear masses. */
export interface CentredTokenLaw {
  readonly s: number;
  /** A(s), the log-partition function at s. */
  readonly logPartition: number;
  /** c = A'(s): the values are y_k = v_k − c. */
  readonly centre: number;
  /** A''(s): the variance of one token's reward under q_s. */
  readonly variance: number;
  /** y_k = v_k − c, ascending. */
  readonly y: Float64Array;
  /** q_s(k) (Σ = 1 up to rounding). */
  readonly q: Float64Array;
  /** Σ q_s(k) as summed (the W of the bounds). */
  readonly mass: number;
  /** Σ q_s(k)|y_k|: the Lipschitz constant of ω ↦ ϕ_s(ω). */
  readonly absMoment: number;
}

export function centredTokenLaw(law: TokenRewardLaw, s: number): CentredTokenLaw {
  const K = law.values.length;
  chargeWork(4 * K);
  const st = evaluateTilt(law, s, 2).stats;
  const logq = tiltedLogMassUnchecked(law, s);
  const y = new Float64Array(K);
  const q = new Float64Array(K);
  const mass = new NeumaierSum();
  const abs = new NeumaierSum();
  for (let k = 0; k < K; k++) {
    y[k] = law.values[k] - st.mean;
    q[k] = Math.exp(logq[k]);
    mass.add(q[k]);
    abs.add(q[k] * Math.abs(y[k]));
  }
  return {
    s,
    logPartition: st.logPartition,
    centre: st.mean,
    variance: st.variance,
    y,
    q,
    mass: mass.value,
    absMoment: abs.value * (1 + 4 * U),
  };
}

/** Taylor terms 0..ORDER per bin. */
const ORDER = 18;

/** A value of ϕ_s with a bound on its absolute error. */
export interface CFValue {
  re: number;
  im: number;
  err: number;
}

/**
 * ϕ_s(ω) for |ω| ≤ ω_max by binned Taylor series (see the module comment). The per-bin moments
 * μ_{b,m} = Σ_{k∈b} q_k (y_k − c_b)^m / m! are computed once.
 */
export class LowFrequencyCF {
  readonly omegaMax: number;
  private readonly centres: Float64Array;
  /** moments[b·(ORDER+1) + m]. */
  private readonly moments: Float64Array;
  private readonly binMass: Float64Array;
  private readonly half: number;
  private readonly mass: number;

  constructor(law: CentredTokenLaw, omegaMax: number) {
    this.omegaMax = omegaMax;
    const { y, q } = law;
    const K = y.length;
    const w = 1 / omegaMax;
    this.half = w / 2;
    this.mass = law.mass;
    const y0 = y[0];
    const bins = Math.max(1, Math.floor((y[K - 1] - y0) / w) + 1);
    chargeWork(K * (ORDER + 1) + bins);
    this.centres = new Float64Array(bins);
    for (let b = 0; b < bins; b++) this.centres[b] = y0 + (b + 0.5) * w;
    this.moments = new Float64Array(bins * (ORDER + 1));
    this.binMass = new Float64Array(bins);
    const sums: NeumaierSum[] = [];
    for (let m = 0; m <= ORDER; m++) sums.push(new NeumaierSum());
    let current = 0;
    const flush = (b: number) => {
      for (let m = 0; m <= ORDER; m++) {
        this.moments[b * (ORDER + 1) + m] = sums[m].value;
        sums[m] = new NeumaierSum();
      }
    };
    for (let k = 0; k < K; k++) {
      const b = Math.min(bins - 1, Math.floor((y[k] - y0) / w));
      if (b !== current) {
        flush(current);
        current = b;
      }
      const d = y[k] - this.centres[b];
      let term = q[k];
      this.binMass[b] += q[k];
      for (let m = 0; m <= ORDER; m++) {
        sums[m].add(term);
        term *= d / (m + 1);
      }
    }
    flush(current);
  }

  /**
   * ϕ_s(ω), |ω| ≤ ω_max. The error bound covers the omitted Taylor terms, the rounding of the
   * moments (≤ (m + 6)u relative per term, compensated sums) and of the evaluation (Horner in ω²,
   * ≤ 2(ORDER + 4)u relative per term, and the bin phases, ≤ 4u): in all
   * ≤ (3·ORDER + 40)u·e^{|ω|w/2}·Σq, plus the Taylor remainder.
   */
  at(omega: number, out: CFValue): CFValue {
    const a = Math.abs(omega);
    if (a > this.omegaMax * (1 + 1e-12)) throw new Error(`ω = ${omega} beyond ω_max = ${this.omegaMax}`);
    const bins = this.centres.length;
    const w2 = omega * omega;
    let re = 0;
    let im = 0;
    for (let b = 0; b < bins; b++) {
      if (this.binMass[b] === 0) continue;
      const base = b * (ORDER + 1);
      // P(iω) = Σ μ_m (iω)^m = (μ0 − μ2ω² + μ4ω⁴ …) + i ω (μ1 − μ3ω² + …).
      let even = 0;
      let odd = 0;
      for (let m = ORDER - (ORDER % 2); m >= 0; m -= 2) even = even * -w2 + this.moments[base + m];
      for (let m = ORDER - 1 + (ORDER % 2); m >= 1; m -= 2) odd = odd * -w2 + this.moments[base + m];
      odd *= omega;
      const phase = omega * this.centres[b];
      const c = Math.cos(phase);
      const s = Math.sin(phase);
      re += c * even - s * odd;
      im += c * odd + s * even;
    }
    const x = a * this.half;
    let tail = 1;
    for (let m = 1; m <= ORDER + 1; m++) tail *= x / m;
    const grow = Math.exp(x);
    out.re = re;
    out.im = im;
    out.err = (tail * grow + (3 * ORDER + 40 + 4 * bins) * U * grow) * this.mass;
    return out;
  }

  /** Work units of one evaluation (for the caller's budget). */
  get cost(): number {
    return this.centres.length * (ORDER + 4);
  }
}

/** Upper bounds on |ϕ_s| over consecutive cells [start + jδ, start + (j+1)δ], j < count. */
export interface Certificate {
  readonly start: number;
  readonly delta: number;
  readonly sup: Float64Array;
  /** max_j sup[j]. */
  readonly maxSup: number;
}

/** Spreading half-width of the Gaussian gridding (grid points on each side of a source). */
const SPREAD = 8;

/** Most cells per block, and the least oversampling M_r/J of a block's grid (M_r a power of two). */
const MAX_BLOCK = 419_430;
const OVERSAMPLING = 1.25;

/**
 * Upper bounds on |ϕ_s(t)| over the cells [start + jδ, start + (j+1)δ], j < count (t > 0), from
 * ϕ_s at the cell centres by a non-uniform FFT (Gaussian gridding, blocks of at most 419,430 cells),
 * plus its error bound and δ/2 times the Lipschitz constant Σ q|y|; every bound is capped at Σq.
 *
 * One block: centres t_j = t_c + (j − J/2 + 1/2)δ, j < J (J even). With θ_k = δ·y_k and weights
 * w_k = q_k e^{i(t_c + δ/2) y_k}, ϕ(t_j) = S(j − J/2), S(m) = Σ_k w_k e^{i m θ_k}. Spread onto the
 * oversampled grid θ_l = 2πl/M_r (M_r the power of two ≥ 1.25·J) with the periodic Gaussian
 * g(θ) = Σ_p e^{−(θ−2πp)²/4τ} (τ chosen to minimise the bound below),
 * keep the 2·SPREAD nearest grid points per source, transform, divide by ĝ_m = √(τ/π) e^{−m²τ}.
 * Errors per output (|m| ≤ J/2), all relative to W = Σ|w_k|:
 *   aliasing   Σ_{p≠0} ĝ_{m − pM_r}/ĝ_m,
 *   truncation (1/M_r)·2Σ_{i≥0} e^{−(SPREAD + i)²h²/4τ}/ĝ_m,  h = 2π/M_r,
 *   rounding   the FFT bound for the grid values, divided by M_r·ĝ_m, and the phases of w_k.
 */
/** The work units `certifyCF` charges for `count` cells of a law of K values (with its FFTs). */
export function certificateWork(K: number, count: number): number {
  const blocks = Math.ceil(count / MAX_BLOCK);
  const J = Math.max(2, 2 * Math.ceil(count / blocks / 2));
  const Mr = Math.max(4, nextPowerOfTwo(Math.ceil(OVERSAMPLING * J)));
  return blocks * (K * (2 * SPREAD + 8) + Mr + Mr * Math.log2(Mr));
}

export function certifyCF(law: CentredTokenLaw, start: number, delta: number, count: number): Certificate {
  const sup = new Float64Array(count);
  const blocks = Math.ceil(count / MAX_BLOCK);
  // Equal blocks of an even number of cells (the last one may have a few cells beyond `count`).
  const BLOCK = 2 * Math.ceil(count / blocks / 2);
  const lipschitz = (law.absMoment * delta) / 2;
  let maxSup = 0;
  for (let first = 0; first < count; first += BLOCK) {
    const J = Math.max(2, BLOCK);
    const values = certifyBlock(law, start + first * delta, delta, J);
    for (let j = 0; j < J && first + j < count; j++) {
      const v = Math.min(law.mass * (1 + 4 * U), values.abs[j] + values.err + lipschitz);
      sup[first + j] = v;
      if (v > maxSup) maxSup = v;
    }
  }
  return { start, delta, sup, maxSup };
}

/** |ϕ_s| at the J cell centres start + (j + 1/2)δ and one error bound for all of them. */
function certifyBlock(
  law: CentredTokenLaw,
  start: number,
  delta: number,
  J: number,
): { abs: Float64Array; err: number } {
  const { y, q } = law;
  const K = y.length;
  const Mr = Math.max(4, nextPowerOfTwo(Math.ceil(OVERSAMPLING * J)));
  const h = (2 * Math.PI) / Mr;
  // τ = u/J² balancing aliasing ≈ e^{−M_r(M_r − J)τ} against truncation
  // ≈ e^{−SPREAD²h²/4τ + J²τ/4}: the u of a coarse scan with the smallest sum of the two.
  let tau = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let u = 0.5; u <= 64; u *= 1.05) {
    const t = u / (J * J);
    const e = Math.exp(-Mr * (Mr - J) * t) + Math.exp(-((SPREAD * h) ** 2) / (4 * t) + (J * J * t) / 4);
    if (e < best) {
      best = e;
      tau = t;
    }
  }
  chargeWork(K * (2 * SPREAD + 8) + Mr);
  const re = new Float64Array(Mr);
  const im = new Float64Array(Mr);
  const tc = start + (J / 2) * delta;
  const shift = tc + delta / 2;
  // e^{−(i h)² / 4τ} for the spreading recurrence.
  const square = new Float64Array(SPREAD + 1);
  for (let i = 0; i <= SPREAD; i++) square[i] = Math.exp(-((i * h) ** 2) / (4 * tau));
  const twoPi = 2 * Math.PI;
  let weightSum = 0;
  for (let k = 0; k < K; k++) {
    const wk = q[k];
    if (wk === 0) continue;
    weightSum += wk;
    const phase = shift * y[k];
    const wr = wk * Math.cos(phase);
    const wi = wk * Math.sin(phase);
    let theta = (delta * y[k]) % twoPi;
    if (theta < 0) theta += twoPi;
    const l0 = Math.floor(theta / h);
    const d = theta - l0 * h; // in [0, h)
    // g at grid point l0 + i: e^{−(d − i h)²/4τ} = e^{−d²/4τ} · (e^{d h/2τ})^i · e^{−(ih)²/4τ}.
    const e1 = Math.exp(-(d * d) / (4 * tau));
    const e2 = Math.exp((d * h) / (2 * tau));
    // i = 0, 1, …, SPREAD (indices wrapped only near the ends of the grid)
    const inside = l0 >= SPREAD && l0 + SPREAD < Mr;
    let grow = 1;
    for (let i = 0; i <= SPREAD; i++) {
      const g = e1 * grow * square[i];
      const l = inside ? l0 + i : (l0 + i) % Mr;
      re[l] += wr * g;
      im[l] += wi * g;
      grow *= e2;
    }
    // i = −1, …, −(SPREAD − 1)
    grow = 1;
    for (let i = 1; i < SPREAD; i++) {
      grow /= e2;
      const g = e1 * grow * square[i];
      const l = inside ? l0 - i : (((l0 - i) % Mr) + Mr) % Mr;
      re[l] += wr * g;
      im[l] += wi * g;
    }
  }
  // Sources keep the points l0 − SPREAD + 1 … l0 + SPREAD: every omitted point is at distance
  // ≥ SPREAD·h − 0 on the right (≥ (SPREAD + i)h, i ≥ 0) and > (SPREAD − 1 + 1)h on the left.
  let norm2 = 0;
  for (let l = 0; l < Mr; l++) norm2 += re[l] * re[l] + im[l] * im[l];
  norm2 = Math.sqrt(norm2) * (1 + 8 * U);
  fftInverse(re, im); // Σ_l f_l e^{+i m θ_l}
  const abs = new Float64Array(J);
  const gScale = Math.sqrt(tau / Math.PI);
  const gHat = (m: number) => gScale * Math.exp(-m * m * tau);
  const gEdge = gHat(J / 2);
  // |S(m)| = √(re² + im²)/(M_r ĝ_m) (no overflow here: |re|, |im| ≤ M_r·W·2SPREAD; its rounding,
  // ≤ 8u relative to |S(m)| ≤ W, is in `err` below).
  for (let j = 0; j < J; j++) {
    const m = j - J / 2;
    const idx = m < 0 ? m + Mr : m;
    const a = re[idx];
    const b = im[idx];
    abs[j] = Math.sqrt(a * a + b * b) / Mr / (gScale * Math.exp(-m * m * tau));
  }
  // Error bounds at the worst output |m| = J/2 (ĝ smallest there).
  let alias = 0;
  for (let p = 1; p <= 3; p++) alias += gHat(p * Mr - J / 2) + gHat(p * Mr + J / 2);
  // p ≥ 4 (both signs): ĝ_{J/2 ∓ pM_r}/ĝ_{J/2} ≤ e^{−pM_r(pM_r − J)τ} ≤ e^{−3pM_r²τ} (J ≤ M_r).
  alias += (gEdge * 2 * Math.exp(-12 * Mr * Mr * tau)) / -Math.expm1(-3 * Mr * Mr * tau);
  let trunc = 0;
  for (let i = 0; i < 40; i++) trunc += Math.exp(-(((SPREAD + i) * h) ** 2) / (4 * tau));
  trunc *= 2;
  // Spreading rounding: each grid value is a sum of terms of size ≤ w_k, with ≤ 8u relative error
  // per term (exponentials, products) — at most 8u·W·max g summed over the grid, i.e. ≤ 8u·W·2SPREAD.
  const spreadRound = 8 * U * weightSum * 2 * SPREAD;
  // Phases of the weights: |δ(shift·y)| ≤ 2u·|shift·y| ≤ 2u·shift·max|y|.
  const maxY = Math.max(Math.abs(y[0]), Math.abs(y[K - 1]));
  const phaseErr = 4 * U * (Math.abs(shift) * maxY + 2) * weightSum;
  // θ_k rounding: |δθ| ≤ 2u·|δ y| + ulp(2π) → phase error |m|·|δθ| ≤ (J/2)(2u δ maxY + 8u).
  const thetaErr = (J / 2) * (2 * U * delta * maxY + 8 * U) * weightSum;
  const err =
    (alias * weightSum) / gEdge +
    (trunc * weightSum) / Mr / gEdge +
    (fftErrorBound(Mr, norm2) + spreadRound) / Mr / gEdge +
    phaseErr +
    thetaErr +
    8 * U * weightSum;
  return { abs, err };
}
