/**
 * The latest results per document, fed by the server's `alignLab/results` notifications. Older
 * versions never replace newer ones, so whatever a panel reads here is the freshest there is.
 */
import type { ResultsParams } from '../../protocol/protocol.js';

export class ResultsStore {
  private readonly latest = new Map<string, ResultsParams>();
  private readonly listeners = new Set<(uri: string) => void>();

  set(params: ResultsParams): void {
    const current = this.latest.get(params.uri);
    if (current && current.version > params.version) return;
    this.latest.set(params.uri, params);
    for (const l of this.listeners) l(params.uri);
  }

  get(uri: string): ResultsParams | undefined {
    return this.latest.get(uri);
  }

  clear(uri: string): void {
    this.latest.delete(uri);
  }

  onDidChange(listener: (uri: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
