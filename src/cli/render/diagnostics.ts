/**
 * Compiler-style diagnostics:
 *
 *   paper.align:3:14: error[unknown-token]: no token 'foo' in model toy
 *      3 | reward r { foo: 1 }
 *        |            ^^^
 *
 * Positions in the results contract are 0-based (LSP); people and editors' "go to line" expect
 * 1-based, so the header adds one. The caret line copies tabs from the source line so the
 * underline stays under the right characters whatever the tab width.
 */
import type { Diagnostic, Severity } from '../../presentation/results.js';
import { visible } from '../escape.js';
import type { Style } from '../style.js';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Diagnostics sorted by position, then severity (the order a reader scans a file). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity],
  );
}

function severityLabel(severity: Severity, style: Style): string {
  switch (severity) {
    case 'error':
      return style.bold(style.red('error'));
    case 'warning':
      return style.bold(style.yellow('warning'));
    case 'information':
      return style.bold(style.blue('info'));
    default:
      return style.bold(style.cyan('hint'));
  }
}

/** Longest message printed (longer ones end in "…"); a name in a message can be megabytes long. */
export const MAX_MESSAGE_CHARS = 500;
/** Widest source excerpt printed under a diagnostic: a window of the line around the range. */
export const MAX_SOURCE_COLUMNS = 120;
/** Columns of the line shown before the range when the line is cut. */
const LEAD_COLUMNS = 30;

/** At most `max` UTF-16 units, not splitting a surrogate pair, with "…" when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Grows a cut position so that it does not split a surrogate pair. */
function codePointStart(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return i > 0 && c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}

/** One space per displayed character (tabs kept, so the carets stay aligned whatever the tab width). */
const blanks = (text: string) => text.replace(/[^\t]/gu, ' ');

/** Number of displayed characters (code points). */
const width = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/**
 * Renders one diagnostic as header, source line and caret underline. Everything from the file —
 * the message, the file name, the source line — is passed through `visible` (escape.ts); a long
 * line is shown as a window around the range, a long message is cut.
 */
export function renderDiagnostic(
  diagnostic: Diagnostic,
  file: string,
  lines: readonly string[],
  style: Style,
): string[] {
  const { start, end } = diagnostic.range;
  const code = diagnostic.code ? `[${visible(String(diagnostic.code))}]` : '';
  const message = clip(visible(diagnostic.message), MAX_MESSAGE_CHARS);
  const header = `${style.bold(`${visible(file)}:${start.line + 1}:${start.character + 1}:`)} ${severityLabel(diagnostic.severity, style)}${style.bold(code)}: ${message}`;
  const out = [header];
  const source = lines[start.line];
  if (source === undefined) return out;
  const gutter = String(start.line + 1);
  const blank = ' '.repeat(gutter.length);
  const from = Math.min(start.character, source.length);
  // A range that runs past this line is underlined to the end of the line.
  const to = end.line === start.line ? Math.min(Math.max(end.character, from), source.length) : source.length;
  // The window of the line that is shown: all of it when short, else from a little before the range.
  const first =
    source.length <= MAX_SOURCE_COLUMNS ? 0 : codePointStart(source, Math.max(0, from - LEAD_COLUMNS));
  const last = Math.min(
    source.length,
    codePointStart(source, Math.min(source.length, first + MAX_SOURCE_COLUMNS)),
  );
  const shown = (a: number, b: number) => visible(source.slice(a, b), { keepTabs: true });
  const before = (first > 0 ? '…' : '') + shown(first, Math.min(from, last));
  const range = shown(Math.min(from, last), Math.min(to, last));
  const after = shown(Math.min(to, last), last) + (last < source.length ? '…' : '');
  const carets = '^'.repeat(Math.max(1, width(range)));
  const colourCarets =
    diagnostic.severity === 'error'
      ? style.red
      : diagnostic.severity === 'warning'
        ? style.yellow
        : style.cyan;
  out.push(`${style.dim(` ${gutter} |`)} ${before}${range}${after}`.trimEnd());
  out.push(`${style.dim(` ${blank} |`)} ${blanks(before)}${colourCarets(carets)}`);
  return out;
}

export interface Counts {
  errors: number;
  warnings: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): Counts {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

function plural(n: number, word: string): string {
  return `${groupDigits(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** "file: 2 errors, 1 warning" — or "file: no problems". */
export function summaryLine(file: string, counts: Counts, style: Style): string {
  const name = visible(file);
  if (counts.errors === 0 && counts.warnings === 0) return `${name}: ${style.green('no problems')}`;
  const parts = [];
  if (counts.errors > 0) parts.push(style.red(plural(counts.errors, 'error')));
  if (counts.warnings > 0) parts.push(style.yellow(plural(counts.warnings, 'warning')));
  return `${name}: ${parts.join(', ')}`;
}

/** "12,345": digits grouped by three, as the summary lines print counts. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Splits source text into lines the way LSP counts them (\n, \r\n and \r all end a line). */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
