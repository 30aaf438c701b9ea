/**
 * The JSON writer for `eval --json`. The results contract (src/language/results.ts) writes an
 * infinite value as null; NaN has no meaning in it, so a NaN reaching this point is a bug
 * upstream and is reported as an internal error (with its path) instead of being printed.
 */

/** Thrown when a value cannot be represented in the contract; the CLI reports it as a bug. */
export class ContractViolation extends Error {
  constructor(readonly path: string) {
    super(`NaN at ${path} cannot be written as JSON (the results contract forbids it)`);
    this.name = 'ContractViolation';
  }
}

/** JSON.stringify, with ±Infinity as null and typed arrays as arrays; throws on NaN. */
export function toContractJson(value: unknown, indent = 2): string {
  let sawNaN = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') {
        if (Number.isNaN(v)) sawNaN = true;
        return Number.isFinite(v) ? v : null;
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  );
  if (sawNaN) throw new ContractViolation(findNaN(value, '$') ?? '$');
  return text;
}

/** The JSON path of the first NaN inside `value`, or undefined when there is none. */
export function findNaN(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    for (let i = 0; i < items.length; i++) {
      const found = findNaN(items[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = findNaN(
      item,
      /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
    );
    if (found) return found;
  }
  return undefined;
}
