/**
 * `align-lab report`: a self-contained HTML page with the preview's charts and formulas, for
 * sharing. The preview bundle (dist/webview.js + dist/webview.css, KaTeX fonts inlined as data:
 * URIs) is inlined, the analysis is embedded as JSON, and the page carries its own CSP: only its
 * own nonce'd script and style run, and it can load nothing from anywhere (it works offline).
 *
 * Pure: the same inputs give the same page (the nonce is derived from the content).
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../presentation/results.js';

export interface ReportAssets {
  /** dist/webview.js */
  readonly script: string;
  /** dist/webview.css */
  readonly style: string;
}

/** Light and dark defaults for the --vscode-* variables the preview reads (it follows the OS theme). */
const THEME = `
:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, Menlo, Consolas, monospace;
  --vscode-foreground: #1f1f1f;
  --vscode-editor-foreground: #1f1f1f;
  --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #616161;
  --vscode-editorWidget-border: #c8c8c8;
  --vscode-focusBorder: #005fb8;
  --vscode-textLink-foreground: #005fb8;
  --vscode-editorError-foreground: #e51400;
  --vscode-editorWarning-foreground: #bf8803;
  --vscode-charts-blue: #1a85ff;
  --vscode-charts-red: #e51400;
  --vscode-charts-green: #388a34;
  --vscode-charts-yellow: #bf8803;
  --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #652d90;
}
@media (prefers-color-scheme: dark) {
  :root {
    --vscode-foreground: #cccccc;
    --vscode-editor-foreground: #d4d4d4;
    --vscode-editor-background: #1e1e1e;
    --vscode-descriptionForeground: #9d9d9d;
    --vscode-editorWidget-border: #454545;
    --vscode-focusBorder: #0078d4;
    --vscode-textLink-foreground: #4daafc;
    --vscode-editorError-foreground: #f14c4c;
    --vscode-editorWarning-foreground: #cca700;
    --vscode-charts-blue: #3794ff;
    --vscode-charts-red: #f14c4c;
    --vscode-charts-green: #89d185;
    --vscode-charts-yellow: #cca700;
    --vscode-charts-orange: #d18616;
    --vscode-charts-purple: #b180d7;
  }
}
footer { margin-top: 18px; color: var(--vscode-descriptionForeground); font-size: 0.85em; }
`;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Text safe inside <script>/<style>: no closing tag or comment opener can end the element early. */
const rawText = (s: string, tag: 'script' | 'style') =>
  s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');

/** JSON safe inside <script type="application/json"> (and still valid JSON). */
const jsonText = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function renderReportHtml(analysis: Analysis, assets: ReportAssets): string {
  const data = jsonText(analysis);
  const style = rawText(`${assets.style}\n${THEME}`, 'style');
  const script = rawText(assets.script, 'script');
  const nonce = createHash('sha256')
    .update(data)
    .update(style)
    .update(script)
    .digest('base64url')
    .slice(0, 24);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'font-src data:',
    'img-src data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `Align Lab report — ${analysis.file.replace(/^.*[\\/]/, '') || 'untitled'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Align Lab">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${style}</style>
</head>
<body>
<main id="app"><noscript>This report draws its charts with JavaScript; please enable it.</noscript></main>
<footer>${escapeHtml(title)}. Charts: scroll to zoom, drag to pan, double-click to reset; PNG/CSV buttons download the data.</footer>
<script type="application/json" id="align-lab-data">${data}</script>
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}
