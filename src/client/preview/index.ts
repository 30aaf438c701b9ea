/**
 * The live preview (docs/preview.md): `registerPreview` wires the results notifications, the
 * editor events and the panel serializer, and returns what the commands need (`open`).
 *
 * One panel per document, or — with `alignLab.preview.followActiveEditor` — a single panel that
 * shows whichever `.align` editor is active. Panels survive a window reload through the serializer
 * (package.json must list the activation event `onWebviewPanel:alignLab.preview`).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { PREVIEW_VIEW_TYPE, parsePreviewState, type Range } from '../../protocol/preview.js';
import { ResultsClearedNotification, ResultsNotification } from '../../protocol/protocol.js';
import { webviewOptions } from './html.js';
import { PreviewPanel } from './panel.js';
import { previewSettings } from './settings.js';
import { ResultsStore } from './store.js';

export interface Preview {
  open(uri: vscode.Uri, toSide: boolean, query?: Range): void;
  dispose(): void;
}

const isAlign = (doc: vscode.TextDocument | undefined) => doc?.languageId === 'align';

export function registerPreview(context: vscode.ExtensionContext, client: BaseLanguageClient): Preview {
  const store = new ResultsStore();
  const panels = new Set<PreviewPanel>();
  const extensionUri = context.extensionUri;

  const showing = (uri: string) => [...panels].filter((p) => p.documentUri.toString() === uri);

  const adopt = (webviewPanel: vscode.WebviewPanel, uri: vscode.Uri, follows: boolean): PreviewPanel => {
    webviewPanel.webview.options = webviewOptions(extensionUri);
    const panel = new PreviewPanel(webviewPanel, uri, store, client, extensionUri, follows, () =>
      panels.delete(panel),
    );
    panels.add(panel);
    panel.fetchIfMissing();
    return panel;
  };

  const open = (uri: vscode.Uri, toSide: boolean, query?: Range): void => {
    const follow = previewSettings().followActiveEditor;
    const existing = follow ? [...panels].find((p) => p.follows) : showing(uri.toString())[0];
    if (existing) {
      existing.showDocument(uri);
      existing.reveal(toSide);
      if (query) existing.showQuery(query);
      return;
    }
    const column = toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const webviewPanel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      'Align Lab Preview',
      { viewColumn: column, preserveFocus: toSide },
      webviewOptions(extensionUri),
    );
    const panel = adopt(webviewPanel, uri, follow);
    if (query) panel.showQuery(query);
  };

  const disposables: vscode.Disposable[] = [
    client.onNotification(ResultsNotification, (params) => store.set(params)),
    client.onNotification(ResultsClearedNotification, ({ uri }) => store.clear(uri)),
    store.onDidChange((uri) => {
      for (const p of showing(uri)) p.resultsChanged();
    }),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        // The state was written by the webview: validate it like any other message.
        const s = parsePreviewState(state);
        if (!s) {
          webviewPanel.dispose();
          return;
        }
        adopt(webviewPanel, vscode.Uri.parse(s.uri), previewSettings().followActiveEditor);
      },
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (!editor || !isAlign(editor.document)) return;
      for (const p of panels) if (p.follows) p.showDocument(editor.document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('alignLab.significantDigits')) for (const p of panels) p.settingsChanged();
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      for (const p of showing(e.textEditor.document.uri.toString()))
        p.cursorMoved(e.selections[0]?.active ?? null);
    }),
  ];

  return {
    open,
    dispose: () => {
      for (const p of panels) p.panel.dispose();
      for (const d of disposables) d.dispose();
    },
  };
}
