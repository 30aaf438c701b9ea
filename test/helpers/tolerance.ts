/**
 * Shared numeric assertions for the tests.
 *
 * `assertClose(actual, expected, { rel, abs?, context })` passes when
 * |actual − expected| ≤ max(rel·|expected|, abs). Infinities must match exactly (same sign); NaN
 * never passes. The failure message prints the context (the inputs), the value, the expected
 * value, the absolute and relative errors and the tolerance, so a failure can be reproduced
 * from the message alone.
 */
import assert from 'node:assert/strict';

export interface CloseOptions {
  /** Relative tolerance, measured against |expected|. */
  readonly rel: number;
  /** Absolute floor (default 0): for expected values that are (close to) zero. */
  readonly abs?: number;
  /** What was computed, and from which inputs (printed on failure). */
  readonly context?: unknown;
}

/** |a − e| / |e| (∞ when e = 0 ≠ a, 0 when equal). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** True when `actual` is within the tolerance of `expected` (see `assertClose`). */
export function isClose(actual: number, expected: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return false;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

function describe(context: unknown): string {
  if (context === undefined) return '';
  if (typeof context === 'string') return context;
  try {
    return JSON.stringify(context, (_k, v) =>
      typeof v === 'number' && !Number.isFinite(v)
        ? String(v)
        : ArrayBuffer.isView(v)
          ? Array.from(v as Float64Array)
          : v,
    );
  } catch {
    return String(context);
  }
}

/** Asserts that `actual` is close to `expected` (see the module comment). */
export function assertClose(actual: number, expected: number, options: CloseOptions): void {
  const { rel, abs = 0, context } = options;
  if (isClose(actual, expected, rel, abs)) return;
  const absErr = Math.abs(actual - expected);
  assert.fail(
    `${describe(context)}\n  value:    ${actual}\n  expected: ${expected}\n` +
      `  abs err:  ${absErr}\n  rel err:  ${relativeError(actual, expected)}\n` +
      `  tolerance: rel ${rel}${abs > 0 ? `, abs ${abs}` : ''}`,
  );
}

/** Element-wise `assertClose`; lengths must agree. The index is added to the context. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: CloseOptions,
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${describe(options.context)}: length ${actual.length} ≠ ${expected.length}`,
  );
  for (let i = 0; i < expected.length; i++) {
    assertClose(actual[i], expected[i], { ...options, context: `${describe(options.context)} [index ${i}]` });
  }
}
