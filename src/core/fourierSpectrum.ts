/**
 * The characteristic function of R under a tilt, ψ_s(ω) = ϕ_s(ω)ⁿ, on the frequencies a Fourier
 * inversion needs, with rigorous bounds (math-continuous.md §3–§4): exact values (to a stated error)
 * on [0, t₁], where |ψ_s| is not negligible, and a certificate that bounds |ϕ_s| on (t₁, T_c], so
 * that the neglected frequencies contribute at most a computed amount to every inversion integral.
 * Beyond T_c the Gaussian factor e^{−ε²ω²/2} of the smoothing does it.
 */

import { evaluateTilt, type TiltStats } from './logPartition.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import {
  type CentredTokenLaw,
  type Certificate,
  type CFValue,
  centredTokenLaw,
  certificateWork,
  certifyCF,
  LowFrequencyCF,
} from './tokenCharacteristic.js';
import { chargeWork, workLeft } from './workBudget.js';

/**
 * What one tilt s of a token law gives every length n (ψ = ϕⁿ is the only n-dependent part): the
 * centred tilted law, its low-frequency evaluator and the certificates computed so far (a
 * certificate's bounds on |ϕ_s| hold whatever n they were computed for). Shared by the spectra of
 * every engine of the law, e.g. the lengths of an equivalence series (all tilted at λ*).
 */
interface TokenTilt {
  readonly law: CentredTokenLaw;
  low: LowFrequencyCF | null;
  readonly certs: Certificate[];
}

const TOKEN_TILTS = new WeakMap<TokenRewardLaw, Map<number, TokenTilt>>();

function tokenTilt(law: TokenRewardLaw, s: number): TokenTilt {
  let byS = TOKEN_TILTS.get(law);
  if (byS === undefined) {
    byS = new Map();
    TOKEN_TILTS.set(law, byS);
  }
  let t = byS.get(s);
  if (t === undefined) {
    t = { law: centredTokenLaw(law, s), low: null, certs: [] };
    byS.set(s, t);
  }
  return t;
}

const TILT_STATS = new WeakMap<TokenRewardLaw, Map<number, TiltStats>>();

/**
 * `evaluateTilt(law, s, 2).stats`, remembered per law and s: the Chernoff and aliasing bounds of
 * many inversions of one law ask for the same few tilts.
 */
export function tiltStatsOf(law: TokenRewardLaw, s: number): TiltStats {
  let byS = TILT_STATS.get(law);
  if (byS === undefined) {
    byS = new Map();
    TILT_STATS.set(law, byS);
  }
  let st = byS.get(s);
  if (st === undefined) {
    st = evaluateTilt(law, s, 2).stats;
    if (byS.size >= 4096) byS.clear();
    byS.set(s, st);
  }
  return st;
}

const U = 2 ** -53;

/** Cells per block of the certificate sums. */
const BLOCK = 256;

/** Token laws up to this many values are evaluated by direct sums (exact to K·4u). */
const DIRECT_VALUES = 256;

/** The kernels of the inversion formulas, by their |κ̂(ω)| (math-continuous.md (C.5)). */
export type KernelKind = 'density' | 'tail';

/** |κ̂(ω)| for ω ≥ 0: e^{ε²(s² − ω²)/2}, divided by |s + iω| for the tail kernels (s = 0: by ω). */
export function kernelAbs(kind: KernelKind, s: number, eps: number, omega: number): number {
  const g = Math.exp((eps * eps * (s * s - omega * omega)) / 2);
  return kind === 'density' ? g : g / Math.hypot(s, omega);
}

/** ∫_a^∞ e^{−ε²ω²/2} dω ≤ e^{−ε²a²/2}/(ε²a) (a > 0). */
function gaussianTail(eps: number, a: number): number {
  return Math.exp(-(eps * eps * a * a) / 2) / (eps * eps * a);
}

export interface SpectrumOptions {
  /** Smoothing ε of the inversion (the spectrum needs it for T_c). */
  readonly eps: number;
  /** Neglected e^{−ε²ω²/2} beyond T_c: T_c = √(2·gaussLog)/ε. */
  readonly gaussLog?: number;
}

export class TiltSpectrum {
  readonly law: CentredTokenLaw;
  readonly n: number;
  readonly s: number;
  /** √(n A''(s)). */
  readonly sd: number;
  readonly eps: number;
  readonly direct: boolean;
  /** Where |ϕ_s| has fallen to 0.2 (the end of the Gaussian bulk of the token law). */
  readonly bulkEnd: number;
  /** Frequencies beyond tc are left to the Gaussian factor: e^{−ε²tc²/2} = e^{−gaussLog}. */
  readonly tc: number;
  private cert: Certificate | null = null;
  private blockCert: Certificate | null = null;
  private blockPow = new Float64Array(0);
  private readonly token: TokenTilt;
  private readonly scratch: CFValue = { re: 0, im: 0, err: 0 };

  constructor(tokenLaw: TokenRewardLaw, n: number, s: number, options: SpectrumOptions) {
    this.token = tokenTilt(tokenLaw, s);
    this.law = this.token.law;
    this.n = n;
    this.s = s;
    this.eps = options.eps;
    this.sd = Math.sqrt(n * this.law.variance);
    this.direct = this.law.y.length <= DIRECT_VALUES;
    this.tc = Math.sqrt(2 * (options.gaussLog ?? 25)) / this.eps;
    const sigma = Math.sqrt(this.law.variance);
    // Scan for |ϕ_s| ≤ 0.2, at most to 40/σ (a few-valued law may never get there).
    const START = 0.2;
    const h = 0.05 / sigma;
    const cap = Math.min(40 / sigma, this.tc);
    let end = cap;
    if (!this.direct) this.ensureLow(8 / sigma);
    for (let w = h; w < cap; w += h) {
      const v = this.cf(w);
      if (Math.hypot(v.re, v.im) + v.err <= START) {
        end = w;
        break;
      }
    }
    this.bulkEnd = end;
  }

  /** Work of evaluating ψ at `count` frequencies. */
  evaluationCost(count: number): number {
    return count * (this.direct ? this.law.y.length : Math.max(64, this.token.low?.cost ?? 64));
  }

  /**
   * The certificate of |ϕ_s| over (t1, tc] (computed once): cells of width δ with
   * sup ≤ |ϕ̂| + δ·Σq|y|/2, δ chosen so that the bound stays below c_n (c_nⁿ = 1e-18) where
   * |ϕ| ≤ 0.2 (as it is from t1 on); the sums over cells use the actual bounds, whatever δ is.
   */
  certificate(t1: number): Certificate {
    if (this.cert !== null && this.cert.start <= t1) return this.cert;
    // From the end of the bulk at the latest (every length's summed range ends beyond it, so one
    // certificate serves them all; cells counted twice only add to the bounds).
    const start = Math.min(t1, this.bulkEnd);
    const sigma = Math.sqrt(this.law.variance);
    const cn = Math.min(0.98, 10 ** (-18 / Math.max(1, this.n)));
    const delta = Math.max(0.05 / sigma, (2 * Math.max(0.05, cn - 0.2)) / this.law.absMoment);
    // A certificate of this tilt computed for another length serves when it starts no later,
    // reaches T_c and has cells no wider (its bounds on |ϕ_s| are the same statement).
    for (const c of this.token.certs) {
      if (c.start <= t1 && c.start + c.sup.length * c.delta >= this.tc && c.delta <= delta) {
        this.cert = c;
        return c;
      }
    }
    const count = Math.max(1, Math.ceil((this.tc - start) / delta));
    // Charged at once when it cannot fit what is left of the budget (instead of on the way).
    const work = certificateWork(this.law.y.length, count);
    if (work > workLeft()) chargeWork(work);
    this.cert = certifyCF(this.law, start, delta, count);
    this.token.certs.push(this.cert);
    return this.cert;
  }

  private ensureLow(omegaMax: number): LowFrequencyCF {
    const t = this.token;
    if (t.low === null || t.low.omegaMax < omegaMax) {
      const prev = t.low?.omegaMax ?? 0;
      t.low = new LowFrequencyCF(this.law, Math.max(omegaMax, 2 * prev));
    }
    return t.low;
  }

  /** ϕ_s(ω) with an error bound. */
  cf(omega: number, out: CFValue = this.scratch): CFValue {
    if (this.direct) return directCF(this.law, omega, out);
    const low = this.ensureLow(Math.abs(omega));
    chargeWork(low.cost);
    return low.at(omega, out);
  }

  /**
   * ψ_s(ω) = ϕ_s(ω)ⁿ with a bound on its error: n·e·(|ϕ̂| + e)^{n−1} from the error e of ϕ̂, plus
   * the rounding of exp(n log ϕ̂), ≤ |ψ̂|·n·u·(|log|ϕ̂|| + 4π + 4).
   */
  psi(omega: number, out: CFValue): CFValue {
    return this.power(this.cf(omega, this.scratch), out);
  }

  /** ψ = ϕⁿ from a value of ϕ (may be the same object as `out`). */
  power(v: CFValue, out: CFValue): CFValue {
    const n = this.n;
    const r = Math.hypot(v.re, v.im);
    const e = v.err;
    if (r === 0) {
      out.re = 0;
      out.im = 0;
      out.err = n * e * e ** (n - 1);
      return out;
    }
    const logR = Math.log(r);
    const mag = Math.exp(n * logR);
    const ang = n * Math.atan2(v.im, v.re);
    out.err = n * e * Math.exp((n - 1) * Math.log(r + e)) + mag * n * U * (Math.abs(logR) + 4 * Math.PI + 4);
    out.re = mag * Math.cos(ang);
    out.im = mag * Math.sin(ang);
    return out;
  }

  /**
   * Block maxima of supⁿ over the cells of a certificate (blocks of BLOCK cells), computed once:
   * the sums over 10⁶ cells below then cost one term per block (|κ̂| is decreasing in ω, so a
   * block's terms are bounded by its maximum times |κ̂| at the block's start).
   */
  private blocks(cert: Certificate): Float64Array {
    if (this.blockCert !== cert) {
      const n = this.n;
      const B = Math.ceil(cert.sup.length / BLOCK);
      const out = new Float64Array(B);
      const skip = Math.exp(-745 / n);
      chargeWork(cert.sup.length);
      for (let b = 0; b < B; b++) {
        let m = 0;
        const end = Math.min(cert.sup.length, (b + 1) * BLOCK);
        for (let j = b * BLOCK; j < end; j++) if (cert.sup[j] > m) m = cert.sup[j];
        out[b] = m <= skip ? 0 : Math.exp(n * Math.log(m));
      }
      this.blockCert = cert;
      this.blockPow = out;
    }
    return this.blockPow;
  }

  /**
   * A bound on (Δω/π)·Σ_{ω_j > t1} |κ̂(ω_j)|·|ψ_s(ω_j)| over grid frequencies ω_j of spacing Δω:
   * each certified cell holds at most δ/Δω + 1 of them (with |ψ| ≤ supⁿ, |κ̂| ≤ its value at the
   * cell's left end), and beyond T_c, |ψ| ≤ 1 and Σ ≤ (1/Δω)∫_{T_c−Δω}^∞ |κ̂| (κ̂ decreasing).
   */
  truncation(kind: KernelKind, eps: number, dOmega: number, cert: Certificate | null): number {
    const s = this.s;
    let sum = 0;
    if (cert !== null) {
      const pow = this.blocks(cert);
      const weight = (cert.delta + dOmega) * BLOCK;
      for (let b = 0; b < pow.length; b++) {
        if (pow[b] === 0) continue;
        sum += weight * pow[b] * kernelAbs(kind, s, eps, cert.start + b * BLOCK * cert.delta);
      }
    }
    return (sum + this.gaussianPart(kind, eps, dOmega, cert)) / Math.PI;
  }

  /** π times the part of `truncation` beyond T_c (|ψ| ≤ 1 there). */
  gaussianPart(kind: KernelKind, eps: number, dOmega: number, cert: Certificate | null): number {
    const end = cert === null ? this.tc : cert.start + cert.sup.length * cert.delta;
    const a = Math.max(end - dOmega, 1e-300);
    const pre = Math.exp((eps * eps * this.s * this.s) / 2);
    return kind === 'density' ? pre * gaussianTail(eps, a) : (pre * gaussianTail(eps, a)) / a;
  }

  /**
   * A bound on (1/π)∫_{t1}^{T_c} ω^k |κ̂_density(ω)| |ψ_s(ω)| dω over the certified cells: the
   * part of the derivative bounds of the density band-limited to T_c (the frequencies beyond T_c
   * are a perturbation of the values, bounded in `truncation`).
   */
  momentTail(k: number, eps: number, cert: Certificate | null): number {
    if (cert === null) return 0;
    const pow = this.blocks(cert);
    let sum = 0;
    for (let b = 0; b < pow.length; b++) {
      if (pow[b] === 0) continue;
      const lo = cert.start + b * BLOCK * cert.delta;
      const hi = Math.min(cert.start + cert.sup.length * cert.delta, lo + BLOCK * cert.delta);
      sum += (hi - lo) * pow[b] * hi ** k * kernelAbs('density', this.s, eps, lo);
    }
    return sum / Math.PI;
  }
}

function directCF(law: CentredTokenLaw, omega: number, out: CFValue): CFValue {
  const { y, q } = law;
  chargeWork(y.length);
  let re = 0;
  let im = 0;
  for (let k = 0; k < y.length; k++) {
    const a = omega * y[k];
    re += q[k] * Math.cos(a);
    im += q[k] * Math.sin(a);
  }
  out.re = re;
  out.im = im;
  // Each term: phase ω·y rounded (≤ u|ωy|), cos/sin ≤ 1 ulp, product 1u; the sum ≤ K·u·Σq.
  let maxY = 0;
  for (let k = 0; k < y.length; k++) maxY = Math.max(maxY, Math.abs(y[k]));
  out.err = (y.length + 4 + 2 * Math.abs(omega) * maxY) * U * 2 * law.mass;
  return out;
}
