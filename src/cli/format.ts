/**
 * Number formatting for human output. JSON keeps full precision; tables show 6 significant
 * digits, which is what a reader can compare at a glance, and switch to exponent notation where
 * fixed notation would hide the magnitude (tail masses of 1e-40 are normal here).
 */

const SIGNIFICANT = 6;

/** Formats a number that may be infinite (null means +∞ in the results contract). */
export function formatNumber(x: number | null | undefined): string {
  if (x === null) return '∞';
  if (x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e9) {
    // toPrecision then drop trailing zeros: 1.50000 → 1.5, 2.00000 → 2.
    const fixed = x.toPrecision(SIGNIFICANT);
    return fixed.includes('e') ? fixed : trimZeros(fixed);
  }
  const [mantissa, exponent] = x.toExponential(SIGNIFICANT - 1).split('e');
  return `${trimZeros(mantissa)}e${exponent}`;
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Integers (sample counts, n) print without exponent as long as they are exact. */
export function formatCount(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : formatNumber(x);
}
