#!/usr/bin/env node
// Entry point of the `align-lab` bin (bundled to dist/cli.js; esbuild keeps the hashbang above).
import { readFileSync } from 'node:fs';
import { runCli } from './app.js';
import { languageEngine } from './engine.js';
import type { ReadOutcome } from './host.js';
import { standardOutput } from './syncOutput.js';

// `align-lab eval big.align | head` closes the pipe early; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

function readStdin(): ReadOutcome {
  try {
    const text = readFileSync(0, 'utf8');
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

// exitCode, not process.exit(): let buffered output to a pipe drain before the process ends.
process.exitCode = runCli(
  process.argv.slice(2),
  {
    // A pipe or a file: synchronous writes (syncOutput.ts), so big results never queue in memory.
    stdout: standardOutput(process.stdout, 1, () => process.exit(process.exitCode ?? 0)),
    stderr: process.stderr,
    readStdin,
    env: process.env,
    cwd: process.cwd(),
    bundleDir: __dirname,
  },
  languageEngine,
);
