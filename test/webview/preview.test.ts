// The preview webview in headless Chromium, loaded like VS Code loads it (harness.ts): charts and
// their data, live updates keeping zoom and hidden series, stale and erroneous results, theme
// switches, export, sliders, click-to-reveal, cursor highlight, restored state. Any CSP violation,
// console error or unexpected request fails the test.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { gpt2Csv } from '../../bench/scale/gpt2.js';
import { analyze } from '../../src/language/index.js';
import type { TiltValue } from '../../src/presentation/results.js';
import { tokenRecordOf } from '../../src/presentation/tokens.js';
import { DOC_URI, type Harness, launch, openPreview, payload } from './harness.js';

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

interface DatasetInfo {
  label: string;
  points: number;
  hidden: boolean;
}
/** Label, point count and visibility of every dataset of one chart. */
function datasets(id: string): Promise<DatasetInfo[]> {
  return h.page.evaluate((chartId) => {
    const view = window.alignLab?.view(chartId as 'frontier');
    return (view?.chart.data.datasets ?? []).map((d) => ({
      label: String(d.label),
      points: d.data.length,
      hidden: Boolean(d.hidden),
    }));
  }, id);
}
const labels = async (id: string) => (await datasets(id)).map((d) => d.label);
const scaleWindow = (id: string) =>
  h.page.evaluate((chartId) => {
    const c = window.alignLab?.view(chartId as 'frontier')?.chart;
    return c ? { x: [c.scales.x.min, c.scales.x.max], y: [c.scales.y.min, c.scales.y.max] } : undefined;
  }, id);

test('every chart is drawn with the right series and data', async () => {
  h = await openPreview(browser);
  const ready = (await h.posted()).find((m) => m.type === 'ready');
  assert.ok(ready, 'the webview announces itself');
  await h.sendAnalysis(payload('rich'), 3);

  // Series names come from the presentation layer (PRESENTATION[kind].series) and say whose they are.
  const frontier = await labels('frontier');
  for (const l of [
    'frontier F(Δ) · toy',
    'frontier F(Δ) · wide',
    'KL-RL (tilt) · toy',
    'best-of-N · toy',
    'best-of-N, N = 1 … N · toy',
    'log N − (N−1)/N · toy, line 8',
    'log N − (N−1)/N · toy, line 9',
    'compared policy · toy',
    'Monte Carlo · toy',
  ]) {
    assert.ok(frontier.includes(l), `frontier chart has '${l}' (has ${frontier.join(', ')})`);
  }
  const fr = (await datasets('frontier')).find((d) => d.label === 'frontier F(Δ) · toy');
  assert.equal(fr?.points, payload('rich').results[1].value && 64);
  const bon = await labels('bon');
  for (const l of [
    'best-of-N · toy',
    'best-of-N, N = 1 … N · toy',
    'KL-RL at Δ = log N · toy, line 8',
    'KL-RL at the same KL · toy, line 8',
    'KL-RL at Δ = log N · toy, line 9',
    'KL-RL at the same KL · toy, line 9',
    'Monte Carlo · toy',
  ])
    assert.ok(bon.includes(l), `bon chart has '${l}' (has ${bon.join(', ')})`);
  const bonPoints = (await datasets('bon')).find((d) => d.label === 'best-of-N · toy');
  assert.equal(bonPoints?.points, 2, 'both bon queries of toy');
  const eq = await labels('equivalence');
  assert.deepEqual(eq, ['best-of-N E[R]/n · toy', 'KL-RL E[r] per token · toy', 'KL(BoN‖φⁿ)/n · toy']);
  const rate = await datasets('rate');
  assert.equal(rate.find((d) => d.label === 'I_λ(x) · toy')?.points, 21);
  assert.ok(rate.some((d) => d.label === 'mean A′(λ) · toy'));
  assert.ok(rate.find((d) => d.label === 'tail exponent −(1/n) log P · toy')!.points > 0);
  assert.equal((await datasets('cumulants'))[0].points, 41, 'Λ(t) samples');
  assert.equal((await datasets('renyi'))[0].points, 50, 'H_α curve');
  assert.deepEqual(await labels('tokens'), ['p · toy', 'φ_λ · toy']);
  assert.match((await h.page.textContent('#chart-tokens .note')) ?? '', /λ = 1\.2891\b/);

  // Formulas with numbers substituted, at the default 5 significant digits.
  const formulas = await h.page.evaluate(() =>
    [...document.querySelectorAll('.formula')].map((f) => ({
      kind: (f as HTMLElement).dataset.kind,
      katex: f.querySelector('.katex') !== null,
      text: (f.querySelector('.math') as HTMLElement).dataset.values ?? '',
    })),
  );
  assert.deepEqual(formulas.map((f) => f.kind).sort(), [
    'bon',
    'compare',
    'cumulants',
    'equivalence',
    'frontier',
    'rate',
    'renyi',
    'simulate',
    'tilt',
  ]);
  assert.ok(formulas.every((f) => f.katex));
  const tilt = formulas.find((f) => f.kind === 'tilt')!;
  assert.match(tilt.text, /^\\lambda = 1\.2891;/);
  assert.match((await h.page.textContent('.formula[data-kind="tilt"] .math')) ?? '', /= 1\.2891/);
  // Warnings and failed queries are listed without hiding the charts.
  const banner = await h.page.textContent('.banner');
  assert.match(banner ?? '', /fine-lattice approximation/);
  assert.match(banner ?? '', /N must be at least 1/);
});

test('a new payload updates in place, keeps zoom and hidden series, and drops older versions', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 3);
  await h.page.evaluate(() => {
    (window as unknown as { marker: number }).marker = 42;
  });
  // Zoom the frontier with the wheel over its canvas.
  const box = (await h.page.locator('#chart-frontier canvas').boundingBox())!;
  await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  await h.page.mouse.wheel(0, -300);
  const zoomed = await scaleWindow('frontier');
  // Hide a series through its legend entry.
  await h.page.click('#chart-frontier .legend .entry[data-key="frontier:wide:12"]');
  const tiltBefore = await h.page.evaluate(
    () =>
      window.alignLab!.view('frontier')!.chart.data.datasets.find((d) => d.label === 'KL-RL (tilt) · toy')!
        .data[0],
  );

  await h.sendAnalysis(payload('rich-v2'), 4);
  assert.equal(
    await h.page.evaluate(() => (window as unknown as { marker: number }).marker),
    42,
    'no reload',
  );
  const tiltAfter = await h.page.evaluate(
    () =>
      window.alignLab!.view('frontier')!.chart.data.datasets.find((d) => d.label === 'KL-RL (tilt) · toy')!
        .data[0],
  );
  assert.notDeepEqual(tiltAfter, tiltBefore, 'the tilt moved (Δ 4 → 5)');
  assert.deepEqual(await scaleWindow('frontier'), zoomed, 'zoom kept');
  assert.ok(
    (await datasets('frontier')).find((d) => d.label === 'frontier F(Δ) · wide')?.hidden,
    'hidden series stays hidden',
  );

  // An out-of-order older result must not replace the newer one.
  const rendersBefore = await h.renders();
  await h.send({ type: 'analysis', uri: DOC_URI, version: 2, analysis: payload('rich'), pending: false });
  await h.page.waitForTimeout(50);
  assert.equal(await h.renders(), rendersBefore, 'stale version dropped');
  const tiltNow = await h.page.evaluate(
    () =>
      window.alignLab!.view('frontier')!.chart.data.datasets.find((d) => d.label === 'KL-RL (tilt) · toy')!
        .data[0],
  );
  assert.deepEqual(tiltNow, tiltAfter);

  // Errors: the last good plots stay, the diagnostics show in the banner.
  await h.sendAnalysis(payload('errors'), 5);
  assert.deepEqual(
    await h.page.evaluate(
      () =>
        window.alignLab!.view('frontier')!.chart.data.datasets.find((d) => d.label === 'KL-RL (tilt) · toy')!
          .data[0],
    ),
    tiltAfter,
  );
  const banner = await h.page.locator('.banner');
  assert.ok(await banner.isVisible());
  assert.match((await banner.textContent()) ?? '', /unknown model 'caht'/);
  assert.match((await banner.textContent()) ?? '', /last results without errors/);

  // Zoom and hidden series are persisted in the webview state (restored after a reload).
  await h.page.waitForTimeout(300);
  const state = await h.page.evaluate(
    () => (window as unknown as { __state: { zoom: Record<string, unknown>; hidden: string[] } }).__state,
  );
  assert.ok(state.zoom.frontier, 'zoom persisted');
  assert.ok(state.hidden.some((k) => k.startsWith('frontier/frontier:wide')));
});

test('restored state reapplies zoom and hidden series', async () => {
  const state = { uri: DOC_URI, zoom: { rate: { x: [0.5, 1.5], y: [0, 2] } }, hidden: ['frontier/tilt:toy'] };
  h = await openPreview(browser, state);
  await h.sendAnalysis(payload('rich'), 1);
  assert.deepEqual(await scaleWindow('rate'), { x: [0.5, 1.5], y: [0, 2] });
  assert.ok((await datasets('frontier')).find((d) => d.label === 'KL-RL (tilt) · toy')?.hidden);
});

test('theme switch recolours the charts (dark, light, high contrast)', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 1);
  const colours = () =>
    h.page.evaluate(() => {
      const c = window.alignLab!.view('frontier')!.chart;
      const ds = c.data.datasets.find((d) => d.label === 'frontier F(Δ) · toy')!;
      return {
        tick: String(c.options.scales!.x!.ticks!.color),
        line: String(ds.borderColor),
        width: Number(ds.borderWidth),
      };
    });
  const dark = await colours();
  assert.equal(dark.tick, '#d4d4d4');
  assert.equal(dark.line, '#3794ff');
  await h.setTheme('vscode-light');
  await h.page.waitForFunction(
    () => String(window.alignLab!.view('frontier')!.chart.options.scales!.x!.ticks!.color) === '#000000',
  );
  assert.equal((await colours()).line, '#1a85ff');
  await h.setTheme('vscode-high-contrast');
  await h.page.waitForFunction(
    () => String(window.alignLab!.view('frontier')!.chart.options.scales!.x!.ticks!.color) === '#ffffff',
  );
  assert.ok((await colours()).width > dark.width, 'thicker lines in high contrast');
});

test('export posts a PNG and a CSV of the chart', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 1);
  await h.page.click('#chart-frontier button[data-action="png"]');
  await h.page.click('#chart-rate button[data-action="csv"]');
  await h.page.click('#chart-tokens button[data-action="csv"]');
  const exports = (await h.posted()).filter((m) => m.type === 'export');
  assert.equal(exports.length, 3);
  const png = exports[0] as unknown as { chart: string; format: string; data: string };
  assert.equal(png.chart, 'frontier');
  assert.equal(png.format, 'png');
  const bytes = Buffer.from(png.data, 'base64');
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'PNG signature',
  );
  assert.ok(bytes.length > 5000, 'a real image');
  const csv = (exports[1] as unknown as { data: string }).data.split('\r\n');
  assert.equal(
    csv[0],
    'I_λ(x) · toy: x = R / n,I_λ(x) · toy: I_λ(x),tail exponent −(1/n) log P · toy: x = R / n,tail exponent −(1/n) log P · toy: I_λ(x),mean A′(λ) · toy: x = R / n,mean A′(λ) · toy: I_λ(x)',
  );
  assert.equal(csv.length, 23, 'a header, 21 points, the final line break');
  assert.match(csv[1], /^0,[\d.]+,0,[\d.]+,[\d.]+,0$/);
  const tokens = (exports[2] as unknown as { data: string }).data.split('\r\n');
  assert.equal(tokens[0].split(',')[0], 'category');
  assert.equal(tokens[1].split(',')[0], 'a');
});

test('CSV export: token names that read as formulas are made inert, numbers stay numbers', async () => {
  h = await openPreview(browser);
  // The rich payload with hostile token names (a CSV model file can name tokens anything).
  const rename: Record<string, string> = { a: '=HYPERLINK("http://evil","x")', b: '-1', c: '@SUM(A1)' };
  const hostile = JSON.parse(
    JSON.stringify(payload('rich')).replace(
      /"(a|b|c)":/g,
      (_m, k: string) => `${JSON.stringify(rename[k])}:`,
    ),
  );
  await h.sendAnalysis(hostile, 1);
  await h.page.click('#chart-tokens button[data-action="csv"]');
  const exported = (await h.posted()).filter((m) => m.type === 'export');
  const rows = (exported[0] as unknown as { data: string }).data.split('\r\n');
  const firstCells = rows.slice(1, 4).map((r) => r.split(',')[0]);
  assert.deepEqual(firstCells, [`"'=HYPERLINK(""http://evil""`, "'-1", "'@SUM(A1)"], rows.join('\n'));
  // The probabilities are plain numbers.
  assert.match(rows[2], /^'-1,0\.\d+,0\.\d+$/);
});

test('a slider for the query under the cursor emits one setParameter edit', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 7);
  assert.ok(await h.page.locator('.sliders').isHidden(), 'no sliders without a cursor on a query');
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 5, character: 3 } });
  const slider = h.page.locator('.slider[data-param="delta"] input');
  await slider.waitFor();
  // Highlight: the tilt's series is emphasised in the frontier chart.
  const widths = await h.page.evaluate(() => {
    const ds = window.alignLab!.view('frontier')!.chart.data.datasets;
    return {
      tilt: Number(ds.find((d) => d.label === 'KL-RL (tilt) · toy')!.borderWidth),
      other: Number(ds.find((d) => d.label === 'frontier F(Δ) · wide')!.borderWidth),
    };
  });
  assert.ok(widths.tilt > widths.other, 'series of the query under the cursor is highlighted');
  await slider.evaluate((el: HTMLInputElement) => {
    el.value = '6';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const edits = (await h.posted()).filter((m) => m.type === 'setParameter');
  assert.deepEqual(edits, [
    {
      type: 'setParameter',
      uri: DOC_URI,
      version: 7,
      query: payload('rich').results[0].range,
      name: 'delta',
      value: 6,
      literal: { start: { line: 5, character: 19 }, end: { line: 5, character: 20 } },
    },
  ]);
  // N moves on a log scale and is written as an integer.
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 7, character: 2 } });
  const n = h.page.locator('.slider[data-param="N"] input');
  await n.waitFor();
  await n.evaluate((el: HTMLInputElement) => {
    el.value = String(Math.log(100));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const last = (await h.posted()).filter((m) => m.type === 'setParameter').pop() as unknown as {
    name: string;
    value: number;
  };
  assert.equal(last.name, 'N');
  assert.equal(last.value, 100);
});

test('clicking a point reveals its query; dragging pans without revealing', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 1);
  const at = await h.page.evaluate(() => {
    const c = window.alignLab!.view('frontier')!.chart;
    const i = c.data.datasets.findIndex((d) => d.label === 'compared policy · toy');
    const el = c.getDatasetMeta(i).data[0];
    const r = c.canvas.getBoundingClientRect();
    return { x: r.left + el.x, y: r.top + el.y };
  });
  await h.page.mouse.click(at.x, at.y);
  // chart.js handles canvas events in the next animation frame.
  await h.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'reveal'),
  );
  const reveal = (await h.posted()).filter((m) => m.type === 'reveal');
  assert.deepEqual(reveal, [{ type: 'reveal', uri: DOC_URI, range: payload('rich').results[8].range }]);

  const before = await scaleWindow('frontier');
  await h.page.mouse.move(at.x, at.y);
  await h.page.mouse.down();
  await h.page.mouse.move(at.x + 60, at.y + 20, { steps: 4 });
  await h.page.mouse.up();
  await h.page.waitForTimeout(100);
  const panned = await scaleWindow('frontier');
  assert.ok(panned!.x[0]! < before!.x[0]!, 'dragging right pans the window left');
  assert.equal((await h.posted()).filter((m) => m.type === 'reveal').length, 1, 'a drag is not a click');
  await h.page.dblclick('#chart-frontier canvas');
  assert.deepEqual(await scaleWindow('frontier'), before, 'double-click resets the zoom');
});

test('results without the optional fields degrade gracefully', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('minimal'), 1);
  assert.equal((await datasets('cumulants'))[0].label === 'κₘ · toy', true, 'cumulants against their order');
  assert.equal((await datasets('cumulants'))[0].points, 4);
  assert.deepEqual(await labels('renyi'), ['queried α · toy']);
  assert.equal((await labels('tokens')).length, 1, 'only φ_λ without the base p');
  assert.ok(!(await labels('frontier')).some((l) => l.startsWith('best-of-N, N = 1 … N')));
  assert.ok((await labels('frontier')).includes('log N − (N−1)/N · toy'), 'the bound as a point');
  assert.ok(
    !(await labels('frontier')).includes('Monte Carlo · toy'),
    'no placement for a tilt simulation without kl',
  );
  // No slider for N params? The fallback offers the main parameter of each kind.
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 12, character: 1 } });
  await h.page.locator('.slider[data-param="alpha"]').waitFor();
});

test('point sets given out of x order still fit the axes, and tooltips name the right point', async () => {
  h = await openPreview(browser);
  // minimal.json lists two best-of-N queries with the larger KL first.
  await h.sendAnalysis(payload('minimal'), 1);
  const check = await h.page.evaluate(() => {
    const chart = window.alignLab!.view('frontier')!.chart;
    const ds = chart.data.datasets.find((d) => d.label === 'best-of-N · toy')!;
    const xs = (ds.data as { x: number; tip: string }[]).map((p) => p.x);
    const refs = (ds as unknown as { seriesRef: { points: { x: number }[] } }).seriesRef.points.map(
      (p) => p.x,
    );
    return { xs, refs, min: chart.scales.x.min, max: chart.scales.x.max };
  });
  assert.ok(check.xs.length >= 2, `two BoN points: ${JSON.stringify(check)}`);
  assert.deepEqual(
    check.xs,
    [...check.xs].sort((a, b) => a - b),
    'handed to chart.js in ascending x',
  );
  assert.deepEqual(check.refs, check.xs, 'tooltips and clicks index the same sorted points');
  assert.ok(
    check.min <= Math.min(...check.xs) && check.max >= Math.max(...check.xs),
    `x axis covers every point: ${JSON.stringify(check)}`,
  );
});

test('a big vocabulary shows the tokens where φ and p differ most, and the rest as one bar', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('rich'), 1);
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 16, character: 2 } });
  await h.page.waitForFunction(() => window.alignLab!.view('tokens')!.chart.data.labels!.length === 25);
  assert.match(
    (await h.page.textContent('#chart-tokens .note')) ?? '',
    /the 24 of 40 tokens where φ_λ and p differ most, the rest as one bar; tilt of wide/,
  );
  const bars = await h.page.evaluate(() => {
    const c = window.alignLab!.view('tokens')!.chart;
    const sum = (i: number) =>
      (c.data.datasets[i].data as (number | { y: number })[]).reduce(
        (s: number, p) => s + (typeof p === 'number' ? p : p.y),
        0,
      );
    return { last: c.data.labels!.at(-1), p: sum(0), phi: sum(1) };
  });
  assert.equal(bars.last, '16 other tokens');
  assert.ok(
    Math.abs(bars.p - 1) < 1e-9 && Math.abs(bars.phi - 1) < 1e-9,
    `the bars add up to 1: ${JSON.stringify(bars)}`,
  );
});

test('a 50,257-token model arrives summarised and draws in the same budget: top tokens and the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-lab-gpt2-'));
  writeFileSync(join(dir, 'gpt2.csv'), gpt2Csv());
  const analysis = analyze('model gpt from "gpt2.csv" { length 64 }\ntilt(gpt, delta = 8)\n', {
    file: 'gpt.align',
    readFile: (p) => readFileSync(join(dir, p), 'utf8'),
    limits: { maxTokenTable: 100 },
  });
  const tilt = analysis.results[0].value as TiltValue;
  assert.equal(tilt.tokens_total, 50_257);
  assert.equal(Object.keys(tokenRecordOf(tilt.phi)).length, 100);
  assert.ok(Buffer.byteLength(JSON.stringify(analysis)) < 150 * 1024, 'a small payload');
  h = await openPreview(browser);
  await h.sendAnalysis(analysis, 1, 'file:///project/gpt.align');
  const bars = await h.page.evaluate(() => {
    const c = window.alignLab!.view('tokens')!.chart;
    const sum = (i: number) =>
      (c.data.datasets[i].data as (number | { y: number })[]).reduce(
        (s: number, p) => s + (typeof p === 'number' ? p : p.y),
        0,
      );
    return { labels: c.data.labels!.length, last: c.data.labels!.at(-1), p: sum(0), phi: sum(1) };
  });
  assert.equal(bars.labels, 25);
  assert.equal(bars.last, '50233 other tokens');
  assert.ok(
    Math.abs(bars.p - 1) < 1e-9 && Math.abs(bars.phi - 1) < 1e-9,
    `the bars add up to 1: ${JSON.stringify(bars)}`,
  );
});

test('an empty analysis shows explanations instead of charts', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis({ file: 'x.align', diagnostics: [], results: [] }, 1);
  // The seven main charts explain themselves; the methods and Markov groups stay hidden.
  assert.equal(await h.page.locator('.card.is-empty:not([hidden])').count(), 7);
  assert.equal(await h.page.locator('.card[hidden]').count(), 5);
  assert.match((await h.page.textContent('#chart-frontier .empty')) ?? '', /frontier/);
});

test('the real evaluator output for examples/paper.align fills every chart', async () => {
  h = await openPreview(browser);
  const paper = payload('paper');
  await h.sendAnalysis(paper, 1);
  assert.equal(await h.page.locator('.card.is-empty:not([hidden])').count(), 0);
  const frontier = await labels('frontier');
  for (const l of [
    'frontier F(Δ) · chat',
    'KL-RL (tilt) · chat',
    'best-of-N · chat',
    'compared policy · chat',
  ])
    assert.ok(frontier.includes(l), l);
  assert.equal((await datasets('frontier'))[0].points, 64);
  assert.equal((await datasets('cumulants'))[0].points, 65, 'Λ(t) at 65 points');
  assert.deepEqual(await h.page.evaluate(() => window.alignLab!.view('tokens')!.chart.data.labels), [
    'rude',
    'terse',
    'neutral',
    'helpful',
    'very helpful',
  ]);
  const values = await h.page.getAttribute('.formula[data-kind="tilt"] .math', 'data-values');
  assert.match(values ?? '', /^\\lambda = 1\.4217;/);
});
