/**
 * Chart colours come from VS Code's theme variables (--vscode-*), re-read whenever the body's
 * theme class changes, so light, dark and high-contrast themes all work. The standalone report
 * defines the same variables itself (src/cli/report.ts).
 */
export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  bg: string;
  font: string;
  fontSize: number;
  palette: string[];
  highContrast: boolean;
}

const FALLBACK_PALETTE = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#d18616', '#b180d7'];

export function readTheme(el: HTMLElement = document.body): Theme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const highContrast =
    el.classList.contains('vscode-high-contrast') || el.classList.contains('vscode-high-contrast-light');
  const fg = v('--vscode-editor-foreground', v('--vscode-foreground', '#cccccc'));
  const palette = ['blue', 'red', 'green', 'yellow', 'orange', 'purple'].map((c, i) =>
    v(`--vscode-charts-${c}`, FALLBACK_PALETTE[i]),
  );
  return {
    fg,
    muted: v('--vscode-descriptionForeground', fg),
    grid: highContrast
      ? v('--vscode-contrastBorder', fg)
      : v('--vscode-editorWidget-border', v('--vscode-panel-border', '#80808040')),
    bg: v('--vscode-editor-background', '#1e1e1e'),
    font: v('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(v('--vscode-font-size', '13')) || 13,
    palette,
    highContrast,
  };
}

/** A palette colour for index i (wrapping). */
export const colorAt = (t: Theme, i: number): string =>
  t.palette[((i % t.palette.length) + t.palette.length) % t.palette.length];

/** `color` with opacity `alpha` (works for #rgb, #rrggbb and anything else via color-mix). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

/** Calls `onChange` when VS Code switches theme (it swaps the body's vscode-* classes). */
export function watchTheme(onChange: () => void): MutationObserver {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return observer;
}
