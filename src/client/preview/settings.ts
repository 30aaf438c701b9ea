/** The preview's settings (declared in package.json under `alignLab.preview.*`, and `alignLab.significantDigits`). */
import * as vscode from 'vscode';

export interface PreviewSettings {
  /** One panel that shows whichever `.align` editor is active, instead of one panel per document. */
  followActiveEditor: boolean;
  /** Delay between a results notification and the redraw; bursts collapse to the latest. */
  debounceMs: number;
  /** Significant digits of the numbers shown (alignLab.significantDigits, as in hovers). */
  digits: number;
}

export function previewSettings(): PreviewSettings {
  const c = vscode.workspace.getConfiguration('alignLab.preview');
  const debounce = c.get<number>('debounceMs', 150);
  const digits = vscode.workspace.getConfiguration('alignLab').get<number>('significantDigits', 5);
  return {
    followActiveEditor: c.get<boolean>('followActiveEditor', false),
    debounceMs: Number.isFinite(debounce) ? Math.min(Math.max(debounce, 0), 5000) : 150,
    digits: Number.isFinite(digits) ? Math.round(Math.min(Math.max(digits, 3), 10)) : 5,
  };
}
