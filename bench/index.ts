// `npm run bench`: runs every benchmark module in bench/ (each exports `run()`), or only those whose
// file name contains one of the command-line filters. Figures are warm medians; see each module.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const filters = process.argv.slice(2);
const dir = import.meta.dirname;
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

async function main(): Promise<number> {
  let failed = 0;
  for (const file of modules) {
    console.log(`\n== ${file.replace(/\.ts$/, '')} ==`);
    try {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<void> };
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`);
      await mod.run();
    } catch (e) {
      failed++;
      console.error(`bench ${file} failed:`, e);
    }
  }
  return failed;
}

// Wrapped in a function: tsx runs this file as CommonJS, where top-level await is unavailable.
main().then((failed) => {
  if (failed > 0) process.exit(1);
});
