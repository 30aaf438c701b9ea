/**
 * The open documents, kept in sync with the client (textDocument/didOpen, didChange, didClose).
 *
 * Why not vscode-languageserver's TextDocuments: it applies every didChange, whatever its
 * version. A change whose version is not newer than the document's (a replayed or reordered
 * message) would be applied on top of text it was not computed against and corrupt the document
 * for good; here it is dropped and logged. Everything else is the same incremental update.
 */
import type {
  Connection,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

type Listener = (doc: TextDocument) => void;

export class DocumentStore {
  private readonly docs = new Map<string, TextDocument>();
  private readonly opened: Listener[] = [];
  private readonly changed: Listener[] = [];
  private readonly closed: Listener[] = [];

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  keys(): string[] {
    return [...this.docs.keys()];
  }

  get size(): number {
    return this.docs.size;
  }

  onDidOpen(f: Listener): void {
    this.opened.push(f);
  }
  onDidChangeContent(f: Listener): void {
    this.changed.push(f);
  }
  onDidClose(f: Listener): void {
    this.closed.push(f);
  }

  listen(connection: Connection, log: (message: string) => void): void {
    connection.onDidOpenTextDocument((p) => this.open(p));
    connection.onDidChangeTextDocument((p) => this.change(p, log));
    connection.onDidCloseTextDocument((p) => this.close(p));
  }

  open({ textDocument: t }: DidOpenTextDocumentParams): void {
    const doc = TextDocument.create(t.uri, t.languageId, t.version, t.text);
    this.docs.set(t.uri, doc);
    for (const f of this.opened) f(doc);
  }

  change({ textDocument: t, contentChanges }: DidChangeTextDocumentParams, log: (m: string) => void): void {
    const doc = this.docs.get(t.uri);
    if (!doc) {
      log(`didChange for ${t.uri}, which is not open: ignored`);
      return;
    }
    if (typeof t.version !== 'number' || t.version <= doc.version) {
      log(`didChange for ${t.uri} with version ${t.version}, not newer than ${doc.version}: ignored`);
      return;
    }
    const updated = TextDocument.update(doc, contentChanges, t.version);
    this.docs.set(t.uri, updated);
    for (const f of this.changed) f(updated);
  }

  close({ textDocument: t }: DidCloseTextDocumentParams): void {
    const doc = this.docs.get(t.uri);
    if (!doc) return;
    this.docs.delete(t.uri);
    for (const f of this.closed) f(doc);
  }
}
