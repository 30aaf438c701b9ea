/**
 * The classes the parser builds the syntax tree from (ast.ts declares their shapes).
 *
 * A node keeps its offsets and computes its LSP `range` from the document's line index on first
 * access (then keeps it, so `node.range` is one object, as before). Why: a range is three objects
 * (`{ start: {line, character}, end: {…} }`); built eagerly for every node, ranges were three
 * quarters of the objects a 10,000-line file allocated and kept alive, while parsing and checking
 * read none of them (diagnostics convert offsets themselves). Hosts that show a node — hover,
 * go-to-definition, the results' ranges — pay only for the nodes they show.
 *
 * The line index and the cached range are private fields, so they are not own enumerable
 * properties: nodes compare (deepEqual) like plain objects of their class, and `toJSON` writes
 * `range` out, so a tree serialises exactly as the plain objects it replaced.
 */

import type { Range } from '../../presentation/results.js';
import type * as A from './ast.js';
import type { LineIndex } from './positions.js';

/** A source span: offsets plus a lazily computed range. Also the node of a bare keyword. */
export class Span implements A.NodeBase {
  declare readonly start: number;
  declare readonly end: number;
  readonly #lines: LineIndex;
  #range: Range | undefined;

  constructor(lines: LineIndex, start: number, end: number) {
    this.start = start;
    this.end = end;
    this.#lines = lines;
  }

  get range(): Range {
    this.#range ??= this.#lines.range(this.start, this.end);
    return this.#range;
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class IdentifierNode extends Span implements A.Identifier {
  readonly kind = 'identifier';
  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly name: string,
  ) {
    super(lines, start, end);
  }
}

export class StringNode extends Span implements A.StringLiteral {
  readonly kind = 'string';
  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly value: string,
  ) {
    super(lines, start, end);
  }
}

export class NumberNode extends Span implements A.NumberLiteral {
  readonly kind = 'number';
  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly value: number,
    readonly text: string,
  ) {
    super(lines, start, end);
  }
}

export class UnaryNode extends Span implements A.UnaryExpr {
  readonly kind = 'unary';
  constructor(
    lines: LineIndex,
    start: number,
    readonly op: A.UnaryExpr['op'],
    readonly operand: A.Expr,
  ) {
    super(lines, start, operand.end);
  }
}

export class BinaryNode extends Span implements A.BinaryExpr {
  readonly kind = 'binary';
  constructor(
    lines: LineIndex,
    readonly op: A.BinaryExpr['op'],
    readonly left: A.Expr,
    readonly right: A.Expr,
  ) {
    super(lines, left.start, right.end);
  }
}

export class CallNode extends Span implements A.CallExpr {
  readonly kind = 'call';
  constructor(
    lines: LineIndex,
    end: number,
    readonly callee: A.Identifier,
    readonly args: A.Expr[],
  ) {
    super(lines, callee.start, end);
  }
}

export class ParenNode extends Span implements A.ParenExpr {
  readonly kind = 'paren';
  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly inner: A.Expr,
  ) {
    super(lines, start, end);
  }
}

/** An empty span where an expression was required (already diagnosed). */
export class ErrorNode extends Span implements A.ErrorExpr {
  readonly kind = 'error';
  constructor(lines: LineIndex, at: number) {
    super(lines, at, at);
  }
}

export class RangeNode extends Span implements A.RangeExpr {
  readonly kind = 'range';
  constructor(
    lines: LineIndex,
    readonly from: A.Expr,
    readonly to: A.Expr,
  ) {
    super(lines, from.start, to.end);
  }
}

export class TokenNameNode extends Span implements A.TokenName {
  readonly kind = 'token-name';
  constructor(
    lines: LineIndex,
    start: number,
    end: number,
    readonly name: string,
    readonly quoted: boolean,
  ) {
    super(lines, start, end);
  }
}

export class FieldNode extends Span implements A.Field {
  readonly kind = 'field';
  readonly row?: A.TokenName;
  readonly source?: A.StringLiteral;
  constructor(
    lines: LineIndex,
    end: number,
    readonly name: A.Identifier,
    readonly items: (A.Expr | A.TokenName)[],
    extra?: { readonly row?: A.TokenName; readonly source?: A.StringLiteral },
  ) {
    super(lines, name.start, end);
    if (extra?.row) this.row = extra.row;
    if (extra?.source) this.source = extra.source;
  }
}

/** What a model or policy body yields: its fields and the offsets of `{` and `}` if present. */
export interface Body {
  readonly fields: A.Field[];
  readonly open?: number;
  readonly close?: number;
}

export class ModelNode extends Span implements A.ModelDecl {
  readonly kind = 'model';
  readonly fields: A.Field[];
  readonly open?: number;
  readonly close?: number;
  readonly markov?: boolean;
  constructor(
    lines: LineIndex,
    end: number,
    readonly keyword: A.NodeBase,
    readonly name: A.Identifier | undefined,
    readonly source: A.StringLiteral | undefined,
    body: Body,
    markov = false,
  ) {
    super(lines, keyword.start, end);
    this.fields = body.fields;
    this.open = body.open;
    this.close = body.close;
    if (markov) this.markov = true;
  }
}

export class PolicyNode extends Span implements A.PolicyDecl {
  readonly kind = 'policy';
  readonly fields: A.Field[];
  readonly open?: number;
  readonly close?: number;
  constructor(
    lines: LineIndex,
    end: number,
    readonly keyword: A.NodeBase,
    readonly name: A.Identifier | undefined,
    readonly of: A.Identifier | undefined,
    body: Body,
  ) {
    super(lines, keyword.start, end);
    this.fields = body.fields;
    this.open = body.open;
    this.close = body.close;
  }
}

export class LetNode extends Span implements A.LetDecl {
  readonly kind = 'let';
  constructor(
    lines: LineIndex,
    end: number,
    readonly keyword: A.NodeBase,
    readonly name: A.Identifier | undefined,
    readonly value: A.Expr | undefined,
  ) {
    super(lines, keyword.start, end);
  }
}

export class PositionalArgNode extends Span implements A.PositionalArg {
  readonly kind = 'positional-arg';
  constructor(
    lines: LineIndex,
    readonly value: A.Expr,
  ) {
    super(lines, value.start, value.end);
  }
}

export class NamedArgNode extends Span implements A.NamedArg {
  readonly kind = 'named-arg';
  constructor(
    lines: LineIndex,
    end: number,
    readonly name: A.Identifier,
    readonly value: A.Expr | A.RangeExpr | undefined,
  ) {
    super(lines, name.start, end);
  }
}

export class QueryNode extends Span implements A.QueryStmt {
  readonly kind = 'query';
  constructor(
    lines: LineIndex,
    end: number,
    readonly name: A.Identifier,
    readonly args: A.Arg[],
    readonly open: number,
    readonly close: number | undefined,
  ) {
    super(lines, name.start, end);
  }
}

export class ProgramNode extends Span implements A.Program {
  readonly kind = 'program';
  constructor(
    lines: LineIndex,
    end: number,
    readonly statements: A.Statement[],
  ) {
    super(lines, 0, end);
  }
}
