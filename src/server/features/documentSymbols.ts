/** Outline: models (with their fields), policies, lets and queries, from the syntax tree. */
import { type DocumentSymbol, type DocumentSymbolParams, SymbolKind } from 'vscode-languageserver';
import type { Field, Statement } from '../../language/syntax/ast.js';
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

export function statementSymbol(s: Statement): DocumentSymbol | undefined {
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
      const model =
        s.args[0]?.kind === 'positional-arg' && s.args[0].value.kind === 'identifier'
          ? s.args[0].value.name
          : '';
      return {
        name: s.name.name,
        detail: model,
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
        return parse.ast.statements.map(statementSymbol).filter((s): s is DocumentSymbol => s !== undefined);
      }),
    );
  },
};
