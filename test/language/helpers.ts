// Shared helpers for the language tests.
import assert from 'node:assert/strict';
import { type AnalyzeOptions, analyze, LineIndex } from '../../src/language/index.js';
import type { Analysis, Diagnostic, Range } from '../../src/presentation/results.js';

/**
 * Strips the markers ⟦ and ⟧ from `marked` and returns the clean text and the LSP range of
 * the marked span.
 */
export function marked(text: string): { text: string; range: Range } {
  const open = text.indexOf('⟦');
  const close = text.indexOf('⟧');
  assert.ok(open >= 0 && close > open, `test source needs ⟦…⟧ markers: ${text}`);
  const clean = text.slice(0, open) + text.slice(open + 1, close) + text.slice(close + 1);
  const lines = new LineIndex(clean);
  return { text: clean, range: lines.range(open, close - 1) };
}

export const TOY = `model toy {
  vocab a b c d
  p 0.4 0.3 0.2 0.1
  reward 0 1 2 3
  length 4
}
`;

/** Asserts that analysing `source` (with ⟦…⟧ around the expected range) yields `code` there. */
export function expectDiagnostic(
  source: string,
  code: string,
  options: AnalyzeOptions = {},
): { diagnostic: Diagnostic; analysis: Analysis } {
  const { text, range } = marked(source);
  const analysis = analyze(text, options);
  const withCode = analysis.diagnostics.filter((d) => d.code === code);
  const hit = withCode.find((d) => JSON.stringify(d.range) === JSON.stringify(range));
  assert.ok(
    hit,
    `expected '${code}' at ${fmt(range)} in:\n${text}\ngot:\n${analysis.diagnostics.map((d) => `  ${d.code} ${fmt(d.range)} ${d.message}`).join('\n')}`,
  );
  return { diagnostic: hit, analysis };
}

export function fmt(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/**
 * Relative error check with a message that prints everything. `abs` is an absolute floor for
 * references that are themselves computed with cancellation near 0 (e.g. a brute-force KL at λ = 0).
 */
export function close(
  actual: number | null | undefined,
  expected: number,
  what: string,
  tol = 1e-10,
  abs = 1e-300,
): void {
  assert.ok(typeof actual === 'number', `${what}: expected a number near ${expected}, got ${actual}`);
  const err = Math.abs(actual - expected);
  const rel = expected === 0 ? err : err / Math.abs(expected);
  assert.ok(
    rel <= tol || err <= abs,
    `${what}: value ${actual}, expected ${expected}, relative error ${rel} > ${tol}`,
  );
}
