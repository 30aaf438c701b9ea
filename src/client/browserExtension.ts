/**
 * Web entry point (`browser` in package.json; vscode.dev, code-server's web worker extension
 * host): runs the same language server in a web worker (dist/server-browser.js). Model files are
 * read through the client (alignLab/readFile). See activate.ts for everything shared.
 */
import * as vscode from 'vscode';
import {
  BaseLanguageClient,
  BrowserMessageReader,
  BrowserMessageWriter,
  type LanguageClientOptions,
  type MessageTransports,
} from 'vscode-languageclient/browser';
import { activateCommon } from './activate.js';

// The web extension host's global; declared here because the project compiles without the DOM lib.
interface WorkerLike {
  terminate(): void;
}
declare const Worker: new (url: string) => WorkerLike;
type Port = ConstructorParameters<typeof BrowserMessageReader>[0];

/**
 * Like vscode-languageclient/browser's LanguageClient, but with a fresh worker for every start:
 * that client reuses one worker forever, so a restart (after a crash or on request) would talk
 * to a server that already shut down.
 */
class WorkerLanguageClient extends BaseLanguageClient {
  private worker: WorkerLike | undefined;
  constructor(
    options: LanguageClientOptions,
    private readonly url: string,
  ) {
    super('alignLab', 'Align Lab Language Server', options);
  }
  protected createMessageTransports(_encoding: string): Promise<MessageTransports> {
    this.worker?.terminate();
    const worker = new Worker(this.url);
    this.worker = worker;
    return Promise.resolve({
      reader: new BrowserMessageReader(worker as unknown as Port),
      writer: new BrowserMessageWriter(worker as unknown as Port),
    });
  }
}

let stop: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const url = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-browser.js').toString(true);
  const ctx = activateCommon(context, (options) => new WorkerLanguageClient(options, url));
  stop = () => ctx.client.stop();
}

export async function deactivate(): Promise<void> {
  await stop?.();
}
