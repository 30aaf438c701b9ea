/**
 * The canonical layout of an `.align` file (document formatting):
 *   - one statement per line, at most one blank line between statements, a final newline;
 *   - `name = value` with spaces around `=`, `, ` between arguments, spaces around binary `+ - * /`,
 *     none around `^` and `..`, none after a sign;
 *   - model and policy bodies indented by two spaces, one field per line, the field names padded
 *     to one column and the items of vocab / p / reward aligned in columns;
 *   - comments kept where they are (whole-line comments on their own line, trailing comments after
 *     their line).
 * A file with a syntax error is not formatted (returns undefined): a formatter must never guess.
 * A statement that has a comment inside it (a query split over lines with comments) is kept verbatim.
 */
import type { Expr, Field, ModelDecl, PolicyDecl, RangeExpr, Statement } from '../syntax/ast.js';
import type { Token } from '../syntax/lexer.js';
import type { ParseResult } from '../syntax/parser.js';

const SYNTAX_CODES = new Set(['syntax-error', 'invalid-character', 'unterminated-string']);
const INDENT = '  ';

class Unformattable extends Error {}

export function formatDocument(parse: ParseResult): string | undefined {
  if (parse.diagnostics.some((d) => SYNTAX_CODES.has(d.code))) return undefined;
  try {
    return new Formatter(parse).run();
  } catch (e) {
    if (e instanceof Unformattable) return undefined;
    throw e;
  }
}

class Formatter {
  private readonly out: string[] = [];
  private readonly comments: Token[];
  private nextComment = 0;
  /** Source line of the last thing printed (for blank-line preservation). */
  private lastLine = -1;

  constructor(private readonly p: ParseResult) {
    this.comments = p.tokens.filter((t) => t.kind === 'comment');
  }

  private line(offset: number): number {
    return this.p.lines.lineOf(offset);
  }

  private commentText(t: Token): string {
    return t.text.replace(/\s+$/, '');
  }

  /** Prints whole-line comments that start before `offset`, with blank-line preservation. */
  private flushComments(before: number, indent: string): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment].start < before) {
      const c = this.comments[this.nextComment++];
      this.blankLineBefore(this.line(c.start));
      this.out.push(indent + this.commentText(c));
      this.lastLine = this.line(c.start);
    }
  }

  private blankLineBefore(line: number): void {
    if (this.lastLine >= 0 && line - this.lastLine > 1 && this.out[this.out.length - 1] !== '')
      this.out.push('');
  }

  /** A comment on `line` after `offset` (a trailing comment), consumed. */
  private trailing(line: number, offset: number): string {
    const c = this.comments[this.nextComment];
    if (c && c.start >= offset && this.line(c.start) === line) {
      this.nextComment++;
      return `  ${this.commentText(c)}`;
    }
    return '';
  }

  private hasCommentIn(start: number, end: number): boolean {
    const c = this.comments[this.nextComment];
    return c !== undefined && c.start > start && c.start < end;
  }

  run(): string {
    for (const s of this.p.ast.statements) {
      this.flushComments(s.start, '');
      this.blankLineBefore(this.line(s.start));
      this.statement(s);
    }
    this.flushComments(Number.POSITIVE_INFINITY, '');
    while (this.out.length > 0 && this.out[this.out.length - 1] === '') this.out.pop();
    // Keep the document's line ending (the first one it uses).
    const eol = /\r\n|\r|\n/.exec(this.p.text)?.[0] ?? '\n';
    return this.out.length === 0 ? '' : `${this.out.join(eol)}${eol}`;
  }

  private statement(s: Statement): void {
    const bodied = (s.kind === 'model' || s.kind === 'policy') && s.open !== undefined;
    if (!bodied && this.hasCommentIn(s.start, s.end)) {
      // Keep verbatim (its comments would otherwise have no place), skipping those comments.
      while (this.nextComment < this.comments.length && this.comments[this.nextComment].start < s.end)
        this.nextComment++;
      this.out.push(
        ...this.p.text
          .slice(s.start, s.end)
          .split(/\r\n|\r|\n/)
          .map((l) => l.replace(/\s+$/, '')),
      );
      this.lastLine = this.line(s.end);
      this.out[this.out.length - 1] += this.trailing(this.lastLine, s.end);
      return;
    }
    switch (s.kind) {
      case 'let':
        if (!s.name || !s.value) throw new Unformattable();
        this.emit(`let ${s.name.name} = ${this.expr(s.value)}`, s.end);
        return;
      case 'query': {
        if (s.close === undefined) throw new Unformattable();
        const args = s.args.map((a) => {
          if (a.kind === 'positional-arg') return this.expr(a.value);
          if (!a.value) throw new Unformattable();
          return `${a.name.name} = ${this.expr(a.value)}`;
        });
        this.emit(`${s.name.name}(${args.join(', ')})`, s.end);
        return;
      }
      case 'model':
      case 'policy':
        this.declaration(s);
        return;
    }
  }

  /** Pushes a one-line statement with its trailing comment. */
  private emit(text: string, end: number): void {
    const line = this.line(end);
    this.out.push(text + this.trailing(line, end));
    this.lastLine = line;
  }

  private declaration(s: ModelDecl | PolicyDecl): void {
    if (!s.name) throw new Unformattable();
    let head: string;
    if (s.kind === 'model') {
      head = `${s.markov ? 'markov' : 'model'} ${s.name.name}`;
      if (s.source) head += ` from ${this.p.text.slice(s.source.start, s.source.end)}`;
    } else {
      if (!s.of) throw new Unformattable();
      head = `policy ${s.name.name} of ${s.of.name}`;
    }
    if (s.open === undefined) {
      this.emit(head, s.end);
      return;
    }
    if (s.close === undefined) throw new Unformattable();
    const openLine = this.line(s.open);
    if (s.fields.length === 0 && !this.hasCommentIn(s.open, s.close)) {
      this.emit(`${head} {}`, s.end);
      return;
    }
    // A body written on one line stays on one line (`policy q of m { p 0.2 0.8 }`).
    if (this.line(s.close) === openLine && !this.hasCommentIn(s.open, s.close)) {
      const fields = s.fields.map((f) => [...this.head(f), ...this.cells(f)].join(' '));
      this.emit(`${head} { ${fields.join('; ')} }`, s.end);
      return;
    }
    this.out.push(`${head} {${this.trailingBefore(openLine, s.open + 1, s.fields[0]?.start ?? s.close)}`);
    this.lastLine = openLine;
    const rows = this.fieldRows(s.fields);
    s.fields.forEach((f, i) => {
      this.flushComments(f.start, INDENT);
      this.blankLineBefore(this.line(f.start));
      const line = this.line(f.end);
      const next = s.fields[i + 1]?.start ?? s.close!;
      this.out.push(INDENT + rows[i] + this.trailingBefore(line, f.end, next));
      this.lastLine = line;
    });
    this.flushComments(s.close, INDENT);
    this.out.push('}');
    this.lastLine = this.line(s.close);
    this.out[this.out.length - 1] += this.trailing(this.lastLine, s.close + 1);
  }

  /** A trailing comment on `line` that also lies before `limit` (the next field). */
  private trailingBefore(line: number, offset: number, limit: number): string {
    const c = this.comments[this.nextComment];
    return c && c.start < limit ? this.trailing(line, offset) : '';
  }

  /** What precedes a field's items: its name, and a row's token and arrow or a file. */
  private head(f: Field): string[] {
    if (f.source) return [f.name.name, 'from', this.p.text.slice(f.source.start, f.source.end)];
    if (f.row) return [f.name.name, this.tokenName(f.row.start, f.row.end), '->'];
    return [f.name.name];
  }

  private cells(f: Field): string[] {
    return f.items.map((item) =>
      item.kind === 'token-name' ? this.tokenName(item.start, item.end) : this.expr(item),
    );
  }

  /**
   * The fields of a body as aligned text rows (two spaces between columns). Rows of a markov
   * model (`next a -> …`) form their own block: names, tokens and arrows aligned, and their
   * columns aligned with each other (not with the plain lists, which start further left).
   */
  private fieldRows(fields: Field[]): string[] {
    const cells = fields.map((f) => this.cells(f));
    const isRow = fields.map((f) => f.row !== undefined);
    const plain = fields.filter((f) => !f.row);
    const nameWidth = Math.max(0, ...plain.map((f) => f.name.name.length));
    const rowNameWidth = Math.max(0, ...fields.filter((f) => f.row).map((f) => f.name.name.length));
    const rowTokenWidth = Math.max(0, ...fields.map((f) => (f.row ? f.row.end - f.row.start : 0)));
    // Columns are aligned across the fields that list one entry per token (several items),
    // rows and plain lists separately.
    const listed = cells.map((c) => c.length > 1);
    const widths: number[][] = [[], []];
    cells.forEach((c, i) => {
      if (!listed[i]) return;
      const w = widths[isRow[i] ? 1 : 0];
      c.forEach((text, j) => {
        w[j] = Math.max(w[j] ?? 0, text.length);
      });
    });
    return fields.map((f, i) => {
      const w = widths[isRow[i] ? 1 : 0];
      const items = cells[i].map((text, j) =>
        listed[i] && j < cells[i].length - 1 ? text.padEnd(w[j]) : text,
      );
      const body = items.join(listed[i] ? '  ' : ' ');
      if (f.row) {
        const token = this.tokenName(f.row.start, f.row.end);
        return `${f.name.name.padEnd(rowNameWidth)} ${token.padEnd(rowTokenWidth)} ->${body ? ` ${body}` : ''}`;
      }
      if (f.source)
        return `${f.name.name.padEnd(nameWidth)}  from ${this.p.text.slice(f.source.start, f.source.end)}`;
      if (items.length === 0) return f.name.name;
      return `${f.name.name.padEnd(nameWidth)}  ${body}`;
    });
  }

  private tokenName(start: number, end: number): string {
    return this.p.text.slice(start, end);
  }

  private expr(e: Expr | RangeExpr): string {
    switch (e.kind) {
      case 'number':
        return e.text;
      case 'identifier':
        return e.name;
      case 'string':
        return this.p.text.slice(e.start, e.end);
      case 'paren':
        return `(${this.expr(e.inner)})`;
      case 'unary':
        return `${e.op}${this.expr(e.operand)}`;
      case 'binary':
        return e.op === '^'
          ? `${this.expr(e.left)}^${this.expr(e.right)}`
          : `${this.expr(e.left)} ${e.op} ${this.expr(e.right)}`;
      case 'call':
        return `${e.callee.name}(${e.args.map((a) => this.expr(a)).join(', ')})`;
      case 'range':
        return `${this.expr(e.from)}..${this.expr(e.to)}`;
      case 'error':
        throw new Unformattable();
    }
  }
}
