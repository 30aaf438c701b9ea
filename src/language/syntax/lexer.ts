/**
 * The `.align` lexer: text → tokens, never failing. Characters it cannot use become `invalid`
 * tokens (the parser reports them), an unterminated string runs to the end of its line.
 *
 * Every token keeps its offsets, and comments and line breaks are tokens too, so the language
 * server can build semantic tokens and the formatter can keep comments. Line breaks are
 * significant in the grammar: they end statements and model fields.
 */

export type TokenKind =
  | 'keyword' // model markov policy let of from
  | 'identifier'
  | 'number'
  | 'string'
  | 'operator' // + - * / ^ = .. ->
  | 'punctuation' // { } ( ) , ;
  | 'comment' // # … or // … to the end of the line
  | 'newline'
  | 'invalid' // a character the language does not use, or an unterminated string
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True when whitespace, a comment or a line break comes right before this token. */
  readonly spaceBefore: boolean;
  /** For strings: the unescaped contents; for numbers: undefined (parsed by the parser). */
  readonly value?: string;
  /** For strings: false when the closing quote is missing. */
  readonly terminated?: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['model', 'markov', 'policy', 'let', 'of', 'from']);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAsciiIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const UNICODE_IDENT_START = /[\p{L}_]/u;
const UNICODE_IDENT_PART = /[\p{L}\p{N}\p{Mn}\p{Mc}_]/u;

function isIdentStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiIdentStart(c);
  return UNICODE_IDENT_START.test(String.fromCodePoint(text.codePointAt(i) ?? c));
}

function identPartLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiIdentStart(c) || isDigit(c) ? 1 : 0;
  const cp = text.codePointAt(i) ?? c;
  const ch = String.fromCodePoint(cp);
  return UNICODE_IDENT_PART.test(ch) ? ch.length : 0;
}

/** Splits `text` into tokens; the last token is always `eof`. */
export function lex(text: string): Token[] {
  const scanner = new Scanner(text);
  const tokens: Token[] = [];
  for (;;) {
    const t = scanner.next();
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
}

/**
 * The lexer as a pull stream, so the parser can lex on demand and jump over a region it read
 * directly from the text (a model field's plain list of numbers: see compactList.ts) without
 * ever building its tokens. `lex` is this stream collected.
 */
export class Scanner {
  /** Offset of the next character to lex. */
  private i = 0;
  /** Whether whitespace, a comment or a line break came right before offset `i`. */
  private space = true;

  /**
   * @param comments whether comments come out as tokens; the parser, which ignores them, passes
   *   false, so a comment costs no token and no copy of its text
   */
  constructor(
    readonly text: string,
    private readonly comments = true,
  ) {}

  /** Continues lexing at `offset` (a token boundary); `spaceBefore` describes what precedes it. */
  resetTo(offset: number, spaceBefore: boolean): void {
    this.i = offset;
    this.space = spaceBefore;
  }

  /** The next token (`eof` at the end, again and again). */
  next(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      // Whitespace other than line breaks (space, tab, form feed, vertical tab, NBSP, BOM).
      if (c === 32 || c === 9 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) {
        i++;
        this.space = true;
        continue;
      }
      const start = i;
      if (c === 10 || c === 13) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        return this.token('newline', start, i);
      }
      if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
        while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        if (this.comments) return this.token('comment', start, i);
        this.space = true;
        continue;
      }
      if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
        return this.token('number', start, scanNumber(text, i));
      }
      if (isIdentStart(text, i)) {
        let len = c < 128 ? 1 : String.fromCodePoint(text.codePointAt(i) ?? c).length;
        i += len;
        while (i < n && (len = identPartLength(text, i)) > 0) i += len;
        return this.token(KEYWORDS.has(text.slice(start, i)) ? 'keyword' : 'identifier', start, i);
      }
      if (c === 34 || c === 39) {
        const { end, value, terminated } = scanString(text, i, c);
        return this.stringToken(start, end, value, terminated);
      }
      if (c === 46 && text.charCodeAt(i + 1) === 46) return this.token('operator', start, i + 2);
      if (c === 45 && text.charCodeAt(i + 1) === 62) return this.token('operator', start, i + 2);
      if (c === 43 || c === 45 || c === 42 || c === 47 || c === 94 || c === 61)
        return this.token('operator', start, i + 1);
      if (c === 123 || c === 125 || c === 40 || c === 41 || c === 44 || c === 59)
        return this.token('punctuation', start, i + 1);
      // Anything else: one code point (never split a surrogate pair).
      return this.token('invalid', start, i + String.fromCodePoint(text.codePointAt(i) ?? c).length);
    }
    this.i = n;
    return { kind: 'eof', text: '', start: n, end: n, spaceBefore: this.space };
  }

  // Every token but a string has the same five fields, so the parser's property accesses stay
  // monomorphic in practice; strings (rare) add two. (Carrying `value` and `terminated` on every
  // token made each one 16 bytes larger: a 10,000-line file lexes some 55,000 tokens.)
  private token(kind: TokenKind, start: number, end: number): Token {
    const t = { kind, text: this.text.slice(start, end), start, end, spaceBefore: this.space };
    this.i = end;
    this.space = kind === 'comment' || kind === 'newline';
    return t;
  }

  private stringToken(start: number, end: number, value: string, terminated: boolean): Token {
    const t = {
      kind: 'string' as const,
      text: this.text.slice(start, end),
      start,
      end,
      spaceBefore: this.space,
      value,
      terminated,
    };
    this.i = end;
    this.space = false;
    return t;
  }
}

/** digits [. digits] [e [+-] digits] — a `.` is part of the number only when a digit follows it,
 * so `1..256` lexes as `1`, `..`, `256`. */
export function scanNumber(text: string, i: number): number {
  const n = text.length;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(text.charCodeAt(j))) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** A quoted string with `\"`, `\\`, `\n`, `\t` escapes; it may not span lines. */
function scanString(
  text: string,
  i: number,
  quote: number,
): { end: number; value: string; terminated: boolean } {
  const n = text.length;
  let value = '';
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === quote) return { end: i + 1, value, terminated: true };
    if (c === 10 || c === 13) break;
    if (c === 92 && i + 1 < n) {
      const next = text[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    value += text[i];
    i++;
  }
  return { end: i, value, terminated: false };
}
