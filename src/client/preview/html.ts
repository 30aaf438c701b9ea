/**
 * The preview's HTML for a VS Code webview: the bundled app (dist/webview.js, dist/webview.css)
 * under the strict CSP of template.ts, and webview options that expose only dist/.
 */
import * as vscode from 'vscode';
import { previewPage } from './template.js';

export function newNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '');
}

export function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  return previewPage({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    nonce,
  });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Only the bundle directory: the webview can read nothing else from the extension or workspace.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    enableFindWidget: true,
  };
}
