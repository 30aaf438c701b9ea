/**
 * Rename a model, policy or `let` with all its references. The new name must be an identifier
 * that is not a keyword, and must not collide with another definition of the same kind (which
 * would silently re-bind references), nor, for a `let`, with a built-in constant or function.
 */
import {
  type PrepareRenameParams,
  type Range,
  type RenameParams,
  ResponseError,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { KEYWORDS } from '../../language/syntax/lexer.js';
import { CONSTANTS, FUNCTIONS } from '../../presentation/queries.js';
import { type Feature, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*$/u;
const BUILTINS = new Set([...CONSTANTS.map((c) => c.name), ...FUNCTIONS.map((f) => f.name)]);

/** Why `name` cannot be the new name, or undefined when it can. */
export function invalidName(name: string): string | undefined {
  if (!IDENTIFIER.test(name))
    return `'${name}' is not a valid name (a letter or _ followed by letters, digits or _)`;
  if (KEYWORDS.has(name)) return `'${name}' is a keyword`;
  return undefined;
}

export const rename: Feature = {
  name: 'rename',
  capabilities: () => ({ renameProvider: { prepareProvider: true } }),
  register(ctx) {
    ctx.connection.onPrepareRename(
      safe(
        ctx,
        'prepareRename',
        null,
        (params: PrepareRenameParams): { range: Range; placeholder: string } | null => {
          const parse = ctx.workspace.parse(params.textDocument.uri);
          if (!parse) return null;
          const hit = symbolsOf(parse).symbolAt(parse.lines.offset(params.position));
          if (!hit) return null;
          return { range: hit.reference?.range ?? hit.definition.range, placeholder: hit.definition.name };
        },
      ),
    );
    // Not wrapped in `safe`: an invalid name must reach the user as an error message.
    ctx.connection.onRenameRequest((params: RenameParams): WorkspaceEdit | null | ResponseError<void> => {
      const parse = ctx.workspace.parse(params.textDocument.uri);
      if (!parse) return null;
      const index = symbolsOf(parse);
      const hit = index.symbolAt(parse.lines.offset(params.position));
      if (!hit) return null;
      const d = hit.definition;
      const newName = params.newName.trim();
      const invalid = invalidName(newName);
      if (invalid) return new ResponseError(-32602, invalid);
      if (newName === d.name) return { changes: {} };
      if (index.lookup(d.kind, newName))
        return new ResponseError(-32602, `a ${d.kind} named '${newName}' already exists`);
      if (d.kind === 'let' && BUILTINS.has(newName)) {
        return new ResponseError(-32602, `'${newName}' is a built-in constant or function`);
      }
      const ranges = [d.range, ...index.referencesTo(d).map((r) => r.range)];
      return { changes: { [params.textDocument.uri]: ranges.map((range) => ({ range, newText: newName })) } };
    });
  },
};
