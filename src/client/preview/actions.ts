/**
 * What the extension does for the webview's (validated) requests: reveal a query, write a slider
 * value back into the source as one undoable edit, save an exported chart.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type {
  ExportMessage,
  ParameterPreviewMessage,
  PreviewParameterMessage,
  SetParameterMessage,
} from '../../protocol/preview.js';
import { formatParameter } from '../../protocol/preview.js';
import type { AlignRange, TextEditLike } from '../../protocol/protocol.js';
import { PreviewParameterRequest, SetParameterRequest } from '../../protocol/protocol.js';

const toRange = (r: AlignRange) =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Shows `range` in an editor for `uri` (the visible one if any, else beside the preview). */
export async function revealRange(uri: vscode.Uri, range: AlignRange): Promise<void> {
  const target = toRange(range);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const document = visible?.document ?? (await vscode.workspace.openTextDocument(uri));
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
    selection: target,
    preserveFocus: false,
  });
  editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Longest replacement text accepted for a parameter edit (the server's or ours). */
const MAX_EDIT_TEXT = 200;

/** What became of a released slider: written, refused by the server (with its reason), or dropped. */
export type SetParameterOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly refused?: string };

/**
 * Applies a slider value as ONE WorkspaceEdit (one undo step). The server computes the edit (it
 * checks the value against the query table and moves a `let` the argument refers to when nothing
 * else uses it); a refusal is shown to the user and nothing is written. Only when the server does
 * not answer at all (restarting, or an editor-agnostic server without the request) and the results
 * told us the literal's range is that range replaced. Refused when the document changed since the
 * results were computed (the ranges would be wrong).
 */
export async function setParameter(
  client: BaseLanguageClient,
  uri: vscode.Uri,
  m: SetParameterMessage,
): Promise<SetParameterOutcome> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.version !== m.version) {
    void vscode.window.setStatusBarMessage('Align Lab: the document changed; move the slider again.', 3000);
    return { applied: false };
  }
  let edits: readonly TextEditLike[] | undefined;
  try {
    const result = await client.sendRequest(SetParameterRequest, {
      uri: m.uri,
      version: m.version,
      position: m.query.start,
      name: m.name,
      value: m.value,
    });
    if (result && 'refused' in result) {
      void vscode.window.showWarningMessage(`Align Lab: ${result.refused.message}`);
      return { applied: false, refused: result.refused.message };
    }
    if (!result) return { applied: false };
    if (result.version === doc.version && result.uri === m.uri) edits = result.edits;
  } catch {
    // The server may be restarting or not implement the request: fall back to the literal.
    if (m.literal) edits = [{ range: m.literal, newText: formatParameter(m.name, m.value) }];
  }
  if (!edits || edits.length === 0) return { applied: false };
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const range = toRange(e.range);
    if (!doc.validateRange(range).isEqual(range) || e.newText.length > MAX_EDIT_TEXT)
      return { applied: false };
    edit.replace(uri, range, e.newText);
  }
  return { applied: await vscode.workspace.applyEdit(edit) };
}

/**
 * A dragged slider's value, evaluated by the server without touching the document
 * (alignLab/previewParameter): the query's result, a refusal, or nothing (stale, no server).
 */
export async function previewParameter(
  client: BaseLanguageClient,
  m: PreviewParameterMessage,
): Promise<Omit<ParameterPreviewMessage, 'type' | 'uri' | 'seq'>> {
  try {
    const r = await client.sendRequest(PreviewParameterRequest, {
      uri: m.uri,
      version: m.version,
      position: m.query.start,
      name: m.name,
      value: m.value,
    });
    if (!r || r.uri !== m.uri || r.version !== m.version) return {};
    return 'refused' in r ? { refused: r.refused } : { result: r.result };
  } catch {
    return {};
  }
}

/** Asks where to save an exported chart, then writes it. */
export async function saveExport(documentUri: vscode.Uri, m: ExportMessage): Promise<void> {
  const stem = (documentUri.path.split('/').pop() ?? 'align-lab').replace(/\.align$/, '');
  const folder = documentUri.scheme === 'untitled' ? undefined : vscode.Uri.joinPath(documentUri, '..');
  const name = `${stem}-${m.chart}.${m.format}`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: m.format === 'png' ? { 'PNG image': ['png'] } : { 'CSV (comma-separated values)': ['csv'] },
    title: `Save the ${m.chart} chart as ${m.format.toUpperCase()}`,
  });
  if (!target) return;
  const bytes =
    m.format === 'png'
      ? Uint8Array.from(atob(m.data), (c) => c.charCodeAt(0))
      : new TextEncoder().encode(m.data);
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.setStatusBarMessage(`Align Lab: saved ${target.path.split('/').pop()}`, 3000);
}
