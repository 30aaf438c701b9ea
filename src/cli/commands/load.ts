/**
 * Shared by every command: read the .align source (a file or stdin), run the language layer on
 * it with a confined model-file reader, and refuse an analysis that breaks the contract.
 */
import { resolve } from 'node:path';
import type { Analysis } from '../../presentation/results.js';
import { confinedReader, type ReadOutcome, readTextFile } from '../host.js';
import { type Engine, EXIT, type Io } from '../io.js';
import { findNaN } from '../json.js';

/** What the user called the file; used in diagnostics and as the JSON `file` field. */
export const STDIN_NAME = '<stdin>';

export type Loaded =
  | { readonly ok: true; readonly analysis: Analysis; readonly source: string; readonly name: string }
  | { readonly ok: false; readonly exit: number };

export function loadDocument(file: string, io: Io, engine: Engine): Loaded {
  const fromStdin = file === '-';
  const name = fromStdin ? STDIN_NAME : file;
  const read = fromStdin ? io.readStdin() : readTextFile(resolve(io.cwd, file), true);
  if (!read.ok) {
    io.stderr.write(`align-lab: cannot read '${name}': ${read.message}\n`);
    return { ok: false, exit: EXIT.usage };
  }
  // Model files of stdin input resolve from the working folder, as if the source lived there.
  const anchor = fromStdin ? resolve(io.cwd, 'stdin.align') : resolve(io.cwd, file);
  let analysis: Analysis;
  try {
    analysis = engine.analyze(read.text, name, reportingRefusals(confinedReader(anchor), io));
  } catch (e) {
    return internalError(io, `the language layer threw on '${name}': ${describe(e)}`);
  }
  const nanPath = findNaN(analysis, 'analysis');
  if (nanPath !== undefined) return internalError(io, `NaN at ${nanPath} (the results contract forbids NaN)`);
  return { ok: true, analysis, source: read.text, name };
}

/**
 * The language layer turns an unreadable model file into a generic "cannot read" diagnostic;
 * the reason (outside the folder, symlink escape, too large) is printed on stderr so the user
 * learns why without the language layer knowing about the file system.
 */
function reportingRefusals(read: (spec: string) => ReadOutcome, io: Io): (spec: string) => ReadOutcome {
  return (spec) => {
    const outcome = read(spec);
    if (!outcome.ok)
      io.stderr.write(`align-lab: note: model file refused or unreadable: ${outcome.message}\n`);
    return outcome;
  };
}

export function internalError(io: Io, message: string): { readonly ok: false; readonly exit: number } {
  io.stderr.write(
    `align-lab: internal error: ${message}\nThis is a bug in Align Lab; please report it with the input file ` +
      '(NODE_OPTIONS=--enable-source-maps shows TypeScript positions in the stack).\n',
  );
  return { ok: false, exit: EXIT.internal };
}

/**
 * An exception with its stack. Source maps are not enabled by default (loading dist/cli.js.map
 * would slow every start); NODE_OPTIONS=--enable-source-maps gives TypeScript positions.
 */
export function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Exit status for an analysis: 1 when an error diagnostic or a failed query is present. */
export function exitFor(analysis: Analysis): number {
  const failed =
    analysis.diagnostics.some((d) => d.severity === 'error') ||
    analysis.results.some((r) => r.error !== undefined);
  return failed ? EXIT.errors : EXIT.ok;
}
