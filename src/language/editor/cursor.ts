/**
 * Where the cursor is, syntactically — shared by completion and signature help. Works on
 * incomplete text (the thing being typed rarely parses): it looks at the tokens before the
 * cursor and at the statement that encloses it.
 */
import type { QueryStmt, Statement } from '../syntax/ast.js';
import type { Token } from '../syntax/lexer.js';
import type { ParseResult } from '../syntax/parser.js';

export interface CursorContext {
  /** The identifier being typed (the cursor is inside or right after it), if any. */
  readonly word: Token | undefined;
  /** The last significant token before the word (newlines count; comments do not). */
  readonly prev: Token | undefined;
  /** The token before `prev`. */
  readonly prev2: Token | undefined;
  /** The statement the cursor is in (for an unclosed query or body: the last one started). */
  readonly statement: Statement | undefined;
  /** The query whose parentheses contain the cursor. */
  readonly query: QueryStmt | undefined;
  /** Inside a model/policy `{ … }`. */
  readonly inBody: boolean;
  /** Inside a comment or a string, where nothing is completed. */
  readonly inert: boolean;
}

const isWord = (t: Token) => t.kind === 'identifier' || t.kind === 'keyword';

export function cursorContext(parse: ParseResult, offset: number): CursorContext {
  const tokens = parse.tokens;
  // Index of the last token starting before the cursor.
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokens[mid].start < offset) lo = mid;
    else hi = mid - 1;
  }
  let i = tokens[lo]?.start < offset ? lo : -1;
  const here = i >= 0 ? tokens[i] : undefined;
  const inert =
    here !== undefined &&
    offset <= here.end &&
    (here.kind === 'comment' || (here.kind === 'string' && (offset < here.end || here.terminated === false)));
  let word: Token | undefined;
  if (i >= 0 && isWord(tokens[i]) && tokens[i].end >= offset) word = tokens[i--];
  // A comment swallows the rest of its line: nothing to complete there.
  const significant = (j: number) => {
    while (j >= 0 && tokens[j].kind === 'comment') j--;
    return j;
  };
  i = significant(i);
  const prev = i >= 0 ? tokens[i] : undefined;
  const j = significant(i - 1);
  const prev2 = j >= 0 ? tokens[j] : undefined;

  let statement: Statement | undefined;
  for (const s of parse.ast.statements) {
    if (s.start >= offset) break;
    statement = s;
  }
  let query: QueryStmt | undefined;
  let inBody = false;
  if (
    statement?.kind === 'query' &&
    offset > statement.open &&
    (statement.close === undefined || offset <= statement.close)
  ) {
    query = statement;
  }
  if ((statement?.kind === 'model' || statement?.kind === 'policy') && statement.open !== undefined) {
    inBody = offset > statement.open && (statement.close === undefined || offset <= statement.close);
  }
  // A statement that ended on an earlier line does not enclose the cursor.
  if (statement && !query && !inBody && statement.end < offset) {
    const between = parse.text.slice(statement.end, offset);
    if (/[\r\n;]/.test(between)) statement = undefined;
  }
  return { word, prev, prev2, statement, query, inBody, inert };
}

/** The named parameters already written in a query. */
export function namedArgs(query: QueryStmt): Set<string> {
  const names = new Set<string>();
  for (const a of query.args) if (a.kind === 'named-arg') names.add(a.name.name);
  return names;
}

/** The named argument whose `name =` precedes the cursor, if the cursor is in its value. */
export function paramBeingSet(ctx: CursorContext): string | undefined {
  // `policy` is a keyword and also a parameter name (compare(m, policy = q)).
  if (ctx.prev?.text === '=' && (ctx.prev2?.kind === 'identifier' || ctx.prev2?.kind === 'keyword'))
    return ctx.prev2.text;
  return undefined;
}
