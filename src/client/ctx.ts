/** What every command and client feature gets: the client, the output channel, the preview. */
import type * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { AlignRange } from '../protocol/protocol.js';

/** The part of the preview's API (src/client/preview) the commands use. */
export interface PreviewApi {
  /** Opens (or reveals) the preview of `uri`; with `query`, focuses that query and scrolls to its chart. */
  open(uri: vscode.Uri, toSide: boolean, query?: AlignRange): void;
  dispose(): void;
}

export interface Ctx {
  readonly client: BaseLanguageClient;
  /** "Align Lab Language Server": server stderr, crashes and restarts are logged here. */
  readonly output: vscode.OutputChannel;
  /** The preview, created on first use so that activation stays cheap. */
  preview(): PreviewApi | undefined;
  restart(): Promise<void>;
}
