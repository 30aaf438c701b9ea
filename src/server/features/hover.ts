/**
 * Hover readouts, computed from the evaluation of the current text:
 *   a query            → its values as a table (λ, β, KL, E[R], …) and, for curves, a sample of points
 *   a parameter name   → what it means, its unit, default and bounds
 *   a vocabulary token → p, r, φ_λ(token) under the nearest `tilt` of that model, log φ/p
 *     (also on that token's entry in the p or reward line)
 *   a model            → K, n, E_p[R], the maximum KL, the reward range
 *   a policy, a let, a field, a built-in function or constant → its meaning or value
 */
import { type Hover, type HoverParams, MarkupKind } from 'vscode-languageserver';
import type { ResolvedModel } from '../../language/checking/models.js';
import type { Node, QueryStmt } from '../../language/syntax/ast.js';
import { nodePath } from '../../language/syntax/walk.js';
import {
  CONSTANTS,
  FUNCTIONS,
  MODEL_FIELDS,
  type ParamSpec,
  paramSpec,
  querySpec,
} from '../../presentation/queries.js';
import { tokenValue } from '../../presentation/tokens.js';
import { type Feature, safe } from '../context.js';
import { fmt } from '../numbers.js';
import { rows, series } from '../readout.js';
import { nearestTilt, resultOf } from '../results.js';
import type { Evaluated } from '../workspace.js';

const mdEscape = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? ':--' : '--:'))), ...body.map(line)].join('\n');
}

export function queryHover(e: Evaluated, stmt: QueryStmt, d: number): string {
  const spec = querySpec(stmt.name.name);
  const r = resultOf(e, stmt);
  const parts = [`**${mdEscape(stmt.name.name)}**${r ? ` · model \`${r.model}\`` : ''}`];
  if (spec) parts.push(spec.doc);
  if (r?.value !== undefined) {
    const rs = rows(r, d);
    parts.push(
      table(
        ['quantity', 'value', 'unit'],
        rs.map((x) => [mdEscape(x.name), x.value, x.unit ?? '']),
      ),
    );
    const s = series(r, d);
    if (s) parts.push(table(s.header.map(escape), s.rows));
  } else if (r?.error !== undefined) {
    parts.push(`*Not computed:* ${mdEscape(r.error)}`);
  } else if (!spec) {
    parts.push('*Unknown query.*');
  }
  return parts.join('\n\n');
}

export function paramHover(p: ParamSpec): string {
  const facts: string[] = [];
  if (p.unit) facts.push(`unit: ${p.unit}`);
  if (p.default !== undefined) facts.push(`default: \`${p.default}\``);
  if (p.min !== undefined || p.max !== undefined) {
    const lo = p.min === undefined ? '−∞' : `${p.min}`;
    const hi = p.max === undefined ? '∞' : `${p.max}`;
    facts.push(`range: ${p.minExclusive ? '(' : '['}${lo}, ${hi}]`);
  }
  if (p.values) facts.push(`one of: ${p.values.map((v) => `\`${v}\``).join(', ')}`);
  return [`**${p.name}** — ${p.kind}`, p.doc, facts.join(' · ')].filter(Boolean).join('\n\n');
}

export function tokenHover(
  e: Evaluated,
  model: ResolvedModel,
  index: number,
  line: number,
  d: number,
): string {
  const token = model.vocab[index];
  const p = model.p[index];
  const r = model.reward[index];
  const body: string[][] = [
    ['p(token)', fmt(p, d)],
    ['r(token)', fmt(r, d)],
  ];
  const tilt = nearestTilt(e, model.name, line);
  let note = 'Add a `tilt(…)` query on this model to see φ_λ(token).';
  const phi = token === undefined ? undefined : tokenValue(tilt?.value.phi, token);
  if (tilt && phi !== undefined) {
    body.push(['φ_λ(token)', fmt(phi, d)], ['log φ_λ/p', p > 0 && phi > 0 ? fmt(Math.log(phi / p), d) : '—']);
    note = `φ_λ from the \`tilt\` on line ${tilt.line + 1} (λ = ${fmt(tilt.value.lambda, d)}).`;
  }
  return [
    `**token** \`${mdEscape(token ?? '?')}\` of model \`${model.name}\``,
    table(['', 'value'], body),
    note,
  ].join('\n\n');
}

export function modelHover(e: Evaluated, model: ResolvedModel, d: number): string {
  const summary = e.analysis.models?.find((m) => m.name === model.name);
  let mean = 0;
  for (let i = 0; i < model.p.length; i++) mean += model.p[i] * (model.reward[i] ?? 0);
  const body: string[][] = [
    ['K (tokens)', String(model.vocab.length)],
    ['n (length)', String(model.n)],
  ];
  if (model.law) {
    body.push(
      ['E_p[R] = n·Σ p r', fmt(model.n * mean, d)],
      ['max KL n·(−log p(M))', `${fmt(model.maxKL ?? null, d)} nats`],
      ['reward range', `[${fmt(model.law.rMin, d)}, ${fmt(model.law.rMax, d)}]`],
      ['distinct rewards', String(summary?.distinct_rewards ?? model.law.values.length)],
    );
  }
  const parts = [
    `**model** \`${model.name}\`${model.decl.source ? ` from \`${model.decl.source.value}\`` : ''}`,
  ];
  parts.push(table(['', 'value'], body));
  if (model.error) parts.push(`*Cannot be evaluated:* ${mdEscape(model.error)}`);
  return parts.join('\n\n');
}

export function hoverAt(e: Evaluated, offset: number, d: number): { text: string; node: Node } | undefined {
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
      if (p) return { text: paramHover(p), node };
    }
    // The model argument: the model; anything else in the query: the query's values.
    if (node.kind === 'identifier' && parent?.kind === 'positional-arg' && query.args[0] === parent) {
      const m = checked.models.get(node.name);
      if (m) return { text: modelHover(e, m, d), node };
    }
    if (node.kind === 'identifier' && parent?.kind === 'named-arg' && checked.policies.has(node.name)) {
      return { text: policyHover(e, node.name), node };
    }
    return { text: queryHover(e, query, d), node: query };
  }

  const decl = path.find((n) => n.kind === 'model' || n.kind === 'policy');
  if (node.kind === 'token-name' && decl?.kind === 'model' && decl.name) {
    const m = checked.models.get(decl.name.name);
    const i = m ? m.vocab.indexOf(node.name) : -1;
    if (m && i >= 0) return { text: tokenHover(e, m, i, line, d), node };
  }
  if (parent?.kind === 'field' && node.kind !== 'identifier' && decl?.kind === 'model' && decl.name) {
    // An entry of the p or reward line: the token in the same column.
    const m = checked.models.get(decl.name.name);
    const i = parent.items.indexOf(node as never);
    if (m && i >= 0 && i < m.vocab.length && m.decl === decl)
      return { text: tokenHover(e, m, i, line, d), node };
  }
  if (node.kind === 'identifier' && parent?.kind === 'field' && parent.name === node) {
    const f = MODEL_FIELDS.find((x) => x.name === node.name);
    if (f) return { text: `**${f.name}** — field\n\n${f.doc}`, node };
  }
  if (node.kind === 'identifier') {
    const sym = checked.symbols.symbolAt(node.start);
    const def = sym?.definition;
    if (def?.kind === 'model') {
      const m = checked.models.get(def.name);
      if (m) return { text: modelHover(e, m, d), node };
    }
    if (def?.kind === 'policy') return { text: policyHover(e, def.name), node };
    if (def?.kind === 'let') {
      const v = checked.lets.get(def.name);
      const value =
        v === undefined
          ? '—'
          : v.sign !== 0 && !Number.isFinite(v.num)
            ? `e^${fmt(v.log, d)}`
            : fmt(v.num, d);
      return { text: `**let** \`${def.name}\` = ${value}`, node };
    }
    const fn = FUNCTIONS.find((f) => f.name === node.name);
    if (fn && parent?.kind === 'call')
      return { text: `**${fn.name}**(x) — built-in function\n\n${fn.doc}`, node };
    const c = CONSTANTS.find((x) => x.name === node.name);
    if (c) return { text: `**${c.name}** = ${fmt(c.value, d)} — built-in constant\n\n${c.doc}`, node };
  }
  return undefined;
}

function policyHover(e: Evaluated, name: string): string {
  const p = e.document.checked.policies.get(name);
  if (!p) return `**policy** \`${name}\``;
  const parts = [
    `**policy** \`${name}\` over model \`${p.model?.name ?? '?'}\``,
    `${p.q.length} probabilities`,
  ];
  if (p.error) parts.push(`*Cannot be evaluated:* ${mdEscape(p.error)}`);
  return parts.join('\n\n');
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
        return {
          contents: {
            kind: ctx.support().markdownHover ? MarkupKind.Markdown : MarkupKind.PlainText,
            value: found.text,
          },
          range: e.parse.lines.range(found.node.start, found.node.end),
        };
      }),
    );
  },
};
