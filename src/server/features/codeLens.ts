/**
 * Code lenses above each query that has a value: "Show in preview" (opens the preview beside the
 * editor and brings that query's chart into view). A query with an error has nothing to show, so
 * it has no lens (its diagnostic says why). Off with `alignLab.codeLens.enabled`.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { QueryStmt } from '../../language/syntax/ast.js';
import { Commands } from '../../protocol/protocol.js';
import { type Feature, safe } from '../context.js';
import { resultOf } from '../results.js';

export const codeLens: Feature = {
  name: 'codeLens',
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onCodeLens(
      safe(ctx, 'codeLens', [], async (params: CodeLensParams): Promise<CodeLens[]> => {
        if (!ctx.settings().codeLens.enabled) return [];
        const uri = params.textDocument.uri;
        const e = await ctx.workspace.current(uri);
        if (!e) return [];
        const parse = e.parse;
        return parse.ast.statements
          .filter((s): s is QueryStmt => s.kind === 'query' && resultOf(e, s)?.value !== undefined)
          .map((s) => {
            const range = parse.lines.range(s.start, s.name.end);
            return {
              range,
              command: {
                title: 'Show in preview',
                command: Commands.showInPreview,
                arguments: [uri, s.range],
              },
            };
          });
      }),
    );
  },
};
