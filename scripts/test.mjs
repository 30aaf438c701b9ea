// Runs every test file (test/**/*.test.ts) with Node's built-in test runner, TypeScript via tsx.
// Usage: node scripts/test.mjs [--no-e2e] [filter...]   (filters are substrings of test file paths)
// test/vscode-integration/ holds the @vscode/test-electron mocha suite, which runs inside a desktop
// VS Code (see docs/testing.md), so it is not collected here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const noE2e = args.includes('--no-e2e');
const filters = args.filter((a) => a !== '--no-e2e');
const files = collect('test')
  .filter((f) => !f.startsWith(join('test', 'vscode-integration')))
  .filter((f) => !(noE2e && f.startsWith(join('test', 'e2e'))))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
