/**
 * Code lenses above each query: "Show in preview" (opens the preview beside the editor).
 * Off with `alignLab.codeLens.enabled`.
 * Computed from the parse alone, so lenses never flicker while the evaluation catches up.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { Commands } from '../../protocol/protocol.js';
import { type Feature, safe } from '../context.js';

export const codeLens: Feature = {
  name: 'codeLens',
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onCodeLens(
      safe(ctx, 'codeLens', [], (params: CodeLensParams): CodeLens[] => {
        if (!ctx.settings().codeLens.enabled) return [];
        const uri = params.textDocument.uri;
        const parse = ctx.workspace.parse(uri);
        if (!parse) return [];
        return parse.ast.statements
          .filter((s) => s.kind === 'query')
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
