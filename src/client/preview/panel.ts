/**
 * One preview panel: which document it shows, the debounced latest-only feed of results into the
 * webview, cursor forwarding, and the handling of (validated) messages from the webview.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  type HostToWebview,
  parseWebviewMessage,
  type Range,
  type WebviewToHost,
} from '../../protocol/preview.js';
import { GetResultsRequest } from '../../protocol/protocol.js';
import { previewParameter, revealRange, saveExport, setParameter } from './actions.js';
import { previewHtml } from './html.js';
import { previewSettings } from './settings.js';
import type { ResultsStore } from './store.js';

const basename = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.toString();

export class PreviewPanel {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Date.now() of the last analysis posted to the webview (for the throttle). */
  private lastPost = Number.NEGATIVE_INFINITY;
  /** Date.now() when the scheduled flush fires (meaningful while `timer` is set). */
  private due = Number.POSITIVE_INFINITY;
  /** Version last sent to the webview (it only ever moves forward for one document). */
  private sentVersion = -1;
  private ready = false;
  /** A "Show in preview" that waits for the webview to be ready. */
  private pendingShow: Range | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private uri: vscode.Uri,
    private readonly store: ResultsStore,
    private readonly client: BaseLanguageClient,
    extensionUri: vscode.Uri,
    readonly follows: boolean,
    onDispose: () => void,
  ) {
    panel.webview.html = previewHtml(panel.webview, extensionUri);
    this.updateTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const m = parseWebviewMessage(raw);
        if (m) void this.handle(m);
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  get documentUri(): vscode.Uri {
    return this.uri;
  }

  /** Shows another document in this panel (follow-active-editor mode). */
  showDocument(uri: vscode.Uri): void {
    if (uri.toString() === this.uri.toString()) return;
    this.uri = uri;
    this.sentVersion = -1;
    this.updateTitle();
    this.post({ type: 'reset', uri: uri.toString(), fileName: basename(uri) });
    this.fetchIfMissing();
    this.schedule(0);
  }

  /**
   * New results may be in the store for our document. A throttle, not a restarting debounce: the
   * first results after a pause are posted at once, later ones at most once per `debounceMs`, and
   * a flush already scheduled is never postponed (it reads the newest results when it fires). The
   * server already batches a burst of edits into one trailing evaluation `debounceMs` after its
   * last one; a debounce that restarted on each notification waited another full `debounceMs`
   * after that, so a multi-keystroke edit (typing a new query) reached the charts two windows late.
   *
   * Results for a version the editor has already moved past (the first keystroke of a burst) are
   * held back: the server evaluates the newest text within its window, and drawing the stale
   * ones would only cost the webview (and the workbench that relays the message) work while the
   * user types. They are shown anyway if nothing newer arrives within two windows.
   */
  resultsChanged(): void {
    const latest = this.store.get(this.uri.toString());
    if (!latest) return;
    const debounce = previewSettings().debounceMs;
    const now = Date.now();
    const at = this.isStale(latest.version) ? now + 2 * debounce : Math.max(now, this.lastPost + debounce);
    if (this.timer !== undefined && this.due <= at) return;
    this.schedule(at - now);
  }

  /** Whether the document has changed since `version` (newer results are on their way). */
  private isStale(version: number): boolean {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    return doc !== undefined && doc.version > version;
  }

  /** Focuses a query in the webview and scrolls its chart into view (now, or once it is ready). */
  showQuery(range: Range): void {
    if (!this.ready) {
      this.pendingShow = range;
      return;
    }
    this.post({ type: 'showQuery', uri: this.uri.toString(), range });
  }

  /** alignLab.significantDigits changed. */
  settingsChanged(): void {
    if (this.ready) this.post({ type: 'settings', digits: previewSettings().digits });
  }

  cursorMoved(position: vscode.Position | null): void {
    if (!this.ready) return;
    const p = position && { line: position.line, character: position.character };
    this.post({ type: 'cursor', uri: this.uri.toString(), position: p });
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.due = Date.now() + delay;
    // Latest-only: whatever arrives during the delay, one message with the newest results is sent.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  private flush(): void {
    if (!this.ready) return;
    const latest = this.store.get(this.uri.toString());
    if (!latest || latest.version < this.sentVersion) return;
    this.sentVersion = latest.version;
    this.lastPost = Date.now();
    this.post({
      type: 'analysis',
      uri: latest.uri,
      version: latest.version,
      analysis: latest.analysis,
      pending: this.isStale(latest.version),
    });
  }

  /** Asks the server for results it may have computed before this panel existed. */
  fetchIfMissing(): void {
    const key = this.uri.toString();
    if (this.store.get(key)) return;
    void (async () => {
      try {
        const r = await this.client.sendRequest(GetResultsRequest, { uri: key });
        if (r) this.store.set(r);
      } catch {
        // Not started yet: the results notification will arrive when it is.
      }
    })();
  }

  private async handle(m: WebviewToHost): Promise<void> {
    // Requests about another document than the one shown are stale (the panel moved on): ignore.
    if (m.type !== 'ready' && m.type !== 'export' && m.uri !== this.uri.toString()) return;
    switch (m.type) {
      case 'ready': {
        // A (re)loaded webview starts empty: resend everything, immediately.
        this.ready = true;
        this.sentVersion = -1;
        this.post({ type: 'settings', digits: previewSettings().digits });
        this.flush();
        const editor = vscode.window.activeTextEditor;
        if (editor?.document.uri.toString() === this.uri.toString())
          this.cursorMoved(editor.selection.active);
        if (this.pendingShow) this.showQuery(this.pendingShow);
        this.pendingShow = undefined;
        return;
      }
      case 'reveal':
        return revealRange(this.uri, m.range);
      case 'setParameter': {
        const outcome = await setParameter(this.client, this.uri, m);
        if (!outcome.applied && outcome.refused !== undefined)
          this.post({ type: 'parameterRefused', uri: m.uri, message: outcome.refused });
        return;
      }
      case 'previewParameter': {
        const answer = await previewParameter(this.client, m);
        this.post({ type: 'parameterPreview', uri: m.uri, seq: m.seq, ...answer });
        return;
      }
      case 'export':
        return saveExport(this.uri, m);
    }
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private updateTitle(): void {
    this.panel.title = `Preview ${basename(this.uri)}`;
  }

  reveal(toSide: boolean): void {
    this.panel.reveal(toSide ? vscode.ViewColumn.Beside : undefined, toSide);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
