/**
 * The preview page as a pure function (no vscode import), so the browser tests load exactly the
 * HTML and CSP the extension serves. `cspSource` is the webview's resource origin.
 */
export interface PageAssets {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** Only our nonce'd script runs; styles, fonts and images come only from the extension's dist/. */
export function previewCsp({ cspSource, nonce }: Pick<PageAssets, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    // KaTeX's fonts are inlined in webview.css as data: URIs.
    `font-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function previewPage(a: PageAssets): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(previewCsp(a))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.styleUri)}">
<title>Align Lab Preview</title>
</head>
<body>
<main id="app"></main>
<script nonce="${attr(a.nonce)}" src="${attr(a.scriptUri)}"></script>
</body>
</html>`;
}
