/** Conversions from the language's plain types to LSP types. */
import { type Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Diagnostic as AlignDiagnostic, Severity } from '../presentation/results.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Codes for text that has no effect: editors fade it out. */
const UNNECESSARY = new Set(['unused-parameter']);

export function toLspDiagnostic(d: AlignDiagnostic): Diagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'align',
    message: d.message,
    ...(UNNECESSARY.has(d.code) ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(d.data === undefined ? {} : { data: d.data }),
  };
}
