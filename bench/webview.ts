// The preview's speed in headless Chromium: payload → all charts, formulas and banner updated
// (alternating two versions of the paper example so every update really changes data), the first
// draw, and the bundle size. Uses `align-lab eval examples/paper.align --json` when the CLI is built,
// else the recorded payload test/webview/payloads/paper.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from '../src/language/results.js';
import { root, webviewBundle } from '../test/webview/bundle.js';
import { launch, openPreview, payload } from '../test/webview/harness.js';

const ROUNDS = 30;

function paperAnalysis(): { analysis: Analysis; source: string } {
  const cli = join(root, 'dist/cli.js');
  const example = join(root, 'examples/paper.align');
  if (existsSync(cli) && existsSync(example)) {
    const r = spawnSync(process.execPath, [cli, 'eval', example, '--json'], { encoding: 'utf8' });
    try {
      return { analysis: JSON.parse(r.stdout) as Analysis, source: 'examples/paper.align via the CLI' };
    } catch {
      // Fall through to the recorded payload.
    }
  }
  return { analysis: payload('paper'), source: 'test/webview/payloads/paper.json' };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

export async function run(): Promise<void> {
  const bundle = await webviewBundle();
  const kb = (s: string) => Buffer.byteLength(s) / 1024;
  console.log(
    `webview bundle: ${kb(bundle.script).toFixed(0)} KB js (target ≤ 1024 KB), ${kb(bundle.style).toFixed(0)} KB css incl. KaTeX fonts`,
  );

  const { analysis, source } = paperAnalysis();
  // The second version changes every number (per-token budget 0.5 → 0.6): a worst-case edit.
  const second = source.includes('CLI') ? payload('paper-v2') : payload('paper');
  const browser = await launch();
  try {
    const h = await openPreview(browser);
    // Main-thread CPU time (load-independent, unlike wall time on a busy machine).
    const cdp = await h.page.context().newCDPSession(h.page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpu = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) *
      1000;
    const update = (x: Analysis, version: number) =>
      h.page.evaluate(
        ({ x, version }) => {
          const t0 = performance.now();
          // structuredClone stands in for the postMessage deserialisation the real webview pays.
          window.alignLab!.receive({
            type: 'analysis',
            uri: 'bench',
            version,
            analysis: structuredClone(x),
            pending: false,
          });
          return performance.now() - t0;
        },
        { x, version },
      );
    const settle = () => h.page.waitForFunction(() => window.alignLab?.pending === false);
    const first = await update(analysis, 0);
    await settle();
    const wall: number[] = [];
    const cpuSync: number[] = [];
    const cpuAll: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const c0 = await cpu();
      wall.push(await update(i % 2 ? second : analysis, i));
      const c1 = await cpu();
      await settle();
      const c2 = await cpu();
      cpuSync.push(c1 - c0);
      cpuAll.push(c2 - c0);
    }
    console.log(
      `  (payload: ${source}; ${analysis.results.length} queries; 1200×900 viewport; load average ${loadavg()[0].toFixed(1)})`,
    );
    console.log(`webview first draw: median ${first.toFixed(1)} ms (target ≤ 250 ms)`);
    console.log(
      `webview payload → all charts updated: median ${median(wall).toFixed(1)} ms (target ≤ 16 ms)`,
    );
    console.log(
      `webview payload → visible charts updated, main-thread CPU: median ${median(cpuSync).toFixed(1)} ms (target ≤ 16 ms)`,
    );
    console.log(
      `webview payload → every chart incl. deferred off-screen ones, CPU: median ${median(cpuAll).toFixed(1)} ms (target ≤ 50 ms)`,
    );
    await h.close();
  } finally {
    await browser.close();
  }
}
