/**
 * Quick fixes, typed by diagnostic code: `FIXES` has one entry per fixable code, and each entry
 * receives that code's data (DiagnosticData in the language layer), checked against its shape —
 * the data comes back from the editor, so it is untrusted. Edits that rewrite numbers keep the
 * model's layout (language/editor/fixes.ts). Nothing is applied here: the editor applies an edit
 * only when the user picks the fix.
 */
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import {
  type DiagnosticData,
  type FixableCode,
  isFixableCode,
  readDiagnosticData,
} from '../../language/diagnostics.js';
import { rewriteFieldEdits, shortDecimals } from '../../language/editor/fixes.js';
import type { Field, ModelDecl, NamedArg } from '../../language/syntax/ast.js';
import type { ParseResult } from '../../language/syntax/parser.js';
import { nodePath } from '../../language/syntax/walk.js';
import { formatNumber } from '../../presentation/format.js';
import { type Feature, safe } from '../context.js';

interface Fix {
  readonly title: string;
  readonly edits: TextEdit[];
  readonly preferred?: boolean;
}

type FixFor<C extends FixableCode> = (d: Diagnostic, data: DiagnosticData[C], parse: ParseResult) => Fix[];

/** Writes x rounded *down* to `digits` significant digits (a clamp must not overshoot). */
export function floorDigits(x: number, digits = 6): string {
  if (!(x > 0) || !Number.isFinite(x)) return String(x);
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(x)));
  const y = Math.floor(x * scale) / scale;
  const clean = Number(y.toPrecision(digits)); // drops binary noise such as 2.0794400000000003
  return String(clean <= x ? clean : y);
}

/** The field whose items start at `offset` (p and length diagnostics span the items), and its model. */
function fieldAt(parse: ParseResult, offset: number): { field: Field; model: ModelDecl } | undefined {
  const path = nodePath(parse.ast, offset);
  const field = path.find((n): n is Field => n.kind === 'field');
  const model = path.find((n): n is ModelDecl => n.kind === 'model');
  if (!field || !model || field.items.length === 0 || field.items[0].start !== offset) return undefined;
  return { field, model };
}

/** Numbers of a list of plain literals (a list with expressions is not rewritten). */
function literalValues(field: Field): number[] | undefined {
  const out: number[] = [];
  for (const item of field.items) {
    if (item.kind !== 'number' || !Number.isFinite(item.value)) return undefined;
    out.push(item.value);
  }
  return out;
}

const suggestion = (d: Diagnostic, data: { readonly suggestion?: string }): Fix[] =>
  data.suggestion
    ? [
        {
          title: `Change to '${data.suggestion}'`,
          edits: [{ range: d.range, newText: data.suggestion }],
          preferred: true,
        },
      ]
    : [];

/** `next TOKEN -> …` with `count` equal probabilities, after the model's last row (or field). */
function addRow(d: Diagnostic, data: DiagnosticData['missing-row'], parse: ParseResult): Fix[] {
  const model = nodePath(parse.ast, parse.lines.offset(d.range.start)).find(
    (n): n is ModelDecl => n.kind === 'model' && n.markov === true,
  );
  if (!model || model.close === undefined || model.fields.length === 0) return [];
  const rows = model.fields.filter((f) => f.name.name === 'next' && f.row);
  const after = rows[rows.length - 1] ?? model.fields[model.fields.length - 1];
  const lineStart = parse.lines.offset({ line: after.range.start.line, character: 0 });
  const indent = /^[ \t]*/.exec(parse.text.slice(lineStart, after.start))?.[0] ?? '  ';
  const token = /^[\p{L}_][\p{L}\p{N}_]*$/u.test(data.token) ? data.token : JSON.stringify(data.token);
  const values = shortDecimals(new Array(data.count).fill(1 / data.count));
  const at = parse.lines.position(after.end);
  return [
    {
      title: `Add a uniform row for '${data.token}'`,
      edits: [{ range: { start: at, end: at }, newText: `\n${indent}next ${token} -> ${values.join(' ')}` }],
      preferred: true,
    },
  ];
}

const FIXES: { readonly [C in FixableCode]: FixFor<C> } = {
  'p-not-normalized': (d, data, parse) => {
    const at = fieldAt(parse, parse.lines.offset(d.range.start));
    if (!at || at.field.items.length !== data.normalized.length) return [];
    const edits = rewriteFieldEdits(parse, at.model, at.field, shortDecimals(data.normalized));
    return [
      {
        title: `Normalise ${at.field.name.name} (divide by ${formatNumber(data.sum, 6)})`,
        edits,
        preferred: true,
      },
    ];
  },
  'row-not-normalized': (d, data, parse) => {
    const at = fieldAt(parse, parse.lines.offset(d.range.start));
    if (!at?.field.row || at.field.items.length !== data.normalized.length) return [];
    const edits = rewriteFieldEdits(parse, at.model, at.field, shortDecimals(data.normalized));
    return [
      {
        title: `Normalise the row of '${at.field.row.name}' (divide by ${formatNumber(data.sum, 6)})`,
        edits,
        preferred: true,
      },
    ];
  },
  'missing-row': addRow,
  'unknown-token': suggestion,
  'length-mismatch': (d, data, parse) => {
    const { expected, actual } = data;
    const at = fieldAt(parse, parse.lines.offset(d.range.start));
    if (!at || expected === actual || at.field.items.length !== actual) return [];
    const { field, model } = at;
    const name = field.name.name;
    if (actual > expected) {
      const extra = actual - expected;
      const values = literalValues(field);
      const from = expected === 0 ? field.name.end : field.items[expected - 1].end;
      const fixes: Fix[] = [
        {
          title: `Remove the last ${extra} value${extra > 1 ? 's' : ''} of '${name}'`,
          edits: values
            ? rewriteFieldEdits(parse, model, field, values.slice(0, expected).map(String))
            : [{ range: parse.lines.range(from, field.items[actual - 1].end), newText: '' }],
        },
      ];
      // For p, what is left must be a distribution again: offer the two steps as one fix.
      const kept = values?.slice(0, expected) ?? [];
      const sum = kept.reduce((s, x) => s + x, 0);
      if (name === 'p' && values && sum > 0 && Math.abs(sum - 1) > 1e-9) {
        fixes.push({
          title: `Remove the last ${extra} value${extra > 1 ? 's' : ''} of 'p' and normalise it`,
          edits: rewriteFieldEdits(parse, model, field, shortDecimals(kept.map((x) => x / sum))),
          preferred: true,
        });
      }
      return fixes;
    }
    // Too few: pad with zeros (a zero probability or reward changes nothing else).
    const missing = expected - actual;
    const values = literalValues(field);
    const padded = values ? [...values.map(String), ...Array(missing).fill('0')] : undefined;
    const at2 = parse.lines.position(field.items[actual - 1].end);
    return [
      {
        title: `Pad '${name}' with ${missing} zero${missing > 1 ? 's' : ''}`,
        edits: padded
          ? rewriteFieldEdits(parse, model, field, padded)
          : [{ range: { start: at2, end: at2 }, newText: ' 0'.repeat(missing) }],
      },
    ];
  },
  'budget-exceeds-max-kl': (d, data, parse) => {
    const start = parse.lines.offset(d.range.start);
    const arg = nodePath(parse.ast, start).find((n): n is NamedArg => n.kind === 'named-arg');
    const value = arg?.value;
    if (!arg || !value || value.start !== start) return [];
    const target = value.kind === 'range' ? value.to : value;
    const text = floorDigits(data.maxKL);
    return [
      {
        title: `Clamp ${arg.name.name} to the maximum KL ${text}`,
        edits: [{ range: parse.lines.range(target.start, target.end), newText: text }],
        preferred: true,
      },
    ];
  },
  'block-not-divisor': (d, data) => {
    const text = String(data.nearest);
    return [
      {
        title: `Change the block length to ${text}, the nearest divisor of n = ${data.length}`,
        edits: [{ range: d.range, newText: text }],
        preferred: true,
      },
    ];
  },
  'threshold-above-max': (d, data) => {
    const text = String(data.maxReward); // the shortest decimal that reads back as the maximum
    return [
      {
        title: `Set the threshold to the largest reward ${data.markov ? 'R*' : 'n·r_max'} = ${text}`,
        edits: [{ range: d.range, newText: text }],
        preferred: true,
      },
    ];
  },
  'unknown-parameter': suggestion,
  'unknown-model': suggestion,
  'unknown-policy': suggestion,
  'unknown-name': suggestion,
  'unknown-function': suggestion,
  'unknown-query': suggestion,
  'unknown-field': suggestion,
  'invalid-value': suggestion,
};

function fixesFor<C extends FixableCode>(code: C, d: Diagnostic, parse: ParseResult): Fix[] {
  const data = readDiagnosticData(code, d.data);
  return data === undefined ? [] : (FIXES[code] as FixFor<C>)(d, data, parse);
}

export function codeActionsFor(uri: string, parse: ParseResult, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!isFixableCode(d.code)) continue;
    for (const f of fixesFor(d.code, d, parse)) {
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: f.preferred ?? false,
        edit: { changes: { [uri]: f.edits } },
      });
    }
  }
  return out;
}

export const codeActions: Feature = {
  name: 'codeActions',
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } }),
  register(ctx) {
    ctx.connection.onCodeAction(
      safe(ctx, 'codeAction', [], async (params: CodeActionParams): Promise<CodeAction[]> => {
        const uri = params.textDocument.uri;
        // The diagnostics the client sends are the ones it shows (from the last publish).
        const e = await ctx.workspace.current(uri);
        if (!e) return [];
        return codeActionsFor(uri, e.parse, params.context.diagnostics);
      }),
    );
  },
};
