/**
 * A page that mimics a VS Code webview for the preview bundle: served from a fake resource origin
 * with the extension's real HTML and CSP (src/client/preview/template.ts), an acquireVsCodeApi stub
 * that records posted messages and state, and --vscode-* theme variables on <html>. Every CSP
 * violation, console error and page error is collected so tests can fail on them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { previewPage } from '../../src/client/preview/template.js';
import type { Analysis } from '../../src/presentation/results.js';
import type { HostToWebview } from '../../src/protocol/preview.js';
import { root, webviewBundle } from './bundle.js';

export const ORIGIN = 'https://webview.test';

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

export function payload(name: string): Analysis {
  return JSON.parse(readFileSync(join(root, 'test/webview/payloads', `${name}.json`), 'utf8')) as Analysis;
}

/** Theme variables as VS Code sets them (a subset), per theme kind. */
export const THEMES = {
  'vscode-dark': {
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-foreground': '#d4d4d4',
    '--vscode-editor-background': '#1e1e1e',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-border': '#454545',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
  },
  'vscode-light': {
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-foreground': '#000000',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-editorWidget-border': '#c8c8c8',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#652d90',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
  },
  'vscode-high-contrast': {
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-yellow': '#ffd700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
  },
} as const;
export type ThemeKind = keyof typeof THEMES;

export interface Harness {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Messages the webview posted to the "extension". */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  send(message: HostToWebview): Promise<void>;
  /** Sends an analysis and waits until it has been drawn. */
  sendAnalysis(analysis: Analysis, version: number, uri?: string): Promise<void>;
  renders(): Promise<number>;
  setTheme(kind: ThemeKind): Promise<void>;
  close(): Promise<void>;
}

export const DOC_URI = 'file:///project/examples/paper.align';

/**
 * Opens the preview page; `state` pre-seeds vscode.getState() (as after a window reload), `viewport`
 * sets the panel's size (default 1200 × 900).
 */
export async function openPreview(
  browser: Browser,
  state?: unknown,
  viewport = { width: 1200, height: 900 },
): Promise<Harness> {
  const bundle = await webviewBundle();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const html = previewPage({
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/dist/webview.js`,
    styleUri: `${ORIGIN}/dist/webview.css`,
    nonce: 'dGVzdG5vbmNlMTIz',
  });
  // Everything else (any other origin) is refused: the webview must not fetch anything.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/index.html`) return route.fulfill({ contentType: 'text/html', body: html });
    if (url === `${ORIGIN}/dist/webview.js`)
      return route.fulfill({ contentType: 'text/javascript', body: bundle.script });
    if (url === `${ORIGIN}/dist/webview.css`)
      return route.fulfill({ contentType: 'text/css', body: bundle.style });
    // Chromium asks for a favicon on its own; a VS Code webview has none either.
    if (url === `${ORIGIN}/favicon.ico`) return route.fulfill({ status: 404, body: '' });
    problems.push(`unexpected request: ${url}`);
    return route.abort();
  });
  // tsx compiles this file with esbuild's keepNames, which wraps named functions in `__name(…)`;
  // functions serialised into the page need that helper too.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(
    ({ themes, state }) => {
      const w = window as unknown as Record<string, unknown>;
      const posted: unknown[] = [];
      w.__posted = posted;
      w.__state = state;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => w.__state,
        setState: (s: unknown) => {
          w.__state = s;
        },
      });
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
      const applyTheme = (kind: string) => {
        const vars = (themes as Record<string, Record<string, string>>)[kind];
        const html = document.documentElement;
        if (html) {
          html.removeAttribute('style');
          for (const [k, v] of Object.entries(vars)) html.style.setProperty(k, v);
        }
        if (document.body) {
          document.body.classList.remove(...Object.keys(themes));
          document.body.classList.add(kind);
          document.body.dataset.vscodeThemeKind = kind;
        }
      };
      w.__applyTheme = applyTheme;
      // VS Code sets the variables and the body class before any webview script runs.
      const seen = { html: false, body: false };
      const watch = new MutationObserver(() => {
        if ((!seen.html && document.documentElement) || (!seen.body && document.body))
          applyTheme('vscode-dark');
        seen.html ||= Boolean(document.documentElement);
        seen.body ||= Boolean(document.body);
        if (seen.body) watch.disconnect();
      });
      watch.observe(document, { childList: true, subtree: true });
    },
    { themes: THEMES, state },
  );
  await page.goto(`${ORIGIN}/index.html`);
  await page
    .waitForFunction(() => (window as unknown as { alignLab?: unknown }).alignLab !== undefined, undefined, {
      timeout: 10000,
    })
    .catch((e) => {
      throw new Error(`${e.message}\n${problems.join('\n')}`);
    });
  const renders = () => page.evaluate(() => Number(document.body.dataset.renders ?? 0));
  // As JSON, as the extension's messages travel (a per-token table arrives as its JSON object).
  const send = (message: HostToWebview) =>
    page.evaluate((m) => window.postMessage(m, '*'), JSON.parse(JSON.stringify(message)) as HostToWebview);
  return {
    page,
    problems,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    send,
    renders,
    async sendAnalysis(analysis, version, uri = DOC_URI) {
      const before = await renders();
      await send({ type: 'analysis', uri, version, analysis, pending: false });
      await page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, before);
      // Off-screen charts update when idle; wait for them too (tests inspect every chart).
      await page.waitForFunction(() => window.alignLab?.pending === false);
    },
    async setTheme(kind) {
      await page.evaluate(
        (k) => (window as unknown as { __applyTheme(k: string): void }).__applyTheme(k),
        kind,
      );
    },
    close: () => context.close(),
  };
}
