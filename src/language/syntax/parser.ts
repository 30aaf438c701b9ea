/**
 * Recursive-descent parser for `.align` with error recovery: a syntax error ends the current
 * argument, field or statement, and parsing resumes at the next `,`, line or statement, so one
 * typo never hides the rest of the file. Never throws.
 *
 * Grammar (line breaks and `;` separate statements and model fields):
 *   statement := model | policy | let | query
 *   model     := 'model' name ['from' string] ['{' field* '}']
 *   markov    := 'markov' name '{' field* '}'
 *   policy    := 'policy' name 'of' name '{' field* '}'
 *   let       := 'let' name '=' expr
 *   query     := name '(' [arg {',' arg}] ')'           (line breaks allowed inside)
 *   arg       := name '=' expr ['..' expr] | expr
 *   field     := name item*                           (`vocab`: token names; else expressions)
 *              | name token '->' item*                (a row of a markov model: `next a -> …`)
 *              | name 'from' string                   (values from a file: `next from "P.csv"`)
 *   expr      := term {('+'|'-') term};  term := unary {('*'|'/') unary}
 *   unary     := ('-'|'+') unary | power;  power := primary ['^' unary]
 *   primary   := number | name ['(' expr {',' expr} ')'] | string | '(' expr ')'
 * In a field's list, `0.5 -0.5` is two items: a sign with a space before and none after starts
 * a new item (`0.5 - 0.5` and `0.5-0.5` are one), as in Matlab's array literals.
 */

import { QUERY_BY_NAME } from '../../presentation/queries.js';
import type { Diagnostic } from '../../presentation/results.js';
import { DiagnosticSink } from '../diagnostics.js';
import { didYouMean, suggest } from '../suggest.js';
import type * as A from './ast.js';
import { compactField, compactLists, scanList } from './compactList.js';
import { lex, Scanner, type Token } from './lexer.js';
import { LineIndex } from './positions.js';
import * as N from './syntaxNodes.js';

export interface ParseResult {
  readonly ast: A.Program;
  /** All tokens, including comments and line breaks (for semantic tokens and formatting). */
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
  /** Diagnostics found but not kept (over the cap of diagnostics.ts), and the offset of the first. */
  readonly dropped: { readonly count: number; readonly at: number };
  /**
   * Names that a line which did not parse meant to define (`modle chat {` → chat, with the line):
   * the checker does not report their uses as unknown names, the syntax error is the cause.
   */
  readonly brokenDefinitions: ReadonlyMap<string, number>;
  readonly lines: LineIndex;
  readonly text: string;
}

export function parse(text: string): ParseResult {
  const lines = new LineIndex(text);
  const sink = new DiagnosticSink(lines);
  const parser = new Parser(new Scanner(text, false), lines, sink);
  const ast = parser.program();
  const diagnostics = sink.items.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  // The parser lexes on demand and skips plain model lists (compactList.ts); the complete token
  // list (comments, line breaks, every list item) is built only when a host asks for it.
  let tokens: Token[] | undefined;
  return {
    ast,
    get tokens(): Token[] {
      tokens ??= lex(text);
      return tokens;
    },
    diagnostics,
    dropped: { count: sink.dropped, at: sink.firstDroppedAt },
    brokenDefinitions: parser.broken,
    lines,
    text,
  };
}

/** Token window size, and how many tokens behind `pos` it keeps (the parser needs one). */
const WINDOW = 1024;
const KEEP_BEHIND = 8;

const STATEMENT_KEYWORDS = new Set(['model', 'markov', 'policy', 'let']);

class Parser {
  private pos = 0;
  /**
   * A window of the significant tokens (no comments, no invalid characters): `toks[k]` is token
   * `base + k`. The parser looks back one token at most, so tokens far behind `pos` are dropped
   * (`pull`): keeping 100,000 of them alive until the end made the garbage collector copy them.
   */
  private toks: Token[] = [];
  private base = 0;
  /** Lexer diagnostics are reported for tokens starting at or after this offset only once. */
  private reportedTo = 0;
  /** > 0 inside a query's parentheses, where line breaks are insignificant. */
  private newlinesIgnored = 0;
  /** Offset of the last reported error: one error per position, to avoid cascades. */
  private lastErrorAt = -1;

  constructor(
    private readonly scanner: Scanner,
    private readonly lines: LineIndex,
    private readonly sink: DiagnosticSink,
  ) {}

  /** Significant token j, lexing up to it on demand (past the end: `eof` again). */
  private tok(j: number): Token {
    while (j >= this.base + this.toks.length) {
      const toks = this.toks;
      const last = toks.length > 0 ? toks[toks.length - 1] : undefined;
      if (last?.kind === 'eof') return last;
      this.pull();
    }
    return this.toks[j - this.base];
  }

  /**
   * Lexes the next significant token (the scanner skips comments), reporting invalid characters
   * and open strings.
   */
  private pull(): void {
    for (;;) {
      const t = this.scanner.next();
      const fresh = t.start >= this.reportedTo;
      if (fresh) this.reportedTo = t.end;
      if (t.kind === 'invalid') {
        if (fresh) this.sink.add('invalid-character', t.start, t.end, `unexpected character '${t.text}'`);
        continue;
      }
      if (t.kind === 'string' && !t.terminated && fresh)
        this.sink.add('unterminated-string', t.start, t.end, 'this string has no closing quote');
      if (this.toks.length >= WINDOW && this.pos - this.base > WINDOW / 2) {
        const drop = this.pos - this.base - KEEP_BEHIND;
        this.toks = this.toks.slice(drop);
        this.base += drop;
      }
      this.toks.push(t);
      return;
    }
  }

  // ── token access ────────────────────────────────────────────────────────────────────────

  private peek(): Token {
    if (this.newlinesIgnored > 0) {
      let j = this.pos;
      while (this.tok(j).kind === 'newline') j++;
      // An unclosed query must not swallow the next statement: stop at a line that starts one.
      if (j > this.pos && this.startsStatement(j)) return this.tok(this.pos);
      this.pos = j;
    }
    return this.tok(this.pos);
  }

  private peekAt(k: number): Token {
    return this.tok(this.pos + k);
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'operator' || t.kind === 'punctuation' || t.kind === 'keyword') && t.text === text;
  }

  private eat(text: string): Token | undefined {
    return this.is(text) ? this.next() : undefined;
  }

  private atLineEnd(): boolean {
    const t = this.peek();
    return t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punctuation' && t.text === ';');
  }

  /** Whether token j begins a statement: a statement keyword, or `query(` with a known query. */
  private startsStatement(j: number): boolean {
    const t = this.tok(j);
    if (t.kind === 'keyword') return STATEMENT_KEYWORDS.has(t.text);
    return t.kind === 'identifier' && QUERY_BY_NAME.has(t.text) && this.tok(j + 1).text === '(';
  }

  private atLineStart(j: number): boolean {
    return j === 0 || this.tok(j - 1).kind === 'newline';
  }

  private span(t: Token): A.NodeBase {
    return new N.Span(this.lines, t.start, t.end);
  }

  private identifier(t: Token): A.Identifier {
    return new N.IdentifierNode(this.lines, t.start, t.end, t.text);
  }

  private error(at: Token, message: string): void {
    if (at.start === this.lastErrorAt) return;
    this.lastErrorAt = at.start;
    const end = at.kind === 'newline' || at.kind === 'eof' ? at.start : at.end;
    this.sink.add('syntax-error', at.start, end, message);
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'the end of the file';
    if (t.kind === 'newline') return 'the end of the line';
    return `'${t.text}'`;
  }

  /**
   * Skips to the end of the line (not past it), over balanced brackets on the same line; returns
   * true when the line left a `{` open.
   */
  private skipToLineEnd(): boolean {
    let open = 0;
    while (!this.atLineEnd()) {
      if (this.is('}') && this.bodyDepth > 0) return false;
      if (this.is('{')) open++;
      else if (this.is('}')) open = Math.max(0, open - 1);
      this.next();
    }
    return open > 0;
  }

  private bodyDepth = 0;

  // ── statements ──────────────────────────────────────────────────────────────────────────

  program(): A.Program {
    const statements: A.Statement[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.is(';')) this.next();
      const t = this.peek();
      if (t.kind === 'eof') break;
      const before = this.pos;
      const statement = this.statement();
      if (statement) statements.push(statement);
      // An unclosed body already stopped before a statement on a new line: keep that statement.
      const resumes = this.atLineStart(this.pos) && this.startsStatement(this.pos);
      if (!this.atLineEnd() && !resumes) {
        const extra = this.peek();
        this.error(extra, `expected the end of the statement but found ${this.describe(extra)}`);
        this.skipToLineEnd();
      }
      if (this.pos === before) this.next(); // guarantee progress
    }
    return new N.ProgramNode(this.lines, this.scanner.text.length, statements);
  }

  private statement(): A.Statement | undefined {
    const t = this.peek();
    if (t.kind === 'keyword' && (t.text === 'model' || t.text === 'markov')) return this.model();
    if (t.kind === 'keyword' && t.text === 'policy') return this.policy();
    if (t.kind === 'keyword' && t.text === 'let') return this.letDecl();
    if (t.kind === 'identifier' && this.peekAt(1).text === '(' && this.peekAt(1).kind === 'punctuation')
      return this.query();
    // Stray text before a statement on the same line (`x model chat {`): one error for the stray
    // part, then the statement is parsed as if it started the line — its body, its name and the
    // queries using it are fine, so nothing else needs reporting.
    const at = this.statementLaterOnLine();
    if (at !== undefined) {
      const last = this.tok(at - 1);
      const keyword = this.tok(at);
      this.sink.add(
        'syntax-error',
        t.start,
        last.end,
        `unexpected ${this.describe(t)}${last !== t ? '…' : ''} before '${keyword.text}': this text is ignored`,
      );
      while (this.pos < at) this.next();
      return this.statement();
    }
    if (t.kind === 'identifier') {
      const keyword = suggest(t.text, STATEMENT_KEYWORDS);
      this.error(
        t,
        `expected a statement (model, markov, policy, let or a query such as tilt(…)) but found '${t.text}'${didYouMean(keyword)}`,
      );
      // `modle chat {` names something the author meant to define: remember it, so that the
      // queries using `chat` are not each reported as unknown (the cause is this line).
      const name = this.peekAt(1);
      const after = this.peekAt(2);
      if (
        name.kind === 'identifier' &&
        ((after.kind === 'punctuation' && after.text === '{') ||
          (after.kind === 'keyword' && (after.text === 'from' || after.text === 'of')))
      )
        this.broken.set(name.text, this.lines.position(t.start).line);
    } else {
      this.error(t, `expected a statement but found ${this.describe(t)}`);
    }
    // A line that opens a block (`modle chat {`): the block is skipped as a whole, so its lines
    // (vocab, p, reward…) are not each reported as one more stray statement.
    const opened = this.skipToLineEnd();
    if (opened) this.skipBlock();
    return undefined;
  }

  /** The token index of a statement start later on the current line (a keyword, `query(`). */
  private statementLaterOnLine(): number | undefined {
    for (let j = this.pos + 1; ; j++) {
      const t = this.tok(j);
      if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'punctuation' && t.text === ';'))
        return undefined;
      if (this.startsStatement(j)) return j;
    }
  }

  /** Skips the lines of a `{` left open on the skipped line, up to its matching `}`. */
  private skipBlock(): void {
    let depth = 1;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind === 'punctuation' && t.text === '{') depth++;
      else if (t.kind === 'punctuation' && t.text === '}' && --depth === 0) return;
      // A statement at the start of a line ends a block that was never closed.
      if (t.kind === 'newline' && this.startsStatement(this.pos) && !this.is('}')) {
        const next = this.tok(this.pos);
        if (next.kind === 'keyword' || this.tok(this.pos + 1).text === '(') return;
      }
    }
  }

  private name(what: string): A.Identifier | undefined {
    const t = this.peek();
    if (t.kind === 'identifier') {
      this.next();
      return this.identifier(t);
    }
    this.error(t, `expected ${what} but found ${this.describe(t)}`);
    return undefined;
  }

  private model(): A.ModelDecl {
    const keyword = this.next();
    const markov = keyword.text === 'markov';
    const name = this.name(markov ? 'the name of the markov model' : 'a model name');
    let source: A.StringLiteral | undefined;
    if (name && markov && this.is('from')) {
      this.error(
        this.peek(),
        `a markov model reads its files field by field: write 'next from "P.csv"' (and 'start from "s.csv"') inside its body`,
      );
      this.skipToLineEnd();
    } else if (name && this.eat('from')) {
      const s = this.peek();
      if (s.kind === 'string') {
        this.next();
        source = new N.StringNode(this.lines, s.start, s.end, s.value ?? '');
      } else {
        this.error(s, `expected a quoted file name after 'from' but found ${this.describe(s)}`);
      }
    }
    let body: N.Body = { fields: [] };
    if (name && this.is('{')) body = this.body();
    else if (name && markov)
      this.error(this.peek(), `expected '{' with the chain's vocab, start, next rows and reward`);
    else if (name && !source && !this.atLineEnd())
      this.error(this.peek(), `expected '{' or 'from' after the model name`);
    else if (name && !source) this.error(this.peek(), `expected '{' with the model's vocab, p and reward`);
    const end = body.close !== undefined ? body.close + 1 : this.prevEnd(keyword.end);
    return new N.ModelNode(this.lines, end, this.span(keyword), name, source, body, markov);
  }

  private policy(): A.PolicyDecl {
    const keyword = this.next();
    const name = this.name('a policy name');
    let of: A.Identifier | undefined;
    if (name) {
      if (this.eat('of')) of = this.name('the name of the model the policy is over');
      else this.error(this.peek(), `expected 'of <model>' after the policy name`);
    }
    let body: N.Body = { fields: [] };
    if (of && this.is('{')) body = this.body();
    else if (of) this.error(this.peek(), `expected '{ p … }' with the policy's probabilities`);
    const end = body.close !== undefined ? body.close + 1 : this.prevEnd(keyword.end);
    return new N.PolicyNode(this.lines, end, this.span(keyword), name, of, body);
  }

  /** End offset of the last consumed token (at least `min`). */
  private prevEnd(min: number): number {
    return Math.max(min, this.pos > 0 ? this.tok(this.pos - 1).end : min);
  }

  private body(): { fields: A.Field[]; open: number; close?: number } {
    const open = this.next().start;
    const fields: A.Field[] = [];
    this.bodyDepth++;
    let close: number | undefined;
    for (;;) {
      while (this.peek().kind === 'newline' || this.is(';')) this.next();
      const t = this.peek();
      if (this.is('}')) {
        close = this.next().start;
        break;
      }
      if (t.kind === 'eof' || (this.atLineStart(this.pos) && this.startsStatement(this.pos))) {
        this.error(t, `expected '}' to close the body opened on line ${this.lines.position(open).line + 1}`);
        break;
      }
      if (t.kind !== 'identifier') {
        this.error(t, `expected a field (vocab, p, reward, length) but found ${this.describe(t)}`);
        this.skipToLineEnd();
        continue;
      }
      fields.push(this.field());
      if (!this.atLineEnd() && !this.is('}')) {
        const extra = this.peek();
        this.error(
          extra,
          `unexpected ${this.describe(extra)} in the '${fields[fields.length - 1].name.name}' field`,
        );
        this.skipToLineEnd();
      }
    }
    this.bodyDepth--;
    return { fields: exactSize(fields), open, close };
  }

  private field(): A.Field {
    const t = this.next();
    const name = this.identifier(t);
    // `next a -> 0.6 0.3 0.1`: a row of a markov model (any name may start one; the checker says
    // where rows belong).
    const label = this.peek();
    const arrow = this.peekAt(1);
    if (isTokenLike(label) && arrow.kind === 'operator' && arrow.text === '->') {
      this.next();
      this.next();
      const quoted = label.kind === 'string';
      const row = new N.TokenNameNode(
        this.lines,
        label.start,
        label.end,
        quoted ? (label.value ?? '') : label.text,
        quoted,
      );
      const compactRow = this.compactList(arrow.end, name, false, row);
      if (compactRow) return compactRow;
      const items = this.expressionItems();
      const end = items.length > 0 ? items[items.length - 1].end : arrow.end;
      return new N.FieldNode(this.lines, end, name, exactSize(items), { row });
    }
    // `next from "P.csv"`: the values come from a file.
    if (this.is('from') && this.peekAt(1).kind === 'string') {
      this.next();
      const s = this.next();
      const source = new N.StringNode(this.lines, s.start, s.end, s.value ?? '');
      return new N.FieldNode(this.lines, s.end, name, [], { source });
    }
    const compact = this.compactList(t.end, name, t.text === 'vocab');
    if (compact) return compact;
    const items: (A.Expr | A.TokenName)[] = [];
    if (t.text === 'vocab') {
      for (;;) {
        this.eat(',');
        const v = this.peek();
        if (v.kind === 'identifier' || v.kind === 'keyword' || v.kind === 'number' || v.kind === 'string') {
          this.next();
          const quoted = v.kind === 'string';
          items.push(
            new N.TokenNameNode(this.lines, v.start, v.end, quoted ? (v.value ?? '') : v.text, quoted),
          );
        } else break;
      }
    } else items.push(...this.expressionItems());
    const end = items.length > 0 ? items[items.length - 1].end : name.end;
    return new N.FieldNode(this.lines, end, name, exactSize(items));
  }

  /** A field's list of expressions (signed items split as in Matlab arrays). */
  private expressionItems(): A.Expr[] {
    const items: A.Expr[] = [];
    for (;;) {
      this.eat(',');
      if (!this.startsExpression(this.peek())) break;
      items.push(this.expression(true));
    }
    return items;
  }

  /**
   * A plain list (names, or signed numbers) read straight from the text without tokens or nodes
   * (compactList.ts); undefined when the line needs the general path.
   */
  private compactList(
    from: number,
    name: A.Identifier,
    vocab: boolean,
    row?: A.TokenName,
  ): A.Field | undefined {
    if (!compactLists.enabled) return undefined;
    // Re-read from the end of the field name (or of a row's `->`): drop any token lexed ahead.
    const kept = this.pos - this.base;
    if (this.toks.length > kept) this.toks.length = kept; // shrinking an array is not free
    this.scanner.resetTo(from, false);
    const scanned = scanList(this.scanner.text, from, vocab);
    if (!scanned) return undefined;
    this.scanner.resetTo(scanned.end, scanned.space);
    return compactField(name, scanned.list, this.scanner.text, this.lines, row, row ? from : undefined);
  }

  private letDecl(): A.LetDecl {
    const keyword = this.next();
    const name = this.name('a name after let');
    let value: A.Expr | undefined;
    if (name) {
      if (this.eat('=')) value = this.expression(false);
      else this.error(this.peek(), `expected '=' after 'let ${name.name}'`);
    }
    const end = value ? value.end : this.prevEnd(keyword.end);
    return new N.LetNode(this.lines, end, this.span(keyword), name, value);
  }

  private query(): A.QueryStmt {
    const t = this.next();
    const name = this.identifier(t);
    const open = this.next().start;
    const args: A.Arg[] = [];
    let close: number | undefined;
    this.newlinesIgnored++;
    for (;;) {
      if (this.is(')')) {
        close = this.next().start;
        break;
      }
      const before = this.peek();
      if (before.kind === 'eof' || before.kind === 'newline') {
        this.error(before, `expected ')' to close '${name.name}('`);
        break;
      }
      const arg = this.argument();
      if (arg) args.push(arg);
      if (this.eat(',')) continue;
      if (this.is(')')) continue;
      const bad = this.peek();
      if (bad.kind === 'eof' || bad.kind === 'newline') {
        this.error(bad, `expected ')' to close '${name.name}('`);
        break;
      }
      this.error(bad, `expected ',' or ')' but found ${this.describe(bad)}`);
      // Resynchronise at the next ',' or ')' of this query.
      let depth = 0;
      while (!(this.peek().kind === 'eof' || this.peek().kind === 'newline')) {
        if (depth === 0 && (this.is(',') || this.is(')'))) break;
        if (this.is('(')) depth++;
        else if (this.is(')')) depth--;
        this.next();
      }
      this.eat(',');
    }
    this.newlinesIgnored--;
    const end = close !== undefined ? close + 1 : this.prevEnd(t.end);
    return new N.QueryNode(this.lines, end, name, exactSize(args), open, close);
  }

  private argument(): A.Arg | undefined {
    const t = this.peek();
    // A parameter name may be a keyword (`policy = q`).
    if (
      (t.kind === 'identifier' || t.kind === 'keyword') &&
      this.peekAt(1).kind === 'operator' &&
      this.peekAt(1).text === '='
    ) {
      this.next();
      const name = this.identifier(t);
      this.next();
      let value: A.Expr | A.RangeExpr | undefined;
      if (this.startsExpression(this.peek())) {
        const from = this.expression(false);
        if (this.eat('..')) {
          value = new N.RangeNode(this.lines, from, this.expression(false));
        } else value = from;
      } else {
        this.error(
          this.peek(),
          `expected a value for '${name.name}' but found ${this.describe(this.peek())}`,
        );
      }
      return new N.NamedArgNode(this.lines, value ? value.end : name.end + 1, name, value);
    }
    if (!this.startsExpression(t)) {
      this.error(t, `expected an argument but found ${this.describe(t)}`);
      return undefined;
    }
    return new N.PositionalArgNode(this.lines, this.expression(false));
  }

  // ── expressions ─────────────────────────────────────────────────────────────────────────

  private startsExpression(t: Token): boolean {
    if (t.kind === 'number' || t.kind === 'identifier' || t.kind === 'string') return true;
    return (
      (t.kind === 'punctuation' && t.text === '(') ||
      (t.kind === 'operator' && (t.text === '-' || t.text === '+'))
    );
  }

  /** Names of definitions whose line did not parse (`modle chat {`), with that line (0-based). */
  readonly broken = new Map<string, number>();

  /** Recursion depth of expression parsing (parentheses, calls, signs, powers). */
  private nesting = 0;
  /** tooDeep() reported the current top-level expression. */
  private tooDeepReported = false;

  /**
   * `inList`: a sign with space before and none after starts the next list item instead.
   * A top-level expression deeper than MAX_EXPRESSION_DEPTH (nested, or a long chain of
   * operators, which is as deep a tree) is reported and replaced by an error node: every later
   * stage walks expressions recursively, and a stack overflow must never be the answer.
   */
  private expression(inList: boolean): A.Expr {
    if (this.nesting > 0) return this.operatorChain(inList);
    this.tooDeepReported = false;
    const e = this.operatorChain(inList);
    if (expressionDepth(e) <= MAX_EXPRESSION_DEPTH) return e;
    // Reported already where the nesting went past the limit (tooDeep): once is enough.
    if (this.tooDeepReported) return new N.ErrorNode(this.lines, e.start);
    this.sink.add(
      'too-deeply-nested',
      e.start,
      e.end,
      `this expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep (parentheses, calls and chained operators count); split it into lets`,
    );
    return new N.ErrorNode(this.lines, e.start);
  }

  private operatorChain(inList: boolean): A.Expr {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'operator' || (t.text !== '+' && t.text !== '-')) break;
      if (inList && t.spaceBefore && !this.peekAt(1).spaceBefore) break;
      this.next();
      left = this.binary(t.text as '+' | '-', left, this.term());
    }
    return left;
  }

  private binary(op: A.BinaryExpr['op'], left: A.Expr, right: A.Expr): A.BinaryExpr {
    return new N.BinaryNode(this.lines, op, left, right);
  }

  private term(): A.Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'operator' || (t.text !== '*' && t.text !== '/')) break;
      this.next();
      left = this.binary(t.text as '*' | '/', left, this.unary());
    }
    return left;
  }

  private unary(): A.Expr {
    if (this.nesting >= MAX_EXPRESSION_DEPTH) return this.tooDeep();
    this.nesting++;
    try {
      return this.unaryUnguarded();
    } finally {
      this.nesting--;
    }
  }

  /**
   * Past the nesting limit: report once, then skip the rest of this expression — the tokens up
   * to the closing parenthesis that balances the ones still open, or the end of the line — so
   * parsing resumes after it without recursing any deeper.
   */
  private tooDeep(): A.Expr {
    const t = this.peek();
    this.tooDeepReported = true;
    this.sink.add(
      'too-deeply-nested',
      t.start,
      t.end,
      `this expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep; split it into lets`,
    );
    let open = 0;
    while (!this.atLineEnd()) {
      if (this.is('(')) open++;
      else if (this.is(')')) {
        if (open === 0) break;
        open--;
      }
      this.next();
    }
    return new N.ErrorNode(this.lines, t.start);
  }

  private unaryUnguarded(): A.Expr {
    const t = this.peek();
    if (t.kind === 'operator' && (t.text === '-' || t.text === '+')) {
      this.next();
      return new N.UnaryNode(this.lines, t.start, t.text as '-' | '+', this.unary());
    }
    const base = this.primary();
    if (this.is('^')) {
      this.next();
      return this.binary('^', base, this.unary()); // right-associative; allows e^-1
    }
    return base;
  }

  private primary(): A.Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      return new N.NumberNode(this.lines, t.start, t.end, Number(t.text), t.text);
    }
    if (t.kind === 'string') {
      this.next();
      return new N.StringNode(this.lines, t.start, t.end, t.value ?? '');
    }
    if (t.kind === 'identifier') {
      this.next();
      const callee = this.identifier(t);
      if (!(this.is('(') && !this.peek().spaceBefore) && !(this.is('(') && isFunctionLike(t.text)))
        return callee;
      this.next();
      const args: A.Expr[] = [];
      if (!this.is(')')) {
        args.push(this.expression(false));
        while (this.eat(',')) args.push(this.expression(false));
      }
      const close = this.eat(')');
      if (!close)
        this.error(this.peek(), `expected ')' to close '${t.text}(' but found ${this.describe(this.peek())}`);
      return new N.CallNode(this.lines, close ? close.end : this.prevEnd(t.end), callee, exactSize(args));
    }
    if (this.is('(')) {
      const open = this.next();
      const inner = this.expression(false);
      const close = this.eat(')');
      if (!close) this.error(this.peek(), `expected ')' but found ${this.describe(this.peek())}`);
      return new N.ParenNode(this.lines, open.start, close ? close.end : inner.end, inner);
    }
    this.error(t, `expected a number or expression but found ${this.describe(t)}`);
    return new N.ErrorNode(this.lines, t.start);
  }
}

/**
 * A node's list at its exact size. An array grown by push reserves 16 slots, and a node keeps its
 * list as long as the document: a 10,000-line file's thousands of two-argument queries kept more
 * empty slots than arguments. (Long lists keep their array: their slack is small in proportion.)
 */
function exactSize<T>(list: T[]): T[] {
  return list.length < 16 ? list.slice() : list;
}

/** Deepest expression tree accepted (far beyond what a person writes; far below the stack limit). */
export const MAX_EXPRESSION_DEPTH = 500;

/** The depth of an expression tree, without recursion (the tree may be a chain of 10⁵ operators). */
function expressionDepth(root: A.Expr): number {
  let deepest = 0;
  const nodes: A.Expr[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const e = nodes.pop()!;
    const d = depths.pop()!;
    if (d > deepest) deepest = d;
    if (deepest > MAX_EXPRESSION_DEPTH) return deepest;
    switch (e.kind) {
      case 'unary':
        nodes.push(e.operand);
        depths.push(d + 1);
        break;
      case 'binary':
        nodes.push(e.left, e.right);
        depths.push(d + 1, d + 1);
        break;
      case 'paren':
        nodes.push(e.inner);
        depths.push(d + 1);
        break;
      case 'call':
        for (const a of e.args) {
          nodes.push(a);
          depths.push(d + 1);
        }
        break;
      default:
        break;
    }
  }
  return deepest;
}

/** A token that can name a vocabulary entry (a row's token): identifier, keyword, number, string. */
function isTokenLike(t: Token): boolean {
  return t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'number' || t.kind === 'string';
}

/** `exp (x)` with a space is still a call for the built-in functions. */
function isFunctionLike(name: string): boolean {
  return name === 'exp' || name === 'log' || name === 'sqrt';
}
