// `renderReportHtml` (src/cli/report.ts): a self-contained page that opens offline — with every
// network request refused and recorded — and paints every chart, under its own strict CSP.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/cli/report.js';
import type { Analysis } from '../../src/presentation/results.js';
import { webviewBundle } from './bundle.js';
import { launch, payload } from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the report is deterministic and escapes what could end its script or style early', async () => {
  const assets = { script: 'console.log("</script><!--")', style: 'a::after { content: "</style>" }' };
  const hostile: Analysis = {
    file: 'x</script><script>alert(1)</script>.align',
    diagnostics: [],
    results: [],
  };
  const a = renderReportHtml(hostile, assets);
  assert.equal(a, renderReportHtml(hostile, assets), 'same input, same page');
  assert.equal(a.match(/<\/script>/g)?.length, 2, 'only the two real closing script tags');
  assert.equal(a.match(/<\/style>/g)?.length, 1);
  assert.ok(!a.includes('<script>alert'), 'the file name cannot inject markup');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(a)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-[\w-]+'/);
  assert.ok(!/https?:/.test(csp), 'nothing remote is allowed');
  const json = /<script type="application\/json" id="align-lab-data">(.*?)<\/script>/s.exec(a)?.[1] ?? '';
  assert.deepEqual(JSON.parse(json), hostile, 'the embedded analysis round-trips');
});

/** Writes the report of `analysis`, opens it offline and returns the page and what it did. */
async function openReport(name: string, analysis: Analysis) {
  const bundle = await webviewBundle();
  const dir = mkdtempSync(join(tmpdir(), 'align-lab-report-'));
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderReportHtml(analysis, bundle));

  const context = await browser.newContext({
    offline: true,
    acceptDownloads: true,
    viewport: { width: 1200, height: 900 },
  });
  const problems: string[] = [];
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(file).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) requests.push(url);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(
    () => Number(document.body.dataset.renders ?? 0) >= 1 && window.alignLab?.pending === false,
  );
  // Let chart.js finish its first resize-driven draw.
  await page.waitForTimeout(200);
  const painted = () =>
    page.evaluate(() =>
      // The shown charts (the methods and Markov groups are hidden when they have nothing to draw).
      [...document.querySelectorAll<HTMLCanvasElement>('.card:not([hidden]) canvas')].map((c) => {
        const ctx = c.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4 * 7)
          colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return { chart: c.closest('.card')!.id, width: c.width, colours: colours.size };
      }),
    );
  return { page, context, problems, requests, painted };
}

test('the report opens offline, paints every chart and makes no request', async () => {
  const { page, context, problems, requests, painted } = await openReport('paper', payload('paper'));
  assert.equal(await page.locator('.card.is-empty:not([hidden])').count(), 0, 'every chart has data');
  const charts = await painted();
  assert.equal(charts.length, 7);
  for (const p of charts)
    assert.ok(p.width > 100 && p.colours > 8, `${p.chart} is painted (${p.colours} colours)`);
  assert.ok((await page.locator('.formula .katex').count()) >= 6, 'formulas rendered with KaTeX');
  assert.ok(await page.locator('.sliders').isHidden(), 'no sliders in a static report');

  // Export in the report is a download (no extension to talk to).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#chart-rate button[data-action="csv"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'paper-rate.csv');

  assert.deepEqual(requests, [], 'no network request at all');
  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  await context.close();
});

test('a report of a file with errors draws the charts of the queries that have results', async () => {
  // examples/paper.align with a misspelt model in its first query: one error, nine results.
  const errors = payload('errors');
  assert.ok(errors.diagnostics.some((d) => d.severity === 'error'));
  assert.equal(errors.results.filter((r) => r.value !== undefined).length, 9);
  const { page, context, problems, requests, painted } = await openReport('errors', errors);
  assert.equal(await page.locator('.card.is-empty:not([hidden])').count(), 0, 'every chart has data');
  for (const p of await painted())
    assert.ok(p.width > 100 && p.colours > 8, `${p.chart} is painted (${p.colours} colours)`);
  const banner = (await page.textContent('.banner')) ?? '';
  assert.match(banner, /the charts show the queries that could be computed/);
  assert.match(banner, /unknown model 'caht'/);
  // The failed query is not drawn: the frontier chart has the other tilt only.
  const tilts = await page.evaluate(
    () =>
      window
        .alignLab!.view('frontier')!
        .chart.data.datasets.find((d) => String(d.label).startsWith('KL-RL (tilt)'))!.data.length,
  );
  assert.equal(tilts, 1);
  assert.deepEqual(requests, []);
  assert.deepEqual(problems, []);
  await context.close();
});
