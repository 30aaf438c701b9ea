/**
 * Entry point of the preview bundle (dist/webview.js + dist/webview.css). In a VS Code webview it
 * talks to the extension; in a report produced by `align-lab report` it reads the analysis embedded
 * in the page (<script type="application/json" id="align-lab-data">) and sends nothing anywhere.
 */
// KaTeX's CSS with its fonts inlined (test/webview/tools/make-katex-css.mjs): no esbuild loaders needed.
import './vendor/katex.css';
import './styles.css';
import type { Analysis, HostToWebview } from '../src/protocol/preview.js';
import { App } from './app.js';
import { reportHost, vscodeHost } from './host.js';

declare global {
  interface Window {
    /** The running app, for tests and the benchmark. */
    alignLab?: App;
  }
}

const HOST_MESSAGES = new Set([
  'analysis',
  'cursor',
  'reset',
  'settings',
  'showQuery',
  'parameterPreview',
  'parameterRefused',
]);

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
  const embedded = document.getElementById('align-lab-data');
  if (embedded) {
    const analysis = JSON.parse(embedded.textContent ?? '{}') as Analysis;
    const app = new App(root, reportHost(analysis.file ?? ''));
    app.showAnalysis(analysis.file ?? 'report', 0, analysis, false);
    window.alignLab = app;
    return;
  }
  const host = vscodeHost();
  const app = new App(root, host);
  window.alignLab = app;
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data as HostToWebview | undefined;
    if (typeof m === 'object' && m !== null && HOST_MESSAGES.has((m as { type?: unknown }).type as string))
      app.receive(m);
  });
  host.post({ type: 'ready' });
}

start();
