/**
 * Outline: models (with their fields), policies, lets and queries, from the syntax tree. A query is
 * named by its text (model and arguments), with what it computes as the detail.
 */
import { type DocumentSymbol, type DocumentSymbolParams, SymbolKind } from 'vscode-languageserver';
import type { Field, Statement } from '../../language/syntax/ast.js';
import { PRESENTATION, querySpec } from '../../presentation/index.js';
import { type Feature, safe } from '../context.js';

function fieldSymbol(f: Field): DocumentSymbol {
  return {
    name: f.name.name,
    detail: f.name.name === 'vocab' ? `${f.items.length} tokens` : undefined,
    kind: SymbolKind.Field,
    range: f.range,
    selectionRange: f.name.range,
  };
}

/** Longest query text shown as its outline name. */
const MAX_QUERY_NAME = 60;

/**
 * A query as the outline shows it: its own text on one line (`tilt(chat, delta = budget)`), so
 * three `tilt`s are told apart by their model and arguments; long ones are shortened.
 */
export function queryLabel(text: string): string {
  const one = text
    .replace(/#[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
  return one.length <= MAX_QUERY_NAME ? one : `${one.slice(0, MAX_QUERY_NAME - 1).trimEnd()}…`;
}

export function statementSymbol(s: Statement, text: string): DocumentSymbol | undefined {
  switch (s.kind) {
    case 'model':
      if (!s.name) return undefined;
      return {
        name: s.name.name,
        detail: s.source ? `model from "${s.source.value}"` : 'model',
        kind: SymbolKind.Class,
        range: s.range,
        selectionRange: s.name.range,
        children: s.fields.map(fieldSymbol),
      };
    case 'policy':
      if (!s.name) return undefined;
      return {
        name: s.name.name,
        detail: s.of ? `policy of ${s.of.name}` : 'policy',
        kind: SymbolKind.Interface,
        range: s.range,
        selectionRange: s.name.range,
        children: s.fields.map(fieldSymbol),
      };
    case 'let':
      if (!s.name) return undefined;
      return {
        name: s.name.name,
        detail: 'let',
        kind: SymbolKind.Constant,
        range: s.range,
        selectionRange: s.name.range,
      };
    case 'query': {
      const kind = querySpec(s.name.name)?.name;
      return {
        name: queryLabel(text.slice(s.start, s.end)),
        detail: kind ? PRESENTATION[kind].title : 'unknown query',
        kind: SymbolKind.Function,
        range: s.range,
        selectionRange: s.name.range,
      };
    }
  }
}

export const documentSymbols: Feature = {
  name: 'documentSymbols',
  capabilities: () => ({ documentSymbolProvider: { label: 'Align' } }),
  register(ctx) {
    ctx.connection.onDocumentSymbol(
      safe(ctx, 'documentSymbol', [], (params: DocumentSymbolParams): DocumentSymbol[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return [];
        return parse.ast.statements
          .map((s) => statementSymbol(s, parse.text))
          .filter((s): s is DocumentSymbol => s !== undefined);
      }),
    );
  },
};
