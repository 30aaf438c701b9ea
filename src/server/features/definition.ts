/** Go to definition: from a reference to a model, policy or `let` to its declaration's name. */
import type { DefinitionParams, LocationLink } from 'vscode-languageserver';
import { type Feature, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

export const definition: Feature = {
  name: 'definition',
  capabilities: () => ({ definitionProvider: true }),
  register(ctx) {
    ctx.connection.onDefinition(
      safe(ctx, 'definition', null, (params: DefinitionParams): LocationLink[] | null => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return null;
        const hit = symbolsOf(parse).symbolAt(parse.lines.offset(params.position));
        if (!hit) return null;
        const d = hit.definition;
        return [
          {
            originSelectionRange: hit.reference?.range ?? d.range,
            targetUri: params.textDocument.uri,
            targetRange: d.declaration.range,
            targetSelectionRange: d.range,
          },
        ];
      }),
    );
  },
};
