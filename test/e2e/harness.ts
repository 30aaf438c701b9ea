/**
 * End-to-end harness: the packaged extension (dist/align-lab.vsix) in a real VS Code workbench
 * (code-server, installed by scripts/e2e/install-code-server.sh), driven by headless Chromium through
 * playwright-core.
 *
 *   const wb = await Workbench.start({ name: 'diagnostics' });   // build, package, install, launch
 *   try { await wb.openFile('bandit.align'); ... await wb.step('opened'); } finally { await wb.close(); }
 *
 * Every launch gets a fresh user-data dir, extensions dir, XDG dirs and a temp copy of examples/, so a
 * test never modifies the repo. code-server runs on 127.0.0.1 only (webviews need a secure context),
 * in its own process group (setsid), which close() — and, failing that, process exit — always kills.
 * Screenshots go to test-results/e2e/<name>/NN-step.png. Nothing here sleeps a fixed time: every wait
 * polls a condition up to a deadline and then fails with what it saw.
 *
 * Environment: ALIGN_LAB_VSIX (use this .vsix instead of packaging), CODE_SERVER_BIN (use this
 * code-server instead of installing one), CHROMIUM_PATH (default /usr/bin/chromium),
 * E2E_HEADED=1 (show the browser, needs a display).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type Browser, chromium, type Frame, type Locator, type Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const resultsRoot = join(repoRoot, 'test-results', 'e2e');
const cacheRoot = join(repoRoot, '.e2e');

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------------------
// code-server and the .vsix

let codeServerBin: string | undefined;

/** Installs code-server when missing (idempotent, cached in .e2e/) and returns its entry script. */
export function ensureCodeServer(): string {
  if (codeServerBin) return codeServerBin;
  if (process.env.CODE_SERVER_BIN) return (codeServerBin = process.env.CODE_SERVER_BIN);
  const run = spawnSync('bash', [join(repoRoot, 'scripts/e2e/install-code-server.sh')], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0) {
    throw new Error(`installing code-server failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const bin = run.stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(bin)) throw new Error(`install-code-server.sh printed no code-server path:\n${run.stdout}`);
  return (codeServerBin = bin);
}

const ignoredForHash = new Set([
  'node_modules',
  '.git',
  '.e2e',
  'dist',
  'out',
  'test-results',
  'test',
  'bench',
  '.notes',
  '.ci',
]);

/** A digest of every file that can end up in the .vsix (sources, manifest, grammar, assets). */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (dir === repoRoot && ignoredForHash.has(name)) continue;
      if (name.endsWith('.vsix') || name.endsWith('.log')) continue;
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) {
        hash.update(relative(repoRoot, path));
        hash.update('\0');
        hash.update(readFileSync(path));
        hash.update('\0');
      }
    }
  };
  walk(repoRoot);
  return hash.digest('hex').slice(0, 16);
}

/** Serialises a critical section across processes with an mkdir lock (stale locks are taken over). */
async function withLock<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  const dir = join(cacheRoot, `${name}.lock`);
  mkdirSync(cacheRoot, { recursive: true });
  await waitFor(
    `the lock ${dir}`,
    () => {
      try {
        mkdirSync(dir);
        writeFileSync(join(dir, 'pid'), String(process.pid));
        return true;
      } catch {
        let owner = Number.NaN;
        try {
          owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
        } catch {}
        if (Number.isFinite(owner) && owner > 0 && !isAlive(owner))
          rmSync(dir, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs: 300_000, intervalMs: 250 },
  );
  try {
    return await body();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let packaged: string | undefined;

/**
 * Builds and packages the extension (`npm run package` → dist/align-lab.vsix) and returns a private copy
 * of the .vsix. Cached by a digest of the sources, so the e2e files of one run package once.
 */
export async function packageExtension(): Promise<string> {
  if (process.env.ALIGN_LAB_VSIX) return resolve(process.env.ALIGN_LAB_VSIX);
  if (packaged) return packaged;
  return withLock('package', () => {
    const digest = sourceDigest();
    const cached = join(cacheRoot, 'vsix', `align-lab-${digest}.vsix`);
    if (existsSync(cached) && existsSync(join(repoRoot, 'dist', 'cli.js'))) return (packaged = cached);
    const started = Date.now();
    const run = spawnSync('npm', ['run', 'package'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: process.env.CI ?? 'true' },
    });
    const vsix = join(repoRoot, 'dist', 'align-lab.vsix');
    if (run.status !== 0 || !existsSync(vsix)) {
      throw new Error(`npm run package failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    mkdirSync(join(cacheRoot, 'vsix'), { recursive: true });
    for (const old of readdirSync(join(cacheRoot, 'vsix')))
      rmSync(join(cacheRoot, 'vsix', old), { force: true });
    cpSync(vsix, cached);
    log(`packaged the extension in ${Date.now() - started} ms`);
    return (packaged = cached);
  });
}

/** `npm run build` (dist/), under the same lock as packaging so two test files never write dist/ at once. */
export async function buildExtension(): Promise<void> {
  await withLock('package', () => {
    const run = spawnSync('npm', ['run', 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (run.status !== 0)
      throw new Error(`npm run build failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  });
}

/** Packages an extension folder (e.g. the probe fixture) with vsce into a temp .vsix. */
export function packageFolder(folder: string): string {
  mkdirSync(join(cacheRoot, 'fixtures'), { recursive: true });
  const out = join(cacheRoot, 'fixtures', `${folder.split('/').pop()}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const run = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], {
    cwd: folder,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0 || !existsSync(out)) {
    throw new Error(`vsce package ${folder} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return out;
}

function log(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The workbench

export interface StartOptions {
  /** Names the screenshot/log folder test-results/e2e/<name>/. */
  readonly name: string;
  /** Extra user settings (merged over the harness defaults). */
  readonly settings?: Record<string, unknown>;
  /** The .vsix to install (default: the packaged Align Lab extension). */
  readonly vsix?: string;
  /** Folder copied into the temp workspace (default: examples/). */
  readonly workspaceFrom?: string;
  /** Extra files written into the temp workspace (relative path → content). */
  readonly files?: Record<string, string>;
  /** Extra code-server command line arguments. */
  readonly codeServerArgs?: readonly string[];
  /** Extra query string for the workbench URL, given the port (e.g. `payload=...` with remote URIs). */
  readonly queryFor?: (port: number) => Record<string, string>;
  /** Environment added to code-server's (and so the extension host's). */
  readonly env?: Record<string, string>;
  /** false: install no .vsix (e.g. when the workbench URL loads the extension as a development one). */
  readonly install?: boolean;
  /** Runs on the new page before it navigates to the workbench (e.g. to expose functions). */
  readonly beforeNavigate?: (page: Page) => Promise<void>;
  /** false: return as soon as the status bar shows, without a first screenshot. */
  readonly waitForExplorer?: boolean;
}

const defaultSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.inlayHints.enabled': 'on',
  'editor.hover.delay': 200,
  'editor.quickSuggestionsDelay': 10,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const liveGroups = new Set<number>();
function killAllSync(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  liveGroups.clear();
}
// However the test process ends, no code-server outlives it.
process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllSync();
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[signal]);
  });
}

export class Workbench {
  private stepIndex = 0;
  private closed = false;
  /** The file last opened with openFile (its editor is the one activeEditor() returns). */
  private currentFile: string | undefined;

  private constructor(
    readonly name: string,
    readonly page: Page,
    readonly browser: Browser,
    readonly server: ChildProcess,
    readonly port: number,
    /** The temp copy of the workspace (examples/) opened in the workbench. */
    readonly workspace: string,
    /** Root of this launch's temp dirs (user data, extensions, XDG). */
    readonly scratch: string,
    readonly resultsDir: string,
    readonly serverLog: string,
    /**
     * Server files the browser fetched (vscode-remote-resource paths), in order. Extension code appears
     * here only when it runs in the browser's web-worker extension host.
     */
    readonly browserFetched: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Packages and installs the extension into a fresh profile, launches code-server and a browser. */
  static async start(options: StartOptions): Promise<Workbench> {
    const scratch = mkdtempSync(join(tmpdir(), `align-e2e-${options.name}-`));
    try {
      return await Workbench.launch(options, scratch);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
      throw error;
    }
  }

  private static async launch(options: StartOptions, scratch: string): Promise<Workbench> {
    const started = Date.now();
    const bin = ensureCodeServer();
    const install = options.install !== false;
    const vsix = install ? (options.vsix ?? (await packageExtension())) : '';
    const resultsDir = join(resultsRoot, options.name);
    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });

    const userData = join(scratch, 'user-data');
    const extensions = join(scratch, 'extensions');
    const workspace = join(scratch, 'workspace');
    const xdg = {
      config: join(scratch, 'xdg-config'),
      data: join(scratch, 'xdg-data'),
      cache: join(scratch, 'xdg-cache'),
    };
    for (const dir of [join(userData, 'User'), extensions, workspace, ...Object.values(xdg)])
      mkdirSync(dir, { recursive: true });
    const from = options.workspaceFrom ?? join(repoRoot, 'examples');
    if (existsSync(from)) cpSync(from, workspace, { recursive: true });
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: xdg.config,
      XDG_DATA_HOME: xdg.data,
      XDG_CACHE_HOME: xdg.cache,
      ...options.env,
    };
    // Variables that would make code-server think it runs inside another VS Code.
    for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];

    if (install) {
      const run = spawnSync(
        process.execPath,
        [bin, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData],
        { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
      );
      const installed = readdirSync(extensions).filter((n) => !n.startsWith('.') && n !== 'extensions.json');
      if (run.status !== 0 || installed.length === 0) {
        throw new Error(
          `code-server --install-extension ${vsix} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`,
        );
      }
    }

    const tInstalled = Date.now();
    const serverLog = join(resultsDir, 'code-server.log');
    let server: ChildProcess | undefined;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const out = openSync(serverLog, 'a');
      server = spawn(
        process.execPath,
        [
          bin,
          '--bind-addr',
          `127.0.0.1:${port}`,
          '--auth',
          'none',
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--disable-getting-started-override',
          '--user-data-dir',
          userData,
          '--extensions-dir',
          extensions,
          ...(options.codeServerArgs ?? []),
          workspace,
        ],
        { detached: true, env, stdio: ['ignore', out, out] },
      );
      closeSync(out);
      const pid = server.pid;
      if (pid === undefined) throw new Error('code-server did not start (no pid)');
      liveGroups.add(pid);
      let exited: number | null | undefined;
      server.once('exit', (code) => {
        exited = code;
      });
      try {
        await waitFor(
          `code-server to answer /healthz on port ${port}`,
          async () => {
            if (exited !== undefined) throw new Error(`code-server exited with ${exited}`);
            const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
              signal: AbortSignal.timeout(2000),
            });
            return res.ok;
          },
          { timeoutMs: 60_000, intervalMs: 200 },
        );
        break;
      } catch (error) {
        await killGroup(server);
        const tail = readFileSync(serverLog, 'utf8').split('\n').slice(-30).join('\n');
        if (attempt >= 3 || !/EADDRINUSE/.test(tail)) {
          throw new Error(
            `code-server could not start: ${(error as Error).message}\n--- ${serverLog} ---\n${tail}`,
          );
        }
      }
    }

    const tHealthy = Date.now();
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: process.env.E2E_HEADED !== '1',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-dev-shm-usage',
        ],
      });
      const context = await browser.newContext({
        viewport: { width: 1600, height: 1000 },
        colorScheme: 'dark',
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: `http://127.0.0.1:${port}`,
      });
      const page = await context.newPage();
      // Generous: a loaded 2-core machine can take tens of seconds to boot the workbench.
      page.setDefaultTimeout(30_000);
      page.setDefaultNavigationTimeout(120_000);
      const browserLog = join(resultsDir, 'browser-console.log');
      page.on('console', (m) => appendLine(browserLog, `[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => appendLine(browserLog, `[pageerror] ${e.message}`));
      const resources: string[] = [];
      page.context().on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname.endsWith('/vscode-remote-resource'))
          resources.push(url.searchParams.get('path') ?? '');
      });
      await options.beforeNavigate?.(page);
      const query = new URLSearchParams({ folder: workspace, ...options.queryFor?.(port) });
      await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`, { waitUntil: 'domcontentloaded' });
      const wb = new Workbench(
        options.name,
        page,
        browser,
        server,
        port,
        workspace,
        scratch,
        resultsDir,
        serverLog,
        resources,
      );
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 120_000 });
      if (options.waitForExplorer !== false) {
        // The explorer lists the workspace once the remote file system is connected.
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 120_000 });
        await wb.step('workbench-ready');
      }
      log(
        `${options.name}: workbench ready on port ${port} in ${Date.now() - started} ms ` +
          `(package+install ${tInstalled - started}, code-server up ${tHealthy - tInstalled}, workbench ${Date.now() - tHealthy})`,
      );
      return wb;
    } catch (error) {
      await browser?.close().catch(() => {});
      await killGroup(server);
      throw error;
    }
  }

  /** Saves a screenshot test-results/e2e/<name>/NN-<label>.png. */
  async step(label: string): Promise<string> {
    const file = join(
      this.resultsDir,
      `${String(++this.stepIndex).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '_')}.png`,
    );
    await this.page
      .screenshot({ path: file })
      .catch((e: Error) => log(`screenshot ${label} failed: ${e.message}`));
    return file;
  }

  /** Merges `patch` into the user settings.json; the workbench picks the change up from disk. */
  updateSettings(patch: Record<string, unknown>): void {
    const file = join(this.scratch, 'user-data', 'User', 'settings.json');
    const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
  }

  /** Closes the browser and kills code-server's process group; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const t0 = Date.now();
    await this.browser.close().catch(() => {});
    const t1 = Date.now();
    await killGroup(this.server);
    rmSync(this.scratch, { recursive: true, force: true, maxRetries: 3 });
    log(`${this.name}: closed (browser ${t1 - t0} ms, code-server ${Date.now() - t1} ms)`);
  }

  // -------------------------------------------------------------------------------------------------
  // Workbench interactions

  /** Runs a command through the command palette by its full title, e.g. "Align Lab: Open Preview". */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('>');
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    await row
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        await this.step(`command-not-found-${title}`);
        const offered = await this.page
          .locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name')
          .allInnerTexts();
        throw new Error(
          `command "${title}" is not in the command palette; it offers: ${offered.join(' | ')}`,
        );
      });
    await row.first().click();
    // A command may open a quick pick of its own (e.g. Color Theme); otherwise the widget closes.
    await waitFor("the command palette to close or show the command's own list", async () => {
      const value = await this.page
        .locator('.quick-input-widget input.input')
        .inputValue()
        .catch(() => '');
      return !(await this.page.locator('.quick-input-widget').isVisible()) || !value.startsWith('>');
    });
  }

  private async openQuickInput(prefix: '>' | ''): Promise<Locator> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await waitFor(
      'the quick input to open',
      async () => {
        if (!(await widget.isVisible())) {
          await this.page.keyboard.press(prefix === '>' ? 'F1' : 'Control+P');
          await widget.waitFor({ state: 'visible', timeout: 3000 }).catch(() => {});
        }
        return widget.isVisible();
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    return input;
  }

  /** Switches the colour theme the way a user does: "Preferences: Color Theme", then the theme's name. */
  async pickColorTheme(label: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await widget.locator('input.input').fill(label);
    const row = widget.locator('.monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: label }),
    });
    await row.first().waitFor({ timeout: 10_000 });
    await row.first().click();
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Opens a workspace file (path relative to the workspace) through Quick Open, and waits for its editor. */
  async openFile(path: string): Promise<Locator> {
    const name = path.split('/').pop()!;
    // An absolute path is resolved by a stat, without waiting for the workspace's file search.
    const absolute = join(this.workspace, path);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: name }),
    });
    await waitFor(
      `Quick Open to offer ${path}`,
      async () => {
        const input = await this.openQuickInput('');
        if ((await input.inputValue()) !== absolute) await input.fill(absolute);
        if (await row.first().isVisible()) return true;
        await row
          .first()
          .waitFor({ timeout: 5000 })
          .catch(() => {});
        if (await row.first().isVisible()) return true;
        await this.page.keyboard.press('Escape');
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    ).catch(async (error: Error) => {
      await this.step(`open-failed-${name}`);
      throw error;
    });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: name });
    await tab.waitFor({ timeout: 20_000 });
    this.currentFile = name;
    const editor = this.activeEditor();
    await editor.locator('.view-lines').waitFor({ timeout: 20_000 });
    return editor;
  }

  /**
   * The text editor of the file last opened with openFile (in whichever group shows it, so it stays
   * reachable while e.g. a webview beside it has focus); before any openFile, the active group's.
   */
  activeEditor(): Locator {
    if (!this.currentFile) return this.page.locator('.editor-group-container.active .monaco-editor').first();
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: this.currentFile });
    return this.page.locator('.editor-group-container', { has: tab }).locator('.monaco-editor').first();
  }

  /** The text the active editor shows (its rendered lines, top to bottom; enough for short files). */
  async editorText(): Promise<string> {
    return this.activeEditor()
      .locator('.view-lines')
      .evaluate((el) =>
        [...el.querySelectorAll<HTMLElement>('.view-line')]
          .sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
          .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
          .join('\n'),
      );
  }

  /**
   * Starts watching the active editor for `text` to be shown; `shownAt` then returns the wall-clock
   * time (Date.now() in the page) at which it first was. Lets a latency measurement start when the
   * typed text is on screen, so the workbench's own input handling on a busy machine (up to a
   * second for `insertText` at a load of 6 on 2 cores) is not counted against the extension.
   */
  async watchEditorFor(text: string): Promise<void> {
    await this.activeEditor()
      .locator('.view-lines')
      .evaluate((el, wanted) => {
        // No named inner functions: tsx would wrap them in a helper the page lacks.
        const w = window as unknown as { __e2eShown?: { at: number | null } };
        const watch: { at: number | null } = { at: null };
        w.__e2eShown = watch;
        const observer = new MutationObserver(() => {
          if (w.__e2eShown !== watch) return observer.disconnect();
          if (!(el.textContent ?? '').replace(/\u00a0/g, ' ').includes(wanted)) return;
          watch.at = Date.now();
          observer.disconnect();
        });
        observer.observe(el, { childList: true, subtree: true, characterData: true });
      }, text);
  }

  /** When the text given to `watchEditorFor` appeared in the editor (waits for it). */
  async shownAt(timeoutMs = 10_000): Promise<number> {
    return waitFor(
      'the typed text to show in the editor',
      async () =>
        ((await this.page.evaluate(
          () => (window as unknown as { __e2eShown?: { at: number | null } }).__e2eShown?.at ?? null,
        )) as number | null) ?? undefined,
      { timeoutMs, intervalMs: 20 },
    );
  }

  /** Moves the cursor to line:column (1-based) with "Go to Line/Column". */
  /**
   * Focuses the active editor by a click in the middle of what it shows. (Not near the top of
   * `.view-lines`: that element spans the whole scrolled content, so once the editor has scrolled
   * its top is out of sight and the click lands on the page — a flaky "html intercepts pointer
   * events".)
   */
  async focusEditor(): Promise<void> {
    const editor = this.activeEditor();
    const box = await editor.boundingBox();
    await editor.click({ position: { x: 80, y: Math.max(10, Math.round((box?.height ?? 40) / 2)) } });
  }

  async goTo(line: number, column = 1): Promise<void> {
    await this.focusEditor();
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press('Control+G');
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await widget.locator('input.input').fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The status bar's language indicator text (e.g. "Align"). */
  async languageStatus(): Promise<string> {
    const item = this.page.locator('#status\\.editor\\.mode');
    await item.waitFor({ timeout: 20_000 });
    return ((await item.textContent()) ?? '').trim();
  }

  /** Opens the Problems panel and returns the text of its rows. */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
    return panel.locator('.monaco-list-row').allInnerTexts();
  }

  /** The frame of the visible webview's content (iframe.webview.ready → #active-frame). */
  async webviewFrame(timeoutMs = 30_000): Promise<Frame> {
    return waitFor(
      'a webview to be ready',
      async () => {
        const outers = this.page.locator('iframe.webview.ready');
        for (const outer of await outers.all()) {
          if (!(await outer.isVisible())) continue;
          const outerFrame = await (await outer.elementHandle())?.contentFrame();
          const active = await outerFrame?.$('#active-frame');
          const frame = await active?.contentFrame();
          if (frame && (await frame.evaluate(() => document.readyState !== 'loading'))) return frame;
        }
        return undefined;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function appendLine(file: string, line: string): void {
  try {
    writeFileSync(file, `${line}\n`, { flag: 'a' });
  } catch {}
}

/** SIGTERM to the whole process group, SIGKILL if it is still there after 5 s. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const groupAlive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {}
  try {
    await waitFor('code-server to exit', () => !groupAlive(), { timeoutMs: 5000, intervalMs: 100 });
  } catch {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
    await waitFor('code-server to die', () => !groupAlive(), { timeoutMs: 5000, intervalMs: 100 }).catch(
      () => {},
    );
  }
  liveGroups.delete(pid);
}

/**
 * Non-blank check for a canvas: the number of distinct colours among its pixels, read in the page.
 * Returns one entry per canvas in the frame: { id, width, height, colours }.
 */
export async function canvasStats(
  frame: Frame,
): Promise<Array<{ id: string; width: number; height: number; colours: number; signature: string }>> {
  return frame.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((canvas, i) => {
      const id = canvas.id || canvas.getAttribute('aria-label') || `canvas#${i}`;
      const { width, height } = canvas;
      const ctx = width > 0 && height > 0 ? canvas.getContext('2d') : null;
      if (!ctx) return { id, width, height, colours: 0, signature: '' };
      const data = ctx.getImageData(0, 0, width, height).data;
      const colours = new Set<number>();
      let sig = 0;
      for (let p = 0; p < data.length; p += 4) {
        const v = ((data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!) >>> 0;
        colours.add(v);
        sig = (Math.imul(sig, 31) + v) | 0;
      }
      return { id, width, height, colours: colours.size, signature: (sig >>> 0).toString(16) };
    }),
  );
}
