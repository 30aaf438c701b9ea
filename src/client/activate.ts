/**
 * Activation shared by the desktop (node) and web extensions. The two entry points differ only
 * in how the language server is started (child process vs web worker); everything else — the
 * commands, the preview, the crash policy, the model-file bridge — lives here.
 *
 * Kept cheap: nothing here waits for the server (activation must stay under 50 ms); the client
 * starts in the background and its failures are reported in the output channel.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { ReadFileRequest, type ReadFileResult } from '../protocol/protocol.js';
import { registerCommands } from './commands.js';
import type { Ctx, PreviewApi } from './ctx.js';
import { crashHandler } from './errorHandler.js';
import { readModelFileForServer } from './modelFiles.js';
import { registerPreview } from './preview/index.js';

export type ClientFactory = (options: LanguageClientOptions) => BaseLanguageClient;

export function activateCommon(context: vscode.ExtensionContext, createClient: ClientFactory): Ctx {
  const output = vscode.window.createOutputChannel('Align Lab Language Server');
  const options: LanguageClientOptions = {
    // Any scheme: file, untitled, and the virtual file systems of vscode.dev.
    documentSelector: [{ language: 'align' }],
    outputChannel: output,
    errorHandler: crashHandler(output),
    // No synchronize.fileEvents: the server registers its model-file watcher itself
    // (workspace/didChangeWatchedFiles, dynamic registration), the same for every LSP client;
    // a second, static watcher here would deliver every change twice.
    markdown: { isTrusted: false, supportHtml: false },
  };
  const client = createClient(options);
  // The web-worker server has no file system; it asks for model files through the client,
  // which reads them with workspace.fs (works for every scheme, including vscode.dev's).
  // The rules (confinement, no symbolic links, regular files, size, UTF-8) are in modelFiles.ts.
  client.onRequest(
    ReadFileRequest,
    (params): Promise<ReadFileResult> =>
      readModelFileForServer(params, {
        stat: (uri) => Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.parse(uri))),
        readFile: (uri) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(uri))),
        allowedRoots: (uri) => {
          const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri));
          if (folder) return [folder.uri.toString()];
          return vscode.workspace.textDocuments
            .filter((d) => d.languageId === 'align')
            .map((d) => vscode.Uri.joinPath(d.uri, '..').toString());
        },
      }).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
  );

  let preview: PreviewApi | undefined;
  const ctx: Ctx = {
    client,
    output,
    preview: () => preview,
    // BaseLanguageClient has no restart(); stop (if running) then start covers both builds.
    restart: async () => {
      if (client.needsStop()) await client.stop();
      await client.start();
    },
  };
  preview = registerPreview(context, client as Parameters<typeof registerPreview>[1]);
  context.subscriptions.push(output, ...registerCommands(ctx), { dispose: () => preview?.dispose() });
  context.subscriptions.push({ dispose: () => void client.stop() });
  client.start().catch((e: unknown) => {
    output.appendLine(`[${new Date().toISOString()}] the language server failed to start: ${String(e)}`);
    output.show(true);
  });
  return ctx;
}
