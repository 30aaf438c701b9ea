// The web extension: the same .vsix forced into the browser's web-worker extension host
// (user setting "remote.extensionKind": { "align-lab.align-lab": ["web"] }), where it runs
// dist/extension-browser.js and the language server dist/server-browser.js in a worker, as in
// vscode.dev. Checks that it really runs there, and that diagnostics and hovers (which then can only come
// from the browser language server) and the preview work.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { CHARTS, hoverRowsAt, isPainted, LINES, previewState, SAMPLE, SAMPLE_FILE } from './align.js';
import { Workbench, waitFor } from './harness.js';

describe('web worker: Align Lab as a web extension in code-server', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.start({
      name: 'webworker',
      files: { [SAMPLE_FILE]: SAMPLE },
      settings: { 'remote.extensionKind': { 'align-lab.align-lab': ['web'] } },
    });
    await wb.openFile(SAMPLE_FILE);
  });
  afterEach(async () => {
    await wb?.step('end-of-test');
  });
  after(async () => {
    await wb?.close();
  });

  test('the extension runs in the web-worker host (the browser fetches dist/extension-browser.js)', async () => {
    // Only the web-worker host loads extension code over HTTP; the node host reads it from disk.
    const ours = () => wb.browserFetched.filter((p) => /align-lab\.align-lab-[^/]+\/dist\//.test(p));
    await waitFor('dist/extension-browser.js to be fetched by the browser', () =>
      ours().some((p) => p.endsWith('/dist/extension-browser.js')),
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the browser fetched: ${ours().join(', ') || 'none of dist/'}`);
    });
    assert.match(await wb.languageStatus(), /^Align$/i);
  });

  test('diagnostics and hovers come from the browser language server', async () => {
    const editor = wb.activeEditor();
    await wb.goTo(LINES.tilt, 9);
    await wb.page.keyboard.type('y');
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
    await wb.step('webworker-squiggle');
    await wb.page.keyboard.press('Backspace');
    await waitFor(
      'the squiggle to clear',
      async () => (await editor.locator('.squiggly-error').count()) === 0,
    );
    const { rows } = await hoverRowsAt(wb, LINES.tilt, 2);
    assert.ok(
      rows.some((r) => r[0]?.startsWith('λ')),
      JSON.stringify(rows),
    );
    await wb.page.keyboard.press('Escape');
  });

  test('the preview opens with every chart painted', async () => {
    await wb.runCommand('Align Lab: Open Preview to the Side');
    const frame = await wb.webviewFrame();
    const state = await waitFor(
      'every chart to be painted',
      async () => {
        const s = await previewState(frame);
        return s.cards.length === CHARTS.length && s.cards.every(isPainted) && s;
      },
      { timeoutMs: 30_000 },
    );
    await wb.step('webworker-preview');
    assert.equal(state.cards.length, CHARTS.length);
  });
});
