// One presentation, every front end (issue 10), the browser half: every query of every example, shown
// in the preview (its formula card, with the cursor on the query) and in the HTML report (the first
// query of each kind), carries the headline the presentation layer computes — the text of the
// editor's inlay hint and of the CLI's table heading (test/server/frontends.test.ts checks those).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/cli/report.js';
import { analyze } from '../../src/language/index.js';
import { DEFAULT_SIGNIFICANT_DIGITS, headlineText, type QueryKind } from '../../src/presentation/index.js';
import { root, webviewBundle } from './bundle.js';
import { launch, openPreview } from './harness.js';

const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.align'));
const analysisOf = (name: string) =>
  analyze(readFileSync(join(root, 'examples', name), 'utf8').replace(/samples = \d+/g, 'samples = 200'), {
    file: name,
    readFile: (p) => readFileSync(join(root, 'examples', p), 'utf8'),
  });

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the preview shows each query’s headline, as the inlay hint and the CLI do', async () => {
  const h = await openPreview(browser);
  try {
    let version = 0;
    for (const name of examples) {
      const uri = `file:///project/examples/${name}`;
      const analysis = analysisOf(name);
      await h.sendAnalysis(analysis, ++version, uri);
      for (const r of analysis.results) {
        if (r.value === undefined) continue;
        await h.send({ type: 'cursor', uri, position: r.range.start });
        const expected = `→ ${headlineText(r, DEFAULT_SIGNIFICANT_DIGITS)}`;
        const selector = `.formula[data-kind="${r.query}"] .headline`;
        await h.page
          .waitForFunction(
            ({ selector, expected }) => document.querySelector(selector)?.textContent === expected,
            { selector, expected },
            { timeout: 5000 },
          )
          .catch(() => undefined);
        assert.equal(
          await h.page.textContent(selector),
          expected,
          `${name}:${r.range.start.line + 1} ${r.query}`,
        );
      }
    }
    assert.deepEqual(h.problems, []);
  } finally {
    await h.close();
  }
});

test('the report shows the same headlines (first query of each kind)', async () => {
  const bundle = await webviewBundle();
  const dir = mkdtempSync(join(tmpdir(), 'align-lab-frontends-'));
  for (const name of examples) {
    const analysis = analysisOf(name);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReportHtml(analysis, bundle));
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      await page.addInitScript({ content: 'window.__name = (f) => f;' });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => window.alignLab?.pending === false);
      const seen = new Set<QueryKind>();
      for (const r of analysis.results) {
        if (r.value === undefined || seen.has(r.query)) continue;
        seen.add(r.query);
        const text = await page.textContent(`.formula[data-kind="${r.query}"] .headline`);
        assert.equal(text, `→ ${headlineText(r, DEFAULT_SIGNIFICANT_DIGITS)}`, `${name} report: ${r.query}`);
      }
    } finally {
      await context.close();
    }
  }
});
