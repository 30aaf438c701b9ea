// The preview's sliders in headless Chromium, on results of the real evaluator: every slider spans
// only valid values (dragged to either end it writes a value the language accepts), sliders keep
// writing to the newest document version while the document has errors, a note says beforehand
// what a slider on a `let` reference or an expression rewrites, dragging previews the query live
// (one request in flight, the newest value) and writes the source once on release, keys move a
// focused slider and write once they rest, and a refusal is shown under the slider.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { analyze, paramSpec, querySpec } from '../../src/language/index.js';
import { formatNumber } from '../../src/presentation/format.js';
import type { Analysis, QueryResult } from '../../src/presentation/results.js';
import { DOC_URI, type Harness, launch, openPreview } from './harness.js';

const DOC = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}
let own = 2
let shared = 1
tilt(toy, delta = 4)
tilt(toy, beta = 0.5)
tilt(toy, lambda = 1)
renyi(toy, alpha = 2)
equivalence(toy, rate = 0.05, n = 1..16)
bon(toy, N = 16)
bon(toy, logN = 3)
rate(toy, delta = own, x = 0..2)
cumulants(toy, lambda = shared)
tilt(toy, delta = shared * 2)
`;
const LINE = {
  delta: 8,
  beta: 9,
  lambda: 10,
  alpha: 11,
  rate: 12,
  N: 13,
  logN: 14,
  own: 15,
  shared: 16,
  expression: 17,
} as const;
/** max KL of toy: n · (−log p(c)) = 8 · log 5. */
const MAX_KL = 8 * Math.log(5);

const evaluate = (text: string): Analysis => analyze(text, { file: 'examples/toy.align' });

/** The text with parameter `name` of the query on `line` (0-based) set to `value`, as a literal. */
function withValue(text: string, line: number, name: string, value: number): string {
  const lines = text.split('\n');
  lines[line] = lines[line].replace(new RegExp(`\\b${name} = [^,)]+`), `${name} = ${value}`);
  return lines.join('\n');
}

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

type Posted = { type: string; [k: string]: unknown };
const posted = async (type: string) => (await h.posted()).filter((m) => m.type === type) as Posted[];

async function cursorOn(line: number): Promise<void> {
  await h.send({ type: 'cursor', uri: DOC_URI, position: { line, character: 2 } });
}

/** Moves a slider's input to a position (its min, its max, or a number) as a drag would. */
async function moveSlider(param: string, to: 'min' | 'max' | number, release = true): Promise<void> {
  const input = h.page.locator(`.slider[data-param="${param}"] input`);
  await input.waitFor();
  await input.evaluate(
    (el: HTMLInputElement, { to, release }) => {
      el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      el.value = to === 'min' ? el.min : to === 'max' ? el.max : String(to);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      if (release) {
        el.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    },
    { to, release },
  );
}

test('every slider spans only valid values: dragged to either end it writes a value the language accepts', async () => {
  h = await openPreview(browser);
  const analysis = evaluate(DOC);
  assert.deepEqual(
    analysis.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the document is valid',
  );
  await h.sendAnalysis(analysis, 1);
  const checked: string[] = [];
  for (const [param, line] of Object.entries(LINE)) {
    if (param === 'own' || param === 'shared' || param === 'expression') continue;
    await cursorOn(line);
    for (const end of ['min', 'max'] as const) {
      const before = (await posted('setParameter')).length;
      await moveSlider(param, end);
      const writes = (await posted('setParameter')).slice(before);
      assert.equal(writes.length, 1, `${param} at its ${end}: one write (${JSON.stringify(writes)})`);
      const value = writes[0].value as number;
      const r = analysis.results.find((x) => x.range.start.line === line)!;
      const spec = paramSpec(querySpec(r.query)!, param)!;
      const what = `${r.query} ${param} at its ${end} writes ${value}`;
      assert.ok(spec.minExclusive ? value > spec.min! : value >= spec.min!, `${what}: above the lower bound`);
      if (param === 'delta') assert.ok(value <= MAX_KL, `${what}: at most the maximum KL ${MAX_KL}`);
      if (param === 'rate') assert.ok(value <= MAX_KL / 8, `${what}: at most the maximum KL per token`);
      if (param === 'N') assert.ok(Number.isInteger(value), `${what}: a whole N`);
      // The language accepts the written value: no error anywhere, and the query has a value.
      const written = evaluate(withValue(DOC, line, param, value));
      const errors = written.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `${what}: no error diagnostic`);
      assert.ok(
        written.results.find((x) => x.range.start.line === line)?.value,
        `${what}: the query has a value`,
      );
      checked.push(`${param} ${end} ${value}`);
    }
  }
  assert.equal(checked.length, 14, checked.join('; '));
});

/** The methods' kinds (issue 11): one query per way of writing each slider parameter. */
const METHODS_DOC = `model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}
softbon(toy, N = 16, lambda = 2)
softbon(toy, logN = 3, beta = 0.5)
blockbon(toy, N = 4, block = 2)
reject(toy, threshold = 12)
reject(toy, accept = 0.05)
reject(toy, delta = 2)
winrate(toy, delta = 4, lambda = 1)
winrate(toy, delta = 4, beta = 1)
methods(toy, N = 1..64, steps = 8, lambda = 1, block = 4)
methods(toy, N = 1..64, steps = 8)
`;
/** 0-based line → the sliders its query offers (methods: λ and b also when not written). */
const METHODS_SLIDERS: Record<number, string[]> = {
  6: ['N', 'lambda'],
  7: ['logN', 'beta'],
  8: ['N', 'block'],
  9: ['threshold'],
  10: ['accept'],
  11: ['delta'],
  12: ['delta', 'lambda'],
  13: ['delta', 'beta'],
  14: ['lambda', 'block'],
  15: ['lambda', 'block'],
};

/** The text with `name = value` on `line`: replaced when written, else appended (as the server does). */
function withParam(text: string, line: number, name: string, value: number): string {
  const lines = text.split('\n');
  const written = new RegExp(`\\b${name} = [^,)]+`);
  lines[line] = written.test(lines[line])
    ? lines[line].replace(written, `${name} = ${value}`)
    : lines[line].replace(/\)\s*$/, `, ${name} = ${value})`);
  return lines.join('\n');
}

test('the methods’ sliders (N, λ/β, block, threshold, acceptance, Δ) dragged to either end write values the language accepts', async () => {
  h = await openPreview(browser);
  const analysis = evaluate(METHODS_DOC);
  assert.deepEqual(
    analysis.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the document is valid',
  );
  assert.ok(
    analysis.results.every((r) => r.value !== undefined),
    'every query has a value',
  );
  await h.sendAnalysis(analysis, 1);
  const checked: string[] = [];
  for (const [lineText, params] of Object.entries(METHODS_SLIDERS)) {
    const line = Number(lineText);
    await cursorOn(line);
    const r: QueryResult = analysis.results.find((x) => x.range.start.line === line)!;
    await h.page.waitForFunction(
      (n) => document.querySelectorAll('.sliders:not([hidden]) .slider').length === n,
      params.length,
    );
    const shown = await h.page.$$eval('.slider', (els) => els.map((e) => (e as HTMLElement).dataset.param));
    assert.deepEqual(shown, params, `${r.query} on line ${line + 1}: its sliders`);
    for (const param of params)
      for (const end of ['min', 'max'] as const) {
        const before = (await posted('setParameter')).length;
        await moveSlider(param, end);
        const writes = (await posted('setParameter')).slice(before);
        const what: string = `${r.query} (line ${line + 1}) ${param} at its ${end}`;
        assert.equal(writes.length, 1, `${what}: one write (${JSON.stringify(writes)})`);
        const value = writes[0].value as number;
        const spec = paramSpec(querySpec(r.query)!, param)!;
        if (spec.min !== undefined)
          assert.ok(
            spec.minExclusive ? value > spec.min : value >= spec.min,
            `${what} = ${value}: above the lower bound`,
          );
        if (spec.max !== undefined) assert.ok(value <= spec.max, `${what} = ${value}: at most ${spec.max}`);
        if (param === 'N') assert.ok(Number.isInteger(value), `${what} = ${value}: a whole N`);
        if (param === 'block') assert.ok(8 % value === 0, `${what} = ${value}: divides the length 8`);
        if (param === 'threshold')
          assert.ok(value >= 0 && value <= 16, `${what} = ${value}: a level of R in [0, 16]`);
        if (param === 'delta') assert.ok(value <= MAX_KL, `${what} = ${value}: at most the maximum KL`);
        const written = evaluate(withParam(METHODS_DOC, line, param, value));
        const errors = written.diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(errors, [], `${what} = ${value}: no error diagnostic`);
        const result = written.results.find((x) => x.range.start.line === line);
        assert.ok(result?.value, `${what} = ${value}: the query has a value (${result?.error})`);
        checked.push(`${r.query}:${line + 1} ${param} ${end} ${value}`);
      }
  }
  // Both ends of the block slider are the extreme divisors: token-level (b = 1) and whole sequences.
  assert.ok(
    checked.includes('blockbon:9 block min 1') && checked.includes('blockbon:9 block max 8'),
    checked.join('; '),
  );
  assert.equal(checked.length, 2 * Object.values(METHODS_SLIDERS).flat().length, checked.join('; '));
});

test('sliders keep writing to the newest version while the document has errors (elsewhere or in the query)', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(evaluate(DOC), 1);
  // An error elsewhere: the cumulants query names a model that does not exist.
  const broken = DOC.replace('cumulants(toy,', 'cumulants(tyo,');
  const v2 = evaluate(broken);
  assert.ok(v2.diagnostics.some((d) => d.severity === 'error'));
  await h.sendAnalysis(v2, 2);
  await cursorOn(LINE.alpha);
  await moveSlider('alpha', 3);
  const first = (await posted('setParameter')).pop();
  assert.equal(first?.version, 2, `written against the newest version: ${JSON.stringify(first)}`);
  assert.ok(first?.literal, 'its literal range is the newest too');
  // The query under the slider itself fails now (α = 0 is out of range): the slider stays, with
  // the last value, and still writes to the newest version (without a literal range, which may be stale).
  const v3 = evaluate(withValue(broken, LINE.alpha, 'alpha', 0));
  assert.ok(v3.results.find((r) => r.range.start.line === LINE.alpha)?.error);
  await h.sendAnalysis(v3, 3);
  await h.page.locator('.slider[data-param="alpha"] input').waitFor();
  assert.equal(await h.page.textContent('.slider[data-param="alpha"] output'), '2');
  await moveSlider('alpha', 1.5);
  const second = (await posted('setParameter')).pop();
  assert.equal(second?.version, 3, JSON.stringify(second));
  assert.equal(second?.literal, undefined, 'no stale literal range');
  // The charts keep the query's last value meanwhile, and the banner says so.
  const alphaPoints = await h.page.evaluate(
    () =>
      window
        .alignLab!.view('renyi')!
        .chart.data.datasets.find((d) => String(d.label).startsWith('queried α'))!.data.length,
  );
  assert.equal(alphaPoints, 1);
  assert.match((await h.page.textContent('.banner')) ?? '', /show their last results/);
});

test('a slider on a let reference or an expression says beforehand what moving it rewrites', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(evaluate(DOC), 1);
  const note = async (line: number, param: string) => {
    await cursorOn(line);
    const el = h.page.locator(`.slider[data-param="${param}"] .note`);
    await el.waitFor({ state: 'attached' });
    return {
      text: (await el.isVisible()) ? ((await el.textContent()) ?? '') : '',
      warns: await el.evaluate((e) => e.classList.contains('breaks-link')),
    };
  };
  assert.deepEqual(await note(LINE.delta, 'delta'), { text: '', warns: false }, 'a literal: nothing to say');
  const own = await note(LINE.own, 'delta');
  assert.match(own.text, /^Moves the value of let own \(line 7\); this query keeps its reference to it\.$/);
  assert.equal(own.warns, false);
  const shared = await note(LINE.shared, 'lambda');
  assert.match(shared.text, /λ = shared, which is used in 2 places: moving this slider writes a number here/);
  assert.equal(shared.warns, true);
  const expression = await note(LINE.expression, 'delta');
  assert.match(
    expression.text,
    /Δ is written as an expression: moving this slider replaces it with a number/,
  );
  assert.equal(expression.warns, true);
  // No literal range is offered for a reference (the extension must ask the server, which moves the let).
  await moveSlider('delta', 3);
  const write = (await posted('setParameter')).pop();
  assert.equal(write?.literal, undefined, JSON.stringify(write));
});

/**
 * Plays the extension and the server for `previewParameter`: answers every request not answered
 * yet with the query evaluated at the requested value (unless `hold`), and returns the requests.
 */
async function answerPreviews(text: string, answered: Set<number>, hold = false): Promise<Posted[]> {
  const requests = await posted('previewParameter');
  if (hold) return requests;
  for (const m of requests) {
    const seq = m.seq as number;
    if (answered.has(seq)) continue;
    answered.add(seq);
    const line = (m.query as { start: { line: number } }).start.line;
    const edited = evaluate(withValue(text, line, m.name as string, m.value as number));
    const result = edited.results.find((r) => r.range.start.line === line);
    await h.send({ type: 'parameterPreview', uri: DOC_URI, seq, result });
  }
  return requests;
}

test('dragging previews the query live (one request in flight, the newest value) and writes once on release', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(evaluate(DOC), 1);
  await cursorOn(LINE.delta);
  const input = h.page.locator('.slider[data-param="delta"] input');
  await input.waitFor();
  const tiltX = () =>
    h.page.evaluate(() => {
      const ds = window
        .alignLab!.view('frontier')!
        .chart.data.datasets.find((d) => String(d.label) === 'KL-RL (tilt) · toy')!;
      return (ds.data as { x: number }[]).map((p) => p.x);
    });
  const formula = () => h.page.getAttribute('.formula[data-kind="tilt"] .math', 'data-values');
  assert.ok((await tiltX()).includes(4));
  const box = (await input.boundingBox())!;
  const y = box.y + box.height / 2;
  const answered = new Set<number>();
  await h.page.mouse.move(box.x + box.width * (4 / MAX_KL), y);
  await h.page.mouse.down();
  // While the first request is unanswered, further moves send nothing: the newest value waits.
  for (const f of [0.4, 0.45, 0.5]) await h.page.mouse.move(box.x + box.width * f, y, { steps: 3 });
  const held = await answerPreviews(DOC, answered, true);
  assert.equal(held.length, 1, `one request in flight: ${JSON.stringify(held)}`);
  // Answered: the charts and formulas move before anything is written; the waiting value goes next.
  await answerPreviews(DOC, answered);
  await h.page.waitForFunction(
    () =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter(
        (m) => m.type === 'previewParameter',
      ).length >= 2,
  );
  await answerPreviews(DOC, answered);
  for (const f of [0.6, 0.7]) {
    await h.page.mouse.move(box.x + box.width * f, y, { steps: 2 });
    await h.page.waitForTimeout(50);
    await answerPreviews(DOC, answered);
  }
  await h.page.waitForTimeout(100);
  await answerPreviews(DOC, answered);
  const previews = await posted('previewParameter');
  assert.ok(previews.length >= 3, `several previews while dragging: ${previews.length}`);
  assert.deepEqual(
    previews.map((m) => m.seq),
    previews.map((_, i) => i + 1),
    'numbered in order',
  );
  assert.equal((await posted('setParameter')).length, 0, 'nothing written while dragging');
  const last = previews[previews.length - 1].value as number;
  await h.page.waitForFunction((x) => {
    const ds = window
      .alignLab!.view('frontier')!
      .chart.data.datasets.find((d) => String(d.label) === 'KL-RL (tilt) · toy')!;
    return (ds.data as { x: number }[]).some((p) => Math.abs(p.x - x) < 1e-9);
  }, last);
  assert.ok(!(await tiltX()).includes(4), 'the dragged tilt moved');
  const values = (await formula()) ?? '';
  assert.ok(values.includes(`p^n) = ${last};`), `the formula shows KL = ${last}: ${values}`);
  // Release: one write, of the value shown.
  await h.page.mouse.up();
  await h.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'setParameter'),
  );
  await h.page.waitForTimeout(100);
  const writes = await posted('setParameter');
  assert.equal(writes.length, 1, JSON.stringify(writes));
  assert.equal(writes[0].value, last);
  assert.equal(writes[0].version, 1);
  // Until the new results arrive, the charts and the slider keep the released value (no jump back to Δ = 4).
  await answerPreviews(DOC, answered);
  assert.ok(!(await tiltX()).includes(4));
  assert.equal(await h.page.textContent('.slider[data-param="delta"] output'), formatNumber(last));
  await h.sendAnalysis(evaluate(withValue(DOC, LINE.delta, 'delta', last)), 2);
  assert.ok((await tiltX()).includes(last));
});

test('keys move a focused slider (preview at once) and write once they rest; a refusal is shown under it', async () => {
  h = await openPreview(browser);
  await h.sendAnalysis(evaluate(DOC), 1);
  await cursorOn(LINE.beta);
  const input = h.page.locator('.slider[data-param="beta"] input');
  await input.waitFor();
  await input.focus();
  const focusRing = await input.evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(focusRing, 'none', 'a visible focus ring');
  for (let i = 0; i < 3; i++) await h.page.keyboard.press('ArrowRight');
  assert.ok((await posted('previewParameter')).length >= 1, 'previewed while the keys move it');
  assert.equal((await posted('setParameter')).length, 0, 'not written while the keys move it');
  await h.page.waitForFunction(
    () =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter(
        (m) => m.type === 'setParameter',
      ).length === 1,
    undefined,
    { timeout: 3000 },
  );
  const write = (await posted('setParameter'))[0];
  assert.ok((write.value as number) > 0.5, `three steps right raise β: ${JSON.stringify(write)}`);
  // Keys, then the cursor moves to another query before they rest: the value goes to the query
  // the slider belonged to.
  await h.page.keyboard.press('ArrowLeft');
  await cursorOn(LINE.alpha);
  await h.page.waitForFunction(
    () =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter(
        (m) => m.type === 'setParameter',
      ).length === 2,
  );
  const moved = (await posted('setParameter'))[1];
  assert.equal(moved.name, 'beta');
  assert.deepEqual((moved.query as { start: unknown }).start, { line: LINE.beta, character: 0 });
  await cursorOn(LINE.beta);
  await input.focus();
  // Home: the smallest β the slider offers, still > 0.
  await h.page.keyboard.press('Home');
  await h.page.waitForFunction(
    () =>
      (window as unknown as { __posted: { type: string }[] }).__posted.filter(
        (m) => m.type === 'setParameter',
      ).length === 3,
  );
  const home = (await posted('setParameter'))[2].value as number;
  assert.ok(home > 0 && home <= 0.01, `Home writes the smallest β, above 0: ${home}`);
  // The extension answers a write with the server's refusal: said under the slider.
  await h.send({
    type: 'parameterRefused',
    uri: DOC_URI,
    message: "'beta' of tilt must lie in (0, ∞), not 0",
  });
  const note = h.page.locator('.slider[data-param="beta"] .note.refused');
  await note.waitFor();
  assert.equal(await note.getAttribute('role'), 'alert');
  assert.match((await note.textContent()) ?? '', /must lie in \(0, ∞\)/);
});
