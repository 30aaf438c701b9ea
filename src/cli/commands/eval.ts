/** `align-lab eval FILE [--json]`. */

import { DEFAULT_SIGNIFICANT_DIGITS } from '../../presentation/format.js';
import type { Analysis } from '../../presentation/results.js';
import { visible, writeData } from '../escape.js';
import type { Engine, Io } from '../io.js';
import { ContractViolation, writeContractJson } from '../json.js';
import { renderResults } from '../render/results.js';
import { colourWanted, makeStyle } from '../style.js';
import { writeDiagnostics } from './diagnosticsOut.js';
import { exitFor, internalError, loadDocument } from './load.js';

export interface EvalOptions {
  readonly file: string;
  readonly json: boolean;
  readonly noColor: boolean;
  /** Significant digits of the tables (3–10; default DEFAULT_SIGNIFICANT_DIGITS, as the editor). */
  readonly digits?: number;
}

/** Diagnostics listed by `eval --json`; the rest are counted in `diagnostics_omitted`. */
export const MAX_JSON_DIAGNOSTICS = 1000;
/** Longest diagnostic message in the JSON (longer ones are cut and end in "…"). */
export const MAX_JSON_MESSAGE_CHARS = 2000;

/**
 * The JSON document, with keys in the documented order. Diagnostics carry exactly the contract's
 * keys (`data` is an editor-only detail for quick fixes); results keep any extra keys such as
 * `note`, which results.ts allows.
 */
export function contractDocument(analysis: Analysis, name: string): unknown {
  const all = analysis.diagnostics;
  const kept = all.length > MAX_JSON_DIAGNOSTICS ? all.slice(0, MAX_JSON_DIAGNOSTICS) : all;
  return {
    file: name,
    diagnostics: kept.map((d) => ({
      severity: d.severity,
      code: d.code,
      message:
        d.message.length > MAX_JSON_MESSAGE_CHARS
          ? `${d.message.slice(0, MAX_JSON_MESSAGE_CHARS)}…`
          : d.message,
      range: d.range,
    })),
    // Only when some were left out: how many (the first MAX_JSON_DIAGNOSTICS are listed).
    ...(kept.length < all.length ? { diagnostics_omitted: all.length - kept.length } : {}),
    results: analysis.results.map((r) => {
      const { query, model, range, value, error, ...extra } = r;
      return error !== undefined
        ? { query, model, range, error, ...extra }
        : { query, model, range, value, ...extra };
    }),
  };
}

export function runEval(options: EvalOptions, io: Io, engine: Engine): number {
  const loaded = loadDocument(options.file, io, engine);
  if (!loaded.ok) return loaded.exit;
  const { analysis, source, name } = loaded;
  if (options.json) {
    // Written as it is serialised: no 45 MB string for a million tokens. loadDocument has
    // refused any NaN already (findNaN), so the writer cannot stop half way (if it did, the
    // violation is still reported as the internal error it is).
    try {
      writeContractJson(contractDocument(analysis, name), (chunk) => writeData(io.stdout, chunk), 2);
    } catch (e) {
      if (e instanceof ContractViolation) return internalError(io, e.message).exit;
      throw e;
    }
    writeData(io.stdout, '\n');
    return exitFor(analysis);
  }
  const errStyle = makeStyle(colourWanted(io.stderr.isTTY, io.env, options.noColor));
  const outStyle = makeStyle(colourWanted(io.stdout.isTTY, io.env, options.noColor));
  writeDiagnostics(io.stderr, analysis.diagnostics, name, source, errStyle, false);
  const lines = renderResults(analysis.results, name, outStyle, options.digits ?? DEFAULT_SIGNIFICANT_DIGITS);
  if (lines.length === 0) {
    lines.push(`${visible(name)}: no queries to evaluate`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return exitFor(analysis);
}
