/**
 * Evaluates expressions to `Value`s (see value.ts), reporting each problem once at the node
 * that causes it. `undefined` means "already diagnosed": callers stay silent about it, so one
 * bad `let` produces one diagnostic, not one per use.
 */
import type * as A from './ast.js';
import type { DiagnosticSink } from './diagnostics.js';
import { CONSTANTS, FUNCTIONS } from './queries.js';
import { didYouMean, suggest } from './suggest.js';
import * as V from './value.js';

export interface NameResolver {
  /** The value of a `let`, `undefined` if it is broken (diagnosed), or 'unknown'. */
  resolve(id: A.Identifier): V.Value | undefined | 'unknown';
  /** Names offered in "did you mean". */
  names(): Iterable<string>;
}

const CONSTANT_VALUES = new Map(CONSTANTS.map((c) => [c.name, V.fromNumber(c.value)]));
const FUNCTION_NAMES = FUNCTIONS.map((f) => f.name);

export function evalExpr(e: A.Expr, names: NameResolver, sink: DiagnosticSink): V.Value | undefined {
  const report = (node: A.NodeBase, message: string) => {
    sink.add('not-finite', node.start, node.end, message);
    return undefined;
  };
  const lift = (node: A.NodeBase, o: V.Outcome) => (o.ok ? o.value : report(node, o.message));
  const go = (x: A.Expr): V.Value | undefined => {
    switch (x.kind) {
      case 'number': {
        if (Number.isFinite(x.value) && x.value !== 0) return V.fromNumber(x.value);
        const v = V.fromLiteral(x.text);
        return v ?? report(x, `'${x.text}' is not a number`);
      }
      case 'identifier': {
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
      case 'paren':
        return go(x.inner);
      case 'unary': {
        const v = go(x.operand);
        return v && (x.op === '-' ? V.negate(v) : v);
      }
      case 'binary': {
        // e^x is exp(x) exactly (Math.E ** x differs from Math.exp(x) in the last bits).
        if (
          x.op === '^' &&
          x.left.kind === 'identifier' &&
          x.left.name === 'e' &&
          names.resolve(x.left) === 'unknown'
        ) {
          const power = go(x.right);
          return power && lift(x, V.exp(power));
        }
        const a = go(x.left);
        const b = go(x.right);
        if (!a || !b) return undefined;
        const op =
          x.op === '+'
            ? V.add
            : x.op === '-'
              ? (u: V.Value, w: V.Value) => V.add(u, V.negate(w))
              : x.op === '*'
                ? V.multiply
                : x.op === '/'
                  ? V.divide
                  : V.power;
        return lift(x, op(a, b));
      }
      case 'call': {
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
          sink.add(
            'type-mismatch',
            x.start,
            x.end,
            `${name} takes exactly one argument, not ${x.args.length}`,
          );
          return undefined;
        }
        const v = go(x.args[0]);
        return v && lift(x, f(v));
      }
      case 'string':
        sink.add('type-mismatch', x.start, x.end, 'a quoted string cannot be used as a number');
        return undefined;
      case 'error':
        return undefined;
    }
  };
  return go(e);
}

/** A finite double from a value, reporting overflow at `node`. */
export function toDouble(
  v: V.Value,
  node: A.NodeBase,
  sink: DiagnosticSink,
  what = 'this value',
): number | undefined {
  if (Number.isFinite(v.num)) return v.num;
  sink.add(
    'not-finite',
    node.start,
    node.end,
    `${what} (${V.describe(v)}) overflows a double; only N of best-of-N accepts numbers this large`,
  );
  return undefined;
}
