/**
 * alignLab/setParameter: the edit that sets one parameter of a query (the preview's sliders).
 * The server only computes it; the client applies it — an explicit user action.
 *
 * The value is checked against the query table (src/presentation/queries.ts) before any edit is
 * made: the query must have the parameter, the parameter must take a single number (a whole one
 * for integers), the value must lie in the parameter's valid range (open bounds excluded), and no
 * other parameter of its exclusive group may already be written (`lambda` next to `delta`).
 * Otherwise the answer is a refusal with a message for the user.
 *
 * The edit: the value of `name = …` is replaced — except when it is a plain reference to a
 * numeric `let` that nothing else uses, whose value is moved instead (the query keeps its link to
 * the let; see src/language/checking/paramSource.ts); a parameter not written yet is appended
 * before the closing parenthesis.
 */
import { paramSource, paramSpec, querySpec, type SymbolIndex } from '../../language/index.js';
import type { QueryStmt } from '../../language/syntax/ast.js';
import type { ParseResult } from '../../language/syntax/parser.js';
import { formatInterval, formatNumber } from '../../presentation/format.js';
import {
  type ParameterRefusal,
  SetParameterRequest,
  type SetParameterResult,
  type TextEditLike,
} from '../../protocol/protocol.js';
import { type Feature, type ServerContext, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

/** Parameter kinds a single number may be written to. */
const NUMERIC_KINDS = new Set(['number', 'count', 'integer', 'number-or-range', 'integer-or-range']);

const refuse = (code: ParameterRefusal['code'], message: string): { refused: ParameterRefusal } => ({
  refused: { code, message },
});

/** Whether `value` may be written as parameter `name` of `query`, else why not. */
export function checkParameter(
  query: QueryStmt,
  name: string,
  value: number,
): { refused: ParameterRefusal } | undefined {
  const kind = query.name.name;
  const spec = querySpec(kind);
  if (!spec) return refuse('no-query', `'${kind}' is not a query`);
  const ps = paramSpec(spec, name);
  if (!ps) {
    const known = spec.params.map((p) => p.name).join(', ');
    return refuse('unknown-parameter', `${kind} has no parameter '${name}' (parameters: ${known || 'none'})`);
  }
  if (!NUMERIC_KINDS.has(ps.kind))
    return refuse('not-a-number', `'${name}' of ${kind} does not take a number`);
  if (!Number.isFinite(value)) return refuse('out-of-range', `'${name}' must be a finite number`);
  const integer = ps.kind === 'integer' || ps.kind === 'integer-or-range';
  if (integer && !Number.isInteger(value))
    return refuse('not-a-number', `'${name}' must be a whole number, not ${formatNumber(value, 10)}`);
  const below = ps.min !== undefined && (ps.minExclusive ? value <= ps.min : value < ps.min);
  const above = ps.max !== undefined && value > ps.max;
  if (below || above)
    return refuse(
      'out-of-range',
      `'${name}' of ${kind} must lie in ${formatInterval(ps.min, ps.max, ps.minExclusive)}, not ${formatNumber(value, 10)}`,
    );
  for (const group of spec.groups) {
    if (!group.names.includes(name)) continue;
    const other = query.args.find(
      (a) => a.kind === 'named-arg' && a.name.name !== name && group.names.includes(a.name.name),
    );
    if (other?.kind === 'named-arg')
      return refuse(
        'conflicting-parameters',
        `${kind} already has '${other.name.name}': '${name}' cannot be given as well (they are alternative ways to say the same thing)`,
      );
  }
  return undefined;
}

/** The edit that sets `name = value` in `query`, or why it is refused (see the module comment). */
export function setParameterEdits(
  parse: ParseResult,
  symbols: SymbolIndex,
  query: QueryStmt,
  name: string,
  value: number,
): { edits: TextEditLike[] } | { refused: ParameterRefusal } {
  const refused = checkParameter(query, name, value);
  if (refused) return refused;
  if (query.close === undefined)
    return refuse('no-query', `the query at line ${query.range.start.line + 1} has no closing parenthesis`);
  const text = String(value);
  const arg = query.args.find((a) => a.kind === 'named-arg' && a.name.name === name);
  if (arg?.kind === 'named-arg' && arg.value) {
    if (arg.value.kind === 'range')
      return refuse('not-a-number', `'${name}' is written as a range; change it in the editor`);
    const source = paramSource(arg.value, symbols);
    const target = source.kind === 'let' ? source.target : arg.value;
    return { edits: [{ range: parse.lines.range(target.start, target.end), newText: text }] };
  }
  if (arg) return { edits: [{ range: parse.lines.range(arg.start, arg.end), newText: `${name} = ${text}` }] };
  const at = parse.lines.position(query.close);
  const sep = query.args.length > 0 ? ', ' : '';
  return { edits: [{ range: { start: at, end: at }, newText: `${sep}${name} = ${text}` }] };
}

/** The query statement at `position` of the document's current text, if the version matches. */
export function queryAt(
  ctx: ServerContext,
  params: { uri: string; version: number; position: { line: number; character: number } },
): { parse: ParseResult; query: QueryStmt | undefined; text: string } | undefined {
  const doc = ctx.workspace.get(params.uri);
  const parse = ctx.workspace.parse(params.uri);
  if (!doc || !parse || doc.version !== params.version) return undefined;
  const offset = parse.lines.offset(params.position);
  const query = parse.ast.statements.find(
    (s): s is QueryStmt => s.kind === 'query' && s.start <= offset && offset <= s.end,
  );
  return { parse, query, text: doc.getText() };
}

export const setParameter: Feature = {
  name: 'setParameter',
  register(ctx) {
    ctx.connection.onRequest(
      SetParameterRequest,
      safe(ctx, 'setParameter', null, (params): SetParameterResult | null => {
        const found = queryAt(ctx, params);
        if (!found) return null;
        const { uri, version } = params;
        if (!found.query)
          return {
            uri,
            version,
            ...refuse('no-query', `there is no query at line ${params.position.line + 1}`),
          };
        const answer = setParameterEdits(
          found.parse,
          symbolsOf(found.parse),
          found.query,
          params.name,
          params.value,
        );
        return { uri, version, ...answer };
      }),
    );
  },
};
