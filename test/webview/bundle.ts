/**
 * Builds the preview bundle for the browser tests and the benchmark, with the same esbuild options
 * as scripts/build.mjs uses for webview/main.ts (tests must not depend on a prior `npm run build`).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const root = resolve(import.meta.dirname, '../..');

export interface Bundle {
  script: string;
  style: string;
  dir: string;
}

let cached: Promise<Bundle> | undefined;

export function webviewBundle(): Promise<Bundle> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'align-lab-webview-'));
    await build({
      entryPoints: [join(root, 'webview/main.ts')],
      outfile: join(dir, 'webview.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      // ALIGN_LAB_NO_MINIFY=1 keeps names readable in CPU profiles (bench/webview.ts --profile).
      minify: !process.env.ALIGN_LAB_NO_MINIFY,
      sourcemap: false,
      // (scripts/build.mjs also writes a source map; it does not change the code)
      legalComments: 'none',
      logLevel: 'warning',
    });
    return {
      dir,
      script: readFileSync(join(dir, 'webview.js'), 'utf8'),
      style: readFileSync(join(dir, 'webview.css'), 'utf8'),
    };
  })();
  return cached;
}
