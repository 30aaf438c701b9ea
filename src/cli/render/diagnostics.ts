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

/** Renders one diagnostic as header, source line and caret underline. */
export function renderDiagnostic(
  diagnostic: Diagnostic,
  file: string,
  lines: readonly string[],
  style: Style,
): string[] {
  const { start, end } = diagnostic.range;
  const code = diagnostic.code ? `[${diagnostic.code}]` : '';
  const header = `${style.bold(`${file}:${start.line + 1}:${start.character + 1}:`)} ${severityLabel(diagnostic.severity, style)}${style.bold(code)}: ${diagnostic.message}`;
  const out = [header];
  const source = lines[start.line];
  if (source === undefined) return out;
  const gutter = String(start.line + 1);
  const blank = ' '.repeat(gutter.length);
  const from = Math.min(start.character, source.length);
  // A range that runs past this line is underlined to the end of the line.
  const to = end.line === start.line ? Math.min(Math.max(end.character, from), source.length) : source.length;
  const lead = source.slice(0, from).replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, to - from));
  const colourCarets =
    diagnostic.severity === 'error'
      ? style.red
      : diagnostic.severity === 'warning'
        ? style.yellow
        : style.cyan;
  out.push(`${style.dim(` ${gutter} |`)} ${source}`.trimEnd());
  out.push(`${style.dim(` ${blank} |`)} ${lead}${colourCarets(carets)}`);
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
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "file: 2 errors, 1 warning" — or "file: no problems". */
export function summaryLine(file: string, counts: Counts, style: Style): string {
  if (counts.errors === 0 && counts.warnings === 0) return `${file}: ${style.green('no problems')}`;
  const parts = [];
  if (counts.errors > 0) parts.push(style.red(plural(counts.errors, 'error')));
  if (counts.warnings > 0) parts.push(style.yellow(plural(counts.warnings, 'warning')));
  return `${file}: ${parts.join(', ')}`;
}

/** Splits source text into lines the way LSP counts them (\n, \r\n and \r all end a line). */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
