// The editor side of the packaged extension in a real workbench: language mode, highlighting,
// diagnostics (squiggle + Problems, cleared by the fix), hover numbers equal to the CLI's, inlay hints
// and completion. One code-server for the file; each test leaves the document as it found it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { cliEval, hoverRowsAt, LINES, rowValue, SAMPLE, SAMPLE_FILE } from './align.js';
import { Workbench, waitFor } from './harness.js';

describe('editor: Align Lab language features in code-server', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.start({ name: 'editor', files: { [SAMPLE_FILE]: SAMPLE } });
    await wb.openFile(SAMPLE_FILE);
    await wb.step('sample-open');
  });
  afterEach(async () => {
    await wb?.step('end-of-test');
  });
  after(async () => {
    await wb?.close();
  });

  test('the status bar shows the Align language mode', async () => {
    const mode = await waitFor('the language mode to be Align', async () => {
      const text = await wb.languageStatus();
      return /^align$/i.test(text) && text;
    });
    assert.match(mode, /^Align$/i);
  });

  test('the source is highlighted (keywords, numbers and names in different colours)', async () => {
    const colours = await waitFor(
      'at least 3 token colours in the editor',
      async () => {
        const c = await wb
          .activeEditor()
          .locator('.view-lines')
          .evaluate((el) => {
            const set = new Set<string>();
            for (const span of el.querySelectorAll<HTMLElement>('.view-line span span')) {
              if ((span.textContent ?? '').trim()) set.add(getComputedStyle(span).color);
            }
            return [...set];
          });
        return c.length >= 3 && c;
      },
      { timeoutMs: 20_000 },
    );
    const keyword = await wb
      .activeEditor()
      .locator('.view-line span span', { hasText: /^model$/ })
      .first()
      .evaluate((e) => getComputedStyle(e).color);
    const plain = await wb
      .activeEditor()
      .locator('.view-line span span', { hasText: /^\{$/ })
      .first()
      .evaluate((e) => getComputedStyle(e).color)
      .catch(() => '');
    assert.notEqual(
      keyword,
      plain,
      `'model' is coloured as a keyword (${keyword}); colours: ${colours.join(', ')}`,
    );
    await wb.step('highlighting');
  });

  test('a planted mistake gets a squiggle and a Problems entry; fixing it clears both', async () => {
    const editor = wb.activeEditor();
    // tilt(toy, …) → tilt(toyy, …): an unknown model.
    await wb.goTo(LINES.tilt, 9);
    await wb.page.keyboard.type('y');
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
    const rows = await waitFor('a Problems entry for line 9', async () => {
      const r = await wb.problems();
      return r.some((t) => /toyy/.test(t) || /Ln 9\b/.test(t)) && r;
    });
    await wb.step('mistake-squiggle-and-problem');
    assert.ok(rows.length >= 1, `Problems: ${rows.join(' / ')}`);

    await wb.goTo(LINES.tilt, 10);
    await wb.page.keyboard.press('Backspace');
    await waitFor(
      'the squiggle to clear',
      async () => (await editor.locator('.squiggly-error').count()) === 0,
    );
    await waitFor('the Problems panel to clear', async () => {
      const r = await wb.problems();
      return !r.some((t) => /toyy/.test(t) || /Ln 9\b/.test(t));
    });
    assert.match(await wb.editorText(), /tilt\(toy, delta = 4\)/);
    await wb.step('mistake-fixed');
  });

  test("hovering a query shows its numbers, equal to the CLI's eval --json", async () => {
    const cli = cliEval(join(wb.workspace, SAMPLE_FILE));
    const tilt = cli.results.find((r) => r.query === 'tilt');
    assert.ok(tilt?.value, `the CLI evaluates the tilt query: ${JSON.stringify(cli.results[0])}`);
    const { rows, text } = await hoverRowsAt(wb, LINES.tilt, 2);
    await wb.step('hover-tilt');
    const v = tilt.value as { lambda: number; kl: number; reward: number };
    // The hover shows 5 significant digits (alignLab.significantDigits): relative error ≤ 5e-5.
    const close = (shown: number, exact: number, what: string) =>
      assert.ok(
        Math.abs(shown - exact) <= 5e-5 * Math.abs(exact) + 1e-12,
        `${what}: hover ${shown}, CLI ${exact}\n${text}`,
      );
    close(rowValue(rows, 'λ'), v.lambda, 'λ');
    close(rowValue(rows, 'KL(φ'), v.kl, 'KL');
    close(rowValue(rows, 'E[R] under φ_λ'), v.reward, 'E[R]');
    await wb.page.keyboard.press('Escape');
  });

  test('inlay hints show each query’s headline value', async () => {
    const text = await waitFor('an inlay hint "→ λ = …" after the tilt query', async () => {
      const t = await wb.editorText();
      return /→\s*λ\s*=\s*[\d.]+/.test(t) && t;
    });
    await wb.step('inlay-hints');
    const tiltLine = text.split('\n').find((l) => l.includes('tilt(toy'));
    assert.match(tiltLine ?? '', /tilt\(toy, delta = 4\)\s*→\s*λ = [\d.]+, E\[R\] = [\d.]+/);
    assert.match(text, /bon\(toy, N = 16\)\s*→\s*E\[R\] = /);
  });

  test('completion offers the queries', async () => {
    await wb.goTo(LINES.renyi + 1, 1);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.type('b');
    const suggest = wb.page.locator('.suggest-widget.visible');
    await waitFor('the suggest widget', async () => {
      if (await suggest.isVisible()) return true;
      await wb.page.keyboard.press('Control+Space');
      await suggest.waitFor({ state: 'visible', timeout: 3000 }).catch(() => {});
      return suggest.isVisible();
    });
    const labels = await waitFor('bon among the suggestions', async () => {
      const l = await suggest.locator('.monaco-list-row .label-name').allInnerTexts();
      return l.some((x) => x.trim() === 'bon') && l;
    });
    await wb.step('completion');
    assert.ok(labels.includes('bon'), labels.join(', '));
    await wb.page.keyboard.press('Escape');
    // Type more of a query name: the list narrows to it.
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('t');
    await wb.page.keyboard.press('Control+Space');
    await waitFor('tilt among the suggestions', async () => {
      const l = await suggest.locator('.monaco-list-row .label-name').allInnerTexts();
      return l.some((x) => x.trim() === 'tilt');
    });
    await wb.page.keyboard.press('Escape');
  });
});
