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
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => unknown;
declare const URL: { createObjectURL(blob: unknown): string };
type Port = ConstructorParameters<typeof BrowserMessageReader>[0];

/**
 * Like vscode-languageclient/browser's LanguageClient, but with a fresh worker for every start:
 * that client reuses one worker forever, so a restart (after a crash or on request) would talk
 * to a server that already shut down.
 */
class WorkerLanguageClient extends BaseLanguageClient {
  private worker: WorkerLike | undefined;
  private scriptUrl: string | undefined;
  constructor(
    options: LanguageClientOptions,
    private readonly script: vscode.Uri,
  ) {
    super('alignLab', 'Align Lab Language Server', options);
  }
  protected async createMessageTransports(_encoding: string): Promise<MessageTransports> {
    this.worker?.terminate();
    const worker = new Worker(await this.workerUrl());
    this.worker = worker;
    return {
      reader: new BrowserMessageReader(worker as unknown as Port),
      writer: new BrowserMessageWriter(worker as unknown as Port),
    };
  }
  /**
   * Where the worker's script can be loaded from. vscode.dev serves extensions over https, which a
   * worker can load directly; code-server's web worker host gives `vscode-remote:` URIs, from which
   * workers cannot be created, so the script is read through the workspace file system once and
   * started from a Blob URL instead.
   */
  private async workerUrl(): Promise<string> {
    if (/^https?:$/.test(`${this.script.scheme}:`)) return this.script.toString(true);
    if (this.scriptUrl === undefined) {
      const bytes = await vscode.workspace.fs.readFile(this.script);
      this.scriptUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/javascript' }));
    }
    return this.scriptUrl;
  }
}

let stop: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-browser.js');
  const ctx = activateCommon(context, (options) => new WorkerLanguageClient(options, script));
  stop = () => ctx.client.stop();
}

export async function deactivate(): Promise<void> {
  await stop?.();
}
