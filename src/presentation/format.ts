/**
 * The one number formatter of Align Lab: every number a person reads — hovers, inlay hints,
 * diagnostics messages, CLI tables, the preview's formulas, tooltips and banner, the HTML report —
 * goes through `formatNumber`. JSON output keeps full precision and never comes here.
 *
 * Rules:
 *   - `digits` significant digits (alignLab.significantDigits; default 5), trailing zeros dropped;
 *   - fixed notation for 1e-4 ≤ |x| < 1e6, exponent notation outside it (`1.2346e−7`, `3e12`);
 *   - a true minus sign (U+2212) everywhere, also in the exponent;
 *   - `∞` for +∞ and for null (the results contract writes infinities as null), `−∞`, and `—` for
 *     a missing number or NaN (which the contract never contains, but a person must never see
 *     "NaN").
 */

/** Significant digits when the user has not chosen (alignLab.significantDigits, `--digits`). */
export const DEFAULT_SIGNIFICANT_DIGITS = 5;
/** Range of significant digits a setting may ask for. */
export const MIN_SIGNIFICANT_DIGITS = 3;
export const MAX_SIGNIFICANT_DIGITS = 10;

const MINUS = '\u2212';
/** Fixed notation from this magnitude (inclusive)… */
const FIXED_FROM = 1e-4;
/** …up to this one (exclusive). */
const FIXED_BELOW = 1e6;

/** A number for a person (see the module comment); `null` is +∞. */
export function formatNumber(x: number | null | undefined, digits = DEFAULT_SIGNIFICANT_DIGITS): string {
  if (x === null) return '∞';
  if (x === undefined || Number.isNaN(x)) return '—';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return `${MINUS}∞`;
  if (x === 0) return '0';
  const d = clampDigits(digits);
  const abs = Math.abs(x);
  let text: string;
  if (abs >= FIXED_FROM && abs < FIXED_BELOW) {
    text = x.toPrecision(d);
    // toPrecision switches to exponents by itself when d is smaller than the integer digits
    // (123456 at 5 digits → "1.2346e+5"); rounding can also carry to 1e6. Keep one rule: below
    // 1e6 print the rounded value in fixed notation.
    if (text.includes('e')) text = Number(text).toString();
    if (Math.abs(Number(text)) >= FIXED_BELOW) return formatExponent(x, d);
    text = trimZeros(text);
  } else return formatExponent(x, d);
  return text.replace('-', MINUS);
}

function formatExponent(x: number, digits: number): string {
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  const e = Number(exponent);
  return `${trimZeros(mantissa)}e${e < 0 ? MINUS : ''}${Math.abs(e)}`.replace('-', MINUS);
}

function clampDigits(digits: number): number {
  if (!Number.isFinite(digits)) return DEFAULT_SIGNIFICANT_DIGITS;
  return Math.min(MAX_SIGNIFICANT_DIGITS, Math.max(1, Math.round(digits)));
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Counts (n, samples, seeds, numbers of points): exact integers, else formatNumber. */
export function formatCount(x: number, digits = DEFAULT_SIGNIFICANT_DIGITS): string {
  return Number.isSafeInteger(x) ? String(x).replace('-', MINUS) : formatNumber(x, digits);
}

/**
 * An interval of admissible values, written as mathematicians do: `[0, ∞)`, `(0, 1]`. An
 * infinite end is always open; `min`/`max` undefined mean −∞/+∞.
 */
export function formatInterval(
  min: number | undefined,
  max: number | undefined,
  minExclusive = false,
  maxExclusive = false,
): string {
  const lo = min === undefined ? `(${MINUS}∞` : `${minExclusive ? '(' : '['}${formatNumber(min, 10)}`;
  const hi = max === undefined ? '∞)' : `${formatNumber(max, 10)}${maxExclusive ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

/** The text of a value that is either a number (null = ∞) or already words ("exact"). */
export function formatValue(
  value: number | null | string | undefined,
  digits = DEFAULT_SIGNIFICANT_DIGITS,
): string {
  return typeof value === 'string' ? value : formatNumber(value, digits);
}
