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

/** [r, g, b] (0–255) of a #rgb, #rrggbb or #rrggbbaa colour or an rgb()/rgba() one; undefined otherwise. */
function rgbOf(color: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1].slice(0, 6);
    return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

/** WCAG relative luminance of an [r, g, b] colour. */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours (1 … 21); undefined when either is not an RGB colour. */
export function contrastRatio(a: string, b: string): number | undefined {
  const x = rgbOf(a);
  const y = rgbOf(b);
  if (!x || !y) return undefined;
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

const readable = new Map<string, string>();

/**
 * `color`, darkened (on a light background) or lightened (on a dark one) just enough to reach
 * `ratio` of contrast against `bg` — WCAG's 3:1 for graphics; thin dashed and dotted lines ask for
 * more (the yellow of light themes on white is barely 3:1 and a dotted line of it all but vanishes).
 * Colours that are not RGB are returned unchanged.
 */
export function readableOn(color: string, bg: string, ratio: number): string {
  const key = `${color}|${bg}|${ratio}`;
  const cached = readable.get(key);
  if (cached) return cached;
  const c = rgbOf(color);
  const b = rgbOf(bg);
  let out = color;
  if (c && b && (contrastRatio(color, bg) ?? ratio) < ratio) {
    const toward = luminance(b) > 0.5 ? 0 : 255;
    for (let t = 0.05; t <= 1; t += 0.05) {
      const mixed = c.map((v) => Math.round(v + (toward - v) * t));
      const hex = `#${mixed.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      out = hex;
      if ((contrastRatio(hex, bg) ?? ratio) >= ratio) break;
    }
  }
  readable.set(key, out);
  return out;
}

/**
 * `color` at opacity `alpha` over `bg`, as an opaque #rrggbb (so text on it can be checked for
 * contrast); `color` with that opacity when either is not an RGB colour.
 */
export function blend(color: string, bg: string, alpha: number): string {
  const c = rgbOf(color);
  const b = rgbOf(bg);
  if (!c || !b) return withAlpha(color, alpha);
  const mixed = c.map((v, i) => Math.round(b[i] + (v - b[i]) * alpha));
  return `#${mixed.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Of `a` and `b`, the text colour with more contrast on `bg`. */
export function betterText(bg: string, a: string, b: string): string {
  return (contrastRatio(a, bg) ?? 0) >= (contrastRatio(b, bg) ?? 0) ? a : b;
}
