/**
 * The diagnostics banner. With errors it says what the charts show instead (see app.ts); warnings
 * and failed queries are listed without hiding anything. Clicking an entry reveals it.
 *
 * Numbers in the messages are shown through the presentation layer's formatter: a long double in
 * a message ("maximum KL 2.0794415416798357") reads at the user's significant digits (2.0794).
 */
import { formatNumber } from '../src/presentation/format.js';
import type { Analysis, Range } from '../src/protocol/preview.js';
import { sameValue } from './dom.js';

/**
 * A decimal number written with more digits than anyone reads: at least 7 significant digits, not
 * part of a word or a name (`x2`, `0x1f`, a quoted token), optionally signed or with an exponent.
 */
const LONG_NUMBER =
  /(?<![\w.'"`])-?\d+\.\d{6,}(?:e[-+]?\d+)?(?![\w.'"`])|(?<![\w.'"`])-?\d\.?\d*e[-+]?\d+(?![\w.'"`])/gi;

/** `message` with its long numbers at `digits` significant digits (integers and short numbers stay). */
export function readableNumbers(message: string, digits: number): string {
  return message.replace(LONG_NUMBER, (m) => {
    const x = Number(m);
    return Number.isFinite(x) ? formatNumber(x, digits) : m;
  });
}

export interface BannerEntry {
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: Range;
}

/**
 * The entries of an analysis, messages as the language wrote them (formatted when shown): its
 * errors and warnings, and each query that has no value for a reason no diagnostic shows — a
 * query's error usually repeats the diagnostic on it (`unknown model 'chat'`), and one cause is
 * listed once.
 */
export function bannerEntries(analysis: Analysis): BannerEntry[] {
  const shown = analysis.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  const out: BannerEntry[] = shown.map((d) => ({ severity: d.severity, message: d.message, range: d.range }));
  const messages = new Set(shown.map((d) => d.message));
  for (const r of analysis.results) {
    if (r.error === undefined || messages.has(r.error)) continue;
    // An error on the query is its cause; a warning there (an approximation note) is not.
    if (shown.some((d) => d.severity === 'error' && within(d.range, r.range))) continue;
    out.push({ severity: 'warning', message: `${r.query} ${r.model}: ${r.error}`, range: r.range });
  }
  return out;
}

const before = (a: Range['start'], b: Range['start']) =>
  a.line < b.line || (a.line === b.line && a.character < b.character);
/** Whether `inner` starts inside `outer`. */
const within = (inner: Range, outer: Range) =>
  !before(inner.start, outer.start) && !before(outer.end, inner.start);

/** Entries shown at most; the rest are counted. */
const SHOWN = 20;

export const hasErrors = (analysis: Analysis): boolean =>
  analysis.diagnostics.some((d) => d.severity === 'error');

export class Banner {
  /** What the banner shows now (rebuilt only when that changes: most updates have no news). */
  private shown: { entries: BannerEntry[]; note: string | undefined; digits: number } | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly reveal: ((range: Range) => void) | undefined,
  ) {}

  /** Lists the diagnostics of `analysis`; `note` says what the charts show when it has errors. */
  update(analysis: Analysis | undefined, note: string | undefined, digits: number): void {
    const entries = analysis ? bannerEntries(analysis) : [];
    const s = this.shown;
    if (s && s.note === note && s.digits === digits && sameValue(s.entries, entries)) return;
    this.shown = { entries, note, digits };
    this.root.replaceChildren();
    this.root.hidden = entries.length === 0;
    this.root.classList.toggle(
      'has-errors',
      entries.some((e) => e.severity === 'error'),
    );
    if (entries.length === 0) return;
    if (note) {
      const p = document.createElement('p');
      p.className = 'stale';
      p.textContent = note;
      this.root.append(p);
    }
    const list = document.createElement('ul');
    for (const e of entries.slice(0, SHOWN)) {
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
      text.textContent = ` ${e.severity}: ${readableNumbers(e.message, digits)}`;
      li.append(link, text);
      list.append(li);
    }
    if (entries.length > SHOWN) {
      const li = document.createElement('li');
      li.textContent = `… and ${entries.length - SHOWN} more`;
      list.append(li);
    }
    this.root.append(list);
  }
}
