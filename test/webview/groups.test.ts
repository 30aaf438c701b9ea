// The preview's chart groups in headless Chromium, on the real evaluator's results of the examples:
// the methods group (issue 11: E[R] and win rate against KL with both frontiers, E[R] against tokens
// sampled on a log axis) and the Markov group (issue 12: the P and P_λ heatmap, φ_λ's marginals by
// position). Each chart's series and data are checked against the payload, the canvases are drawn,
// a click reveals the query, export writes a PNG and a CSV, the theme recolours them, and at 320
// and 400 px nothing scrolls sideways (screenshots in test-results/webview/).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/language/index.js';
import type { Analysis, MethodsValue, TiltValue } from '../../src/presentation/results.js';
import { root } from './bundle.js';
import { type Harness, launch, openPreview, payload, type ThemeKind } from './harness.js';

const shots = join(root, 'test-results', 'webview');
mkdirSync(shots, { recursive: true });

const analysisOf = (name: string): Analysis =>
  analyze(readFileSync(join(root, 'examples', name), 'utf8'), { file: name });
const METHODS = analysisOf('methods.align');
const MARKOV = analysisOf('markov.align');
const methodsUri = 'file:///project/examples/methods.align';
const markovUri = 'file:///project/examples/markov.align';

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

interface Drawn {
  label: string;
  points: { x: number; y: number; q: number; value?: number }[];
}
/** The datasets of a chart as drawn (label and points), without the highlight rings. */
function drawn(id: string): Promise<Drawn[]> {
  return h.page.evaluate((chartId) => {
    const c = window.alignLab!.view(chartId as 'frontier')!.chart;
    return c.data.datasets
      .filter((d) => (d as { seriesRef?: unknown }).seriesRef)
      .map((d) => ({
        label: String(d.label),
        points: (d.data as unknown as { x: number; y: number; q: number; value?: number }[]).map((p) => ({
          x: p.x,
          y: p.y,
          q: p.q,
          value: p.value,
        })),
      }));
  }, id);
}
const series = async (id: string, label: string) => {
  const all = await drawn(id);
  const s = all.find((d) => d.label === label);
  assert.ok(s, `${id} has '${label}' (has ${all.map((d) => d.label).join(', ')})`);
  return s;
};

/** Distinct colours among a sample of the canvas's pixels (a blank or single-colour canvas has ≤ 2). */
function canvasColours(id: string): Promise<number> {
  return h.page.evaluate((chartId) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`#chart-${chartId} canvas`)!;
    // Read a copy (reading the chart's own canvas back repeatedly makes Chromium warn).
    const copy = document.createElement('canvas');
    [copy.width, copy.height] = [canvas.width, canvas.height];
    const ctx = copy.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  }, id);
}

const visibleCards = () =>
  h.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('section.card')]
      .filter((c) => !c.hidden)
      .map((c) => c.dataset.chart),
  );

const byX = <P extends { x: number }>(ps: P[]) => [...ps].sort((a, b) => a.x - b.x);

test('the methods group draws every method’s curve, both frontiers and the queried points, from the payload', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(METHODS, 1, methodsUri);
  const cards = await visibleCards();
  for (const id of ['methodsReward', 'methodsWinRate', 'methodsTokens'])
    assert.ok(cards.includes(id), `the ${id} card is shown (shown: ${cards.join(', ')})`);
  assert.ok(
    !cards.includes('transitions') && !cards.includes('marginals'),
    'no Markov group without a chain',
  );

  const mIndex = METHODS.results.findIndex((r) => r.query === 'methods');
  const m = METHODS.results[mIndex].value as MethodsValue;
  const line = `line ${METHODS.results[mIndex].range.start.line + 1}`;
  // (KL, E[R]): every curve point, in the payload's numbers.
  const klRl = await series('methodsReward', 'KL-RL (reward frontier) · chat');
  assert.deepEqual(
    klRl.points.map((p) => [p.x, p.y]),
    byX(m.kl_rl.map((p) => ({ x: p.kl, y: p.reward }))).map((p) => [p.x, p.y]),
    'the KL–reward frontier is the methods query’s kl_rl curve',
  );
  for (const [label, curve] of [
    [`best-of-N · chat, ${line}`, m.bon],
    [`soft best-of-N · chat, ${line}`, m.softbon],
    [`blockwise best-of-N · chat, ${line}`, m.blockbon],
    [`rejection sampling · chat, ${line}`, m.reject],
    [`win-rate frontier · chat, ${line}`, m.win_rate_frontier],
  ] as const) {
    const s = await series('methodsReward', label);
    assert.equal(s.points.length, curve.length, `${label}: one point per curve point`);
    assert.ok(
      s.points.every((p) => p.q === mIndex),
      `${label}: every point reveals the methods query`,
    );
    const w = await series('methodsWinRate', label);
    assert.deepEqual(
      w.points.map((p) => p.y).sort(),
      curve.map((p) => p.win_rate).sort(),
      `${label}: the win-rate plane has the curve's win rates`,
    );
  }
  // Queried points: the three rejection queries, the two soft best-of-N ones, the two winrate ones.
  const rejects = await series('methodsReward', 'rejection sampling · chat, lines 41, 42, 43');
  assert.deepEqual(
    rejects.points.map((p) => p.q).sort(),
    METHODS.results.flatMap((r, i) => (r.query === 'reject' ? [i] : [])).sort(),
  );
  const frontierPoints = await series('methodsWinRate', 'win-rate frontier · chat, lines 48, 49');
  assert.deepEqual(
    frontierPoints.points.map((p) => p.y),
    METHODS.results.flatMap((r) => (r.query === 'winrate' ? [r.value!.win_rate as number] : [])),
  );
  // The document's tilt and bon queries as yardsticks, at their own KL, E[R] and win rate.
  for (const kind of ['tilt', 'bon'] as const) {
    const i = METHODS.results.findIndex((r) => r.query === kind);
    const v = METHODS.results[i].value as { kl: number; reward: number; win_rate: number };
    const label =
      kind === 'tilt'
        ? 'KL-RL (tilt) · chat'
        : `best-of-N · chat, line ${METHODS.results[i].range.start.line + 1}`;
    const s = await series('methodsReward', label);
    assert.deepEqual(
      s.points.map((p) => [p.x, p.y, p.q]),
      [[v.kl, v.reward, i]],
      label,
    );
    const w = await series('methodsWinRate', label);
    assert.deepEqual(
      w.points.map((p) => p.y),
      [v.win_rate],
      label,
    );
  }
  // Tokens sampled on a log axis: points without a finite token count are left out.
  const axis = await h.page.evaluate(() => {
    const c = window.alignLab!.view('methodsTokens')!.chart;
    return { type: c.scales.x.type, ticks: c.scales.x.ticks.map((t) => t.value) };
  });
  assert.equal(axis.type, 'logarithmic');
  assert.ok(
    axis.ticks.length >= 2 && axis.ticks.every((t) => /^1(e\+?\d+)?$|^10*$/.test(String(t))),
    `log ticks at powers of ten: ${axis.ticks.join(', ')}`,
  );
  const bonTokens = await series('methodsTokens', `best-of-N · chat`);
  assert.deepEqual(
    bonTokens.points.map((p) => p.x),
    m.bon.map((p) => p.tokens_sampled).filter((t): t is number => t !== null && t > 0),
  );
  for (const id of ['methodsReward', 'methodsWinRate', 'methodsTokens'])
    assert.ok((await canvasColours(id)) > 20, `${id}: the canvas is drawn`);

  // The log axis zooms in powers of ten around the pointer: the window stays above 0.
  await h.page.locator('#chart-methodsTokens').scrollIntoViewIfNeeded();
  const window0 = await h.page.evaluate(() => {
    const c = window.alignLab!.view('methodsTokens')!.chart;
    return [c.scales.x.min, c.scales.x.max];
  });
  const box = (await h.page.locator('#chart-methodsTokens canvas').boundingBox())!;
  await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await h.page.mouse.wheel(0, -200);
  await h.page.waitForFunction(
    (before) => window.alignLab!.view('methodsTokens')!.chart.scales.x.max < before,
    window0[1],
  );
  const window1 = await h.page.evaluate(() => {
    const c = window.alignLab!.view('methodsTokens')!.chart;
    return { x: [c.scales.x.min, c.scales.x.max], ticks: c.scales.x.ticks.map((t) => t.value) };
  });
  const decades = (w: number[]) => Math.log10(w[1]) - Math.log10(w[0]);
  assert.ok(
    window1.x[0] > 0 && decades(window1.x) < decades(window0) * 0.8,
    `zoomed in on the log axis: ${window0} → ${window1.x}`,
  );
  assert.ok(window1.ticks.length >= 2 && window1.ticks.every((t) => t > 0), `ticks ${window1.ticks}`);
  await h.page.click('#chart-methodsTokens button[data-action="reset"]');
  const window2 = await h.page.evaluate(() => {
    const c = window.alignLab!.view('methodsTokens')!.chart;
    return [c.scales.x.min, c.scales.x.max];
  });
  assert.deepEqual(window2, window0, 'Reset zoom restores the whole range');

  // A click on a queried point reveals its query.
  await h.page.locator('#chart-methodsReward').scrollIntoViewIfNeeded();
  const at = await h.page.evaluate(() => {
    const c = window.alignLab!.view('methodsReward')!.chart;
    const i = c.data.datasets.findIndex((d) => d.label === 'blockwise best-of-N · chat, line 35');
    const el = c.getDatasetMeta(i).data[0];
    const r = c.canvas.getBoundingClientRect();
    return { x: r.left + el.x, y: r.top + el.y };
  });
  await h.page.mouse.click(at.x, at.y);
  await h.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'reveal'),
  );
  const reveal = (await h.posted()).filter((x) => x.type === 'reveal');
  const blockbon = METHODS.results.find((r) => r.query === 'blockbon')!;
  assert.deepEqual(reveal, [{ type: 'reveal', uri: methodsUri, range: blockbon.range }]);

  // "Show in preview" on a winrate query scrolls the win-rate plane into view and marks it.
  const winrate = METHODS.results.find((r) => r.query === 'winrate')!;
  await h.page.evaluate(() => window.scrollTo(0, 0));
  await h.send({ type: 'showQuery', uri: methodsUri, range: winrate.range });
  await h.page.waitForFunction(
    () => {
      const card = document.querySelector('#chart-methodsWinRate')!;
      const r = card.getBoundingClientRect();
      return card.classList.contains('is-shown') && r.top >= 0 && r.bottom <= window.innerHeight;
    },
    undefined,
    { timeout: 5000 },
  );

  // The paper example has none of the five kinds: the group's cards are hidden.
  await h.sendAnalysis(payload('paper'), 2, methodsUri);
  const after = await visibleCards();
  assert.ok(
    !after.some((id) => id?.startsWith('methods')),
    `no methods cards without method queries (shown: ${after.join(', ')})`,
  );
});

test('the Markov group: P and P_λ as a heatmap and φ_λ’s marginals by position, from the payload', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(MARKOV, 1, markovUri);
  const cards = await visibleCards();
  assert.ok(cards.includes('transitions') && cards.includes('marginals'), `shown: ${cards.join(', ')}`);
  // The charts every document has still draw the markov model (frontier, bon, equivalence, rate, …).
  for (const id of ['frontier', 'bon', 'equivalence', 'rate', 'cumulants', 'tokens'])
    assert.ok(
      (await drawn(id)).some((s) => s.label.endsWith('· chat')),
      `${id} draws the chain`,
    );

  const tiltIndex = MARKOV.results.findIndex((r) => r.query === 'tilt' && r.value && 'markov' in r.value);
  const chain = (MARKOV.results[tiltIndex].value as TiltValue).markov!;
  const k = chain.tokens!.length;
  const cellsOf = (s: Drawn) => byX(s.points).map((p) => ({ row: p.y, col: p.x, value: p.value, q: p.q }));
  const p = await series('transitions', 'P · chat');
  const pl = await series('transitions', 'P_λ (stationary tilted chain) · chat');
  assert.equal(p.points.length, k * k);
  assert.equal(pl.points.length, k * k);
  for (const c of cellsOf(p)) {
    assert.equal(c.value, chain.transition![c.row][c.col], `P(${c.col} | ${c.row})`);
    assert.equal(c.q, tiltIndex);
  }
  for (const c of cellsOf(pl))
    assert.equal(c.value, chain.tilted_transition![c.row][c.col - (k + 1)], `P_λ(${c.col} | ${c.row})`);
  const ticks = await h.page.evaluate(() => {
    const c = window.alignLab!.view('transitions')!.chart;
    return { x: c.scales.x.ticks.map((t) => t.label), y: c.scales.y.ticks.map((t) => t.label) };
  });
  assert.deepEqual(ticks.y, chain.tokens, 'rows are labelled by token');
  assert.deepEqual(ticks.x, [...chain.tokens!, ...chain.tokens!], 'columns of both matrices are labelled');
  assert.ok((await canvasColours('transitions')) > 20, 'the heatmap is drawn');

  // Marginals: one curve per token over every position, and π_λ for reference.
  for (const [j, token] of chain.tokens!.entries()) {
    const s = await series('marginals', `φ_λ(y_t = ${token}) · chat`);
    assert.deepEqual(
      s.points.map((q) => [q.x, q.y]),
      chain.positions!.map((t, i) => [t, chain.marginals![i][j]]),
    );
    const pi = await series('marginals', `stationary π_λ of P_λ: ${token} · chat`);
    assert.ok(pi.points.every((q) => q.y === chain.stationary_tilted![token]));
  }
  // Near the ends the marginals are not stationary; in the middle they are close to π_λ.
  const helpful = chain.tokens!.indexOf('helpful');
  const mid = chain.marginals![Math.floor(chain.marginals!.length / 2)][helpful];
  assert.ok(Math.abs(mid - chain.stationary_tilted!.helpful) < Math.abs(chain.marginals![0][helpful] - mid));

  // A click on a cell reveals the tilt query.
  await h.page.locator('#chart-transitions').scrollIntoViewIfNeeded();
  const at = await h.page.evaluate(() => {
    const c = window.alignLab!.view('transitions')!.chart;
    const r = c.canvas.getBoundingClientRect();
    return { x: r.left + c.scales.x.getPixelForValue(1), y: r.top + c.scales.y.getPixelForValue(2) };
  });
  await h.page.mouse.click(at.x, at.y);
  await h.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'reveal'),
  );
  assert.deepEqual(
    (await h.posted()).filter((x) => x.type === 'reveal'),
    [{ type: 'reveal', uri: markovUri, range: MARKOV.results[tiltIndex].range }],
  );

  // Export: a PNG, and the matrices as CSV (one row per cell, tokens by name).
  await h.page.click('#chart-transitions button[data-action="png"]');
  await h.page.click('#chart-transitions button[data-action="csv"]');
  await h.page.click('#chart-marginals button[data-action="csv"]');
  const exports = (await h.posted()).filter((x) => x.type === 'export') as unknown as {
    chart: string;
    format: string;
    data: string;
  }[];
  assert.deepEqual(
    exports.map((e) => `${e.chart}.${e.format}`),
    ['transitions.png', 'transitions.csv', 'marginals.csv'],
  );
  assert.ok(Buffer.from(exports[0].data, 'base64').length > 3000, 'a real image');
  const csv = exports[1].data.split('\r\n');
  assert.equal(csv[0], 'matrix,current token i,"next token j — left: P, right: P_λ",value');
  assert.equal(csv.length, 2 * k * k + 2, 'a header, a row per cell, the final line break');
  assert.equal(csv[1], `P · chat,${chain.tokens![0]},${chain.tokens![0]},${chain.transition![0][0]}`);
  assert.ok(
    csv.includes(`P_λ (stationary tilted chain) · chat,rude,helpful,${chain.tilted_transition![0][2]}`),
  );
  const marginalsCsv = exports[2].data.split('\r\n');
  assert.equal(marginalsCsv[0].split(',')[0], 'φ_λ(y_t = rude) · chat: position t');
  assert.equal(marginalsCsv.length, chain.positions!.length + 2);

  // The memoryless model's tilt (focus on it) has no chain: the group shows the chain's tilt still.
  const iid = MARKOV.results.findIndex((r, i) => r.query === 'tilt' && i !== tiltIndex);
  await h.send({ type: 'cursor', uri: markovUri, position: MARKOV.results[iid].range.start });
  await h.page.waitForFunction(() => window.alignLab?.pending === false);
  assert.equal((await series('transitions', 'P · chat')).points.length, k * k);
});

test('the groups follow the theme: dark, light and high contrast heatmap shades and text', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(MARKOV, 1, markovUri);
  await h.page.locator('#chart-transitions').scrollIntoViewIfNeeded();
  /** The colour of the top-left cell (P(rude | rude)) and of the chart background, as drawn. */
  const pixels = () =>
    h.page.evaluate(() => {
      const c = window.alignLab!.view('transitions')!.chart;
      const copy = document.createElement('canvas');
      [copy.width, copy.height] = [c.canvas.width, c.canvas.height];
      const ctx = copy.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(c.canvas, 0, 0);
      const ratio = c.currentDevicePixelRatio;
      const px = (x: number, y: number) => [...ctx.getImageData(x * ratio, y * ratio, 1, 1).data.slice(0, 3)];
      const x =
        c.scales.x.getPixelForValue(0) -
        0.35 * (c.scales.x.getPixelForValue(1) - c.scales.x.getPixelForValue(0));
      const y = c.scales.y.getPixelForValue(0);
      return { cell: px(x, y), background: px(2, 2) };
    });
  const luminance = (rgb: number[]) => (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
  const seen: Record<string, { cell: number[]; background: number[] }> = {};
  for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as ThemeKind[]) {
    await h.setTheme(theme);
    await h.page.waitForTimeout(100);
    await h.page.evaluate(() => window.alignLab!.flush());
    seen[theme] = await pixels();
    await h.page.locator('#chart-transitions').screenshot({ path: join(shots, `transitions-${theme}.png`) });
  }
  assert.ok(
    luminance(seen['vscode-dark'].background) < 0.2,
    `dark background ${seen['vscode-dark'].background}`,
  );
  assert.ok(
    luminance(seen['vscode-light'].background) > 0.8,
    `light background ${seen['vscode-light'].background}`,
  );
  // P(rude | rude) = 0.84 of a maximum 0.98: a strong shade of the theme's blue, not the background.
  for (const [theme, px] of Object.entries(seen))
    assert.ok(
      px.cell[2] > px.cell[0] + 60 && Math.abs(luminance(px.cell) - luminance(px.background)) > 0.15,
      `${theme}: the cell ${px.cell} is shaded blue against ${px.background}`,
    );
});

for (const width of [400, 320]) {
  test(`at ${width} px the groups fit: no sideways scroll, nothing clipped (dark and light)`, async () => {
    h = await openPreview(browser, undefined, { width, height: 800 });
    for (const [i, [name, analysis]] of [
      ['methods', METHODS],
      ['markov', MARKOV],
    ].entries() as IterableIterator<[number, [string, Analysis]]>) {
      await h.sendAnalysis(analysis, i + 1, `file:///project/examples/${name}.align`);
      for (const theme of ['vscode-dark', 'vscode-light'] as ThemeKind[]) {
        await h.setTheme(theme);
        await h.page.evaluate(() => window.alignLab!.flush());
        const m = await h.page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const out: string[] = [];
          for (const e of document.querySelectorAll<HTMLElement>(
            '.card:not([hidden]), .card:not([hidden]) header, .card:not([hidden]) canvas, .legend .entry',
          )) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && (r.left < -0.5 || r.right > width + 0.5))
              out.push(`${e.tagName} ${e.className} ${Math.round(r.left)}…${Math.round(r.right)}`);
          }
          return { scroll: document.documentElement.scrollWidth - width, out };
        });
        assert.equal(m.scroll, 0, `${name} ${theme} at ${width} px: no horizontal scroll`);
        assert.deepEqual(m.out, [], `${name} ${theme} at ${width} px: everything inside the page`);
        const ids =
          name === 'methods'
            ? ['methodsReward', 'methodsWinRate', 'methodsTokens']
            : ['transitions', 'marginals'];
        for (const id of ids) {
          await h.page.locator(`#chart-${id}`).scrollIntoViewIfNeeded();
          await h.page.evaluate(() => window.alignLab!.flush());
          assert.ok((await canvasColours(id)) > 10, `${id} drawn at ${width} px`);
          await h.page
            .locator(`#chart-${id}`)
            .screenshot({ path: join(shots, `${id}-${width}-${theme}.png`) });
        }
      }
    }
  });
}
