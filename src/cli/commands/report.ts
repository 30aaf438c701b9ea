/** `align-lab report FILE [-o OUT]`: the preview's HTML page, self-contained, written to a file. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Engine, EXIT, type Io } from '../io.js';
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
    io.stderr.write(`align-lab: ${assets.error}\n`);
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
    io.stdout.write(html);
  } else {
    const target = resolve(io.cwd, output);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, html);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? describe(e);
      io.stderr.write(`align-lab: cannot write '${output}': ${code}\n`);
      return EXIT.usage;
    }
    io.stdout.write(`wrote ${output}\n`);
  }
  return exitFor(analysis);
}
