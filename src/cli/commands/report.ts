/** `align-lab report FILE [-o OUT]`: the preview's HTML page, self-contained, written to a file. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { visible, writeData } from '../escape.js';
import { type Engine, EXIT, type Io } from '../io.js';
import { writeFileReplacing } from '../outputFile.js';
import { colourWanted, makeStyle } from '../style.js';
import { writeDiagnostics } from './diagnosticsOut.js';
import { describe, exitFor, internalError, loadDocument } from './load.js';

export interface ReportOptions {
  readonly file: string;
  readonly output?: string;
  readonly noColor: boolean;
}

/** dist/webview.js and dist/webview.css, next to dist/cli.js (or in dist/ when run from src/cli). */
function readAssets(bundleDir: string): { script: string; style: string } | { error: string } {
  const candidates = [bundleDir, join(bundleDir, '..', '..', 'dist')];
  for (const dir of candidates) {
    try {
      return {
        script: readFileSync(join(dir, 'webview.js'), 'utf8'),
        style: readFileSync(join(dir, 'webview.css'), 'utf8'),
      };
    } catch {
      // Try the next location.
    }
  }
  return {
    error: `the preview assets webview.js/webview.css are missing from ${bundleDir} (run \`npm run build\`)`,
  };
}

/** Default output: the source path with its extension replaced by .html. */
export function defaultOutput(file: string): string {
  return file === '-' ? 'report.html' : `${file.replace(/\.align$/i, '')}.html`;
}

export function runReport(options: ReportOptions, io: Io, engine: Engine): number {
  const loaded = loadDocument(options.file, io, engine);
  if (!loaded.ok) return loaded.exit;
  const { analysis, source, name } = loaded;
  const style = makeStyle(colourWanted(io.stderr.isTTY, io.env, options.noColor));
  writeDiagnostics(io.stderr, analysis.diagnostics, name, source, style, false);
  const assets = readAssets(io.bundleDir);
  if ('error' in assets) {
    io.stderr.write(`align-lab: ${visible(assets.error)}\n`);
    return EXIT.usage;
  }
  let html: string;
  try {
    html = engine.renderReportHtml({ ...analysis, file: name }, assets);
  } catch (e) {
    return internalError(io, `the report renderer threw: ${describe(e)}`).exit;
  }
  const output = options.output ?? defaultOutput(options.file);
  if (output === '-') {
    writeData(io.stdout, html);
  } else {
    // Written next to OUT and renamed over it: a symbolic link at OUT is replaced, never followed.
    const written = writeFileReplacing(resolve(io.cwd, output), html);
    if (!written.ok) {
      io.stderr.write(`align-lab: cannot write '${visible(output)}': ${written.message}\n`);
      return EXIT.usage;
    }
    if (written.replacedLink)
      io.stderr.write(
        `align-lab: note: '${visible(output)}' was a symbolic link; it now is the report, and the file it pointed to was not touched\n`,
      );
    io.stdout.write(`wrote ${visible(output)}\n`);
  }
  return exitFor(analysis);
}
