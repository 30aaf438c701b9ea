/**
 * Makes sure dist/cli.js is the bundle of the current sources: rebuilds (node scripts/build.mjs)
 * when it is missing or older than any file it is built from. Test files run in parallel
 * processes, so the rebuild is serialised with a lock directory. Returns the bundle's path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
const LOCK = join(ROOT, 'dist', '.cli-test-build.lock');
const LOCK_STALE_MS = 180_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    newest = Math.max(newest, info.isDirectory() ? newestMtime(path) : info.mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  if (!existsSync(CLI)) return true;
  const built = statSync(CLI).mtimeMs;
  return ['src/cli', 'src/language', 'src/core', 'src/protocol', 'src/node']
    .map((d) => join(ROOT, d))
    .filter(existsSync)
    .some((d) => newestMtime(d) > built);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // Held by another test process; break it if its holder died long ago.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      sleep(100);
    }
  }
}

let checked = false;

export function ensureBuilt(): string {
  if (checked) return CLI;
  if (stale()) {
    acquireLock();
    try {
      if (stale()) {
        const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        // Another bundle failing (the webview, say) does not make a fresh dist/cli.js unusable.
        if (run.status !== 0 && !existsSync(CLI))
          throw new Error(`build failed:\n${run.stdout}\n${run.stderr}`);
        if (run.status !== 0)
          process.stderr.write(`note: \`node scripts/build.mjs\` failed:\n${run.stderr.slice(0, 2000)}\n`);
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  checked = true;
  return CLI;
}
