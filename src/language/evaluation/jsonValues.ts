/**
 * Guards for the JSON results contract: an infinite value becomes null where the contract allows
 * it (`Num`), and anything non-finite where a finite number is required — or any NaN — aborts the
 * query with an error message instead of leaking into a result.
 */
import type { Num } from '../../presentation/results.js';

export class ResultFailure extends Error {
  /** True when a work budget, deadline or cancellation stopped the computation (not the input). */
  constructor(
    message: string,
    readonly stopped = false,
  ) {
    super(message);
  }
}

/** A finite number, or a failure naming the quantity. */
export function finite(x: number, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new ResultFailure(`the numerical core returned a non-finite ${what} (${x})`);
  }
  return x === 0 ? 0 : x; // no -0 in JSON
}

/** A number that may be ±∞ (→ null); NaN is a failure. */
export function num(x: number, what: string): Num {
  if (typeof x !== 'number' || Number.isNaN(x))
    throw new ResultFailure(`the numerical core returned NaN for ${what}`);
  return Number.isFinite(x) ? (x === 0 ? 0 : x) : null;
}
