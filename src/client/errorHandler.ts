/**
 * Crash policy: restart the server after a crash and say so in the output channel; after
 * `maxRestarts` crashes within `windowMs` stop restarting (a crash loop would only burn CPU) and
 * offer a manual restart.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type ErrorHandler } from 'vscode-languageclient';
import { Commands } from '../protocol/protocol.js';

export function crashHandler(
  output: vscode.OutputChannel,
  maxRestarts = 5,
  windowMs = 3 * 60_000,
): ErrorHandler {
  const crashes: number[] = [];
  return {
    // A read/write error on the connection: keep going, the close handler decides about restarts.
    error(error, _message, count) {
      output.appendLine(`[${new Date().toISOString()}] connection error (${count ?? 1}): ${error.message}`);
      return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
    },
    closed() {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && now - crashes[0] > windowMs) crashes.shift();
      if (crashes.length <= maxRestarts) {
        output.appendLine(
          `[${new Date().toISOString()}] the language server stopped unexpectedly; restarting (${crashes.length}/${maxRestarts} in the last ${windowMs / 60_000} min)`,
        );
        return { action: CloseAction.Restart, handled: true };
      }
      output.appendLine(
        `[${new Date().toISOString()}] the language server crashed ${crashes.length} times; not restarting`,
      );
      void vscode.window
        .showErrorMessage('Align Lab: the language server keeps crashing.', 'Restart', 'Show Output')
        .then((choice) => {
          if (choice === 'Restart') void vscode.commands.executeCommand(Commands.restartServer);
          if (choice === 'Show Output') output.show(true);
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
