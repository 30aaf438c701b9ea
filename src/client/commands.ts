/**
 * The extension's commands, as a table (rust-analyzer style): each entry builds its handler from
 * the shared context, so adding a command is one line here plus its `contributes.commands` entry
 * in package.json (test/package checks that the two agree).
 */
import * as vscode from 'vscode';
import { parseRange } from '../protocol/preview.js';
import { Commands } from '../protocol/protocol.js';
import type { Ctx } from './ctx.js';

type Handler = (...args: unknown[]) => unknown;

/** The `.align` document a command should act on: its argument, else the active editor's. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'align' ? editor.document.uri : undefined;
}

function openPreview(ctx: Ctx, toSide: boolean): Handler {
  return (arg, query) => {
    const uri = targetUri(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('Align Lab: open an .align file to preview it.');
      return;
    }
    ctx.preview()?.open(uri, toSide, parseRange(query));
  };
}

export const commandTable: Record<string, (ctx: Ctx) => Handler> = {
  [Commands.openPreview]: (ctx) => openPreview(ctx, false),
  [Commands.openPreviewToSide]: (ctx) => openPreview(ctx, true),
  // Code lens "Show in preview": (uri, range). Opens the preview beside the editor, focuses the
  // query (its formula is marked) and scrolls its chart into view.
  [Commands.showInPreview]: (ctx) => (uri, range) => openPreview(ctx, true)(uri, range),
  [Commands.restartServer]: (ctx) => async () => {
    ctx.output.appendLine(`[${new Date().toISOString()}] restarting the language server on request`);
    await ctx.restart();
  },
  [Commands.showOutput]: (ctx) => () => ctx.output.show(true),
};

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, make]) => vscode.commands.registerCommand(id, make(ctx)));
}
