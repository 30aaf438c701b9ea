/**
 * alignLab/setParameter: the edit that sets one parameter of a query (the preview's sliders).
 * The server only computes it; the client applies it — an explicit user action. Replaces the
 * value of `name = …` if present, else appends `, name = value` before the closing parenthesis.
 */
import type { QueryStmt } from '../../language/syntax/ast.js';
import type { ParseResult } from '../../language/syntax/parser.js';
import { SetParameterRequest, type SetParameterResult, type TextEditLike } from '../../protocol/protocol.js';
import { type Feature, safe } from '../context.js';
import { invalidName } from './rename.js';

export function setParameterEdits(
  parse: ParseResult,
  query: QueryStmt,
  name: string,
  value: number,
): TextEditLike[] {
  if (!Number.isFinite(value) || query.close === undefined || invalidName(name)) return [];
  const text = String(value);
  const arg = query.args.find((a) => a.kind === 'named-arg' && a.name.name === name);
  if (arg?.kind === 'named-arg' && arg.value) {
    return [{ range: parse.lines.range(arg.value.start, arg.value.end), newText: text }];
  }
  if (arg) return [{ range: parse.lines.range(arg.start, arg.end), newText: `${name} = ${text}` }];
  const at = parse.lines.position(query.close);
  const sep = query.args.length > 0 ? ', ' : '';
  return [{ range: { start: at, end: at }, newText: `${sep}${name} = ${text}` }];
}

export const setParameter: Feature = {
  name: 'setParameter',
  register(ctx) {
    ctx.connection.onRequest(
      SetParameterRequest,
      safe(ctx, 'setParameter', null, (params): SetParameterResult | null => {
        const doc = ctx.workspace.get(params.uri);
        const parse = ctx.workspace.parse(params.uri);
        if (!doc || !parse || doc.version !== params.version) return null;
        const offset = parse.lines.offset(params.position);
        const query = parse.ast.statements.find(
          (s): s is QueryStmt => s.kind === 'query' && s.start <= offset && offset <= s.end,
        );
        if (!query) return null;
        const edits = setParameterEdits(parse, query, params.name, params.value);
        return edits.length > 0 ? { uri: params.uri, version: params.version, edits } : null;
      }),
    );
  },
};
