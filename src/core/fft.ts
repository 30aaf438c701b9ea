/**
 * The discrete Fourier transform of length M = 2^k (math-continuous.md §5): in place, on separate
 * real and imaginary arrays, y_i = Σ_j x_j e^{σ 2πi ij/M} with σ = −1 (`forward`) or +1
 * (`inverse`, unnormalised). Iterative radix-2 decimation in time; the twiddle factors are
 * cos(2πk/M), sin(2πk/M) computed directly (not by recurrence) and cached per length.
 *
 * Error bound (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 24.2): with
 * twiddles accurate to μ and η = μ + γ₄(√2 + μ), γ₄ = 4u/(1 − 4u), the computed ŷ satisfies
 * ‖ŷ − y‖₂ ≤ k·η/(1 − k·η)·‖y‖₂ = k·η/(1 − k·η)·√M·‖x‖₂, hence the same bound on every
 * |ŷ_i − y_i| (`fftErrorBound`). Our twiddles: the angle 2πk/M is rounded with relative error
 * ≤ 2u (π itself, one product, one quotient), so |ŵ − w| ≤ 2π·2u + 1 ulp of cos/sin ≤ 16u = μ.
 */
import { chargeWork } from './workBudget.js';

const U = 2 ** -53;
const MU = 16 * U;
const GAMMA4 = (4 * U) / (1 - 4 * U);
const ETA = MU + GAMMA4 * (Math.SQRT2 + MU);

interface Tables {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly reverse: Uint32Array;
}

const TABLES = new Map<number, Tables>();

function tables(M: number): Tables {
  let t = TABLES.get(M);
  if (t === undefined) {
    const half = M >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      const a = (2 * Math.PI * k) / M;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
    const reverse = new Uint32Array(M);
    const bits = Math.log2(M);
    for (let i = 0; i < M; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      reverse[i] = r >>> 0;
    }
    t = { cos, sin, reverse };
    // Keep a handful of lengths: the tables of a 2^22 transform take 100 MB otherwise forever.
    if (TABLES.size >= 6) TABLES.delete(TABLES.keys().next().value as number);
    TABLES.set(M, t);
  }
  return t;
}

export function isPowerOfTwo(M: number): boolean {
  return Number.isInteger(M) && M >= 1 && (M & (M - 1)) === 0 && M <= 2 ** 30;
}

/** The smallest power of two ≥ m (m ≥ 1). */
export function nextPowerOfTwo(m: number): number {
  let M = 1;
  while (M < m) M *= 2;
  return M;
}

function transform(re: Float64Array, im: Float64Array, sign: number): void {
  const M = re.length;
  if (!isPowerOfTwo(M) || im.length !== M) throw new Error(`FFT length ${M} is not a power of two`);
  if (M === 1) return;
  const { cos, sin, reverse } = tables(M);
  const bits = Math.log2(M);
  chargeWork(M * bits);
  for (let i = 0; i < M; i++) {
    const j = reverse[i];
    if (j > i) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  for (let size = 2; size <= M; size *= 2) {
    const half = size >> 1;
    const step = M / size;
    for (let start = 0; start < M; start += size) {
      for (let j = 0, k = 0; j < half; j++, k += step) {
        const wr = cos[k];
        const wi = sign * sin[k];
        const a = start + j;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** y_i = Σ_j x_j e^{−2πi ij/M}, in place. */
export function fftForward(re: Float64Array, im: Float64Array): void {
  transform(re, im, -1);
}

/** y_i = Σ_j x_j e^{+2πi ij/M}, in place (unnormalised). */
export function fftInverse(re: Float64Array, im: Float64Array): void {
  transform(re, im, 1);
}

/**
 * A bound on |ŷ_i − y_i| for every output of a transform of length M whose input has Euclidean
 * norm `inputNorm2` (exact input; errors already in the input add Σ_j |δx_j| on top).
 */
export function fftErrorBound(M: number, inputNorm2: number): number {
  const k = Math.max(1, Math.log2(M));
  return ((k * ETA) / (1 - k * ETA)) * Math.sqrt(M) * inputNorm2;
}
