/**
 * Log-space and compensated-summation primitives used by every numerical module.
 *
 * Conventions: −Infinity is log 0 and is handled as a value, never as an error. Nothing here
 * returns NaN for non-NaN input; the functions are internal building blocks (they do not
 * validate), so callers validate user input first.
 */

/**
 * log Σ exp(xs[i]).
 * Method: shift by the maximum m, so every exponent is ≤ 0 and nothing overflows:
 * m + log Σ exp(xs[i] − m). Special cases: empty or all −∞ → −∞; any +∞ → +∞.
 * The sum is accumulated with Neumaier compensation (relative error ≈ 2 ulp for any length).
 */
export function logSumExp(xs: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  if (m === Number.NEGATIVE_INFINITY || m === Number.POSITIVE_INFINITY) return m;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < xs.length; i++) {
    const term = Math.exp(xs[i] - m);
    const t = sum + term;
    comp += Math.abs(sum) >= term ? sum - t + term : term - t + sum;
    sum = t;
  }
  return m + Math.log(sum + comp);
}

/** log(eᵃ + eᵇ) = max + log1p(e^{−|a−b|}); −∞ operands are identities. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a === Number.POSITIVE_INFINITY || b === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return a >= b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * log(eᵃ − eᵇ) for a ≥ b, = a + log1mExp(b − a). a = b → −∞.
 * Throws a RangeError for a < b (a caller bug, not user input).
 */
export function logSubExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a < b) throw new RangeError(`logSubExp: a = ${a} < b = ${b}`);
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + log1mExp(b - a);
}

/**
 * log(1 − eˣ) for x ≤ 0 (Mächler 2012): log(−expm1(x)) for x > −ln 2, log1p(−eˣ) otherwise;
 * each branch is accurate to a few ulp where the other would cancel. x = 0 → −∞; x > 0 → NaN is
 * impossible by contract, so a RangeError is thrown instead.
 */
export function log1mExp(x: number): number {
  if (x > 0) throw new RangeError(`log1mExp: x = ${x} > 0`);
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * log(1 + eˣ) (softplus) without overflow: x for x > 37 (the correction e^{−x} is below
 * half an ulp), x + log1p(e^{−x}) for x > 0, log1p(eˣ) otherwise.
 */
export function log1pExp(x: number): number {
  if (x > 37) return x + Math.exp(-x);
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/**
 * Neumaier's compensated summation: the running error of each addition is accumulated
 * separately, so the result has error ≈ 2 ulp · Σ|xᵢ| independent of the number of terms.
 */
export class NeumaierSum {
  private sum = 0;
  private comp = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.comp += this.sum - t + x;
    else this.comp += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.comp;
  }
}

/** Σ xs[i] with Neumaier compensation (see `NeumaierSum`). */
export function neumaierSum(xs: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}
