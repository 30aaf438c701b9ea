/**
 * The diagnostics banner. With errors the charts keep the last good results and the banner says so;
 * warnings and failed queries are listed without hiding anything. Clicking an entry reveals it.
 */
import type { Analysis, Range } from '../src/protocol/preview.js';
import { sameValue } from './dom.js';

export interface BannerEntry {
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: Range;
}

export function bannerEntries(analysis: Analysis): BannerEntry[] {
  const out: BannerEntry[] = analysis.diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => ({ severity: d.severity, message: d.message, range: d.range }));
  for (const r of analysis.results) {
    if (r.error !== undefined)
      out.push({ severity: 'warning', message: `${r.query} ${r.model}: ${r.error}`, range: r.range });
  }
  return out;
}

export const hasErrors = (analysis: Analysis): boolean =>
  analysis.diagnostics.some((d) => d.severity === 'error');

export class Banner {
  /** What the banner shows now (rebuilt only when that changes: most updates have no news). */
  private shown: { entries: BannerEntry[]; stale: boolean } | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly reveal: ((range: Range) => void) | undefined,
  ) {}

  update(analysis: Analysis | undefined, showingStale: boolean): void {
    const entries = analysis ? bannerEntries(analysis) : [];
    if (this.shown && this.shown.stale === showingStale && sameValue(this.shown.entries, entries)) return;
    this.shown = { entries, stale: showingStale };
    this.root.replaceChildren();
    this.root.hidden = entries.length === 0;
    this.root.classList.toggle(
      'has-errors',
      entries.some((e) => e.severity === 'error'),
    );
    if (entries.length === 0) return;
    if (showingStale) {
      const p = document.createElement('p');
      p.className = 'stale';
      p.textContent = 'The document has errors: the charts show the last results without errors.';
      this.root.append(p);
    }
    const list = document.createElement('ul');
    for (const e of entries.slice(0, 20)) {
      const li = document.createElement('li');
      li.className = e.severity;
      const where = `${e.range.start.line + 1}:${e.range.start.character + 1}`;
      const link = document.createElement(this.reveal ? 'button' : 'span');
      link.className = 'where';
      link.textContent = where;
      if (this.reveal && link instanceof HTMLButtonElement) {
        link.type = 'button';
        link.title = 'Show in the editor';
        link.addEventListener('click', () => this.reveal?.(e.range));
      }
      const text = document.createElement('span');
      text.textContent = ` ${e.severity}: ${e.message}`;
      li.append(link, text);
      list.append(li);
    }
    if (entries.length > 20) {
      const li = document.createElement('li');
      li.textContent = `… and ${entries.length - 20} more`;
      list.append(li);
    }
    this.root.append(list);
  }
}
