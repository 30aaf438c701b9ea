/**
 * The number of best-of-N candidates, N or log N (math.md §6): validation, log(N − 1) with full
 * accuracy near N = 1, and the bound (6.10) log N − (N − 1)/N. A leaf module: the best-of-N
 * functions and the Fourier method both read it (re-exported by bestOfN.ts).
 */
import { log1mExp } from './logspace.js';
import { CoreFailure, require } from './result.js';

/** N itself, or its logarithm (for N beyond the largest double). */
export type BonSize = { readonly N: number } | { readonly logN: number };

export interface ParsedSize {
  readonly N: number;
  readonly logN: number;
  /** log(N − 1), −∞ for N = 1. */
  readonly logNm1: number;
}

/** Validates N ≥ 1 (finite) or log N ≥ 0 (finite). Errors: `invalid-argument`. */
export function parseBonSize(size: BonSize): ParsedSize {
  require(typeof size === 'object' && size !== null, 'invalid-argument', 'best-of-N needs N or log N');
  if ('logN' in size) {
    const logN = size.logN;
    // Checked before the message is built: a best-of-N curve parses dozens of sizes.
    if (!(typeof logN === 'number' && Number.isFinite(logN) && logN >= 0))
      throw new CoreFailure('invalid-argument', `log N = ${logN} must be a finite number ≥ 0 (N ≥ 1)`);
    // log(N − 1) = log N + log(1 − 1/N); for tiny log N, log(expm1(log N)) keeps every digit.
    const logNm1 =
      logN === 0 ? Number.NEGATIVE_INFINITY : logN < 1 ? Math.log(Math.expm1(logN)) : logN + log1mExp(-logN);
    return { N: Math.exp(logN), logN, logNm1 };
  }
  const N = (size as { N: number }).N;
  if (!(typeof N === 'number' && Number.isFinite(N) && N >= 1))
    throw new CoreFailure('invalid-argument', `N = ${N} must be a finite number ≥ 1`);
  // N − 1 is exact for N ∈ [1, 2] (Sterbenz), so N = 1 + 1e-12 keeps its digits.
  return { N, logN: Math.log1p(N - 1), logNm1: N === 1 ? Number.NEGATIVE_INFINITY : Math.log(N - 1) };
}

/** log N − (N − 1)/N = log N + expm1(−log N); a series for small log N (no cancellation). */
export function bonKLBound(logN: number): number {
  if (logN < 0.1) {
    // x + e^{−x} − 1 = Σ_{k≥2} (−x)^k / k!; 12 terms reach 1e-30 relative at x = 0.1.
    let term = 1;
    let sum = 0;
    for (let k = 1; k <= 14; k++) {
      term *= -logN / k;
      if (k >= 2) sum += term;
    }
    return sum;
  }
  return logN + Math.expm1(-logN);
}
