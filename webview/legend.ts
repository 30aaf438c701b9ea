/**
 * An HTML legend under each chart (instead of chart.js's canvas legend, whose layout pass cost more
 * than the rest of an update). It is rebuilt only when the set of series or their colours change,
 * so a typical live update does not touch it. Clicking an entry shows/hides its series.
 */
import type { Series } from './charts/model.js';

export interface LegendEntry {
  key: string;
  label: string;
  color: string;
  style: Series['style'];
  hidden: boolean;
}

export class Legend {
  private signature = '';

  constructor(
    readonly root: HTMLElement,
    private readonly toggle: (key: string) => void,
  ) {
    root.className = 'legend';
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', 'Series (click to show or hide)');
  }

  update(entries: LegendEntry[]): void {
    const signature = JSON.stringify(entries);
    if (signature === this.signature) return;
    this.signature = signature;
    this.root.replaceChildren(
      ...entries.map((e) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = `entry${e.hidden ? ' off' : ''}`;
        b.dataset.key = e.key;
        b.setAttribute('aria-pressed', String(!e.hidden));
        b.title = e.hidden ? 'Show this series' : 'Hide this series';
        const swatch = document.createElement('span');
        swatch.className = `swatch ${e.style}`;
        // CSSOM writes are allowed by the CSP (only style attributes in markup are not).
        swatch.style.setProperty('--swatch', e.color);
        const text = document.createElement('span');
        text.textContent = e.label;
        b.append(swatch, text);
        b.addEventListener('click', () => this.toggle(e.key));
        return b;
      }),
    );
  }
}
