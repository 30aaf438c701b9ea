/**
 * Numbers of the expression language. A value keeps both its double and its logarithm, so
 * quantities far beyond the double range survive: `exp(1000)`, `e^1000`, `10^400`, `2^5000` and
 * their products and quotients are held as (sign, log|x|). (A literal is a double: `1e400` is an
 * error, see exprEval.ts.) Only a parameter that accepts such
 * values (N of best-of-N) reads the log; every other use requires a finite double.
 */

import { formatNumber } from '../../presentation/format.js';

export interface Value {
  readonly sign: -1 | 0 | 1;
  /** log|x| (−∞ for 0). Accurate even when `num` has overflowed or underflowed. */
  readonly log: number;
  /** The value as a double: ±∞ on overflow, 0 on underflow of a non-zero value. */
  readonly num: number;
}

export const ZERO: Value = { sign: 0, log: Number.NEGATIVE_INFINITY, num: 0 };

/** A finite double as a Value (callers reject NaN/±∞ before). */
export function fromNumber(x: number): Value {
  if (x === 0) return ZERO;
  return { sign: x > 0 ? 1 : -1, log: Math.log(Math.abs(x)), num: x };
}

/** sign · e^log. */
export function fromLog(sign: -1 | 0 | 1, log: number): Value {
  if (sign === 0 || log === Number.NEGATIVE_INFINITY) return ZERO;
  return { sign, log, num: sign * Math.exp(log) };
}

/** True when `num` represents the value exactly as a double (no overflow, no underflow to 0). */
export function isDouble(v: Value): boolean {
  return Number.isFinite(v.num) && (v.num !== 0 || v.sign === 0);
}

export type Outcome = { ok: true; value: Value } | { ok: false; message: string };
const good = (value: Value): Outcome => ({ ok: true, value });
const bad = (message: string): Outcome => ({ ok: false, message });

/** log(e^a + e^b) for a ≥ b. */
function logAdd(a: number, b: number): number {
  return a + Math.log1p(Math.exp(b - a));
}

export function add(a: Value, b: Value): Outcome {
  if (isDouble(a) && isDouble(b)) {
    const s = a.num + b.num;
    if (Number.isFinite(s)) return good(fromNumber(s));
  }
  if (a.sign === 0) return good(b);
  if (b.sign === 0) return good(a);
  const [big, small] = a.log >= b.log ? [a, b] : [b, a];
  if (big.sign === small.sign) return good(fromLog(big.sign, logAdd(big.log, small.log)));
  if (big.log === small.log) return good(ZERO);
  // |big| − |small| = |big| (1 − e^{small−big}); log1p(−e^{d}) with d < 0 stays accurate.
  return good(fromLog(big.sign, big.log + Math.log1p(-Math.exp(small.log - big.log))));
}

export function negate(a: Value): Value {
  return { sign: (-a.sign || 0) as -1 | 0 | 1, log: a.log, num: -a.num || 0 };
}

export function multiply(a: Value, b: Value): Outcome {
  if (a.sign === 0 || b.sign === 0) return good(ZERO);
  if (isDouble(a) && isDouble(b)) {
    const m = a.num * b.num;
    if (Number.isFinite(m) && m !== 0) return good(fromNumber(m));
  }
  return good(fromLog((a.sign * b.sign) as -1 | 1, a.log + b.log));
}

export function divide(a: Value, b: Value): Outcome {
  if (b.sign === 0) return bad('division by zero');
  if (a.sign === 0) return good(ZERO);
  if (isDouble(a) && isDouble(b)) {
    const q = a.num / b.num;
    if (Number.isFinite(q) && q !== 0) return good(fromNumber(q));
  }
  return good(fromLog((a.sign * b.sign) as -1 | 1, a.log - b.log));
}

export function exp(x: Value): Outcome {
  if (!isDouble(x)) return bad('exp of a number this large cannot be represented, even in log form');
  return good({ sign: 1, log: x.num, num: Math.exp(x.num) });
}

export function log(x: Value): Outcome {
  if (x.sign <= 0) return bad(`log of ${x.sign === 0 ? 'zero' : 'a negative number'}`);
  return good(fromNumber(x.log));
}

export function sqrt(x: Value): Outcome {
  if (x.sign < 0) return bad('square root of a negative number');
  if (x.sign === 0) return good(ZERO);
  if (isDouble(x)) return good({ sign: 1, log: x.log / 2, num: Math.sqrt(x.num) });
  return good(fromLog(1, x.log / 2));
}

export function power(base: Value, exponent: Value): Outcome {
  if (!isDouble(exponent)) return bad('the exponent is too large');
  const b = exponent.num;
  if (base.sign === 0) {
    if (b > 0) return good(ZERO);
    if (b === 0) return good(fromNumber(1));
    return bad('division by zero (0 raised to a negative power)');
  }
  if (base.sign < 0 && !Number.isInteger(b)) return bad('a negative number raised to a fractional power');
  if (isDouble(base)) {
    const r = base.num ** b;
    if (Number.isFinite(r) && r !== 0) return good(fromNumber(r));
  }
  const sign = base.sign < 0 && Math.abs(b % 2) === 1 ? -1 : 1;
  const l = b * base.log;
  if (Number.isNaN(l)) return bad('the power is not a number');
  if (l === Number.POSITIVE_INFINITY) return bad('the power is too large to represent, even in log form');
  return good(fromLog(sign, l));
}

/** A human description of a value, also of a log-form one: "≈ 1.9700e434". */
export function describe(v: Value): string {
  if (isDouble(v)) return formatNumber(v.num, 10);
  const decimal = v.log / Math.LN10;
  const exponent = Math.floor(decimal);
  const mantissa = 10 ** (decimal - exponent);
  return `${v.sign < 0 ? '−' : ''}≈ ${formatNumber(mantissa)}e${exponent < 0 ? '−' : ''}${Math.abs(exponent)}`;
}
