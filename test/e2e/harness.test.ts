// Proves the e2e harness on a throwaway extension (test/e2e/fixtures/probe-extension): code-server starts,
// a .vsix installs into a fresh profile, the extension activates in the node extension host — and in the
// web-worker extension host when forced — and a webview's text and canvas pixels can be read. When this
// file fails, the infrastructure is broken; when only the Align Lab scenarios fail, the extension is.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canvasStats, packageFolder, repoRoot, Workbench } from './harness.js';

const probe = join(repoRoot, 'test', 'e2e', 'fixtures', 'probe-extension');
const probeId = 'align-lab-tests.e2e-probe';

for (const host of ['node', 'webworker'] as const) {
  describe(`harness: probe extension in the ${host} extension host`, () => {
    let wb: Workbench;
    before(async () => {
      wb = await Workbench.start({
        name: `harness-${host}`,
        vsix: packageFolder(probe),
        settings: host === 'webworker' ? { 'remote.extensionKind': { [probeId]: ['web'] } } : {},
        files: { 'hello.txt': 'hello\n' },
      });
    });
    after(async () => {
      await wb?.close();
    });

    test('activates and reports its extension host in the status bar', async () => {
      const item = wb.page.locator('.statusbar-item', { hasText: /e2e-probe:/ });
      await item.first().waitFor({ timeout: 30_000 });
      assert.equal((await item.first().textContent())?.trim(), `e2e-probe:${host}`);
      // How webworker.test.ts tells the hosts apart: only the web worker fetches the code over HTTP.
      const fetched = wb.browserFetched.filter((p) => p.endsWith('e2e-probe-0.0.1/extension.js'));
      assert.equal(
        fetched.length > 0,
        host === 'webworker',
        `the browser fetched: ${wb.browserFetched.join(', ')}`,
      );
    });

    test('a command from the palette opens a webview whose text and canvas can be read', async () => {
      await wb.runCommand('E2E Probe: Open Webview');
      const frame = await wb.webviewFrame();
      await frame.locator('#probe').waitFor();
      assert.equal(await frame.locator('#probe').textContent(), `probe-ok from ${host}`);
      const [canvas] = await canvasStats(frame);
      assert.ok(canvas, 'the webview has a canvas');
      assert.ok(canvas.colours >= 2, `the canvas is painted (${canvas.colours} colours)`);
      await wb.step('probe-webview');
    });
  });
}
