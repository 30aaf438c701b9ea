/**
 * Fourier inversion of the smoothed law of R on a uniform grid, with a bound on the error of every
 * value (math-continuous.md §4–§5).
 *
 * R' = R − n·c is R centred at the tilted mean (c = A'(s)); R'_ε = R' + εZ. For a tilt s the grid
 * carries, at x'_i = x'_0 + iΔx (i < M, period P = MΔx, Δω = 2π/P):
 *   s = 0:  value = F_ε(x') = P(R'_ε ≤ x') by Gil-Pelaez on the half-shifted frequencies
 *           ω_j = (j + ½)Δω, and density = f_ε(x');
 *   s > 0:  value = H(x') = E_s[e^{s(x'−R')} Φ̄((x'−R')/ε)], so that P(R_ε ≥ x) = e^{−nD(s)−sx'}H(x');
 *   s < 0:  value = H(x') = E_s[e^{s(x'−R')} Φ((x'−R')/ε)], so that P(R_ε ≤ x) = e^{−nD(s)−sx'}H(x');
 *   s ≠ 0:  density = E_s[e^{s(x'−R')} φ_ε(x'−R')] = e^{nD(s)+sx'} f_ε(x),
 * where x = x' + nc. Each is (Δω/π)·Re Σ_j κ̂(ω_j) ψ_s(ω_j) e^{−iω_j x'} (the trapezoid rule of an
 * absolutely convergent integral), computed by one FFT, and equals by Poisson summation the sum of
 * the exact value at x' + mP over all integers m: the terms m ≠ 0 (aliasing) are bounded by Chernoff
 * bounds, the frequencies not summed (truncation) by the certificate of `TiltSpectrum`, and the
 * rounding by the FFT bound.
 */
import { fftErrorBound, fftForward, nextPowerOfTwo } from './fft.js';
import { kernelAbs, type TiltSpectrum, tiltStatsOf } from './fourierSpectrum.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import type { Certificate, CFValue } from './tokenCharacteristic.js';
import { chargeWork } from './workBudget.js';

const U = 2 ** -53;

/** Work (in CF evaluations × cost) above which the frequencies up to T_c are certified, not summed. */
const FULL_RANGE_WORK = 4e7;

export interface InversionGrid {
  readonly s: number;
  readonly n: number;
  readonly eps: number;
  /** Centre c = A'(s) (per token): x = x' + n·c. */
  readonly centre: number;
  /** n·D(s) (0 for s = 0). */
  readonly nD: number;
  readonly x0: number;
  readonly dx: number;
  readonly M: number;
  readonly period: number;
  /** Computed value and density per grid point (see the module comment). */
  readonly value: Float64Array;
  readonly density: Float64Array;
  /** Bounds on |computed − exact| of value and density, aliasing excluded (truncation + rounding). */
  readonly errValue: number;
  readonly errDensity: number;
  /** Global bounds on |g^{(k)}|, k = 0, 1, 2, of the (tilted) density g as gridded. */
  /** Global bounds B_k on |g^{(k)}|, k = 0…3, of the part of the (tilted) density band-limited
   * to T_c (the frequencies beyond are a perturbation of the values, in errValue/errDensity). */
  readonly densityBounds: readonly [number, number, number, number];
  /** Bounds on the aliasing of value and density at x' (two-sided for s = 0; for s ≠ 0 the
   * aliasing is ≥ 0: exact = computed − α with 0 ≤ α ≤ bound). */
  aliasValue(x: number): number;
  aliasDensity(x: number): number;
}

/**
 * log E_s[e^{θR'}] = n(A(s + θ) − A(s) − θc) for the aliasing bounds (+∞ where A is infinite).
 */
function logMgf(law: TokenRewardLaw, spec: TiltSpectrum, theta: number): number {
  const a = tiltStatsOf(law, spec.s + theta).logPartition;
  return spec.n * (a - spec.law.logPartition - theta * spec.law.centre);
}

export interface InversionRequest {
  readonly x0: number;
  readonly dx: number;
  readonly M: number;
  /** Where the aliasing bounds should be tight: the window [lo, hi] of x' the caller reads. */
  readonly lo: number;
  readonly hi: number;
}

/** The smallest power of two M with M·dx ≥ period (and ≥ 2). */
export function gridLength(period: number, dx: number): number {
  return Math.max(2, nextPowerOfTwo(Math.ceil(period / dx)));
}

/** The frequencies of one inversion and their kernel-weighted ψ values (no x-dependence yet). */
interface Prepared {
  readonly dOmega: number;
  readonly offset: number;
  readonly J: number;
  readonly omega: Float64Array;
  /** κ̂_value·ψ and κ̂_density·ψ (with the trapezoid's ½ at ω = 0 for s ≠ 0). */
  readonly vRe: Float64Array;
  readonly vIm: Float64Array;
  readonly dRe: Float64Array;
  readonly dIm: Float64Array;
  /** |κ̂|·(error of ψ) summed, and |κ̂ψ| per frequency (for the phase-rounding term). */
  readonly errV: number;
  readonly errD: number;
  readonly absV: Float64Array;
  readonly absD: Float64Array;
  readonly truncV: number;
  readonly truncD: number;
  readonly densityBounds: [number, number, number, number];
}

function prepare(spec: TiltSpectrum, P: number, maxCount: number): Prepared {
  const dOmega = (2 * Math.PI) / P;
  // Frequencies summed: all up to T_c when that is cheap and fits, else up to the end of the
  // Gaussian bulk of ϕ_s, with a certificate beyond.
  const fullCount = Math.ceil(spec.tc / dOmega + 1);
  const full = fullCount <= maxCount && spec.evaluationCost(fullCount) <= FULL_RANGE_WORK;
  let J = full ? fullCount : Math.ceil(spec.bulkEnd / dOmega + 1);
  J = Math.min(J, maxCount);
  // The same frequencies (a grid refined at the same period, the tails of several levels) are
  // prepared once per spectrum.
  let cache = PREPARED.get(spec);
  if (cache === undefined) {
    cache = new Map();
    PREPARED.set(spec, cache);
  }
  const key = `${P}/${J}/${full}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out = prepareFrequencies(spec, P, J, full);
  if (cache.size >= 16) cache.clear();
  cache.set(key, out);
  return out;
}

const PREPARED = new WeakMap<TiltSpectrum, Map<string, Prepared>>();

function prepareFrequencies(spec: TiltSpectrum, P: number, J: number, full: boolean): Prepared {
  const s = spec.s;
  const n = spec.n;
  const eps = spec.eps;
  const dOmega = (2 * Math.PI) / P;
  const offset = s === 0 ? 0.5 : 0;
  const fineEnd = (J - 1 + offset) * dOmega + dOmega / 2;
  const cert: Certificate | null = full ? null : spec.certificate(fineEnd);
  chargeWork(spec.evaluationCost(J) + 20 * J);
  const omega = new Float64Array(J);
  const vRe = new Float64Array(J);
  const vIm = new Float64Array(J);
  const dRe = new Float64Array(J);
  const dIm = new Float64Array(J);
  const absV = new Float64Array(J);
  const absD = new Float64Array(J);
  const phi: CFValue = { re: 0, im: 0, err: 0 };
  const psi: CFValue = { re: 0, im: 0, err: 0 };
  let errV = 0;
  let errD = 0;
  const moments = [0, 0, 0, 0];
  const L = spec.law.absMoment;
  const eps2 = eps * eps;
  for (let j = 0; j < J; j++) {
    const w = (j + offset) * dOmega;
    omega[j] = w;
    spec.cf(w, phi);
    const phiAbs = Math.hypot(phi.re, phi.im);
    const phiErr = phi.err;
    spec.power(phi, psi);
    // Kernels: density κ̂_f = e^{ε²(s+iω)²/2}; value: s = 0 → 1/ω (the Im part is taken,
    // Gil-Pelaez); s > 0 → κ̂_f/(s + iω); s < 0 → −κ̂_f/(s + iω).
    const gAbs = Math.exp((eps2 * (s * s - w * w)) / 2);
    const gPh = eps2 * s * w;
    let kfRe = gAbs * Math.cos(gPh);
    let kfIm = gAbs * Math.sin(gPh);
    let kvRe: number;
    let kvIm: number;
    if (s === 0) {
      kvRe = gAbs / w;
      kvIm = 0;
    } else {
      const den = s * s + w * w;
      const sign = s > 0 ? 1 : -1;
      kvRe = (sign * (kfRe * s + kfIm * w)) / den;
      kvIm = (sign * (kfIm * s - kfRe * w)) / den;
    }
    const half = s !== 0 && j === 0 ? 0.5 : 1;
    kfRe *= half;
    kfIm *= half;
    kvRe *= half;
    kvIm *= half;
    vRe[j] = kvRe * psi.re - kvIm * psi.im;
    vIm[j] = kvRe * psi.im + kvIm * psi.re;
    dRe[j] = kfRe * psi.re - kfIm * psi.im;
    dIm[j] = kfRe * psi.im + kfIm * psi.re;
    const kv = Math.hypot(kvRe, kvIm);
    const kf = Math.hypot(kfRe, kfIm);
    const pAbs = Math.hypot(psi.re, psi.im);
    const rel = 2 * U * eps2 * Math.abs(s * w) + 16 * U;
    errV += kv * (psi.err + pAbs * rel);
    errD += kf * (psi.err + pAbs * rel);
    absV[j] = kv * pAbs;
    absD[j] = kf * pAbs;
    // Moments over the fine cell [max(0, w − Δω/2), w + Δω/2], where |ψ| ≤ (|ϕ̂| + e + LΔω/2)ⁿ.
    const lo = Math.max(0, w - dOmega / 2);
    const hi = w + dOmega / 2;
    const cellSup = Math.exp(n * Math.log(Math.min(1, phiAbs + phiErr + (L * dOmega) / 2)));
    const kLo = kernelAbs('density', s, eps, lo);
    for (let k = 0; k < 4; k++) moments[k] += (hi - lo) * hi ** k * kLo * cellSup;
  }
  const densityBounds = [0, 1, 2, 3].map((k) => moments[k] / Math.PI + spec.momentTail(k, eps, cert)) as [
    number,
    number,
    number,
    number,
  ];
  return {
    dOmega,
    offset,
    J,
    omega,
    vRe,
    vIm,
    dRe,
    dIm,
    errV,
    errD,
    absV,
    absD,
    truncV: spec.truncation('tail', eps, dOmega, cert),
    truncD: spec.truncation('density', eps, dOmega, cert),
    densityBounds,
  };
}

export function invert(law: TokenRewardLaw, spec: TiltSpectrum, req: InversionRequest): InversionGrid {
  const { x0, dx, M } = req;
  const s = spec.s;
  const P = M * dx;
  const pre = prepare(spec, P, M);
  const { J, dOmega, offset } = pre;
  const vRe = new Float64Array(M);
  const vIm = new Float64Array(M);
  const dRe = new Float64Array(M);
  const dIm = new Float64Array(M);
  let normV = 0;
  let normD = 0;
  let phaseV = 0;
  let phaseD = 0;
  for (let j = 0; j < J; j++) {
    // e^{−iω_j x'_0}, rounded to ≤ 2u|ω x'_0| + 2u.
    const ph = -pre.omega[j] * x0;
    const c = Math.cos(ph);
    const d = Math.sin(ph);
    vRe[j] = pre.vRe[j] * c - pre.vIm[j] * d;
    vIm[j] = pre.vRe[j] * d + pre.vIm[j] * c;
    dRe[j] = pre.dRe[j] * c - pre.dIm[j] * d;
    dIm[j] = pre.dRe[j] * d + pre.dIm[j] * c;
    const r = 4 * U * (Math.abs(ph) + 2);
    phaseV += pre.absV[j] * r;
    phaseD += pre.absD[j] * r;
    normV += vRe[j] * vRe[j] + vIm[j] * vIm[j];
    normD += dRe[j] * dRe[j] + dIm[j] * dIm[j];
  }
  fftForward(vRe, vIm);
  fftForward(dRe, dIm);
  const scale = dOmega / Math.PI;
  const value = new Float64Array(M);
  const density = new Float64Array(M);
  let maxV = 0;
  let maxD = 0;
  chargeWork(4 * M);
  for (let i = 0; i < M; i++) {
    let sr = vRe[i];
    let si = vIm[i];
    let tr = dRe[i];
    let ti = dIm[i];
    if (offset !== 0) {
      // Post-twiddle e^{−πi·i/M} of the half-shifted frequencies.
      const a = (-Math.PI * i) / M;
      const c = Math.cos(a);
      const d = Math.sin(a);
      const r1 = sr * c - si * d;
      si = sr * d + si * c;
      sr = r1;
      const r2 = tr * c - ti * d;
      ti = tr * d + ti * c;
      tr = r2;
    }
    value[i] = s === 0 ? 0.5 - scale * si : scale * sr;
    density[i] = scale * tr;
    maxV = Math.max(maxV, Math.hypot(sr, si));
    maxD = Math.max(maxD, Math.hypot(tr, ti));
  }
  const errValue =
    scale * (pre.errV + phaseV + fftErrorBound(M, Math.sqrt(normV)) + 8 * U * maxV) +
    pre.truncV +
    (s === 0 ? 4 * U : 0);
  const errDensity =
    scale * (pre.errD + phaseD + fftErrorBound(M, Math.sqrt(normD)) + 8 * U * maxD) + pre.truncD;
  const { aliasValue, aliasDensity } = aliasBounds(law, spec, P, req.lo, req.hi);
  const st = tiltStatsOf(law, s);
  return {
    s,
    n: spec.n,
    eps: spec.eps,
    centre: spec.law.centre,
    nD: s === 0 ? 0 : spec.n * st.kl,
    x0,
    dx,
    M,
    period: P,
    value,
    density,
    errValue,
    errDensity,
    densityBounds: pre.densityBounds,
    aliasValue,
    aliasDensity,
  };
}

/** Value and density of the inversion at chosen points x' (direct sums, no FFT), with bounds. */
export interface PointInversion {
  readonly value: number;
  readonly density: number;
  /** Bounds on |computed − exact| excluding aliasing, and the aliasing bounds at x'. */
  readonly errValue: number;
  readonly errDensity: number;
  readonly aliasValue: number;
  readonly aliasDensity: number;
}

/** An inversion of period P evaluated at single points (for tails at one level). */
export class PointInverter {
  private readonly pre: Prepared;
  private readonly alias: { aliasValue: (x: number) => number; aliasDensity: (x: number) => number };
  readonly spec: TiltSpectrum;
  readonly nD: number;

  constructor(law: TokenRewardLaw, spec: TiltSpectrum, P: number, lo: number, hi: number) {
    this.spec = spec;
    this.pre = prepare(spec, P, 1 << 22);
    this.alias = aliasBounds(law, spec, P, lo, hi);
    this.nD = spec.s === 0 ? 0 : spec.n * tiltStatsOf(law, spec.s).kl;
  }

  at(x: number): PointInversion {
    const pre = this.pre;
    const s = this.spec.s;
    chargeWork(4 * pre.J);
    let vr = 0;
    let vi = 0;
    let dr = 0;
    let sumAbs = 0;
    for (let j = 0; j < pre.J; j++) {
      const ph = -pre.omega[j] * x;
      const c = Math.cos(ph);
      const d = Math.sin(ph);
      vr += pre.vRe[j] * c - pre.vIm[j] * d;
      vi += pre.vRe[j] * d + pre.vIm[j] * c;
      dr += pre.dRe[j] * c - pre.dIm[j] * d;
      sumAbs += (pre.absV[j] + pre.absD[j]) * (4 * U * (Math.abs(ph) + 2) + (pre.J + 4) * U);
    }
    const scale = pre.dOmega / Math.PI;
    return {
      value: s === 0 ? 0.5 - scale * vi : scale * vr,
      density: scale * dr,
      errValue: scale * (pre.errV + sumAbs) + pre.truncV + (s === 0 ? 4 * U : 0),
      errDensity: scale * (pre.errD + sumAbs) + pre.truncD,
      aliasValue: this.alias.aliasValue(x),
      aliasDensity: this.alias.aliasDensity(x),
    };
  }
}

/**
 * Bounds on the aliasing Σ_{m≠0} (exact value at x' + mP) of the three inversions, for x' in
 * [lo, hi] (valid everywhere; tight there): Chernoff bounds on R' under the tilted law with θ from
 * the Gaussian approximation (any θ gives a valid bound). For s = 0 the error of the Gil-Pelaez
 * value is two-sided, |F̃ − F_ε| ≤ P(R'_ε ≥ x' + P) + P(R'_ε ≤ x' − P); otherwise the kernels are
 * ≥ 0 and the aliasing only adds.
 */
export function aliasBounds(
  law: TokenRewardLaw,
  spec: TiltSpectrum,
  P: number,
  lo: number,
  hi: number,
): { aliasValue: (x: number) => number; aliasDensity: (x: number) => number } {
  const s = spec.s;
  const eps = spec.eps;
  const eps2 = eps * eps;
  // Aliasing (Chernoff): θ for the far side of the window, from the Gaussian approximation.
  const sd = Math.max(spec.sd, 1e-300);
  const up = Math.max(1e-3 / sd, Math.min(50 / sd, (lo + P) / (sd * sd)));
  const down = Math.max(1e-3 / sd, Math.min(50 / sd, (P - hi) / (sd * sd)));
  const lmUp = logMgf(law, spec, up);
  const lmDown = logMgf(law, spec, -down);
  const normal = 1 / (Math.sqrt(2 * Math.PI) * eps);
  const geo = (r: number) => 1 / -Math.expm1(-r);
  let aliasValue: (x: number) => number;
  let aliasDensity: (x: number) => number;
  if (s === 0) {
    // |F̃ − F_ε| ≤ P(R'_ε ≥ x + P) + P(R'_ε ≤ x − P); |f̃ − f_ε| ≤ Σ_{m≠0} f_ε(x + mP).
    const cu = lmUp + (up * up * eps2) / 2;
    const cd = lmDown + (down * down * eps2) / 2;
    aliasValue = (x) => Math.exp(cu - up * (x + P)) + Math.exp(cd - down * (P - x));
    aliasDensity = (x) =>
      normal * (Math.exp(cu - up * (x + P)) * geo(up * P) + Math.exp(cd - down * (P - x)) * geo(down * P));
  } else {
    // Upper kernel (s > 0): m ≥ 1 at θ' = up: e^{(s+θ')²ε²/2 + Λ(θ') − θ'(x+P)}/(1 − e^{−θ'P});
    // m ≤ −1 at θ'' = s: e^{sx + nD(s) − sP}/(1 − e^{−sP}). Lower kernel: the mirror image.
    const a = Math.abs(s);
    const lmOwn = logMgf(law, spec, -s); // = nD(s)
    const nearSide = s > 0 ? up : down; // decays with the kernel's Gaussian side
    const lmNear = s > 0 ? lmUp : lmDown;
    const cNear = ((a + nearSide) ** 2 * eps2) / 2 + lmNear;
    const sign = s > 0 ? 1 : -1;
    aliasValue = (x) => {
      const y = sign * x; // distance measured towards the Gaussian side
      return (
        Math.exp(cNear - nearSide * (y + P)) * geo(nearSide * P) +
        Math.exp(a * y + lmOwn - a * P) * geo(a * P)
      );
    };
    // Density: m ≥ 1 as above (÷√(2π)ε); m ≤ −1 with θ'' = s + far side.
    const far = s > 0 ? down : up;
    const lmFar = logMgf(law, spec, -sign * (a + far));
    const cFar = (far * far * eps2) / 2 + lmFar;
    aliasDensity = (x) => {
      const y = sign * x;
      return (
        normal *
        (Math.exp(((a + nearSide) ** 2 * eps2) / 2 + lmNear - nearSide * (y + P)) * geo(nearSide * P) +
          Math.exp(cFar + (a + far) * (y - P)) * geo((a + far) * P))
      );
    };
  }
  return { aliasValue, aliasDensity };
}
