/**
 * Signature help inside a query's parentheses: `tilt(model, delta = Δ, lambda = λ, beta = β)`,
 * with each parameter's documentation and the one at the cursor highlighted.
 */
import {
  MarkupKind,
  type ParameterInformation,
  type SignatureHelp,
  type SignatureHelpParams,
} from 'vscode-languageserver';
import { cursorContext } from '../../language/editor/cursor.js';
import type { QueryStmt } from '../../language/syntax/ast.js';
import { type QuerySpec, querySpec } from '../../presentation/queries.js';
import { type Feature, safe } from '../context.js';

export function signatureOf(spec: QuerySpec): { label: string; parameters: ParameterInformation[] } {
  let label = `${spec.name}(`;
  const parameters: ParameterInformation[] = [];
  const push = (text: string, doc: string) => {
    if (parameters.length > 0) label += ', ';
    parameters.push({
      label: [label.length, label.length + text.length],
      documentation: { kind: MarkupKind.Markdown, value: doc },
    });
    label += text;
  };
  push('model', 'The model the query is about (its name).');
  for (const p of spec.params) {
    const value =
      p.default !== undefined ? String(p.default) : p.kind === 'enum' ? (p.values ?? []).join('|') : '…';
    push(`${p.name} = ${value}`, `${p.doc}${p.unit ? ` (${p.unit})` : ''}`);
  }
  label += ')';
  return { label, parameters };
}

/** Index into signatureOf(spec).parameters of the argument at `offset`, or -1 for none. */
function activeParameter(spec: QuerySpec, query: QueryStmt, offset: number): number {
  const arg = query.args.find((a) => offset >= a.start && offset <= a.end);
  if (arg?.kind === 'named-arg') {
    const i = spec.params.findIndex((p) => p.name === arg.name.name);
    return i >= 0 ? i + 1 : -1;
  }
  if (arg) return query.args.indexOf(arg) === 0 ? 0 : -1;
  // Between arguments: before any argument the model comes next; after one, a named parameter.
  return query.args.some((a) => a.end < offset) ? -1 : 0;
}

export const signatureHelp: Feature = {
  name: 'signatureHelp',
  capabilities: () => ({
    signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
  }),
  register(ctx) {
    ctx.connection.onSignatureHelp(
      safe(ctx, 'signatureHelp', null, (params: SignatureHelpParams): SignatureHelp | null => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return null;
        const offset = parse.lines.offset(params.position);
        const { query } = cursorContext(parse, offset);
        const spec = query && querySpec(query.name.name);
        if (!query || !spec) return null;
        const sig = signatureOf(spec);
        const active = activeParameter(spec, query, offset);
        return {
          signatures: [{ ...sig, documentation: { kind: MarkupKind.Markdown, value: spec.doc } }],
          activeSignature: 0,
          // -1 (no parameter highlighted) is sent as an out-of-range index, as LSP 3.17 allows.
          activeParameter: active >= 0 ? active : sig.parameters.length,
        };
      }),
    );
  },
};
