// Builds every bundle with esbuild. Adding a bundle is one line in `bundles`.
// Usage: node scripts/build.mjs [--watch] [--minify=false]

import { mkdirSync } from 'node:fs';
import { build, context } from 'esbuild';

const watch = process.argv.includes('--watch');
const minify = !process.argv.includes('--no-minify');

/** @type {Array<{ entry: string, out: string, platform: 'node' | 'browser', format?: 'cjs' | 'esm' | 'iife', external?: string[] }>} */
export const bundles = [
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', platform: 'node' },
  { entry: 'src/server/main.ts', out: 'dist/server.js', platform: 'node' },
  { entry: 'src/server/browserMain.ts', out: 'dist/server-browser.js', platform: 'browser' },
  { entry: 'src/client/extension.ts', out: 'dist/extension.js', platform: 'node', external: ['vscode'] },
  {
    entry: 'src/client/browserExtension.ts',
    out: 'dist/extension-browser.js',
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
  },
  { entry: 'webview/main.ts', out: 'dist/webview.js', platform: 'browser' },
];

mkdirSync('dist', { recursive: true });
const started = Date.now();
await Promise.all(
  bundles.map(async (b) => {
    const options = {
      entryPoints: [b.entry],
      outfile: b.out,
      bundle: true,
      platform: b.platform,
      format: b.format ?? (b.platform === 'node' ? 'cjs' : 'iife'),
      target: b.platform === 'node' ? 'node20' : 'es2022',
      external: b.external ?? [],
      sourcemap: true,
      minify,
      logLevel: 'warning',
      legalComments: 'none',
    };
    if (watch) {
      const ctx = await context(options);
      await ctx.watch();
    } else {
      await build(options);
    }
  }),
);
if (!watch) console.log(`built ${bundles.length} bundle(s) in ${Date.now() - started} ms`);
