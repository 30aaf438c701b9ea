/**
 * Quick fixes, keyed on diagnostic codes (the table below). Each builds its edit from the
 * diagnostic's `data` (docs/language.md lists it per code) and the syntax tree. Nothing is
 * applied here: the editor applies the edit only when the user picks the fix.
 */
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import type { Field, NamedArg } from '../../language/syntax/ast.js';
import type { ParseResult } from '../../language/syntax/parser.js';
import { nodePath } from '../../language/syntax/walk.js';
import { type Feature, safe } from '../context.js';

type Fix = (d: Diagnostic, parse: ParseResult) => { title: string; edits: TextEdit[]; preferred?: boolean }[];

const obj = (x: unknown): Record<string, unknown> =>
  typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};

/** Writes x rounded *down* to `digits` significant digits (a clamp must not overshoot). */
export function floorDigits(x: number, digits = 6): string {
  if (!(x > 0) || !Number.isFinite(x)) return String(x);
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(x)));
  const y = Math.floor(x * scale) / scale;
  const clean = Number(y.toPrecision(digits)); // drops binary noise such as 2.0794400000000003
  return String(clean <= x ? clean : y);
}

/** The field whose first item starts at `offset` (length-mismatch diagnostics span the items). */
function fieldAt(parse: ParseResult, offset: number): Field | undefined {
  const field = nodePath(parse.ast, offset).find((n): n is Field => n.kind === 'field');
  return field && field.items.length > 0 && field.items[0].start === offset ? field : undefined;
}

const suggestion: Fix = (d) => {
  const s = obj(d.data).suggestion;
  if (typeof s !== 'string' || s === '') return [];
  return [{ title: `Change to '${s}'`, edits: [{ range: d.range, newText: s }], preferred: true }];
};

const fixes: Record<string, Fix> = {
  'p-not-normalized': (d) => {
    const data = obj(d.data);
    const sum = typeof data.sum === 'number' ? data.sum : undefined;
    const title = `Normalise p (divide by ${sum === undefined ? 'its sum' : Number(sum.toPrecision(6))})`;
    if (typeof data.replacement === 'string') {
      return [{ title, edits: [{ range: d.range, newText: data.replacement }], preferred: true }];
    }
    if (Array.isArray(data.edits)) {
      const edits = data.edits
        .map(obj)
        .filter((e) => typeof e.text === 'string' && e.range)
        .map((e) => ({ range: e.range as TextEdit['range'], newText: e.text as string }));
      if (edits.length > 0) return [{ title, edits, preferred: true }];
    }
    return [];
  },
  'length-mismatch': (d, parse) => {
    const data = obj(d.data);
    const expected = data.expected;
    const actual = data.actual;
    if (typeof expected !== 'number' || typeof actual !== 'number' || expected === actual) return [];
    const field = fieldAt(parse, parse.lines.offset(d.range.start));
    if (!field || field.items.length !== actual) return [];
    const items = field.items;
    if (actual > expected) {
      const from = expected === 0 ? field.name.end : items[expected - 1].end;
      const range = parse.lines.range(from, items[actual - 1].end);
      const extra = actual - expected;
      return [
        {
          title: `Remove the last ${extra} value${extra > 1 ? 's' : ''} of '${field.name.name}'`,
          edits: [{ range, newText: '' }],
        },
      ];
    }
    // Too few: pad with zeros (a zero probability or reward changes nothing else).
    const missing = expected - actual;
    const at = parse.lines.position(items[actual - 1].end);
    return [
      {
        title: `Pad '${field.name.name}' with ${missing} zero${missing > 1 ? 's' : ''}`,
        edits: [{ range: { start: at, end: at }, newText: ' 0'.repeat(missing) }],
      },
    ];
  },
  'budget-exceeds-max-kl': (d, parse) => {
    const maxKL = obj(d.data).maxKL;
    if (typeof maxKL !== 'number' || !Number.isFinite(maxKL)) return [];
    const start = parse.lines.offset(d.range.start);
    const arg = nodePath(parse.ast, start).find((n): n is NamedArg => n.kind === 'named-arg');
    const value = arg?.value;
    if (!arg || !value || value.start !== start) return [];
    const target = value.kind === 'range' ? value.to : value;
    const text = floorDigits(maxKL);
    return [
      {
        title: `Clamp ${arg.name.name} to the maximum KL ${text}`,
        edits: [{ range: parse.lines.range(target.start, target.end), newText: text }],
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

export function codeActionsFor(uri: string, parse: ParseResult, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = typeof d.code === 'string' ? fixes[d.code] : undefined;
    if (!fix) continue;
    for (const f of fix(d, parse)) {
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
