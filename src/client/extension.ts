/**
 * Desktop entry point (`main` in package.json): runs the language server (dist/server.js) as a
 * node child process speaking LSP over IPC. See activate.ts for everything the two builds share.
 */
import type * as vscode from 'vscode';
import { LanguageClient, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { serverNodeArgs } from '../protocol/protocol.js';
import { activateCommon } from './activate.js';

let stop: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath('dist/server.js');
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...serverNodeArgs] } },
    // `--inspect` lets a developer attach a debugger to the server from the extension host.
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...serverNodeArgs, '--nolazy', '--inspect=6019'] },
    },
  };
  const ctx = activateCommon(
    context,
    (options) => new LanguageClient('alignLab', 'Align Lab Language Server', server, options),
  );
  stop = () => ctx.client.stop();
}

export async function deactivate(): Promise<void> {
  await stop?.();
}
