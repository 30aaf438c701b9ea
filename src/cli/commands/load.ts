/**
 * Shared by every command: read the .align source (a file or stdin), run the language layer on
 * it with a confined model-file reader, and refuse an analysis that breaks the contract.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { modelFileReader } from '../../node/files.js';
import type { Analysis } from '../../presentation/results.js';
import { CLI_MODEL_FILE_MAX_BYTES } from '../../protocol/modelFiles.js';
import { visible } from '../escape.js';
import { readTextFile } from '../host.js';
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
    io.stderr.write(`align-lab: cannot read '${visible(name)}': ${visible(read.message)}\n`);
    return { ok: false, exit: EXIT.usage };
  }
  // Model files are confined to the .align file's folder tree (stdin: the working folder's), with
  // the rules the language server uses too (src/node/files.ts).
  const folder = fromStdin ? resolve(io.cwd) : dirname(resolve(io.cwd, file));
  const label = fromStdin ? 'the current folder' : 'the folder of the .align file';
  const readModelFile = modelFileReader(folder, [{ path: folder, label }], {
    home: io.env.HOME ?? homedir(),
    maxBytes: CLI_MODEL_FILE_MAX_BYTES,
  });
  let analysis: Analysis;
  try {
    analysis = engine.analyze(read.text, name, readModelFile);
  } catch (e) {
    return internalError(io, `the language layer threw on '${name}': ${describe(e)}`);
  }
  // A NaN anywhere is a bug upstream (per-token tables are checked by a loop over their values).
  const nanPath = findNaN(analysis, 'analysis');
  if (nanPath !== undefined) return internalError(io, `NaN at ${nanPath} (the results contract forbids NaN)`);
  return { ok: true, analysis, source: read.text, name };
}

export function internalError(io: Io, message: string): { readonly ok: false; readonly exit: number } {
  io.stderr.write(
    `align-lab: internal error: ${message
      .split('\n')
      .map((line) => visible(line, { keepTabs: true }))
      .join('\n')}\nThis is a bug in Align Lab; please report it with the input file ` +
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
