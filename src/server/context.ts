/**
 * What every feature module receives. Features are small files exporting a `Feature`: the
 * capabilities they add to the `initialize` answer and a `register` that installs handlers.
 */
import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { ServerSettings } from '../protocol/protocol.js';
import type { Host } from './host.js';
import type { Workspace } from './workspace.js';

export interface ClientSupport {
  /** The client understands workspace/configuration (VS Code does; some editors do not). */
  readonly configuration: boolean;
  readonly inlayHintRefresh: boolean;
  readonly codeLensRefresh: boolean;
  /** The client accepts Markdown in hovers (else plain text is sent). */
  readonly markdownHover: boolean;
  readonly snippets: boolean;
}

export interface ServerContext {
  readonly connection: Connection;
  readonly host: Host;
  readonly workspace: Workspace;
  settings(): ServerSettings;
  support(): ClientSupport;
  /** Logs to the client's output channel (stderr of a stdio server is not always visible). */
  log(message: string): void;
}

export interface Feature {
  readonly name: string;
  readonly capabilities?: (ctx: ServerContext) => ServerCapabilities;
  register(ctx: ServerContext): void;
}

/**
 * Wraps a request handler so that a bug in one feature answers `fallback` and is logged instead
 * of failing the request (and, for an uncaught throw in a notification, the server). The server
 * must survive any edit sequence.
 */
export function safe<P, R>(
  ctx: ServerContext,
  what: string,
  fallback: R,
  handler: (params: P) => R | Promise<R>,
) {
  return async (params: P): Promise<R> => {
    try {
      return await handler(params);
    } catch (e) {
      ctx.log(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}
