/**
 * Lattice detection: do the reward values lie on a lattice a + hℤ?
 *
 * math.md §6: when every per-token reward is a + h·i_k with integer i_k, the law of the
 * sequence reward R is an n-fold convolution on the lattice n·a + hℤ with at most
 * n·(i_max − i_min) + 1 points, and can be computed exactly.
 *
 * Method. Decimal rewards are not exact in binary (0.1, 0.2, 0.3 are three rounded doubles), so
 * the test is "up to a few ulps", never exact equality:
 *  1. span = v_max − v_min; each ratio ρ_k = (v_k − v_min)/span ∈ [0, 1].
 *  2. The continued-fraction convergents a/b of ρ_k are walked until |ρ_k − a/b| ≤ tol
 *     (tol = 16 ulp of the largest |v| relative to the span, at most 1/(4·MAX_DENOMINATOR)) or
 *     b > MAX_DENOMINATOR.
 *  3. L = lcm of the denominators (≤ MAX_DENOMINATOR), i_k = round(ρ_k L), h = span / L,
 *     divided further by gcd(i_k) (never needed for reduced fractions, kept as a safeguard).
 *  4. Verification: every |v_k − (v_min + i_k h)| ≤ 16 ulp(max |v|), else "not a lattice".
 * An irrational ratio (√2) needs denominators ≈ 1e7 to come within 1e-15, beyond the bound of
 * 1e6, so it is reported as non-lattice. Values closer together than the tolerance may share a
 * lattice point (they are indistinguishable at the precision of R anyway).
 */
import { CoreFailure, guard, type Result, require } from './result.js';

/** Largest lattice denominator accepted (a finer lattice is useless: its support is huge). */
export const MAX_DENOMINATOR = 1_000_000;

export interface Lattice {
  /** a = the smallest value. */
  readonly offset: number;
  /** h > 0 (1 when there is a single distinct value: R is then deterministic). */
  readonly step: number;
  /** i_k ≥ 0 with values[k] ≈ offset + i_k · step, same order as the input. */
  readonly indices: Int32Array;
  /** max i_k = (v_max − v_min)/h. */
  readonly span: number;
}

/**
 * Detects whether `values` lie on a lattice a + hℤ (see the module comment).
 * Returns null when they do not. Errors: `invalid-reward` for NaN/±∞, `empty-vocabulary` for [].
 */
export function detectLattice(values: ArrayLike<number>): Result<Lattice | null> {
  return guard(() => detectLatticeUnchecked(values));
}

export function detectLatticeUnchecked(values: ArrayLike<number>): Lattice | null {
  require(values.length > 0, 'empty-vocabulary', 'no reward values to test for a lattice');
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    // Checked before the message is built: this runs per value (50,000 for a GPT-2 vocabulary).
    if (!Number.isFinite(v))
      throw new CoreFailure('invalid-reward', `reward value ${v} is not a finite number`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const indices = new Int32Array(values.length);
  if (max === min) return { offset: min, step: 1, indices, span: 0 };
  const span = max - min;
  const magnitude = Math.max(Math.abs(min), Math.abs(max), span);
  // At most a quarter of the finest admissible step (span/MAX_DENOMINATOR): rewards far from 0
  // relative to their span (1e15, 1e15 + 1, 1e15 + 2: 16 ulp = 3.6 > the span 2) would otherwise
  // all round to the same lattice point and the law of R would collapse onto one value.
  const tolAbs = Math.min(16 * Number.EPSILON * magnitude, span / (4 * MAX_DENOMINATOR));
  const tolRatio = tolAbs / span;

  const numerators: number[] = [];
  const denominators: number[] = [];
  let lcm = 1;
  for (let k = 0; k < values.length; k++) {
    const rho = (values[k] - min) / span;
    const frac = bestRational(rho, tolRatio);
    if (frac === null) return null;
    numerators.push(frac.a);
    denominators.push(frac.b);
    lcm = (lcm / gcd(lcm, frac.b)) * frac.b;
    if (lcm > MAX_DENOMINATOR) return null;
  }
  let g = 0;
  for (let k = 0; k < values.length; k++) {
    indices[k] = (numerators[k] * lcm) / denominators[k];
    g = gcd(g, indices[k]);
  }
  if (g > 1) for (let k = 0; k < values.length; k++) indices[k] /= g;
  const L = lcm / Math.max(g, 1);
  const step = span / L;
  for (let k = 0; k < values.length; k++) {
    const err = Math.abs(values[k] - (min + indices[k] * step));
    if (!(err <= tolAbs)) return null;
  }
  return { offset: min, step, indices, span: L };
}

/**
 * The first continued-fraction convergent a/b of x ∈ [0, 1] with |x − a/b| ≤ tol, or null when
 * the denominator would exceed MAX_DENOMINATOR. Convergents are the best approximations for
 * their denominator size, so the first one within tolerance has the smallest denominator.
 */
function bestRational(x: number, tol: number): { a: number; b: number } | null {
  let hPrev = 1;
  let h = Math.floor(x);
  let kPrev = 0;
  let k = 1;
  let rest = x - Math.floor(x);
  while (Math.abs(x - h / k) > tol) {
    if (rest === 0) break;
    const inv = 1 / rest;
    const q = Math.floor(inv);
    rest = inv - q;
    const hNext = q * h + hPrev;
    const kNext = q * k + kPrev;
    if (kNext > MAX_DENOMINATOR) return null;
    hPrev = h;
    h = hNext;
    kPrev = k;
    k = kNext;
  }
  return Math.abs(x - h / k) <= tol ? { a: h, b: k } : null;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}
