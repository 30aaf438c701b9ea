/**
 * Align Lab inside a real VS Code extension host (desktop via @vscode/test-electron, or code-server):
 * activation, language id, diagnostics, hover, completion, inlay hints and the preview command, through
 * VS Code's own provider commands (`vscode.execute…Provider`), i.e. exactly what the editor would show.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'align-lab.align-lab';

const SAMPLE = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}

tilt(toy, delta = 4)
bon(toy, N = 16)
`;

/** Polls until `probe` returns something truthy (VS Code events can fire before our listener is attached). */
async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('Align Lab extension', () => {
  let dir: string;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test instance opens a workspace folder');
    dir = join(folder, 'vscode-integration');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'toy.align');
    writeFileSync(file, SAMPLE);
    uri = vscode.Uri.file(file);
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is installed and activates on an .align document', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await until('activation', () => ext.isActive);
    assert.equal(doc.languageId, 'align');
  });

  it('registers the preview commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['alignLab.openPreview', 'alignLab.openPreviewToSide'])
      assert.ok(commands.includes(id), id);
  });

  it('reports a planted mistake as a diagnostic, and clears it when fixed', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(7); // tilt(toy, delta = 4)
    await editor.edit((e) => e.replace(line.range, 'tilt(toyy, delta = 4)'));
    const diags = await until('a diagnostic on the misspelt model', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 && d;
    });
    assert.ok(
      diags.some((d) => d.range.start.line === 7),
      `diagnostic on line 8: ${JSON.stringify(diags)}`,
    );
    await editor.edit((e) => e.replace(doc.lineAt(7).range, 'tilt(toy, delta = 4)'));
    await until('the diagnostics to clear', () => vscode.languages.getDiagnostics(uri).length === 0);
  });

  it('hovers a query with its numbers', async () => {
    const pos = new vscode.Position(7, 2);
    const text = await until('a hover on tilt(...)', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        pos,
      );
      const t = hoverText(hovers ?? []);
      return /\d\.\d/.test(t) && t;
    });
    assert.match(text, /λ|lambda/i);
  });

  it('completes the query names', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, '\nbo'));
    const at = doc.lineAt(doc.lineCount - 1).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      at,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('bon'), `completion offers bon: ${labels.join(', ')}`);
    await vscode.commands.executeCommand('undo');
  });

  it('shows inlay hints with the headline values', async () => {
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await until('inlay hints', async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        uri,
        range,
      );
      return h && h.length > 0 && h;
    });
    const labels = hints.map((h) =>
      typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''),
    );
    assert.ok(
      labels.some((l) => /\d/.test(l)),
      `hints carry numbers: ${labels.join(' | ')}`,
    );
  });

  it('opens the preview to the side as a webview', async () => {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('alignLab.openPreviewToSide');
    await until('a webview tab', () =>
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)),
    );
  });
});
