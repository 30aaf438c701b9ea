/**
 * Semantic classification of every token, for the server's semantic tokens: the lexer knows
 * keywords, numbers, strings and comments; the tree adds what identifiers mean (model, policy,
 * let, query, field, parameter, built-in). Types and modifiers are LSP standard names.
 */

import { CONSTANTS, FUNCTIONS, paramSpec, querySpec } from '../../presentation/queries.js';
import { buildSymbolIndex, type SymbolIndex } from '../checking/symbols.js';
import type * as A from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parser.js';
import { walkExpr } from '../syntax/walk.js';

export type SemanticTokenType =
  | 'keyword'
  | 'comment'
  | 'string'
  | 'number'
  | 'operator'
  | 'type' // model names
  | 'class' // policy names
  | 'variable' // let names and constants
  | 'function' // queries and built-in functions
  | 'property' // model fields: vocab, p, reward, length
  | 'parameter' // query parameter names
  | 'enumMember'; // enum words (method = bon) and bare vocabulary tokens

export type SemanticTokenModifier = 'declaration' | 'readonly' | 'defaultLibrary';

export interface SemanticToken {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: SemanticTokenType;
  readonly modifiers: SemanticTokenModifier[];
}

const CONSTANT_NAMES = new Set(CONSTANTS.map((c) => c.name));
const FUNCTION_NAMES = new Set(FUNCTIONS.map((f) => f.name));

export function classifyTokens(
  parsed: ParseResult,
  symbols: SymbolIndex = buildSymbolIndex(parsed.ast),
): SemanticToken[] {
  const byStart = new Map<number, { type: SemanticTokenType; modifiers: SemanticTokenModifier[] }>();
  const mark = (node: A.NodeBase, type: SemanticTokenType, ...modifiers: SemanticTokenModifier[]) =>
    byStart.set(node.start, { type, modifiers });
  const exprs = (e: A.Expr | A.RangeExpr | undefined) => {
    if (!e) return;
    walkExpr(e, (x) => {
      if (x.kind === 'call')
        mark(
          x.callee,
          'function',
          ...(FUNCTION_NAMES.has(x.callee.name) ? (['defaultLibrary'] as const) : []),
        );
      else if (x.kind === 'identifier') {
        if (CONSTANT_NAMES.has(x.name) && !symbols.lookup('let', x.name))
          mark(x, 'variable', 'readonly', 'defaultLibrary');
        else mark(x, 'variable', 'readonly');
      }
    });
  };
  for (const s of parsed.ast.statements) {
    switch (s.kind) {
      case 'model':
      case 'policy':
        if (s.name) mark(s.name, s.kind === 'model' ? 'type' : 'class', 'declaration');
        if (s.kind === 'policy' && s.of) mark(s.of, 'type');
        for (const f of s.fields) {
          mark(f.name, 'property');
          // A markov row's token (`next rude -> …`) is a vocabulary entry, like those of `vocab`.
          if (f.row) mark(f.row, f.row.quoted ? 'string' : 'enumMember');
          const only = f.items.length === 1 ? f.items[0] : undefined;
          // `start stationary`: a word of the language, not a let.
          if (f.name.name === 'start' && only?.kind === 'identifier' && only.name === 'stationary') {
            mark(only, 'enumMember', 'defaultLibrary');
            continue;
          }
          for (const item of f.items) {
            if (item.kind === 'token-name') mark(item, item.quoted ? 'string' : 'enumMember');
            else exprs(item);
          }
        }
        break;
      case 'let':
        if (s.name) mark(s.name, 'variable', 'declaration', 'readonly');
        exprs(s.value);
        break;
      case 'query': {
        mark(s.name, 'function');
        const spec = querySpec(s.name.name);
        let positional = 0;
        for (const a of s.args) {
          if (a.kind === 'positional-arg') {
            if (positional++ === 0 && a.value.kind === 'identifier') mark(a.value, 'type');
            else exprs(a.value);
            continue;
          }
          mark(a.name, 'parameter');
          const kind = spec ? paramSpec(spec, a.name.name)?.kind : undefined;
          if (kind === 'enum' && a.value?.kind === 'identifier') mark(a.value, 'enumMember');
          else if (kind === 'policy' && a.value?.kind === 'identifier') mark(a.value, 'class');
          else exprs(a.value);
        }
        break;
      }
    }
  }
  const out: SemanticToken[] = [];
  for (const t of parsed.tokens) {
    let c = byStart.get(t.start);
    if (!c) {
      if (t.kind === 'keyword' || t.kind === 'comment' || t.kind === 'string' || t.kind === 'number')
        c = { type: t.kind, modifiers: [] };
      else if (t.kind === 'operator') c = { type: 'operator', modifiers: [] };
      else continue;
    }
    const pos = parsed.lines.position(t.start);
    out.push({
      start: t.start,
      end: t.end,
      line: pos.line,
      character: pos.character,
      length: t.end - t.start,
      ...c,
    });
  }
  return out;
}
