/** `align-lab eval FILE [--json]`. */
import type { Analysis } from '../../presentation/results.js';
import type { Engine, Io } from '../io.js';
import { ContractViolation, toContractJson } from '../json.js';
import { renderResults } from '../render/results.js';
import { colourWanted, makeStyle } from '../style.js';
import { writeDiagnostics } from './diagnosticsOut.js';
import { exitFor, internalError, loadDocument } from './load.js';

export interface EvalOptions {
  readonly file: string;
  readonly json: boolean;
  readonly noColor: boolean;
}

/**
 * The JSON document, with keys in the documented order. Diagnostics carry exactly the contract's
 * keys (`data` is an editor-only detail for quick fixes); results keep any extra keys such as
 * `note`, which results.ts allows.
 */
export function contractDocument(analysis: Analysis, name: string): unknown {
  return {
    file: name,
    diagnostics: analysis.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      range: d.range,
    })),
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
    let text: string;
    try {
      text = toContractJson(contractDocument(analysis, name));
    } catch (e) {
      if (e instanceof ContractViolation) return internalError(io, e.message).exit;
      throw e;
    }
    io.stdout.write(`${text}\n`);
    return exitFor(analysis);
  }
  const errStyle = makeStyle(colourWanted(io.stderr.isTTY, io.env, options.noColor));
  const outStyle = makeStyle(colourWanted(io.stdout.isTTY, io.env, options.noColor));
  writeDiagnostics(io.stderr, analysis.diagnostics, name, source, errStyle, false);
  const lines = renderResults(analysis.results, name, outStyle);
  if (lines.length === 0) {
    lines.push(`${name}: no queries to evaluate`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return exitFor(analysis);
}
