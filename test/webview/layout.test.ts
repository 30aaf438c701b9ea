// The preview's layout in headless Chromium: at the width of a panel opened beside a split editor
// (400 px) and narrower (320 px) nothing scrolls sideways and nothing is clipped, in the dark and the
// light theme (screenshots in test-results/webview/); "Show in preview" scrolls the query's chart
// into view and marks its formula.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { root } from './bundle.js';
import { DOC_URI, type Harness, launch, openPreview, payload } from './harness.js';

const shots = join(root, 'test-results', 'webview');
mkdirSync(shots, { recursive: true });

let browser: Browser;
let h: Harness;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
afterEach(async () => {
  const problems = h ? [...h.problems] : [];
  await h?.close();
  assert.deepEqual(problems, [], 'no console errors, CSP violations or network requests');
});

/** Elements that stick out of the page's width or out of their own box (clipped text or controls). */
const overflows = () =>
  h.page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} "${(e.textContent ?? '').slice(0, 40)}"`;
    for (const e of document.querySelectorAll<HTMLElement>(
      'h1, .banner li, .slider, .slider input, .slider output, .slider .note, .formula, .formula .identity, .formula .value, .formula .top, .card, .card header, .card h2, .card .actions button, .legend .entry, canvas',
    )) {
      if (e.offsetParent === null && getComputedStyle(e).position !== 'fixed') continue; // hidden
      const r = e.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < -0.5 || r.right > width + 0.5)
        out.push(`${name(e)} spans ${Math.round(r.left)}…${Math.round(r.right)} of ${width}`);
      // Content wider than the element itself (clipped or spilling out).
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        out.push(`${name(e)} clips its content (${e.scrollWidth} > ${e.clientWidth})`);
    }
    return {
      scroll: document.documentElement.scrollWidth - width,
      out,
    };
  });

for (const width of [400, 320]) {
  test(`at ${width} px wide nothing scrolls sideways or is clipped (dark and light)`, async () => {
    h = await openPreview(browser, undefined, { width, height: 800 });
    // The paper example with an error (the banner shows) and the cursor on a tilt (a slider with a note).
    await h.sendAnalysis(payload('paper'), 1);
    await h.sendAnalysis(payload('errors'), 2);
    await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 41, character: 3 } });
    await h.page.locator('.slider[data-param="delta"] .note').waitFor();
    for (const theme of ['vscode-dark', 'vscode-light'] as const) {
      await h.setTheme(theme);
      await h.page.evaluate(() => window.alignLab!.flush());
      await h.page.waitForTimeout(150);
      const { scroll, out } = await overflows();
      assert.equal(scroll, 0, `no horizontal scroll at ${width} px (${theme})`);
      assert.deepEqual(out, [], `nothing sticks out or is clipped at ${width} px (${theme})`);
      await h.page.screenshot({ path: join(shots, `narrow-${width}-${theme}.png`), fullPage: true });
    }
    // The chart cards shown follow the width (one column), their canvases too.
    const cards = await h.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('section.card:not([hidden])')].map((c) =>
        Math.round(c.getBoundingClientRect().width),
      ),
    );
    const page = await h.page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(
      cards.every((w) => w <= page && w >= page - 40),
      `cards fill the width: ${cards} of ${page}`,
    );
  });
}

test('"Show in preview" scrolls the query\'s chart into view and marks its formula (also before results arrive)', async () => {
  h = await openPreview(browser, undefined, { width: 700, height: 700 });
  const paper = payload('paper');
  const rate = paper.results.findIndex((r) => r.query === 'rate');
  // The request comes first (the panel has just opened), the results after it.
  await h.send({ type: 'reset', uri: DOC_URI, fileName: 'paper.align' });
  await h.send({ type: 'showQuery', uri: DOC_URI, range: paper.results[rate].range });
  await h.sendAnalysis(paper, 1);
  const inView = (selector: string) =>
    h.page.evaluate((s) => {
      const r = document.querySelector(s)!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, selector);
  await h.page.waitForFunction(() => {
    const r = document.querySelector('#chart-rate')!.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.ok(await inView('#chart-rate'), 'the rate chart is on screen');
  assert.ok(await h.page.locator('.formula[data-kind="rate"].is-focused').count(), 'its formula is marked');
  assert.ok(
    await h.page.evaluate(() => {
      const ds = window
        .alignLab!.view('rate')!
        .chart.data.datasets.find((d) => String(d.label) === 'I_λ(x) · chat');
      return Number(ds?.borderWidth) > 2;
    }),
    'its series are emphasised',
  );
  // Again for another query, with the results already there: the bon chart.
  const bon = paper.results.findIndex((r) => r.query === 'bon');
  await h.send({ type: 'showQuery', uri: DOC_URI, range: paper.results[bon].range });
  await h.page.waitForFunction(() => {
    const r = document.querySelector('#chart-bon')!.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  assert.equal(await h.page.locator('#chart-bon.is-shown').count(), 1, 'the card is marked a moment');
});
