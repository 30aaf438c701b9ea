/** `align-lab check FILE...`: diagnostics only, one summary line per file, for CI. */
import { type Engine, EXIT, type Io } from '../io.js';
import { colourWanted, makeStyle } from '../style.js';
import { writeDiagnostics } from './diagnosticsOut.js';
import { loadDocument } from './load.js';

export interface CheckOptions {
  readonly files: readonly string[];
  readonly noColor: boolean;
}

/**
 * Only diagnostics count here (a failed query is reported by the language layer as an error
 * diagnostic too). The exit status is the worst over all files: I/O (2) over errors (1).
 */
export function runCheck(options: CheckOptions, io: Io, engine: Engine): number {
  const style = makeStyle(colourWanted(io.stdout.isTTY, io.env, options.noColor));
  let exit: number = EXIT.ok;
  for (const file of options.files) {
    const loaded = loadDocument(file, io, engine);
    if (!loaded.ok) {
      exit = Math.max(exit, loaded.exit);
      continue;
    }
    const { analysis, source, name } = loaded;
    writeDiagnostics(io.stdout, analysis.diagnostics, name, source, style, true);
    if (analysis.diagnostics.some((d) => d.severity === 'error')) exit = Math.max(exit, EXIT.errors);
  }
  return exit;
}
