/**
 * Mocha entry point loaded by VS Code's extension host (`--extensionTestsPath`): runs every bundled
 * `*.spec.cjs` beside it. Used by desktop VS Code (@vscode/test-electron) and by code-server (the same
 * `extensionTestsPath`, passed through the workbench URL's `payload`); see runTest.ts.
 *
 * When ALIGN_LAB_MOCHA_REPORT is set, a JSON summary ({ passes, failures: [{ title, error }] }) is also
 * written there, for hosts whose extension-host console is not the runner's stdout.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.spec.cjs')) mocha.addFile(join(__dirname, name));
  }
  const passes: string[] = [];
  const failures: { title: string; error: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failed) => {
        const report = process.env.ALIGN_LAB_MOCHA_REPORT;
        if (report) writeFileSync(report, JSON.stringify({ passes, failures }, null, 2));
        if (failed > 0) reject(new Error(`${failed} of ${passes.length + failed} extension tests failed`));
        else resolve();
      });
      runner.on('pass', (t) => passes.push(t.fullTitle()));
      runner.on('fail', (t, err: Error) =>
        failures.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }),
      );
    } catch (error) {
      reject(error);
    }
  });
}
