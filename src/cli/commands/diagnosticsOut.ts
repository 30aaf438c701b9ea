/** Writes an analysis's diagnostics, compiler style, followed by a summary line. */
import type { Diagnostic } from '../../presentation/results.js';
import type { Output } from '../io.js';
import {
  countDiagnostics,
  renderDiagnostic,
  sortDiagnostics,
  sourceLines,
  summaryLine,
} from '../render/diagnostics.js';
import type { Style } from '../style.js';

export function writeDiagnostics(
  out: Output,
  diagnostics: readonly Diagnostic[],
  name: string,
  source: string,
  style: Style,
  alwaysSummarise: boolean,
): void {
  if (diagnostics.length === 0 && !alwaysSummarise) return;
  const lines = sourceLines(source);
  const text: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) text.push(...renderDiagnostic(d, name, lines, style), '');
  text.push(summaryLine(name, countDiagnostics(diagnostics), style));
  out.write(`${text.join('\n')}\n`);
}
