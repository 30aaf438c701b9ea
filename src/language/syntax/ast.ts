/**
 * The `.align` syntax tree. Every node carries its source offsets (`start`, `end`: UTF-16
 * indices into the text) and the matching LSP `range`, computed on first access (the parser
 * builds its nodes from the classes of syntaxNodes.ts). Nodes are JSON-able: `JSON.stringify`
 * writes every field, `range` included.
 */
import type { Range } from '../../presentation/results.js';

export interface NodeBase {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

export interface Identifier extends NodeBase {
  readonly kind: 'identifier';
  readonly name: string;
}

export interface StringLiteral extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}

export interface NumberLiteral extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
  readonly text: string;
}

export interface UnaryExpr extends NodeBase {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
}

export interface BinaryExpr extends NodeBase {
  readonly kind: 'binary';
  readonly op: '+' | '-' | '*' | '/' | '^';
  readonly left: Expr;
  readonly right: Expr;
}

export interface CallExpr extends NodeBase {
  readonly kind: 'call';
  readonly callee: Identifier;
  readonly args: Expr[];
}

export interface ParenExpr extends NodeBase {
  readonly kind: 'paren';
  readonly inner: Expr;
}

/** Placeholder where an expression was required but missing or malformed (already diagnosed). */
export interface ErrorExpr extends NodeBase {
  readonly kind: 'error';
}

export type Expr =
  | NumberLiteral
  | Identifier
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | ParenExpr
  | StringLiteral
  | ErrorExpr;

/** `a..b` in a query argument. */
export interface RangeExpr extends NodeBase {
  readonly kind: 'range';
  readonly from: Expr;
  readonly to: Expr;
}

/** A vocabulary entry: identifier, quoted string or number, kept as its token name. */
export interface TokenName extends NodeBase {
  readonly kind: 'token-name';
  readonly name: string;
  readonly quoted: boolean;
}

/** One line of a model or policy body: `vocab …`, `p …`, `reward …`, `length …`. */
export interface Field extends NodeBase {
  readonly kind: 'field';
  readonly name: Identifier;
  /** `vocab` holds token names; other fields hold expressions. */
  readonly items: (Expr | TokenName)[];
  /** A row of a `markov` model, `next FROM -> …` or `reward FROM -> …`: the token it is for. */
  readonly row?: TokenName;
  /** `next from "P.csv"`, `start from "s.csv"`: the file the field's values come from. */
  readonly source?: StringLiteral;
}

export interface ModelDecl extends NodeBase {
  readonly kind: 'model';
  readonly keyword: NodeBase;
  /** Declared with `markov` (a bigram model: start distribution and transition rows). */
  readonly markov?: boolean;
  readonly name: Identifier | undefined;
  /** `model m from "file.csv"` */
  readonly source: StringLiteral | undefined;
  readonly fields: Field[];
  /** Offsets of `{` and `}` when present (for folding and formatting). */
  readonly open?: number;
  readonly close?: number;
}

export interface PolicyDecl extends NodeBase {
  readonly kind: 'policy';
  readonly keyword: NodeBase;
  readonly name: Identifier | undefined;
  /** The model whose vocabulary and reward the policy uses (`policy q of toy`). */
  readonly of: Identifier | undefined;
  readonly fields: Field[];
  readonly open?: number;
  readonly close?: number;
}

export interface LetDecl extends NodeBase {
  readonly kind: 'let';
  readonly keyword: NodeBase;
  readonly name: Identifier | undefined;
  readonly value: Expr | undefined;
}

export interface PositionalArg extends NodeBase {
  readonly kind: 'positional-arg';
  readonly value: Expr;
}

export interface NamedArg extends NodeBase {
  readonly kind: 'named-arg';
  readonly name: Identifier;
  readonly value: Expr | RangeExpr | undefined;
}

export type Arg = PositionalArg | NamedArg;

export interface QueryStmt extends NodeBase {
  readonly kind: 'query';
  readonly name: Identifier;
  readonly args: Arg[];
  readonly open: number;
  /** Offset of `)`, undefined when it is missing (already diagnosed). */
  readonly close: number | undefined;
}

export type Statement = ModelDecl | PolicyDecl | LetDecl | QueryStmt;

export interface Program extends NodeBase {
  readonly kind: 'program';
  readonly statements: Statement[];
}

export type Node = Program | Statement | Field | Arg | Expr | RangeExpr | TokenName;
