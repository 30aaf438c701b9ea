/**
 * How a query's numeric argument is written, which decides what setting it from outside (the
 * preview's sliders through the server's alignLab/setParameter) does to the source:
 *
 *   - a number literal (`delta = 4`, `beta = -1`): the literal is replaced;
 *   - `let`: a plain reference to a `let` whose value is a number literal and that is referenced
 *     nowhere else (`let budget = 16` … `delta = budget`): the let's value is moved, so the
 *     query keeps its reference;
 *   - `reference`: a reference to a `let` that is used elsewhere too, or whose value is not a
 *     plain number (`let budget = per_token * 32`): a number replaces the reference, and the
 *     link to the let is gone — the preview says so before a drag;
 *   - `expression`: any other expression (`2 * 0.5`, `exp(16)`): a number replaces it.
 *
 * Syntactic (the tree and the symbol index), so it also describes documents with errors.
 */
import type * as A from '../syntax/ast.js';
import type { SymbolDefinition, SymbolIndex } from './symbols.js';

export type ParamSourceKind = 'literal' | 'let' | 'reference' | 'expression';

export interface ParamSourceInfo {
  readonly kind: ParamSourceKind;
  /** `let` and `reference`: the let's definition (its declaration holds the value). */
  readonly definition?: SymbolDefinition;
  /** `let` and `reference`: how many references the let has in the whole document. */
  readonly uses?: number;
  /** What to rewrite: the literal (`literal`), the let's value (`let`), else the argument's value. */
  readonly target: A.Expr;
}

/** A number literal, possibly signed: `4`, `-1`, `+0.5`. */
export function isNumberLiteral(e: A.Expr | A.RangeExpr): boolean {
  if (e.kind === 'number') return true;
  return e.kind === 'unary' && e.operand.kind === 'number';
}

/** Reference counts per definition, computed once per symbol index (only when a let is referenced). */
const useCounts = new WeakMap<SymbolIndex, Map<SymbolDefinition, number>>();

function usesOf(symbols: SymbolIndex, definition: SymbolDefinition): number {
  let counts = useCounts.get(symbols);
  if (!counts) {
    counts = new Map();
    for (const r of symbols.references)
      if (r.definition) counts.set(r.definition, (counts.get(r.definition) ?? 0) + 1);
    useCounts.set(symbols, counts);
  }
  return counts.get(definition) ?? 0;
}

/** How the value `value` of a named argument is written (see the module comment). */
export function paramSource(value: A.Expr, symbols: SymbolIndex): ParamSourceInfo {
  if (isNumberLiteral(value)) return { kind: 'literal', target: value };
  if (value.kind !== 'identifier') return { kind: 'expression', target: value };
  const definition = symbols.lookup('let', value.name);
  if (definition?.declaration.kind !== 'let') return { kind: 'expression', target: value };
  const uses = usesOf(symbols, definition);
  const letValue = definition.declaration.value;
  if (uses === 1 && letValue && isNumberLiteral(letValue))
    return { kind: 'let', definition, uses, target: letValue };
  return { kind: 'reference', definition, uses, target: value };
}
