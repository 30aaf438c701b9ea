// The preview of the packaged extension in a real workbench: opened from the command palette with every
// chart painted, live updates within a second of typing, a slider writing into the source, sliders
// dragged to either end writing valid values, a slider on a `let` reference (moving the let, or saying
// beforehand that it replaces a shared reference), the charts following a slider while it is dragged
// with the source written once on release, and the workbench's colour theme followed (dark, then light).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import {
  CHARTS,
  chartBackgroundLuminance,
  columnOf,
  isPainted,
  LINES,
  type PreviewState,
  previewState,
  SAMPLE,
  SAMPLE_FILE,
} from './align.js';

/** A second document for the sliders: valid values at their ends, and `let` references. */
const SLIDERS_FILE = 'e2e/sliders.align';
const SLIDERS = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}
let own = 2
let shared = 1
tilt(toy, delta = 4)
tilt(toy, beta = 0.5)
renyi(toy, alpha = 2)
equivalence(toy, rate = 0.5, n = 1..16)
tilt(toy, delta = own)
cumulants(toy, lambda = shared)
rate(toy, lambda = shared)
bon(toy, N = 16)
`;
/** 1-based lines of SLIDERS. */
const SLIDER_LINES = { delta: 9, beta: 10, alpha: 11, rate: 12, own: 13, shared: 14 } as const;

import { Workbench, waitFor } from './harness.js';

/** Waits until the preview shows results with every chart card painted. */
async function allPainted(frame: Frame, timeoutMs = 30_000): Promise<PreviewState> {
  return waitFor(
    'every chart of the preview to be painted',
    async () => {
      const s = await previewState(frame);
      return s.cards.length === CHARTS.length && s.cards.every(isPainted) && s;
    },
    { timeoutMs, intervalMs: 100 },
  ).catch(async (error: Error) => {
    const s = await previewState(frame).catch(() => undefined);
    throw new Error(`${error.message}\npreview: ${JSON.stringify(s)}`);
  });
}

/**
 * Starts watching `charts` in the webview: every animation frame compares their canvases' pixels with
 * now, and notes the wall-clock time of the first change (charts off screen are redrawn when idle, not
 * at the render, so the render counter alone would not do). Timing is taken in the page, so the test's
 * own polling does not count against the update. Returns the signatures now.
 */
async function watchCharts(frame: Frame, charts: readonly string[]): Promise<Record<string, string>> {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  return frame.evaluate(`(${CHART_WATCHER})(${JSON.stringify(charts)})`);
}

const CHART_WATCHER = `(ids) => {
  const sig = (id) => {
    const c = document.querySelector('section.card[data-chart="' + id + '"] canvas');
    const ctx = c && c.width > 0 && c.height > 0 ? c.getContext('2d') : null;
    if (!ctx) return '';
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + ((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])) | 0;
    return c.width + 'x' + c.height + ':' + (h >>> 0);
  };
  const snapshot = () => Object.fromEntries(ids.map((id) => [id, sig(id)]));
  const before = snapshot();
  const token = {};
  // Diagnostics: when each message from the extension arrived and what the renders cost.
  const events = [];
  const onMessage = (e) => {
    const m = e.data || {};
    const app = window.alignLab;
    const r0 = app ? app.renders : -1;
    const t = Date.now();
    setTimeout(() => events.push({ at: t, type: m.type, version: m.version,
      renders: (app ? app.renders : -1) - r0, timings: app && app.timings, handled: Date.now() - t }), 0);
  };
  window.addEventListener('message', onMessage);
  window.__e2eWatch = { token, changedAt: null, changed: null, events, started: Date.now() };
  const started = Date.now();
  const tick = () => {
    const w = window.__e2eWatch;
    if (w.token !== token || Date.now() - started > 30000) return window.removeEventListener('message', onMessage);
    const now = snapshot();
    const id = ids.find((k) => now[k] !== '' && now[k] !== before[k]);
    if (id) {
      w.changedAt = Date.now();
      w.changed = id;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return before;
}`;

/** Milliseconds from `t0` (when the edit showed in the editor) until one of the watched charts changed. */
async function msUntilRepaint(
  frame: Frame,
  charts: readonly string[],
  t0: number,
  timeoutMs: number,
): Promise<number> {
  const changedAt = await waitFor(
    `the ${charts.join('/')} chart to repaint`,
    async () =>
      ((await frame.evaluate('window.__e2eWatch && window.__e2eWatch.changedAt')) as number | null) ??
      undefined,
    { timeoutMs, intervalMs: 50 },
  );
  // Diagnostics: the webview's view of the update, relative to the edit.
  const w = (await frame.evaluate('window.__e2eWatch')) as {
    events: { at: number; [k: string]: unknown }[];
  };
  diagnostics.push(
    `edit (at ${t0}) → repaint ${changedAt - t0} ms; messages: ${JSON.stringify(w.events.map((e) => ({ ...e, at: e.at - t0 })))}`,
  );
  return changedAt - t0;
}

/** Diagnostics of the last repaint measurement (printed by the tests). */
const diagnostics: string[] = [];

describe('preview: Align Lab charts in code-server', () => {
  let wb: Workbench;
  let frame: Frame;
  before(async () => {
    wb = await Workbench.start({
      name: 'preview',
      files: { [SAMPLE_FILE]: SAMPLE, [SLIDERS_FILE]: SLIDERS },
    });
    await wb.openFile(SAMPLE_FILE);
  });
  afterEach(async () => {
    await wb?.step('end-of-test');
  });
  after(async () => {
    await wb?.close();
  });

  test('"Align Lab: Open Preview to the Side" opens the preview with every chart painted', async () => {
    await wb.runCommand('Align Lab: Open Preview to the Side');
    // To the side: a second editor group holds the webview, the source stays in the first.
    await wb.page.locator('.editor-group-container').nth(1).waitFor({ timeout: 20_000 });
    frame = await wb.webviewFrame();
    const state = await allPainted(frame);
    await wb.step('preview-open');
    assert.deepEqual(
      state.cards.map((c) => c.id),
      [...CHARTS],
    );
  });

  test('typing a new query updates the charts within a second', async (t) => {
    await allPainted(frame);
    await wb.goTo(LINES.renyi + 1, 1);
    // Watch the chart a user sees first: the frontier, where the new tilt adds a point.
    await frame.locator('section.card[data-chart="frontier"]').scrollIntoViewIfNeeded();
    await watchCharts(frame, ['frontier']);
    await wb.watchEditorFor('tilt(toy, delta = 1.5)');
    const sent = Date.now();
    await wb.page.keyboard.insertText('tilt(toy, delta = 1.5)\n');
    const shown = await wb.shownAt();
    const ms = await msUntilRepaint(frame, ['frontier'], shown, 10_000);
    t.diagnostic(
      `typed text shown ${shown - sent} ms after it was sent; charts repainted ${ms} ms after that`,
    );
    for (const d of diagnostics.splice(0)) t.diagnostic(d);
    await wb.step('new-query');
    assert.ok(
      ms < 1000,
      `the charts changed ${Math.round(ms)} ms after the typed query showed (limit 1000 ms)`,
    );
    await allPainted(frame);
  });

  test('changing a number updates the charts within a second', async (t) => {
    await allPainted(frame);
    // bon(toy, N = 16): select "16" and type 64.
    await wb.goTo(LINES.bon, columnOf(LINES.bon, '16'));
    await wb.page.keyboard.press('Shift+ArrowRight');
    await wb.page.keyboard.press('Shift+ArrowRight');
    await frame.locator('section.card[data-chart="bon"]').scrollIntoViewIfNeeded();
    await watchCharts(frame, ['bon']);
    await wb.watchEditorFor('bon(toy, N = 64)');
    const sent = Date.now();
    await wb.page.keyboard.insertText('64');
    const shown = await wb.shownAt();
    const ms = await msUntilRepaint(frame, ['bon'], shown, 10_000);
    t.diagnostic(
      `typed text shown ${shown - sent} ms after it was sent; charts repainted ${ms} ms after that`,
    );
    for (const d of diagnostics.splice(0)) t.diagnostic(d);
    await wb.step('number-changed');
    assert.match(await wb.editorText(), /bon\(toy, N = 64\)/);
    assert.ok(
      ms < 1000,
      `the bon chart changed ${Math.round(ms)} ms after the typed number showed (limit 1000 ms)`,
    );
  });

  test('dragging a slider writes the new value into the source', async () => {
    // The cursor in the tilt query makes it the preview's focus, which offers a Δ slider.
    await wb.goTo(LINES.tilt, 3);
    const slider = frame.locator('.sliders .slider[data-param="delta"] input[type="range"]');
    await slider.waitFor({ state: 'visible', timeout: 10_000 });
    // The previous tests scrolled the preview down to the charts: bring the slider back into view.
    await slider.scrollIntoViewIfNeeded();
    await wb.step('slider-shown');
    const box = await slider.boundingBox();
    assert.ok(box, 'the slider has a box');
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(box.x + box.width * 0.5, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
    await wb.page.mouse.move(box.x + box.width * 0.9, y, { steps: 5 });
    await wb.page.mouse.up();
    const line = await waitFor('the tilt query to get a new delta', async () => {
      const l = (await wb.editorText()).split('\n').find((x) => x.startsWith('tilt(toy, delta = '));
      return l && !/delta = 4\)/.test(l) && l;
    });
    await wb.step('slider-edited');
    const value = Number(/delta = ([\d.e+-]+)\)/.exec(line)?.[1]);
    assert.ok(Number.isFinite(value) && value > 4, `the slider moved right, so Δ grew: ${line}`);
    // The edit is one undo step.
    await wb.focusEditor();
    await wb.page.keyboard.press('Control+Z');
    await waitFor('undo to restore delta = 4', async () =>
      /tilt\(toy, delta = 4\)/.test(await wb.editorText()),
    );
  });

  test('sliders dragged to either end write values the language accepts', async () => {
    await wb.openFile(SLIDERS_FILE);
    await wb.runCommand('Align Lab: Open Preview to the Side');
    frame = await waitFor('the preview of sliders.align', async () => {
      const f = await wb.webviewFrame();
      return (await f.locator('h1').textContent())?.includes('sliders.align') && f;
    });
    await allPainted(frame);
    const cases: { line: number; param: string; query: RegExp; ends: [string, string] }[] = [
      {
        line: SLIDER_LINES.beta,
        param: 'beta',
        query: /^tilt\(toy, beta = ([^)]+)\)/,
        ends: ['0.01', '100'],
      },
      {
        line: SLIDER_LINES.alpha,
        param: 'alpha',
        query: /^renyi\(toy, alpha = ([^)]+)\)/,
        ends: ['0.1', '10'],
      },
      {
        line: SLIDER_LINES.rate,
        param: 'rate',
        query: /^equivalence\(toy, rate = ([^,]+), n = 1\.\.16\)/,
        ends: ['0.00161', '1.609'],
      },
      {
        line: SLIDER_LINES.delta,
        param: 'delta',
        query: /^tilt\(toy, delta = ([^)]+)\)/,
        ends: ['0', '12.87'],
      },
    ];
    for (const c of cases) {
      for (const [end, want] of [
        ['left', c.ends[0]],
        ['right', c.ends[1]],
      ] as const) {
        await wb.goTo(c.line, 3);
        const slider = frame.locator(`.sliders .slider[data-param="${c.param}"] input[type="range"]`);
        await slider.waitFor({ state: 'visible', timeout: 10_000 });
        await slider.scrollIntoViewIfNeeded();
        const box = (await slider.boundingBox())!;
        const y = box.y + box.height / 2;
        await wb.page.mouse.move(box.x + box.width / 2, y);
        await wb.page.mouse.down();
        // Past the end of the track: the slider stops at its end.
        await wb.page.mouse.move(end === 'left' ? box.x - 40 : box.x + box.width + 40, y, { steps: 6 });
        await wb.page.mouse.up();
        const line = await waitFor(`${c.param} dragged to the ${end} to write ${want}`, async () => {
          const l = (await wb.editorText()).split('\n')[c.line - 1] ?? '';
          return c.query.exec(l)?.[1] === want && l;
        });
        await wb.step(`slider-${c.param}-${end}`);
        // The language accepts it: the preview shows results without errors for this version.
        await waitFor(`no error after ${line}`, async () => {
          const banner = frame.locator('.banner');
          return (
            (await banner.isHidden()) || !(await banner.evaluate((b) => b.classList.contains('has-errors')))
          );
        });
      }
    }
  });

  test('a slider on a let used only by its query moves the let; on a shared let it says so first', async () => {
    await wb.goTo(SLIDER_LINES.own, 3);
    const note = frame.locator('.sliders .slider[data-param="delta"] .note');
    await waitFor('the note about the let', async () =>
      /Moves the value of let own/.test((await note.textContent().catch(() => '')) ?? ''),
    );
    const slider = frame.locator('.sliders .slider[data-param="delta"] input[type="range"]');
    await slider.scrollIntoViewIfNeeded();
    const box = (await slider.boundingBox())!;
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(box.x + box.width * 0.3, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await wb.page.mouse.up();
    const text = await waitFor('the let to move', async () => {
      const t = await wb.editorText();
      return !/^let own = 2$/m.test(t) && /^let own = [\d.]+$/m.test(t) && t;
    });
    await wb.step('slider-let-moved');
    // (The editor's lines end with the inlay hint after each query.)
    assert.match(text, /^tilt\(toy, delta = own\)/m, 'the query keeps its reference');
    // A shared let: the note warns before anything is dragged.
    await wb.goTo(SLIDER_LINES.shared, 3);
    const shared = frame.locator('.sliders .slider[data-param="lambda"] .note.breaks-link');
    await waitFor('the warning about the shared let', async () =>
      /shared, which is used in 2 places/.test((await shared.textContent().catch(() => '')) ?? ''),
    );
    await wb.step('slider-shared-note');
  });

  test('the charts follow a dragged slider before release; the source is written once, on release', async () => {
    await wb.goTo(SLIDER_LINES.beta, 3);
    const slider = frame.locator('.sliders .slider[data-param="beta"] input[type="range"]');
    await slider.waitFor({ state: 'visible', timeout: 10_000 });
    await slider.scrollIntoViewIfNeeded();
    const before = (await wb.editorText()).split('\n')[SLIDER_LINES.beta - 1];
    const values = () => frame.locator('.formula[data-kind="tilt"] .math').getAttribute('data-values');
    const formulaBefore = await values();
    const box = (await slider.boundingBox())!;
    const y = box.y + box.height / 2;
    await wb.page.mouse.move(box.x + box.width * 0.5, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width * 0.25, y, { steps: 8 });
    const during = await waitFor('the formula to follow the slider while it is held', async () => {
      const v = await values();
      return v !== formulaBefore && v;
    });
    await wb.step('slider-dragging');
    assert.equal(
      (await wb.editorText()).split('\n')[SLIDER_LINES.beta - 1],
      before,
      `nothing written while dragging (the preview shows ${during})`,
    );
    await wb.page.mouse.move(box.x + box.width * 0.2, y, { steps: 4 });
    await wb.page.mouse.up();
    const after = await waitFor('one write on release', async () => {
      const l = (await wb.editorText()).split('\n')[SLIDER_LINES.beta - 1];
      return l !== before && l;
    });
    await wb.step('slider-released');
    // One undo step restores the value.
    await wb.focusEditor();
    await wb.page.keyboard.press('Control+Z');
    await waitFor(`undo to restore "${before}" (after "${after}")`, async () =>
      (await wb.editorText()).split('\n').includes(before),
    );
  });

  test('the preview follows the colour theme (dark, then light)', async () => {
    const dark = await previewState(frame);
    assert.match(dark.bodyClass, /\bvscode-dark\b/);
    const darkLum = await chartBackgroundLuminance(frame, 'frontier');
    assert.ok(darkLum < 0.3, `dark theme: chart background luminance ${darkLum.toFixed(3)}`);
    await wb.step('theme-dark');

    await wb.pickColorTheme('Light Modern');
    await waitFor('the webview to switch to the light theme', async () =>
      /\bvscode-light\b/.test((await previewState(frame)).bodyClass),
    );
    const lightLum = await waitFor('the charts to repaint light', async () => {
      const l = await chartBackgroundLuminance(frame, 'frontier');
      return l > 0.7 && l;
    });
    await wb.step('theme-light');
    const light = await allPainted(frame);
    assert.notEqual(
      light.cards.find((c) => c.id === 'frontier')?.signature,
      dark.cards.find((c) => c.id === 'frontier')?.signature,
      `the frontier chart repainted (${darkLum.toFixed(2)} → ${lightLum.toFixed(2)})`,
    );
  });
});
