// The main job (`npm start`, after the build): evaluate examples/paper.align with the CLI bundle
// exactly as a user would — the human tables on stdout, the JSON results in out/paper.json and
// the HTML report in out/paper.html — then say where they are. Exits non-zero if any step fails
// (including error diagnostics in the example, which would be a bug in the example).
// Usage: node scripts/main-job.mjs [FILE.align]   (default examples/paper.align)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const source = resolve(process.argv[2] ?? join(root, 'examples', 'paper.align'));
const outDir = join(root, 'out');
const stem = basename(source).replace(/\.align$/, '');
const jsonOut = join(outDir, `${stem}.json`);
const htmlOut = join(outDir, `${stem}.html`);

function fail(message) {
  console.error(`main job: ${message}`);
  process.exit(1);
}

if (!existsSync(cli))
  fail(`${relative(root, cli)} is missing; run \`npm run build\` first (npm start does).`);
if (!existsSync(source)) fail(`${source} does not exist.`);
mkdirSync(outDir, { recursive: true });

const failures = [];

/**
 * Runs the CLI; stdout is captured or inherited, stderr always goes to the terminal. A failing
 * step is recorded and the job goes on, so every output is written and every problem shown.
 */
function align(args, capture) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) fail(`could not run the CLI: ${run.error.message}`);
  if (run.status !== 0) failures.push(`\`align-lab ${args.join(' ')}\` exited with status ${run.status}`);
  return run.stdout ?? '';
}

const shown = relative(root, source);
const started = Date.now();
console.log(`== align-lab eval ${shown}\n`);
align(['eval', shown], false);
writeFileSync(jsonOut, align(['eval', shown, '--json'], true));
align(['report', shown, '-o', relative(root, htmlOut)], true);

console.log(`\n== done in ${Date.now() - started} ms`);
for (const f of failures) console.error(`main job: ${f}`);
console.log(`results (JSON, docs/cli.md): ${jsonOut}`);
console.log(`report (open in a browser):  ${htmlOut}`);
if (failures.length > 0) process.exit(1);
