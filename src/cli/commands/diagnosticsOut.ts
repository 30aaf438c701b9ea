/**
 * Writes an analysis's diagnostics, compiler style, followed by a summary line. At most
 * MAX_PRINTED_DIAGNOSTICS are printed per file (the first ones in source order), then one line
 * says how many more there are; the summary counts them all. A megabyte of random bytes has
 * hundreds of thousands of diagnostics: printed in full, 150 MB of output and seconds of work.
 */
import type { Diagnostic } from '../../presentation/results.js';
import { visible } from '../escape.js';
import type { Output } from '../io.js';
import {
  countDiagnostics,
  groupDigits,
  renderDiagnostic,
  sortDiagnostics,
  sourceLines,
  summaryLine,
} from '../render/diagnostics.js';
import type { Style } from '../style.js';

/** Diagnostics printed per file by `check`, `eval` and `report` (text output). */
export const MAX_PRINTED_DIAGNOSTICS = 100;

/** "… and 12,345 more diagnostics (not shown)". */
export function moreLine(file: string, omitted: number, style: Style): string {
  return `${visible(file)}: ${style.dim(`… and ${groupDigits(omitted)} more diagnostic${omitted === 1 ? '' : 's'} (not shown; --json lists up to 1,000)`)}`;
}

export function writeDiagnostics(
  out: Output,
  diagnostics: readonly Diagnostic[],
  name: string,
  source: string,
  style: Style,
  alwaysSummarise: boolean,
  limit = MAX_PRINTED_DIAGNOSTICS,
): void {
  if (diagnostics.length === 0 && !alwaysSummarise) return;
  const lines = sourceLines(source);
  const sorted = sortDiagnostics(diagnostics);
  const shown = sorted.slice(0, limit);
  // One write per diagnostic: the output never exists as one giant string.
  for (const d of shown) out.write(`${renderDiagnostic(d, name, lines, style).join('\n')}\n\n`);
  if (sorted.length > shown.length) out.write(`${moreLine(name, sorted.length - shown.length, style)}\n`);
  out.write(`${summaryLine(name, countDiagnostics(diagnostics), style)}\n`);
}
