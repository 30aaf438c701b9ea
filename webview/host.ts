/**
 * Where the app runs: inside a VS Code webview (messages to the extension, state via setState) or in
 * the standalone report (no extension: exports become downloads, nothing else is sent anywhere).
 */
import type { ChartId, PreviewState, WebviewToHost } from '../src/protocol/preview.js';

export interface Host {
  /** False in the report: no editor to reveal queries in or write slider values to. */
  readonly interactive: boolean;
  post(message: WebviewToHost): void;
  loadState(): unknown;
  saveState(state: PreviewState): void;
  save(chart: ChartId, format: 'png' | 'csv', data: string): void;
}

export function vscodeHost(): Host {
  const api = acquireVsCodeApi();
  return {
    interactive: true,
    post: (m) => api.postMessage(m),
    loadState: () => api.getState(),
    saveState: (s) => api.setState(s),
    save: (chart, format, data) => api.postMessage({ type: 'export', chart, format, data }),
  };
}

export function reportHost(fileName: string): Host {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.align$/, '') || 'align-lab';
  return {
    interactive: false,
    post: () => {},
    loadState: () => undefined,
    saveState: () => {},
    save: (chart, format, data) => {
      const a = document.createElement('a');
      a.href =
        format === 'png'
          ? `data:image/png;base64,${data}`
          : `data:text/csv;charset=utf-8,${encodeURIComponent(data)}`;
      a.download = `${stem}-${chart}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
    },
  };
}
