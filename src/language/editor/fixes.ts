/**
 * The text edits behind quick fixes that rewrite a model's numbers, LSP-free (the server wraps
 * them in code actions; the CLI could apply them). A rewritten list keeps the file's layout: when
 * the model was in the canonical layout (aligned columns, as `format` leaves it), the edited model
 * is laid out canonically again; otherwise only the numbers change.
 */
import type { Range } from '../../presentation/results.js';
import type { Field, ModelDecl } from '../syntax/ast.js';
import { type ParseResult, parse } from '../syntax/parser.js';
import { formatDocument } from './format.js';

export interface TextEditLike {
  readonly range: Range;
  readonly newText: string;
}

/** How far from 1 the rewritten probabilities may sum (far below the checker's 1e-9). */
const SUM_SLACK = 1e-12;

/**
 * The shortest decimals (same significant digits for all) whose sum stays within SUM_SLACK of the
 * exact values' sum: `[0.25, 0.75]`, `[0.3333333333333, …]` — never a 17-digit double when fewer
 * digits are as good.
 */
export function shortDecimals(values: readonly number[]): string[] {
  const target = values.reduce((s, x) => s + x, 0);
  for (let digits = 3; digits <= 17; digits++) {
    const texts = values.map((x) => String(Number(x.toPrecision(digits))));
    const sum = texts.reduce((s, t) => s + Number(t), 0);
    if (Math.abs(sum - target) <= SUM_SLACK) return texts;
  }
  return values.map(String);
}

/**
 * Edits that make `field` hold exactly `texts` (dropping items past their count): the items are
 * replaced one by one, and when the model was laid out canonically the whole model is laid out
 * again so its columns stay aligned.
 */
export function rewriteFieldEdits(
  doc: ParseResult,
  model: ModelDecl,
  field: Field,
  texts: readonly string[],
): TextEditLike[] {
  const items = field.items;
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < Math.min(items.length, texts.length); i++)
    edits.push({ start: items[i].start, end: items[i].end, text: texts[i] });
  if (items.length > texts.length) {
    const from = texts.length === 0 ? field.name.end : items[texts.length - 1].end;
    edits.push({ start: from, end: items[items.length - 1].end, text: '' });
  }
  const perItem = edits.map((e) => ({ range: doc.lines.range(e.start, e.end), newText: e.text }));
  if (formatDocument(doc) !== doc.text) return perItem;
  // Canonical layout: apply the edits to the model's text and lay the model out again.
  let block = doc.text.slice(model.start, model.end);
  for (const e of [...edits].reverse())
    block = block.slice(0, e.start - model.start) + e.text + block.slice(e.end - model.start);
  const laidOut = formatDocument(parse(`${block}\n`));
  if (laidOut === undefined) return perItem;
  return [{ range: doc.lines.range(model.start, model.end), newText: laidOut.replace(/\r?\n$/, '') }];
}
