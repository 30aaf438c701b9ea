/**
 * "Live math": the key formulas rendered with KaTeX, with the numbers of the query under the cursor
 * (or the first query of each kind) substituted. The identities, their symbols and the headline of
 * each kind come from the presentation layer (PRESENTATION[kind].formula, headlineText) — the same
 * headline as the editor's inlay hint after the query. A formula is re-rendered only when its TeX
 * changed, which keeps updates cheap while typing.
 */
import katex from 'katex';
import { headlineText, PRESENTATION, presentationOf } from '../src/presentation/kinds.js';
import type { Analysis, QueryKind, QueryResult } from '../src/protocol/preview.js';
import { formatWith } from './charts/model.js';
import { setText } from './dom.js';

export interface Formula {
  kind: QueryKind;
  /** Plain-text caption: which query the numbers come from. */
  caption: string;
  /** The query's headline (`λ = 1.422, E[R] = 33.81`), as the inlay hint after it shows it. */
  headline: string;
  /** The identity itself (numbers-free, so it is typeset once and reused). */
  tex: string;
  /** `symbol = value` pairs: the symbol is typeset (and cached), the value is plain text. */
  values: [symbol: string, value: string][];
  query: number;
}

/** The formula cards, in reading order (one per kind present in the results). */
const FORMULA_KINDS: readonly QueryKind[] = [
  'tilt',
  'frontier',
  'bon',
  'compare',
  'rate',
  'equivalence',
  'cumulants',
  'renyi',
  'simulate',
  'softbon',
  'blockbon',
  'reject',
  'winrate',
  'methods',
];

/** The formulas for an analysis, numbers taken from the focused query of each kind when there is one. */
export function formulasFor(analysis: Analysis, focus: number | null, digits: number): Formula[] {
  const f = formatWith(digits);
  const out: Formula[] = [];
  for (const kind of FORMULA_KINDS) {
    // The focused query of this kind, else the first with a value.
    let pick: { r: QueryResult; index: number; value: NonNullable<QueryResult['value']> } | undefined;
    for (let index = 0; index < analysis.results.length; index++) {
      const r = analysis.results[index];
      if (r.query !== kind || r.value === undefined) continue;
      if (index === focus) {
        pick = { r, index, value: r.value };
        break;
      }
      pick ??= { r, index, value: r.value };
    }
    if (!pick) continue;
    const { r, index } = pick;
    const formula = presentationOf(kind).formula(pick.value);
    out.push({
      kind,
      query: index,
      caption: `${PRESENTATION[kind].title} · ${r.model} · line ${r.range.start.line + 1}`,
      // The same text as the inlay hint after the query and the CLI's table heading.
      headline: headlineText(r, digits) ?? '',
      tex: formula.tex,
      values: formula.values.map(([symbol, value]) => [symbol, typeof value === 'string' ? value : f(value)]),
    });
  }
  return out;
}

/** Typesets TeX into a fresh element (katex.render builds DOM nodes, which the CSP allows). */
function typeset(tex: string, className: string): HTMLElement {
  const el = document.createElement('span');
  el.className = className;
  katex.render(tex, el, { displayMode: false, throwOnError: false, output: 'htmlAndMathml' });
  return el;
}

interface Row {
  row: HTMLElement;
  caption: HTMLElement;
  headline: HTMLElement;
  math: HTMLElement;
  tex: string;
  symbols: string;
  numbers: Text[];
}

/**
 * An identity in pieces that may wrap onto separate lines in a narrow panel: KaTeX typesets inline
 * math as unbreakable boxes, so `A,\quad B` is typeset as `A,` and `B`.
 */
function identityPieces(tex: string): HTMLElement[] {
  return tex
    .split('\\quad')
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0)
    .map((piece) => typeset(piece, 'identity'));
}

/**
 * Renders formulas into `root`. Typesetting is the expensive part, so the identities and the
 * symbols are typeset once per row and only the numbers (text nodes) change on live updates.
 */
export class FormulaPanel {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly root: HTMLElement) {}

  update(formulas: Formula[], highlight: number | null): void {
    const seen = new Set<string>();
    for (const f of formulas) {
      seen.add(f.kind);
      let r = this.rows.get(f.kind);
      if (!r) {
        const row = document.createElement('div');
        row.className = 'formula';
        row.dataset.kind = f.kind;
        const top = document.createElement('div');
        top.className = 'top';
        const caption = document.createElement('span');
        caption.className = 'caption';
        const headline = document.createElement('span');
        headline.className = 'headline';
        top.append(caption, headline);
        const math = document.createElement('div');
        math.className = 'math';
        row.append(top, math);
        this.root.append(row);
        r = { row, caption, headline, math, tex: '', symbols: '', numbers: [] };
        this.rows.set(f.kind, r);
      }
      setText(r.caption, f.caption);
      setText(r.headline, f.headline ? `→ ${f.headline}` : '');
      r.row.classList.toggle('is-focused', f.query === highlight);
      if (r.row.dataset.query !== String(f.query)) r.row.dataset.query = String(f.query);
      const symbols = JSON.stringify(f.values.map((v) => v[0]));
      if (r.tex !== f.tex || r.symbols !== symbols) {
        const parts: Node[] = identityPieces(f.tex);
        r.numbers = f.values.map(([symbol]) => {
          const pair = document.createElement('span');
          pair.className = 'value';
          const number = document.createTextNode('');
          const text = document.createElement('span');
          text.className = 'number';
          text.append(' = ', number);
          pair.append(typeset(symbol, 'symbol'), text);
          parts.push(pair);
          return number;
        });
        r.math.replaceChildren(...parts);
        r.tex = f.tex;
        r.symbols = symbols;
      }
      f.values.forEach(([, value], i) => {
        const node = r.numbers[i];
        if (node.data !== value) node.data = value;
      });
      const values = f.values.map(([s, v]) => `${s} = ${v}`).join('; ');
      if (r.math.dataset.values !== values) r.math.dataset.values = values;
    }
    for (const [kind, r] of this.rows) {
      if (!seen.has(kind)) {
        r.row.remove();
        this.rows.delete(kind);
      }
    }
    // Cards in reading order (a kind that appears later is not left at the end).
    const order = formulas.map((f) => this.rows.get(f.kind)?.row);
    if (order.some((row, i) => this.root.children[i] !== row))
      this.root.append(...order.filter((row): row is HTMLElement => row !== undefined));
    this.root.classList.toggle('is-empty', formulas.length === 0);
  }

  /** The card of a kind (for scrolling to it). */
  card(kind: QueryKind): HTMLElement | undefined {
    return this.rows.get(kind)?.row;
  }
}
