/**
 * Runs the mocha suite of test/vscode-integration/*.spec.ts inside a VS Code extension host, with the
 * repo as the extension under development (`--extensionDevelopmentPath`), the standard way.
 *
 *   node --import tsx test/vscode-integration/runTest.ts                 desktop VS Code (@vscode/test-electron)
 *   node --import tsx test/vscode-integration/runTest.ts --code-server   code-server's VS Code (no download)
 *
 * Desktop: uses VSCODE_EXECUTABLE_PATH when set, else @vscode/test-electron downloads VS Code (or reuses
 * its cache in .vscode-test/); VSCODE_VERSION picks the version (default: stable). On a machine without a
 * display run it under `xvfb-run -a`.
 * code-server: the workbench URL carries `payload=[["extensionDevelopmentPath", …], ["extensionTestsPath", …]]`,
 * which VS Code's web workbench hands to the remote (node) extension host, exactly like the desktop
 * command line flags; the exit code comes back through `window.codeAutomationExit`.
 */

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const outDir = join(root, 'out', 'vscode-integration');

/** Builds the extension (dist/) and bundles the suite to out/vscode-integration/*.cjs. */
async function prepare(): Promise<{ testsPath: string; workspace: string }> {
  const { buildExtension } = await import('../e2e/harness.js');
  await buildExtension();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const here = join(root, 'test', 'vscode-integration');
  const specs = ['extension.spec.ts'].map((f) => join(here, f));
  await build({
    entryPoints: [join(here, 'index.ts'), ...specs],
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const workspace = mkdtempSync(join(tmpdir(), 'align-vscode-integration-'));
  if (existsSync(join(root, 'examples'))) cpSync(join(root, 'examples'), workspace, { recursive: true });
  return { testsPath: join(outDir, 'index.cjs'), workspace };
}

async function runDesktop(testsPath: string, workspace: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const userData = mkdtempSync(join(tmpdir(), 'align-vscode-user-'));
  return runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    version: process.env.VSCODE_VERSION || undefined,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
  });
}

async function runCodeServer(testsPath: string, workspace: string): Promise<number> {
  const { Workbench, waitFor } = await import('../e2e/harness.js');
  const report = join(mkdtempSync(join(tmpdir(), 'align-mocha-')), 'report.json');
  let exitCode: number | undefined;
  // The remote authority of a code-server workbench is the host:port it is served from.
  let authority = '';
  const wb = await Workbench.start({
    name: 'vscode-integration',
    install: false,
    workspaceFrom: workspace,
    waitForExplorer: false,
    env: { ALIGN_LAB_MOCHA_REPORT: report },
    beforeNavigate: async (page) => {
      await page.exposeFunction('codeAutomationExit', (code: number) => {
        exitCode = code;
      });
    },
    queryFor: (port: number) => {
      authority = `127.0.0.1:${port}`;
      const remote = (path: string) => `vscode-remote://${authority}${path}`;
      return {
        payload: JSON.stringify([
          ['extensionDevelopmentPath', remote(root)],
          ['extensionTestsPath', remote(testsPath)],
        ]),
      };
    },
  });
  try {
    await waitFor('the extension tests to finish (window.codeAutomationExit)', () => exitCode !== undefined, {
      timeoutMs: 300_000,
      intervalMs: 250,
    });
    await wb.step('tests-finished');
  } finally {
    await wb.close();
  }
  if (existsSync(report)) {
    const { passes, failures } = JSON.parse(readFileSync(report, 'utf8')) as {
      passes: string[];
      failures: { title: string; error: string }[];
    };
    for (const p of passes) console.log(`  ✔ ${p}`);
    for (const f of failures) console.log(`  ✖ ${f.title}\n${f.error.replace(/^/gm, '      ')}`);
    console.log(`extension tests in code-server: ${passes.length} passing, ${failures.length} failing`);
  } else {
    console.log('the suite wrote no report (see test-results/e2e/vscode-integration/code-server.log)');
  }
  return exitCode ?? 1;
}

async function main(): Promise<number> {
  const { testsPath, workspace } = await prepare();
  try {
    return process.argv.includes('--code-server')
      ? await runCodeServer(testsPath, workspace)
      : await runDesktop(testsPath, workspace);
  } catch (error) {
    console.error(error);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
