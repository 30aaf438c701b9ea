/**
 * A plain aligned text table: numbers right-aligned so digits line up, text left-aligned.
 * Widths count code points (see `displayWidth`), so Greek letters and ∞ align correctly.
 */
import { displayWidth } from './style.js';

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align: Align;
}

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows under a header and a rule, indented by `indent`. Trailing spaces are trimmed so
 * the output is stable under editors and diff tools.
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][], indent = '  '): string[] {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    (indent + columns.map((c, i) => pad(cells[i] ?? '', widths[i], c.align)).join('  ')).trimEnd();
  const out = [line(columns.map((c) => c.header))];
  out.push((indent + widths.map((w) => '─'.repeat(w)).join('  ')).trimEnd());
  for (const row of rows) out.push(line(row));
  return out;
}
