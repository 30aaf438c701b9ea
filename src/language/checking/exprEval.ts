/**
 * Evaluates expressions to `Value`s (see value.ts), reporting each problem once at the node
 * that causes it. `undefined` means "already diagnosed": callers stay silent about it, so one
 * bad `let` produces one diagnostic, not one per use.
 */

import { CONSTANTS, FUNCTIONS } from '../../presentation/queries.js';
import type { DiagnosticSink } from '../diagnostics.js';
import { didYouMean, suggest } from '../suggest.js';
import type * as A from '../syntax/ast.js';
import { walkExpr } from '../syntax/walk.js';
import * as V from './value.js';

export interface NameResolver {
  /** The value of a `let`, `undefined` if it is broken (diagnosed), or 'unknown'. */
  resolve(id: A.Identifier): V.Value | undefined | 'unknown';
  /** Names offered in "did you mean". */
  names(): Iterable<string>;
  /** The 1-based line where the `let` is defined (for messages), if it is one. */
  lineOf?(name: string): number | undefined;
}

const CONSTANT_VALUES = new Map(CONSTANTS.map((c) => [c.name, V.fromNumber(c.value)]));
const FUNCTION_NAMES = FUNCTIONS.map((f) => f.name);

export function evalExpr(e: A.Expr, names: NameResolver, sink: DiagnosticSink): V.Value | undefined {
  // Plain recursion with the context passed along (no closures per call: a 10,000-line file
  // evaluates thousands of parameters, and each closure is an allocation).
  switch (e.kind) {
    case 'number':
      if (Number.isFinite(e.value) && e.value !== 0) return V.fromNumber(e.value);
      return literalValue(e, sink);
    case 'identifier':
      return evalName(e, names, sink);
    case 'paren':
      return evalExpr(e.inner, names, sink);
    case 'unary': {
      const v = evalExpr(e.operand, names, sink);
      return v && (e.op === '-' ? V.negate(v) : v);
    }
    case 'binary':
      return evalBinary(e, names, sink);
    case 'call':
      return evalCall(e, names, sink);
    case 'string':
      sink.add('type-mismatch', e.start, e.end, 'a quoted string cannot be used as a number');
      return undefined;
    case 'error':
      return undefined;
  }
}

/**
 * A number literal that is not a nonzero double, treated the same whatever its spelling (1e400,
 * a 401-digit integer, 0.000…1): beyond the largest double it is a value in log form, exactly as
 * `10^400` or `exp(921)` would be — best-of-N's N takes it, and any other use reports that it
 * overflows a double (`toDouble`); a nonzero literal below the smallest double is 0, with the
 * warning `underflow-to-zero`.
 */
function literalValue(e: A.NumberLiteral, sink: DiagnosticSink): V.Value | undefined {
  if (Number.isNaN(e.value)) return notFinite(sink, e, `'${abbreviate(e.text)}' is not a number`);
  if (!Number.isFinite(e.value)) {
    const log = literalLog(e.text);
    return log === undefined
      ? notFinite(sink, e, `'${abbreviate(e.text)}' is not a number`)
      : V.fromLog(1, log);
  }
  if (nonzeroLiteral(e.text))
    sink.add(
      'underflow-to-zero',
      e.start,
      e.end,
      `the number ${abbreviate(e.text)} is below the smallest positive double (≈ 4.9e−324): it is 0 in double precision`,
    );
  return V.ZERO;
}

/**
 * The natural log of a decimal literal (digits, an optional point and exponent), from its text:
 * the first 17 significant digits carry all a double can hold, the rest shift the exponent.
 */
function literalLog(text: string): number | undefined {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const whole = m[1] ?? '';
  const fraction = m[2] ?? '';
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return undefined;
  // Value = 0.d₁d₂… × 10^(position of the point relative to the first significant digit).
  const leadingZeros = (whole + fraction).length - (whole + fraction).replace(/^0+/, '').length;
  const exponent10 = whole.length - leadingZeros + Number(m[3] ?? 0);
  const mantissa = Number(`0.${digits.slice(0, 17)}`);
  return Math.log(mantissa) + exponent10 * Math.LN10;
}

/** Whether a literal's mantissa (the digits before any exponent) has a nonzero digit. */
function nonzeroLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) return false; // e, E: the exponent starts
    if (c >= 49 && c <= 57) return true;
  }
  return false;
}

/** A literal for a message: long digit strings shortened to their ends and length. */
function abbreviate(text: string): string {
  return text.length <= 24 ? text : `${text.slice(0, 10)}…${text.slice(-6)} (${text.length} characters)`;
}

/** Reports a value that is not a finite number at `node`; undefined (diagnosed). */
function notFinite(sink: DiagnosticSink, node: A.NodeBase, message: string): undefined {
  sink.add('not-finite', node.start, node.end, message);
  return undefined;
}

/** The value of an operation, or undefined after reporting its failure at `node`. */
function lift(sink: DiagnosticSink, node: A.NodeBase, o: V.Outcome): V.Value | undefined {
  return o.ok ? o.value : notFinite(sink, node, o.message);
}

/** A `let`, else a constant, else an unknown name (diagnosed with a suggestion). */
function evalName(x: A.Identifier, names: NameResolver, sink: DiagnosticSink): V.Value | undefined {
  const r = names.resolve(x);
  if (r !== 'unknown') return r;
  const c = CONSTANT_VALUES.get(x.name);
  if (c) return c;
  const suggestion = suggest(x.name, [...names.names(), ...CONSTANT_VALUES.keys()]);
  sink.add(
    'unknown-name',
    x.start,
    x.end,
    `unknown name '${x.name}'${didYouMean(suggestion)}`,
    suggestion ? { suggestion } : undefined,
  );
  return undefined;
}

function evalBinary(x: A.BinaryExpr, names: NameResolver, sink: DiagnosticSink): V.Value | undefined {
  // e^x is exp(x) exactly (Math.E ** x differs from Math.exp(x) in the last bits).
  if (
    x.op === '^' &&
    x.left.kind === 'identifier' &&
    x.left.name === 'e' &&
    names.resolve(x.left) === 'unknown'
  ) {
    const power = evalExpr(x.right, names, sink);
    return power && lift(sink, x, V.exp(power));
  }
  const a = evalExpr(x.left, names, sink);
  const b = evalExpr(x.right, names, sink);
  if (!a || !b) return undefined;
  return lift(sink, x, applyBinary(x.op, a, b));
}

function applyBinary(op: A.BinaryExpr['op'], a: V.Value, b: V.Value): V.Outcome {
  switch (op) {
    case '+':
      return V.add(a, b);
    case '-':
      return V.add(a, V.negate(b));
    case '*':
      return V.multiply(a, b);
    case '/':
      return V.divide(a, b);
    case '^':
      return V.power(a, b);
  }
}

function evalCall(x: A.CallExpr, names: NameResolver, sink: DiagnosticSink): V.Value | undefined {
  const name = x.callee.name;
  const f = name === 'exp' ? V.exp : name === 'log' ? V.log : name === 'sqrt' ? V.sqrt : undefined;
  if (!f) {
    const suggestion = suggest(name, FUNCTION_NAMES);
    sink.add(
      'unknown-function',
      x.callee.start,
      x.callee.end,
      `unknown function '${name}' (the functions are exp, log, sqrt)${didYouMean(suggestion)}`,
      suggestion ? { suggestion } : undefined,
    );
    return undefined;
  }
  if (x.args.length !== 1) {
    sink.add('type-mismatch', x.start, x.end, `${name} takes exactly one argument, not ${x.args.length}`);
    return undefined;
  }
  const v = evalExpr(x.args[0], names, sink);
  return v && lift(sink, x, f(v));
}

/**
 * A finite double from a value, reporting overflow at `node`. `param` names the parameter in
 * the message (the message is built only when there is something to report).
 */
export function toDouble(
  v: V.Value,
  node: A.NodeBase,
  sink: DiagnosticSink,
  param?: string,
): number | undefined {
  if (Number.isFinite(v.num)) return v.num;
  const what = param === undefined ? 'this value' : `'${param}'`;
  sink.add(
    'not-finite',
    node.start,
    node.end,
    `${what} (${V.describe(v)}) overflows a double; only N of best-of-N accepts numbers this large`,
  );
  return undefined;
}

/**
 * A value that is missing because of an error reported elsewhere — a broken, cyclic or unknown
 * `let` it refers to. Nothing may run with a default in its place: report it where it is used,
 * naming the `let`, so the statement is blocked and the reader sees why right there.
 * `what` names the value in the message (`'delta'`, `this probability`).
 */
export function reportBrokenValue(
  what: string,
  value: A.Expr | A.RangeExpr,
  names: NameResolver,
  sink: DiagnosticSink,
  consequence = '',
): void {
  const broken = brokenLet(value, names);
  // A syntax error inside the value was reported where it is: nothing to add.
  if (broken === undefined && containsErrorNode(value)) return;
  const why = broken
    ? `'${broken.name}'${broken.line ? ` (line ${broken.line})` : ''} has an error`
    : 'its value has an error reported elsewhere';
  sink.add(
    'invalid-argument',
    value.start,
    value.end,
    `${what} has no value: ${why}${consequence}`,
    broken ? { let: broken.name } : undefined,
  );
}

function containsErrorNode(e: A.Expr | A.RangeExpr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'error') found = true;
  });
  return found;
}

/** The first `let` the expression uses whose value is broken (diagnosed where it is defined). */
function brokenLet(
  e: A.Expr | A.RangeExpr,
  names: NameResolver,
): { name: string; line: number | undefined } | undefined {
  let found: { name: string; line: number | undefined } | undefined;
  walkExpr(e, (x) => {
    if (found === undefined && x.kind === 'identifier' && names.resolve(x) === undefined)
      found = { name: x.name, line: names.lineOf?.(x.name) };
  });
  return found;
}
