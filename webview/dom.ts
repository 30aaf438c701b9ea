/**
 * Small DOM helpers for live updates. Every write to the document invalidates style and layout of
 * the page (KaTeX formulas included), so updates write only what actually changed.
 */

/** Sets an element's text unless it already is that text. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Structural equality of JSON-like values (numbers, strings, booleans, null, undefined, arrays and
 * plain objects). Stops at the first difference, which makes comparing a changed chart model cheap,
 * and never allocates, unlike comparing JSON.stringify results. NaN equals NaN (charts treat them
 * alike); key order does not matter.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    // A key holding undefined is the same as a missing key (as in JSON).
    if (x[k] !== undefined) count++;
    if (!sameValue(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined) count--;
  return count === 0;
}
