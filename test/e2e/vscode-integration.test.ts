// Runs the standard @vscode/test-electron mocha suite (test/vscode-integration/) inside code-server's
// VS Code, so the suite that contributors run against desktop VS Code is also exercised in CI, where
// no desktop VS Code can be downloaded. See docs/testing.md.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './harness.js';

test('the VS Code integration suite passes in code-server', { timeout: 600_000 }, async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'test/vscode-integration/runTest.ts'), '--code-server'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const summary = /extension tests in code-server: (\d+) passing, (\d+) failing/.exec(output);
  assert.equal(code, 0, `runTest.ts --code-server exited with ${code}:\n${output.slice(-6000)}`);
  assert.ok(
    summary && Number(summary[1]) > 0 && summary[2] === '0',
    `the suite ran tests:\n${output.slice(-3000)}`,
  );
});
