/**
 * What the server accepts before `initialize`, for every transport (stdio, IPC, web worker).
 *
 * The LSP says: until the server has answered `initialize`, a request is answered with the
 * error ServerNotInitialized (−32002) and a notification is dropped, except `exit`. The JSON-RPC
 * library dispatches whatever arrives, so the gate sits between the transport's reader and the
 * connection: it answers early requests itself through the writer and passes nothing on.
 */
import type {
  DataCallback,
  Disposable,
  Message,
  MessageReader,
  MessageWriter,
  NotificationMessage,
  RequestMessage,
} from 'vscode-jsonrpc';

/** JSON-RPC error code of the LSP for "not initialized" (ErrorCodes.ServerNotInitialized). */
const SERVER_NOT_INITIALIZED = -32002;

/** A reader that holds back everything but `initialize` and `exit` until `open()` is called. */
export class InitializeGate implements MessageReader {
  private open = false;
  constructor(
    private readonly reader: MessageReader,
    private readonly writer: MessageWriter,
  ) {}

  /** The server has answered `initialize`: let everything through from now on. */
  opened(): void {
    this.open = true;
  }

  get onError() {
    return this.reader.onError;
  }
  get onClose() {
    return this.reader.onClose;
  }
  get onPartialMessage() {
    return this.reader.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.reader.listen((message: Message) => {
      if (this.open || admitted(message)) return callback(message);
      const request = message as RequestMessage;
      if (typeof request.method === 'string' && request.id !== undefined && request.id !== null) {
        void this.writer.write({
          jsonrpc: '2.0',
          id: request.id,
          error: {
            code: SERVER_NOT_INITIALIZED,
            message: `'${request.method}' before 'initialize': the server is not initialized yet`,
          },
        } as Message);
      }
      // A notification (or a stray response) before initialize is dropped, as the LSP says.
    });
  }

  dispose(): void {
    this.reader.dispose();
  }
}

function admitted(message: Message): boolean {
  const method = (message as RequestMessage | NotificationMessage).method;
  return method === 'initialize' || method === 'exit';
}
