/**
 * Number formatting for hovers and inlay hints: `digits` significant digits, trailing zeros
 * dropped, scientific notation outside [1e-4, 1e6), `∞` for the infinities the math allows (sent
 * as null in the results contract), a true minus sign.
 */
import type { Num } from '../presentation/results.js';

export function fmt(x: Num | undefined, digits: number): string {
  if (x === null) return '∞';
  if (x === undefined || Number.isNaN(x)) return '—';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  let s: string;
  if (abs >= 1e-4 && abs < 1e6) {
    s = x.toPrecision(digits);
    if (s.includes('e')) s = Number(s).toString();
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  } else {
    const [mant, exp] = x.toExponential(digits - 1).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    s = `${m}e${Number(exp)}`;
  }
  return s.replace(/^-/, '−');
}
