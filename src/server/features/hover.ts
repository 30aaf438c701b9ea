/**
 * Hover readouts, computed from the evaluation of the current text, for what is under the cursor:
 *   a query (its name, its parentheses)  → title, doc, its quantities and a sample of its curve
 *   a parameter name                      → what it means, its unit, default and valid range
 *   a value inside an argument            → that value: `N = exp(3) = 20.086`, a `let`'s value
 *   the model argument, a policy argument → the model's or the policy's readout
 *   a vocabulary token (or its p / reward entry) → p, r, φ_λ(token) under the nearest `tilt`
 *   a model, policy, let, field, built-in function or constant → its meaning or value
 * Text is built as markup blocks (src/presentation/markup.ts), escaped by construction, and sent
 * as Markdown, or as plain text to clients that do not render Markdown.
 */
import { type Hover, type HoverParams, MarkupKind } from 'vscode-languageserver';
import type { ResolvedModel, ResolvedPolicy } from '../../language/checking/models.js';
import { expressionValue, modelReadout, policyReadout } from '../../language/editor/values.js';
import type { Expr, NamedArg, Node, QueryStmt } from '../../language/syntax/ast.js';
import { nodePath } from '../../language/syntax/walk.js';
import {
  type Block,
  CONSTANTS,
  code,
  curveTable,
  docOf,
  em,
  FUNCTIONS,
  formatCount,
  formatInterval,
  formatNumber,
  MODEL_FIELDS,
  notesOf,
  type ParamSpec,
  POLICY_FRONTIER_AT_KL,
  POLICY_GAP_AT_KL,
  POLICY_KL,
  POLICY_REWARD,
  PRESENTATION,
  paragraph,
  paramSpec,
  quantityRows,
  querySpec,
  strong,
  table,
  tokenValue,
  toMarkdown,
  toPlainText,
} from '../../presentation/index.js';
import { type Feature, safe } from '../context.js';
import { nearestTilt, resultOf } from '../results.js';
import type { Evaluated } from '../workspace.js';

/** Rows of a curve shown in a hover (fewer than the CLI prints: a hover is small). */
const HOVER_CURVE_ROWS = 9;

export function queryHover(e: Evaluated, stmt: QueryStmt, d: number): Block[] {
  const spec = querySpec(stmt.name.name);
  const r = resultOf(e, stmt);
  const title = r ? PRESENTATION[r.query].title : undefined;
  const blocks: Block[] = [
    paragraph(
      strong(stmt.name.name),
      ...(title ? [` — ${title}`] : []),
      ...(r?.model ? [' · model ', code(r.model)] : []),
    ),
  ];
  if (spec) blocks.push(paragraph(docOf(spec.name)));
  if (r?.value !== undefined) {
    blocks.push(table(['quantity', 'value', 'unit'], quantityRows(r, d), ['left', 'right', 'left']));
    for (const note of notesOf(r)) blocks.push(paragraph(em(note)));
    const c = curveTable(r, d, HOVER_CURVE_ROWS);
    if (c) {
      blocks.push(table(c.header, c.rows));
      if (c.rows.length < c.total)
        blocks.push(paragraph(em(`${c.rows.length} of ${c.total} points; the preview draws them all`)));
    }
  } else if (r?.error !== undefined) {
    blocks.push(paragraph(em('Not computed: '), r.error));
  } else if (!spec) {
    blocks.push(paragraph(em('Unknown query.')));
  }
  return blocks;
}

export function paramHover(p: ParamSpec): Block[] {
  const facts: string[] = [];
  if (p.unit) facts.push(`unit: ${p.unit}`);
  if (p.default !== undefined)
    facts.push(`default: ${typeof p.default === 'number' ? formatNumber(p.default, 10) : p.default}`);
  if (p.min !== undefined || p.max !== undefined)
    facts.push(`valid: ${formatInterval(p.min, p.max, p.minExclusive === true)}`);
  if (p.values) facts.push(`one of: ${p.values.join(', ')}`);
  return [
    paragraph(strong(p.name), ` — ${p.kind}`),
    paragraph(p.doc),
    ...(facts.length > 0 ? [paragraph(facts.join(' · '))] : []),
  ];
}

export function tokenHover(
  e: Evaluated,
  model: ResolvedModel,
  index: number,
  line: number,
  d: number,
): Block[] {
  const token = model.vocab[index];
  const p = model.p[index];
  const r = model.reward[index];
  const markov = model.decl.markov === true;
  const stationary = model.markov?.stationary?.[index];
  const rows: string[][] = markov
    ? [
        ['start s(token)', formatNumber(p, d)],
        ...(stationary !== undefined ? [['stationary π(token)', formatNumber(stationary, d)]] : []),
        ['r(token)', formatNumber(r, d)],
      ]
    : [
        ['p(token)', formatNumber(p, d)],
        ['r(token)', formatNumber(r, d)],
      ];
  const tilt = nearestTilt(e, model.name, line);
  let note: Block = paragraph('Add a ', code('tilt(…)'), ' query on this model to see φ_λ(token).');
  const phi = token === undefined ? undefined : tokenValue(tilt?.value.phi, token);
  if (tilt && phi !== undefined && markov) {
    rows.push(['φ_λ(token), averaged over positions', formatNumber(phi, d)]);
    const piTilted = tokenValue(tilt.value.markov?.stationary_tilted, token as string);
    if (piTilted !== undefined) rows.push(['stationary π_λ(token) of P_λ', formatNumber(piTilted, d)]);
    note = paragraph(
      `φ_λ from the tilt on line ${tilt.line + 1} (λ = ${formatNumber(tilt.value.lambda, d)}).`,
    );
  } else if (tilt && phi !== undefined) {
    rows.push(
      ['φ_λ(token)', formatNumber(phi, d)],
      ['log φ_λ/p', p > 0 && phi > 0 ? formatNumber(Math.log(phi / p), d) : '—'],
    );
    note = paragraph(
      `φ_λ from the tilt on line ${tilt.line + 1} (λ = ${formatNumber(tilt.value.lambda, d)}).`,
    );
  }
  return [
    paragraph(strong('token'), ' ', code(token ?? '?'), ' of model ', code(model.name)),
    table(['', 'value'], rows),
    note,
  ];
}

/** Names as a short list: {a, b, c} (at most 8, then how many more). */
function tokenList(names: readonly string[]): string {
  return `{${names.slice(0, 8).join(', ')}${names.length > 8 ? `, … ${names.length - 8} more` : ''}}`;
}

/** The readout of a `markov` model: size, length, KL, reward, structure, stationary law, mixing. */
function markovHover(e: Evaluated, model: ResolvedModel, d: number): Block[] {
  const readout = modelReadout(model);
  const info = model.markov;
  const summary = e.analysis.models?.find((m) => m.name === model.name);
  const rows: string[][] = [
    ['K (tokens)', formatCount(model.vocab.length)],
    ['n (length)', formatCount(model.n)],
  ];
  if (readout) {
    rows.push(
      ['E[R] under p', formatNumber(readout.baseReward, d)],
      ['max KL −log p(S*)', `${formatNumber(readout.maxKL, d)} nats`],
    );
    if (summary?.r_min !== null && summary?.r_max !== null && summary)
      rows.push([
        'reward per step',
        `[${formatNumber(summary.r_min, d)}, ${formatNumber(summary.r_max, d)}]`,
      ]);
  }
  if (info) {
    rows.push(['irreducible', info.irreducible ? 'yes' : 'no']);
    if (info.transient.length > 0) rows.push(['transient tokens', tokenList(info.transient)]);
    if (!info.irreducible) rows.push(['closed classes', info.closed.map(tokenList).join(', ')]);
    if (info.asymptotic === undefined && info.period > 1) rows.push(['period', formatCount(info.period)]);
    rows.push(['start', info.stationaryStart ? 'stationary' : 'given']);
    if (readout?.mixing !== undefined) rows.push(['mixing |λ₂| of P', formatNumber(readout.mixing, d)]);
  }
  const blocks: Block[] = [paragraph(strong('markov'), ' ', code(model.name)), table(['', 'value'], rows)];
  if (info?.stationary) {
    const order = info.stationary
      .map((x, i) => [x, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 10);
    blocks.push(
      paragraph(
        em('Stationary distribution π of P'),
        order.length < model.vocab.length ? ' (largest 10)' : '',
      ),
    );
    blocks.push(
      table(
        ['token', 'π(token)'],
        order.map(([x, i]) => [JSON.stringify(model.vocab[i]), formatNumber(x, d)]),
        ['left', 'right'],
      ),
    );
  }
  if (info?.asymptotic !== undefined) blocks.push(paragraph(em('No asymptotics: '), info.asymptotic));
  if (model.error) blocks.push(paragraph(em('Cannot be evaluated: '), model.error));
  return blocks;
}

export function modelHover(e: Evaluated, model: ResolvedModel, d: number): Block[] {
  if (model.decl.markov) return markovHover(e, model, d);
  const summary = e.analysis.models?.find((m) => m.name === model.name);
  const readout = modelReadout(model);
  const rows: string[][] = [
    ['K (tokens)', formatCount(model.vocab.length)],
    ['n (length)', formatCount(model.n)],
  ];
  if (model.law && readout) {
    rows.push(
      ['E[R] under pⁿ', formatNumber(readout.baseReward, d)],
      ['max KL n·(−log p(M))', `${formatNumber(readout.maxKL, d)} nats`],
      ['reward range', `[${formatNumber(model.law.rMin, d)}, ${formatNumber(model.law.rMax, d)}]`],
      ['distinct rewards', formatCount(summary?.distinct_rewards ?? model.law.values.length)],
    );
  }
  const source = model.decl.source;
  const blocks: Block[] = [
    paragraph(strong('model'), ' ', code(model.name), ...(source ? [' from ', code(source.value)] : [])),
    table(['', 'value'], rows),
  ];
  if (model.error) blocks.push(paragraph(em('Cannot be evaluated: '), model.error));
  return blocks;
}

function policyHover(policy: ResolvedPolicy | undefined, name: string, d: number): Block[] {
  if (!policy) return [paragraph(strong('policy'), ' ', code(name))];
  const blocks: Block[] = [
    paragraph(strong('policy'), ' ', code(name), ' over model ', code(policy.model?.name ?? '?')),
  ];
  const r = policyReadout(policy);
  if (r) {
    blocks.push(
      table(
        ['quantity', 'value', 'unit'],
        [
          [POLICY_KL, formatNumber(r.kl, d), 'nats'],
          [POLICY_REWARD, formatNumber(r.reward, d), 'reward'],
          [POLICY_FRONTIER_AT_KL, formatNumber(r.frontierReward, d), 'reward'],
          [POLICY_GAP_AT_KL, formatNumber(r.gap, d), 'reward'],
        ],
        ['left', 'right', 'left'],
      ),
    );
  }
  if (policy.error) blocks.push(paragraph(em('Cannot be evaluated: '), policy.error));
  return blocks;
}

/** The value of a `let`, in words when it is beyond a double (`≈ e^1000`). */
function letValueText(e: Evaluated, name: string, d: number): string {
  const v = e.document.checked.lets.get(name);
  if (v === undefined) return '— (it has an error)';
  if (v.sign !== 0 && !Number.isFinite(v.num)) return `${v.sign < 0 ? '−' : ''}e^${formatNumber(v.log, d)}`;
  return formatNumber(v.num, d);
}

/** An expression inside a parameter's value: what it evaluates to. */
function valueHover(e: Evaluated, arg: NamedArg, node: Expr, d: number): Block[] {
  const text = e.parse.text.slice(node.start, node.end);
  const v = expressionValue(node, e.document.checked);
  const value =
    v === undefined
      ? '— (it has an error)'
      : v.sign !== 0 && !Number.isFinite(v.num)
        ? `${v.sign < 0 ? '−' : ''}e^${formatNumber(v.log, d)}`
        : formatNumber(v.num, d);
  const blocks: Block[] = [paragraph(strong(arg.name.name), ': ', code(text), ` = ${value}`)];
  if (node.kind === 'identifier' && e.document.checked.lets.has(node.name)) {
    const def = e.document.checked.symbols.symbolAt(node.start)?.definition;
    if (def)
      blocks.push(paragraph('defined by ', code(`let ${node.name}`), ` on line ${def.range.start.line + 1}`));
  }
  return blocks;
}

export function hoverAt(
  e: Evaluated,
  offset: number,
  d: number,
): { blocks: Block[]; node: Node } | undefined {
  const path = nodePath(e.parse.ast, offset);
  const node = path[path.length - 1];
  const parent = path[path.length - 2];
  const checked = e.document.checked;
  const line = e.parse.lines.position(offset).line;
  const query = path.find((n): n is QueryStmt => n.kind === 'query');

  if (query) {
    if (node.kind === 'identifier' && parent?.kind === 'named-arg' && parent.name === node) {
      const spec = querySpec(query.name.name);
      const p = spec && paramSpec(spec, node.name);
      if (p) return { blocks: paramHover(p), node };
    }
    if (node.kind === 'identifier' && parent?.kind === 'positional-arg' && query.args[0] === parent) {
      const m = checked.models.get(node.name);
      if (m) return { blocks: modelHover(e, m, d), node };
    }
    if (node.kind === 'identifier' && parent?.kind === 'named-arg' && checked.policies.has(node.name))
      return { blocks: policyHover(checked.policies.get(node.name), node.name, d), node };
    // A value inside an argument (a let, exp(…), an arithmetic expression): that value.
    const arg = path.find((n): n is NamedArg => n.kind === 'named-arg');
    if (arg?.value && node !== arg && node.kind !== 'range' && isExpr(node) && node !== arg.name)
      return { blocks: valueHover(e, arg, node, d), node };
    return { blocks: queryHover(e, query, d), node: query };
  }

  const decl = path.find((n) => n.kind === 'model' || n.kind === 'policy');
  if (node.kind === 'token-name' && decl?.kind === 'model' && decl.name) {
    const m = checked.models.get(decl.name.name);
    const i = m ? m.vocab.indexOf(node.name) : -1;
    if (m && i >= 0) return { blocks: tokenHover(e, m, i, line, d), node };
  }
  if (parent?.kind === 'field' && node.kind !== 'identifier' && decl?.kind === 'model' && decl.name) {
    // An entry of the p or reward line: the token in the same column.
    const m = checked.models.get(decl.name.name);
    const i = parent.items.indexOf(node as never);
    if (m && i >= 0 && i < m.vocab.length && m.decl === decl)
      return { blocks: tokenHover(e, m, i, line, d), node };
  }
  if (node.kind === 'identifier' && parent?.kind === 'field' && parent.name === node) {
    const f = MODEL_FIELDS.find((x) => x.name === node.name);
    if (f) return { blocks: [paragraph(strong(f.name), ' — field'), paragraph(f.doc)], node };
  }
  if (node.kind === 'identifier') {
    const def = checked.symbols.symbolAt(node.start)?.definition;
    if (def?.kind === 'model') {
      const m = checked.models.get(def.name);
      if (m) return { blocks: modelHover(e, m, d), node };
    }
    if (def?.kind === 'policy')
      return { blocks: policyHover(checked.policies.get(def.name), def.name, d), node };
    if (def?.kind === 'let')
      return {
        blocks: [paragraph(strong('let'), ' ', code(def.name), ` = ${letValueText(e, def.name, d)}`)],
        node,
      };
    const fn = FUNCTIONS.find((f) => f.name === node.name);
    if (fn && parent?.kind === 'call')
      return {
        blocks: [paragraph(strong(`${fn.name}(x)`), ' — built-in function'), paragraph(fn.doc)],
        node,
      };
    const c = CONSTANTS.find((x) => x.name === node.name);
    if (c)
      return {
        blocks: [
          paragraph(strong(c.name), ` = ${formatNumber(c.value, d)} — built-in constant`),
          paragraph(c.doc),
        ],
        node,
      };
  }
  return undefined;
}

function isExpr(n: Node): n is Expr {
  return (
    n.kind === 'number' ||
    n.kind === 'identifier' ||
    n.kind === 'call' ||
    n.kind === 'binary' ||
    n.kind === 'unary' ||
    n.kind === 'paren'
  );
}

export const hover: Feature = {
  name: 'hover',
  capabilities: () => ({ hoverProvider: true }),
  register(ctx) {
    ctx.connection.onHover(
      safe(ctx, 'hover', null, async (params: HoverParams): Promise<Hover | null> => {
        const e = await ctx.workspace.current(params.textDocument.uri);
        if (!e) return null;
        const found = hoverAt(e, e.parse.lines.offset(params.position), ctx.settings().significantDigits);
        if (!found) return null;
        const markdown = ctx.support().markdownHover;
        return {
          contents: {
            kind: markdown ? MarkupKind.Markdown : MarkupKind.PlainText,
            value: markdown ? toMarkdown(found.blocks) : toPlainText(found.blocks),
          },
          range: e.parse.lines.range(found.node.start, found.node.end),
        };
      }),
    );
  },
};
