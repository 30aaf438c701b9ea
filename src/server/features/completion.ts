/**
 * Completion, by syntactic context:
 *   line start (top level)   → model / policy / let, and every query as a snippet with its required parameters
 *   query(|                  → model names
 *   query(m, |               → the parameters not yet given (snippets `delta = …`), minus conflicting ones
 *   name = |                 → the parameter's values: policy names, enum words, or lets/constants/functions
 *   body line start          → the fields (vocab, p, reward, length; a policy only has p)
 *   policy q of |            → model names
 *   other expressions        → lets, constants, functions
 */
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionParams,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver';
import { cursorContext, namedArgs, paramBeingSet } from '../../language/editor/cursor.js';
import type { QueryStmt } from '../../language/syntax/ast.js';
import type { ParseResult } from '../../language/syntax/parser.js';
import {
  CONSTANTS,
  FUNCTIONS,
  MODEL_FIELDS,
  type ParamSpec,
  paramSpec,
  QUERIES,
  type QuerySpec,
  querySpec,
} from '../../presentation/queries.js';
import { type Feature, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

const md = (value: string) => ({ kind: MarkupKind.Markdown, value });

/**
 * The template a new file starts from. Its numbers make every query's own template (its example
 * values, queries.ts) meaningful without a warning: the maximum KL is 8·(−log 0.2) ≈ 12.9, above
 * the examples' Δ = 4.
 */
export const MODEL_TEMPLATE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders, not a template
  'model ${1:toy} {\n  vocab   ${2:a b c}\n  p       ${3:0.5 0.3 0.2}\n  reward  ${4:0 1 2}\n  length  ${5:8}\n}$0';

/**
 * The template of a `markov` model: a chain that is clearly not memoryless (each token tends to
 * repeat), stationary start, and numbers for which every query's template is meaningful without a
 * warning (maximum KL ≈ 4.7 at n = 8, above the examples' Δ = 4; the largest KL rate −log 0.6 ≈
 * 0.51, above the equivalence example's δ = 0.5). The rows name the vocab, so only numbers are
 * placeholders.
 */
export const MARKOV_TEMPLATE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders, not a template
  'markov ${1:chain} {\n  vocab   a b c\n  start   stationary\n  next a  -> ${2:0.6 0.3 0.1}\n  next b  -> ${3:0.2 0.5 0.3}\n  next c  -> ${4:0.1 0.3 0.6}\n  reward  ${5:0 1 2}\n  length  ${6:8}\n}$0';

function names(parse: ParseResult, kind: 'model' | 'policy' | 'let'): string[] {
  return [
    ...new Set(
      symbolsOf(parse)
        .definitions.filter((d) => d.kind === kind)
        .map((d) => d.name),
    ),
  ];
}

/** `value` of `name = value` in a query's example, as a snippet placeholder. */
function exampleValue(spec: QuerySpec, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*([^,)]+)`).exec(spec.example);
  return m?.[1].trim();
}

function placeholder(spec: QuerySpec, p: ParamSpec): string {
  const v = exampleValue(spec, p.name) ?? (p.default !== undefined ? String(p.default) : undefined);
  if (p.kind === 'enum' && p.values) return `|${p.values.join(',')}|`;
  return `:${(v ?? '').replace(/[$}\\]/g, '\\$&')}`;
}

function paramDoc(p: ParamSpec): string {
  const bits = [p.doc];
  if (p.default !== undefined) bits.push(`Default: \`${p.default}\`.`);
  if (p.unit) bits.push(`Unit: ${p.unit}.`);
  if (p.values) bits.push(`One of: ${p.values.map((v) => `\`${v}\``).join(', ')}.`);
  return bits.join(' ');
}

function queryItem(spec: QuerySpec, models: string[], snippets: boolean): CompletionItem {
  const required = spec.groups.filter((g) => g.required === true).map((g) => g.names[0]);
  let n = 1;
  const model = models.length > 1 ? `\${${n++}|${models.join(',')}|}` : `\${${n++}:${models[0] ?? 'model'}}`;
  const params = required.map((name) => {
    const p = paramSpec(spec, name)!;
    return `, ${name} = \${${n++}${placeholder(spec, p)}}`;
  });
  return {
    label: spec.name,
    kind: CompletionItemKind.Function,
    detail: spec.example,
    documentation: md(`${spec.doc}\n\n\`\`\`align\n${spec.example}\n\`\`\``),
    insertText: snippets ? `${spec.name}(${model}${params.join('')})$0` : spec.name,
    insertTextFormat: snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: `1${spec.name}`,
  };
}

function paramItems(
  spec: QuerySpec,
  given: Set<string>,
  words: ReadonlyMap<string, string>,
  snippets: boolean,
): CompletionItem[] {
  // A parameter in a group of which another member is given would conflict; one in a group that
  // applies only for another value of a word parameter (N with method = base) would do nothing.
  const blocked = new Set<string>();
  for (const g of spec.groups) {
    if (g.names.some((n) => given.has(n))) for (const n of g.names) blocked.add(n);
    if (typeof g.required === 'object') {
      const value = words.get(g.required.param) ?? paramSpec(spec, g.required.param)?.default;
      if (value !== g.required.value) for (const n of g.names) blocked.add(n);
    }
  }
  return spec.params
    .filter((p) => !given.has(p.name) && !blocked.has(p.name))
    .map((p, i) => ({
      label: p.name,
      kind: CompletionItemKind.Property,
      detail: `${p.kind}${p.unit ? ` (${p.unit})` : ''}${p.default !== undefined ? ` = ${p.default}` : ''}`,
      documentation: md(paramDoc(p)),
      insertText: snippets ? `${p.name} = \${1${placeholder(spec, p)}}` : `${p.name} = `,
      insertTextFormat: snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: `0${String(i).padStart(2, '0')}`,
    }));
}

/** The word-valued arguments written in a query (`method = bon`). */
function wordArgs(query: QueryStmt): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of query.args)
    if (a.kind === 'named-arg' && a.value?.kind === 'identifier') out.set(a.name.name, a.value.name);
  return out;
}

function nameItems(list: string[], kind: CompletionItemKind, detail: string): CompletionItem[] {
  return list.map((label) => ({ label, kind, detail, sortText: `0${label}` }));
}

function expressionItems(parse: ParseResult): CompletionItem[] {
  return [
    ...nameItems(names(parse, 'let'), CompletionItemKind.Constant, 'let'),
    ...CONSTANTS.map((c) => ({
      label: c.name,
      kind: CompletionItemKind.Constant,
      detail: `constant = ${c.value}`,
      documentation: md(c.doc),
      sortText: `1${c.name}`,
    })),
    ...FUNCTIONS.map((f) => ({
      label: f.name,
      kind: CompletionItemKind.Function,
      detail: `${f.name}(x)`,
      documentation: md(f.doc),
      sortText: `2${f.name}`,
    })),
  ];
}

export function completionsAt(parse: ParseResult, offset: number, snippets: boolean): CompletionItem[] {
  const c = cursorContext(parse, offset);
  if (c.inert) return [];
  const prevText = c.prev?.text;
  const atLineStart = !c.prev || c.prev.kind === 'newline' || prevText === ';';

  if (c.query) {
    const spec = querySpec(c.query.name.name);
    const param = paramBeingSet(c);
    if (param) {
      const p = spec && paramSpec(spec, param);
      if (p?.kind === 'policy')
        return nameItems(names(parse, 'policy'), CompletionItemKind.Interface, 'policy');
      if (p?.kind === 'enum') {
        return (p.values ?? []).map((v) => ({
          label: v,
          kind: CompletionItemKind.EnumMember,
          detail: p.name,
        }));
      }
      return expressionItems(parse);
    }
    if (prevText === '(' && c.prev?.start === c.query.open) {
      return nameItems(names(parse, 'model'), CompletionItemKind.Class, 'model');
    }
    if (prevText === ',' || prevText === '(') {
      const items = spec ? paramItems(spec, namedArgs(c.query), wordArgs(c.query), snippets) : [];
      const hasModel = c.query.args.some((a) => a.kind === 'positional-arg' && a.start < offset);
      return hasModel
        ? items
        : [...nameItems(names(parse, 'model'), CompletionItemKind.Class, 'model'), ...items];
    }
    return c.prev?.kind === 'operator' ? expressionItems(parse) : [];
  }
  const decl = c.statement?.kind === 'model' || c.statement?.kind === 'policy' ? c.statement : undefined;
  if (c.inBody && decl) {
    if (atLineStart || prevText === '{') {
      const inPolicy = decl.kind === 'policy';
      // A markov body (or a policy of a markov model) has its own fields; `next` repeats.
      const of = decl.kind === 'policy' ? decl.of?.name : undefined;
      const markov =
        decl.kind === 'model'
          ? decl.markov === true
          : parse.ast.statements.some((s) => s.kind === 'model' && s.name?.name === of && s.markov === true);
      const present = new Set(decl.fields.map((f) => f.name.name));
      present.delete('next');
      return MODEL_FIELDS.filter(
        (f) =>
          (!inPolicy || f.inPolicy) &&
          (markov ? f.inMarkov || (inPolicy && f.name === 'p') : f.markovOnly !== true) &&
          !present.has(f.name),
      ).map((f) => ({
        label: f.name,
        kind: CompletionItemKind.Field,
        documentation: md(f.doc),
        insertText: `${f.name} `,
      }));
    }
    let field: (typeof decl.fields)[number] | undefined;
    for (const f of decl.fields) if (f.start < offset) field = f;
    if (field?.name.name === 'vocab') return [];
    return expressionItems(parse);
  }
  if (prevText === 'of' && c.prev?.kind === 'keyword')
    return nameItems(names(parse, 'model'), CompletionItemKind.Class, 'model');
  if (c.statement?.kind === 'let' && (prevText === '=' || c.prev?.kind === 'operator' || prevText === '(')) {
    return expressionItems(parse);
  }
  if (atLineStart) {
    const models = names(parse, 'model');
    const keyword = (label: string, body: string, doc: string): CompletionItem => ({
      label,
      kind: CompletionItemKind.Keyword,
      documentation: md(doc),
      insertText: snippets ? body : `${label} `,
      insertTextFormat: snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: `0${label}`,
    });
    return [
      keyword('model', MODEL_TEMPLATE, 'A memoryless language model with a linear reward.'),
      keyword(
        'markov',
        MARKOV_TEMPLATE,
        'A Markov (bigram) language model: a start distribution and one transition row per token.',
      ),
      {
        ...keyword(
          'model from',
          `model \${1:name} from "\${2:model.csv}"$0`,
          'A model whose token, p and reward columns are read from a CSV or JSON file in the workspace.',
        ),
        filterText: 'model from',
      },
      keyword(
        'policy',
        `policy \${1:q} of \${2:${models[0] ?? 'model'}} {\n  p \${3:0.2 0.3 0.5}\n}$0`,
        'Another distribution over a model’s vocabulary (for `compare`).',
      ),
      keyword('let', `let \${1:name} = \${2:1}$0`, 'A named constant.'),
      ...QUERIES.map((q) => queryItem(q, models, snippets)),
    ];
  }
  return [];
}

export const completion: Feature = {
  name: 'completion',
  capabilities: () => ({
    // A space too: after `, ` (and `= `) the list must open, not only right after the comma.
    completionProvider: { triggerCharacters: ['(', ',', '=', ' '], resolveProvider: false },
  }),
  register(ctx) {
    ctx.connection.onCompletion(
      safe(ctx, 'completion', [], (params: CompletionParams): CompletionItem[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return [];
        const offset = parse.lines.offset(params.position);
        // A space opens the list only where a name is expected next: after `,`, `(` or `=`.
        if (
          params.context?.triggerCharacter === ' ' &&
          !/[,(=]\s$/.test(parse.text.slice(Math.max(0, offset - 2), offset))
        )
          return [];
        return completionsAt(parse, offset, ctx.support().snippets);
      }),
    );
  },
};
