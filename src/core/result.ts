/**
 * Typed results for the numerical core.
 *
 * Every exported core function that can receive bad input returns a `Result<T>` instead of
 * throwing or returning NaN. Inside the core, code may throw a `CoreFailure` (cheap to write at
 * the point where the problem is detected); `guard` converts it — and any unexpected exception —
 * into a failed `Result` at the API boundary, so no throw ever escapes.
 */

/** Stable machine-readable error codes; the language layer maps them to diagnostics. */
export type CoreErrorCode =
  | 'empty-vocabulary' // no tokens, or no token with positive probability
  | 'invalid-probability' // negative, NaN or infinite probability, or zero total mass
  | 'invalid-reward' // NaN or infinite reward
  | 'length-mismatch' // arrays that must align do not
  | 'invalid-argument' // a scalar parameter is NaN, infinite where it must be finite, or of the wrong sign
  | 'out-of-range' // a parameter lies outside its admissible interval (e.g. x outside [r_min, r_max])
  | 'too-large' // an exact computation would exceed the configured size limit
  | 'numerical-failure' // an iteration did not converge or a result was not finite
  | 'work-budget-exceeded' // the host's work budget, deadline or cancellation stopped it (workBudget.ts)
  | 'internal-error'; // a bug: an unexpected exception was caught at the API boundary

export interface CoreError {
  readonly code: CoreErrorCode;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CoreError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(
  code: CoreErrorCode,
  message: string,
): { readonly ok: false; readonly error: CoreError } {
  return { ok: false, error: { code, message } };
}

/** Thrown inside the core; never escapes an exported function (see `guard`). */
export class CoreFailure extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreFailure';
  }
}

/**
 * Throws a CoreFailure when `condition` is false. The message is an argument, so it is built on
 * every call: a check that runs per evaluation (root solvers, curves) and formats a number into
 * its message tests first and throws only on failure — formatting a double as text costs more
 * than evaluating the tilt it guards.
 */
export function require(condition: boolean, code: CoreErrorCode, message: string): asserts condition {
  if (!condition) throw new CoreFailure(code, message);
}

/** Runs `compute`, turning any exception into a failed Result. */
export function guard<T>(compute: () => T): Result<T> {
  try {
    return ok(compute());
  } catch (e) {
    if (e instanceof CoreFailure) return fail(e.code, e.message);
    const message = e instanceof Error ? e.message : String(e);
    return fail('internal-error', `unexpected failure in the numerical core: ${message}`);
  }
}

/** Unwraps a Result inside the core (re-throws its error as a CoreFailure). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new CoreFailure(result.error.code, result.error.message);
}
