/**
 * "Live math": the key formulas rendered with KaTeX, with the numbers of the query under the cursor
 * (or the first query of each kind) substituted. A formula is re-rendered only when its TeX changed,
 * which keeps updates cheap while typing.
 */
import katex from 'katex';
import type { Analysis, QueryKind } from '../src/protocol/preview.js';
import { fmt } from './charts/model.js';
import { itemsOf } from './charts/select.js';

export interface Formula {
  kind: QueryKind;
  /** Plain-text caption: which query the numbers come from. */
  caption: string;
  /** The identity itself (numbers-free, so it is typeset once and reused). */
  tex: string;
  /** `symbol = value` pairs: the symbol is typeset (and cached), the value is plain text. */
  values: [symbol: string, value: string][];
  query: number;
}

/** The formulas for an analysis, numbers taken from the focused query of each kind when there is one. */
export function formulasFor(analysis: Analysis, focus: number | null): Formula[] {
  const pick = <K extends QueryKind>(kind: K) => {
    const items = itemsOf(analysis, kind);
    return items.find((i) => i.index === focus) ?? items[0];
  };
  const caption = (kind: string, i: { model: string; range: { start: { line: number } } }) =>
    `${kind} · ${i.model} · line ${i.range.start.line + 1}`;
  const out: Formula[] = [];
  const t = pick('tilt');
  if (t) {
    const v = t.value;
    out.push({
      kind: 'tilt',
      query: t.index,
      caption: caption('tilt', t),
      tex: '\\phi_\\Delta(y) = \\frac{p(y)\\,e^{\\lambda r(y)}}{Z}',
      values: [
        ['\\lambda', fmt(v.lambda)],
        ['\\beta = 1/\\lambda', fmt(v.beta)],
        ['\\mathrm{KL}(\\phi_\\Delta \\,\\|\\, p^n)', fmt(v.kl)],
        ['\\mathbb{E}_{\\phi_\\Delta} R', fmt(v.reward)],
      ],
    });
  }
  const f = pick('frontier');
  if (f) {
    out.push({
      kind: 'frontier',
      query: f.index,
      caption: caption('frontier', f),
      tex: "F(\\Delta) = n\\,A'(\\lambda(\\Delta)),\\quad F'(\\Delta) = \\frac{1}{\\lambda}",
      values: [
        ['\\max \\mathrm{KL} = -n\\log p(M)', fmt(f.value.max_kl)],
        ['\\max F = n\\,r_{\\max}', fmt(f.value.max_reward)],
      ],
    });
  }
  const b = pick('bon');
  if (b) {
    const v = b.value;
    out.push({
      kind: 'bon',
      query: b.index,
      caption: caption('best-of-N', b),
      tex: '\\mathrm{KL}(\\mathrm{BoN}_N \\,\\|\\, p^n) \\le \\log N - \\frac{N-1}{N}',
      values: [
        ['N', fmt(v.N)],
        ['\\mathrm{KL}', fmt(v.kl)],
        ['\\log N - \\tfrac{N-1}{N}', fmt(v.kl_bound)],
        ['\\mathbb{E}_{\\mathrm{BoN}} R', fmt(v.reward)],
        ['\\text{KL-RL at the same KL}', fmt(v.same_kl.reward)],
      ],
    });
  }
  const c = pick('compare');
  if (c) {
    const v = c.value;
    out.push({
      kind: 'compare',
      query: c.index,
      caption: caption('compare', c),
      tex: '\\mathrm{KL}(\\phi \\,\\|\\, \\phi_\\Delta) \\le \\lambda\\varepsilon',
      values: [
        ['\\mathrm{KL}(\\phi \\,\\|\\, \\phi_\\Delta)', fmt(v.kl_to_optimal)],
        ['\\lambda', fmt(v.lambda)],
        ['\\varepsilon', fmt(v.gap)],
        ['\\lambda\\varepsilon', fmt(v.bound)],
      ],
    });
  }
  const r = pick('rate');
  if (r) {
    out.push({
      kind: 'rate',
      query: r.index,
      caption: caption('rate', r),
      tex: "I_\\lambda(x) = A^*(x) - \\lambda x + A(\\lambda),\\quad I_\\lambda(x) = 0 \\iff x = A'(\\lambda)",
      values: [
        ['\\lambda', fmt(r.value.lambda)],
        ["A'(\\lambda)", fmt(r.value.mean)],
      ],
    });
  }
  const e = pick('equivalence');
  if (e) {
    out.push({
      kind: 'equivalence',
      query: e.index,
      caption: caption('equivalence', e),
      tex: "N = e^{n\\delta}:\\quad \\tfrac{1}{n}\\mathbb{E}_{\\mathrm{BoN}} R \\to A'(\\lambda^*),\\quad D(\\lambda^*) = \\delta",
      values: [
        ['\\delta', fmt(e.value.rate)],
        ['\\lambda^*', fmt(e.value.lambda)],
        ["A'(\\lambda^*)", fmt(e.value.rl_reward_per_token)],
      ],
    });
  }
  const k = pick('cumulants');
  if (k) {
    out.push({
      kind: 'cumulants',
      query: k.index,
      caption: caption('cumulants', k),
      tex: '\\kappa_m = n\\,A^{(m)}(\\lambda)',
      values: [
        ['\\lambda', fmt(k.value.lambda)],
        ...k.value.kappa.slice(0, 4).map((x, i): [string, string] => [`\\kappa_{${i + 1}}`, fmt(x)]),
      ],
    });
  }
  const h = pick('renyi');
  if (h) {
    out.push({
      kind: 'renyi',
      query: h.index,
      caption: caption('renyi', h),
      tex: 'H_\\alpha(p, q) = \\frac{1}{1-\\alpha}\\log \\sum_y p(y)\\,q(y)^{\\alpha-1},\\quad q = \\mathrm{softmax}(r)',
      values: [
        ['\\alpha', fmt(h.value.alpha)],
        ['H_\\alpha(p, q)', fmt(h.value.cross_entropy)],
        ['\\log C', fmt(h.value.log_c)],
      ],
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
  math: HTMLElement;
  tex: string;
  symbols: string;
  numbers: Text[];
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
        const caption = document.createElement('div');
        caption.className = 'caption';
        const math = document.createElement('div');
        math.className = 'math';
        row.append(caption, math);
        this.root.append(row);
        r = { row, caption, math, tex: '', symbols: '', numbers: [] };
        this.rows.set(f.kind, r);
      }
      r.caption.textContent = f.caption;
      r.row.classList.toggle('is-focused', f.query === highlight);
      const symbols = JSON.stringify(f.values.map((v) => v[0]));
      if (r.tex !== f.tex || r.symbols !== symbols) {
        const parts: Node[] = [typeset(f.tex, 'identity')];
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
      r.math.dataset.values = f.values.map(([s, v]) => `${s} = ${v}`).join('; ');
    }
    for (const [kind, r] of this.rows) {
      if (!seen.has(kind)) {
        r.row.remove();
        this.rows.delete(kind);
      }
    }
    this.root.classList.toggle('is-empty', formulas.length === 0);
  }
}
