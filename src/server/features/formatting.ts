/** Document formatting (see ../format.ts for the canonical layout). One edit replacing the text. */
import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver';
import { formatDocument } from '../../language/editor/format.js';
import { type Feature, safe } from '../context.js';

export const formatting: Feature = {
  name: 'formatting',
  capabilities: () => ({ documentFormattingProvider: true }),
  register(ctx) {
    ctx.connection.onDocumentFormatting(
      safe(ctx, 'formatting', [], (params: DocumentFormattingParams): TextEdit[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return [];
        const formatted = formatDocument(parse);
        if (formatted === undefined || formatted === parse.text) return [];
        return [{ range: parse.lines.range(0, parse.text.length), newText: formatted }];
      }),
    );
  },
};
