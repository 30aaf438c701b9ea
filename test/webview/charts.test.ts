// What the preview shows, in headless Chromium: numbers through the presentation layer's formatter
// at the user's significant digits (tooltips, notes, formulas, headlines, the banner), formulas and
// series names from PRESENTATION, legends without look-alike entries (identical series drawn once),
// query markers winning hit-testing over curves, round ticks in a zoomed window, dotted series
// readable on a light theme, and exported PNGs that carry the chart's title and legend.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/language/index.js';
import { headlineText, PRESENTATION, presentationOf } from '../../src/presentation/kinds.js';
import { niceTicks } from '../../webview/chartView.js';
import { contrastRatio } from '../../webview/theme.js';
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

const TOY = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}
`;

/** Every legend label of every chart. */
const legends = () =>
  h.page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('section.card')].map((card) => [
        card.dataset.chart ?? '',
        [...card.querySelectorAll('.legend .entry span:last-child')].map((e) => e.textContent ?? ''),
      ]),
    ),
  );

test('numbers read at the significant digits of the setting: formulas, headlines, tooltips, notes, sliders', async () => {
  h = await openPreview(browser);
  const paper = payload('paper');
  await h.sendAnalysis(paper, 1);
  const tiltValues = () => h.page.getAttribute('.formula[data-kind="tilt"] .math', 'data-values');
  const tooltip = () =>
    h.page.evaluate(() => {
      const ds = window
        .alignLab!.view('frontier')!
        .chart.data.datasets.find((d) => String(d.label) === 'KL-RL (tilt) · chat') as unknown as {
        seriesRef: { points: { tip: string }[] };
      };
      return ds.seriesRef.points[0].tip;
    });
  const lambda = 1.4216905629264334;
  // Default: 5 significant digits (DEFAULT_SIGNIFICANT_DIGITS), the headline as the inlay hint.
  assert.match((await tiltValues()) ?? '', /^\\lambda = 1\.4217;/);
  assert.match(await tooltip(), /λ 1\.4217,/);
  const headline = await h.page.textContent('.formula[data-kind="tilt"] .headline');
  assert.equal(headline, `→ ${headlineText(paper.results[0], 5)}`);
  assert.equal(headline, '→ λ = 1.4217, E[R] = 33.811');
  for (const [digits, shown] of [
    [3, '1.42'],
    [8, '1.4216906'],
  ] as const) {
    await h.send({ type: 'settings', digits });
    await h.page.waitForFunction(
      (want) =>
        document
          .querySelector('.formula[data-kind="tilt"] .math')
          ?.getAttribute('data-values')
          ?.startsWith(want),
      `\\lambda = ${shown};`,
    );
    await h.page.evaluate(() => window.alignLab!.flush());
    assert.match(
      await tooltip(),
      new RegExp(`λ ${shown.replace('.', '\\.')},`),
      `tooltip at ${digits} digits`,
    );
    assert.match((await h.page.textContent('#chart-tokens .note')) ?? '', new RegExp(`λ = ${shown}$`));
    assert.equal(
      await h.page.textContent('.formula[data-kind="tilt"] .headline'),
      `→ ${headlineText(paper.results[0], digits)}`,
    );
    assert.ok(String(lambda).startsWith(shown.slice(0, -1)));
  }
  // The slider read-out too.
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line: 26, character: 3 } });
  await h.page.locator('.slider[data-param="beta"] output').waitFor();
  assert.equal(await h.page.textContent('.slider[data-param="beta"] output'), '0.5');
});

test('the banner prints numbers through formatNumber, never 17-digit doubles', async () => {
  h = await openPreview(browser);
  const analysis = analyze(`${TOY}tilt(toy, delta = 100)\nequivalence(toy, rate = 3)\n`, {
    file: 'toy.align',
  });
  const messages = analysis.diagnostics.map((d) => d.message).join('\n');
  // The language formats its numbers (formatNumber); the banner also shortens any long double a
  // message might still carry.
  assert.doesNotMatch(messages, /\d\.\d{6,}/, `the language's messages carry long doubles: ${messages}`);
  analysis.diagnostics.push({
    ...analysis.diagnostics[0],
    message: 'a message with 2.0794415416798357 in it',
  });
  await h.sendAnalysis(analysis, 1);
  const banner = (await h.page.textContent('.banner')) ?? '';
  assert.match(banner, /maximum KL 12\.876 of 'toy'/, banner);
  assert.match(banner, /per-token KL 1\.6094/, banner);
  assert.doesNotMatch(banner, /\d\.\d{6,}/, `no long doubles: ${banner}`);
  assert.match(banner, /Δ = 100 exceeds/, 'short numbers are left alone');
  assert.match(banner, /with 2\.0794 in it/, banner);
});

test('formulas and series names come from the presentation layer', async () => {
  h = await openPreview(browser);
  const paper = payload('paper');
  await h.sendAnalysis(paper, 1);
  const cards = await h.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.formula')].map((f) => ({
      kind: f.dataset.kind ?? '',
      query: Number(f.dataset.query),
      identity: [...f.querySelectorAll('.identity annotation')].map((a) => a.textContent ?? ''),
      symbols: [...f.querySelectorAll('.value .symbol annotation')].map((a) => a.textContent ?? ''),
    })),
  );
  assert.equal(cards.length, 8);
  for (const c of cards) {
    const r = paper.results[c.query];
    assert.equal(r.query, c.kind);
    const formula = presentationOf(r.query).formula(r.value as never);
    const pieces = formula.tex
      .split('\\quad')
      .map((p) => p.trim())
      .filter(Boolean);
    assert.deepEqual(c.identity, pieces, `${c.kind}: the identity of PRESENTATION.${c.kind}.formula`);
    assert.deepEqual(
      c.symbols,
      formula.values.map(([s]) => s),
      `${c.kind}: its symbols`,
    );
  }
  // Every legend entry names a presentation series, then whose it is.
  const names = new Set(Object.values(PRESENTATION).flatMap((p) => Object.values(p.series)));
  for (const [chart, labels] of Object.entries(await legends()))
    for (const label of labels) {
      const name = label.split(' · ')[0];
      assert.ok(names.has(name), `${chart}: '${label}' starts with a presentation series name`);
    }
});

test('legends have no look-alike entries: series are named by query, identical series are drawn once', async () => {
  h = await openPreview(browser);
  // examples/paper.align: two bon queries of one model (N = 64 and N = e¹⁶).
  await h.sendAnalysis(payload('paper'), 1);
  for (const [chart, labels] of Object.entries(await legends()))
    assert.deepEqual(
      labels.filter((l, i) => labels.indexOf(l) !== i),
      [],
      `${chart}: duplicate legend entries in ${JSON.stringify(labels)}`,
    );
  const { frontier, bon } = await legends();
  for (const l of [
    'best-of-N, N = 1 … N · chat, line 52',
    'best-of-N, N = 1 … N · chat, line 55',
    'log N − (N−1)/N · chat, line 52',
    'log N − (N−1)/N · chat, line 55',
  ])
    assert.ok(frontier.includes(l), `frontier: '${l}' in ${JSON.stringify(frontier)}`);
  for (const l of ['KL-RL at Δ = log N · chat, line 52', 'KL-RL at the same KL · chat, line 55'])
    assert.ok(bon.includes(l), `bon: '${l}' in ${JSON.stringify(bon)}`);
  // The CSV of the bon chart: one series per column pair, each log N column ascending.
  await h.page.click('#chart-bon button[data-action="csv"]');
  const csv = ((await h.posted()).find((m) => m.type === 'export') as unknown as { data: string }).data;
  const rows = csv.trim().split('\r\n');
  const header = rows[0].match(/"[^"]*"|[^,]+/g) ?? [];
  assert.equal(new Set(header).size, header.length, `distinct columns: ${rows[0]}`);
  const logN = header.flatMap((c, i) => (c.endsWith(': log N"') || c.endsWith(': log N') ? [i] : []));
  assert.ok(logN.length >= 6, rows[0]);
  for (const i of logN) {
    const column = rows
      .slice(1)
      .map((r) => r.split(',')[i])
      .filter((c) => c !== '')
      .map(Number);
    assert.deepEqual(
      column,
      [...column].sort((a, b) => a - b),
      `column ${header[i]} ascends`,
    );
  }

  // Two identical queries draw their series once, and the one entry answers for both.
  await h.sendAnalysis(analyze(`${TOY}bon(toy, N = 16)\nbon(toy, N = 16)\n`, { file: 'toy.align' }), 2);
  const twice = await legends();
  assert.deepEqual(twice.frontier, [
    'best-of-N · toy',
    'best-of-N, N = 1 … N · toy',
    'log N − (N−1)/N · toy',
  ]);
  assert.deepEqual(twice.bon, [
    'best-of-N, N = 1 … N · toy',
    'KL-RL at Δ = log N · toy',
    'KL-RL at the same KL · toy',
    'best-of-N · toy',
  ]);
  const queries = await h.page.evaluate(() =>
    window
      .alignLab!.view('frontier')!
      .currentModel()!
      .series.map((s) => s.queries),
  );
  assert.deepEqual(queries, [
    [0, 1],
    [0, 1],
    [0, 1],
  ]);
});

test('a query marker wins hit-testing over a curve under it (tooltip and click)', async () => {
  h = await openPreview(browser);
  const paper = payload('paper');
  await h.sendAnalysis(paper, 1);
  // tilt(chat, beta = 0.5) lies on the frontier: its marker sits on the curve's hit points.
  const at = await h.page.evaluate(() => {
    const c = window.alignLab!.view('frontier')!.chart;
    const i = c.data.datasets.findIndex((d) => d.label === 'KL-RL (tilt) · chat');
    const points = c.data.datasets[i].data as { q: number }[];
    const j = points.findIndex((p) => p.q === 1);
    const el = c.getDatasetMeta(i).data[j];
    const r = c.canvas.getBoundingClientRect();
    return { x: r.left + el.x, y: r.top + el.y };
  });
  for (const dx of [0, 2]) {
    await h.page.mouse.move(at.x + dx, at.y + 1);
    await h.page.waitForFunction(() => {
      const t = window.alignLab!.view('frontier')!.chart.tooltip;
      return (t?.getActiveElements().length ?? 0) > 0;
    });
    const title = await h.page.evaluate(() => window.alignLab!.view('frontier')!.chart.tooltip?.title?.[0]);
    assert.equal(title, 'KL-RL (tilt) · chat', `hovering ${dx}px off the marker`);
  }
  await h.page.mouse.click(at.x + 1, at.y);
  await h.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'reveal'),
  );
  const reveal = (await h.posted()).filter((m) => m.type === 'reveal');
  assert.deepEqual(
    reveal,
    [{ type: 'reveal', uri: DOC_URI, range: paper.results[1].range }],
    'the tilt query',
  );
});

test('zoomed axes get round ticks, not the window ends', async () => {
  // The tick generator: 1, 2, 2.5 or 5 × 10ᵏ apart, within the window, as many as the length allows.
  assert.deepEqual(niceTicks(8.73146, 22.265, 400, 64), [10, 12, 14, 16, 18, 20, 22]);
  assert.deepEqual(niceTicks(20.13, 38.9, 250, 36), [22.5, 25, 27.5, 30, 32.5, 35, 37.5]);
  assert.deepEqual(niceTicks(0, 1, 300, 36), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0.1, 0.7, 200, 36), [0.2, 0.4, 0.6]);
  assert.deepEqual(niceTicks(-3, 3, 500, 64), [-3, -2, -1, 0, 1, 2, 3]);
  h = await openPreview(browser);
  await h.sendAnalysis(payload('paper'), 1);
  await h.page.evaluate(() =>
    window.alignLab!.view('frontier')!.setWindow({ x: [8.73146, 22.265], y: [20.13, 38.9] }),
  );
  const ticks = await h.page.evaluate(() => {
    const c = window.alignLab!.view('frontier')!.chart;
    return { x: c.scales.x.ticks.map((t) => t.value), y: c.scales.y.ticks.map((t) => t.value) };
  });
  for (const [axis, values, lo, hi] of [
    ['x', ticks.x, 8.73146, 22.265],
    ['y', ticks.y, 20.13, 38.9],
  ] as const) {
    assert.ok(values.length >= 4, `${axis}: at least 4 ticks: ${values}`);
    assert.ok(
      values.every((v) => v > lo && v < hi),
      `${axis}: ticks inside the window, not its ends: ${values}`,
    );
    const step = values[1] - values[0];
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok(
      [1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9),
      `${axis}: a round step ${step}`,
    );
    assert.ok(
      values.every((v) => Math.abs(v / step - Math.round(v / step)) < 1e-9),
      `${axis}: multiples of it`,
    );
  }
});

test('dotted and dashed series keep their contrast on a light theme (screenshot)', async () => {
  h = await openPreview(browser);
  await h.setTheme('vscode-light');
  await h.sendAnalysis(payload('paper'), 1);
  const colours = await h.page.evaluate(() =>
    window.alignLab!.view('frontier')!.chart.data.datasets.flatMap((d) =>
      d.label
        ? [
            {
              label: String(d.label),
              color: String(d.borderColor),
              dash: (d as { borderDash?: number[] }).borderDash ?? [],
            },
          ]
        : [],
    ),
  );
  const bound = colours.find((c) => c.label.startsWith('log N − (N−1)/N'))!;
  assert.ok(bound.dash.length > 0, 'the bound is dotted');
  for (const c of colours) {
    const ratio = contrastRatio(c.color, '#ffffff') ?? 0;
    const want = c.dash.length > 0 ? 4.5 : 3;
    assert.ok(ratio >= want, `${c.label} (${c.color}) on white: contrast ${ratio.toFixed(2)} ≥ ${want}`);
  }
  // The yellow of the light theme (#bf8803) is darkened for the dotted line only as much as needed.
  assert.ok((contrastRatio(bound.color, '#ffffff') ?? 0) < 6, bound.color);
  await h.page.locator('#chart-frontier').screenshot({ path: join(shots, 'frontier-light.png') });
  await h.page.locator('#chart-bon').screenshot({ path: join(shots, 'bon-light.png') });
});

test('an exported PNG carries the chart title and its legend', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(payload('paper'), 1);
  await h.page.click('#chart-frontier button[data-action="png"]');
  const png = ((await h.posted()).find((m) => m.type === 'export') as unknown as { data: string }).data;
  const canvas = await h.page.evaluate(() => {
    const c = window.alignLab!.view('frontier')!.chart.canvas;
    return { width: c.width, height: c.height };
  });
  const bytes = Buffer.from(png, 'base64');
  const size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  assert.equal(size.width, canvas.width);
  assert.ok(
    size.height > canvas.height + 40,
    `title and legend add height: ${JSON.stringify({ size, canvas })}`,
  );
  // Ink in the title band and in the legend band (not just background).
  const ink = await h.page.evaluate(
    async ({ png, chartHeight }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(img, 0, 0);
      const band = (y0: number, y1: number) => {
        const d = ctx.getImageData(0, y0, c.width, y1 - y0).data;
        const bg = [d[0], d[1], d[2]];
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 60) n++;
        return n;
      };
      const title = c.height - chartHeight;
      return { title: band(0, 24), legend: band(24 + chartHeight, c.height), extra: title };
    },
    { png, chartHeight: canvas.height },
  );
  assert.ok(ink.title > 50, `the title is drawn: ${JSON.stringify(ink)}`);
  assert.ok(ink.legend > 200, `the legend is drawn: ${JSON.stringify(ink)}`);
});
