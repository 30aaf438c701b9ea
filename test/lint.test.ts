// `npm run lint` as part of `npm test`, so CI refuses code that does not type-check under strict
// TypeScript or that Biome flags.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('tsc --noEmit (strict) reports nothing', () => {
  const r = run(bin('tsc'), ['-p', '.', '--noEmit']);
  assert.equal(r.status, 0, r.output);
});

test('biome check reports nothing', () => {
  const r = run(bin('biome'), ['check', '.']);
  assert.equal(r.status, 0, r.output);
});
