/** Find references (and document highlights) of a model, policy or `let`. */
import {
  type DocumentHighlight,
  DocumentHighlightKind,
  type DocumentHighlightParams,
  type Location,
  type ReferenceParams,
} from 'vscode-languageserver';
import type { ParseResult } from '../../language/syntax/parser.js';
import type { Range } from '../../presentation/results.js';
import { type Feature, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

/** The definition's and every reference's range for the symbol at `offset`. */
export function occurrences(
  parse: ParseResult,
  offset: number,
): { definition: Range; references: Range[] } | undefined {
  const index = symbolsOf(parse);
  const hit = index.symbolAt(offset);
  if (!hit) return undefined;
  return {
    definition: hit.definition.range,
    references: index.referencesTo(hit.definition).map((r) => r.range),
  };
}

export const references: Feature = {
  name: 'references',
  capabilities: () => ({ referencesProvider: true, documentHighlightProvider: true }),
  register(ctx) {
    ctx.connection.onReferences(
      safe(ctx, 'references', [], (params: ReferenceParams): Location[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        const found = parse && occurrences(parse, parse.lines.offset(params.position));
        if (!found) return [];
        const uri = params.textDocument.uri;
        const ranges = params.context.includeDeclaration
          ? [found.definition, ...found.references]
          : found.references;
        return ranges.map((range) => ({ uri, range }));
      }),
    );
    ctx.connection.onDocumentHighlight(
      safe(ctx, 'documentHighlight', [], (params: DocumentHighlightParams): DocumentHighlight[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        const found = parse && occurrences(parse, parse.lines.offset(params.position));
        if (!found) return [];
        return [
          { range: found.definition, kind: DocumentHighlightKind.Write },
          ...found.references.map((range) => ({ range, kind: DocumentHighlightKind.Read })),
        ];
      }),
    );
  },
};
