/**
 * Align Lab specifics shared by the e2e scenarios: the sample document (one query of every chart kind),
 * the CLI's numbers for it, and readers for the editor's hover and the preview webview.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { canvasStats, repoRoot, type Workbench, waitFor } from './harness.js';

export const SAMPLE_FILE = 'e2e/toy.align';

/** Line numbers (1-based) of the statements below, for goTo(). */
export const LINES = { tilt: 9, bon: 10, frontier: 11, renyi: 15 } as const;

export const SAMPLE = `# End-to-end sample: a three-token model and one query of every kind.
model toy {
  vocab  a b c
  p      0.5 0.3 0.2
  reward 0 1 2
  length 8
}

tilt(toy, delta = 4)
bon(toy, N = 16)
frontier(toy, steps = 64)
equivalence(toy, rate = 0.5, n = 1..64)
rate(toy, delta = 4, x = 0..2)
cumulants(toy, lambda = 1, order = 4)
renyi(toy, alpha = 2)
`;

/** 1-based column of `text` on 1-based `line` of SAMPLE (for goTo). */
export function columnOf(line: number, text: string): number {
  const col = SAMPLE.split('\n')[line - 1]?.indexOf(text) ?? -1;
  if (col < 0) throw new Error(`"${text}" is not on line ${line} of the sample`);
  return col + 1;
}

/**
 * The chart cards the preview shows for SAMPLE, in display order (src/protocol/preview.ts CHART_IDS;
 * the methods and Markov groups are hidden without their queries).
 */
export const CHARTS = ['frontier', 'bon', 'equivalence', 'rate', 'cumulants', 'renyi', 'tokens'] as const;

/** `node dist/cli.js eval --json FILE` (dist/ is built by packaging; ALIGN_LAB_CLI overrides the path). */
export function cliEval(file: string): {
  results: { query: string; model: string; value?: Record<string, unknown>; error?: string }[];
} {
  const cli = process.env.ALIGN_LAB_CLI ?? join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: packaging should have built it`);
  const run = spawnSync(process.execPath, [cli, 'eval', '--json', file], { encoding: 'utf8' });
  if (!run.stdout.trim().startsWith('{')) {
    throw new Error(
      `align-lab eval --json ${file} printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`,
    );
  }
  return JSON.parse(run.stdout);
}

/** Parses the editor's number format (src/server/numbers.ts): true minus, `∞`, `1.2e-5`. */
export function parseShown(text: string): number {
  const t = text.trim().replace(/−/g, '-');
  if (t === '∞') return Number.POSITIVE_INFINITY;
  if (t === '-∞') return Number.NEGATIVE_INFINITY;
  return Number(t);
}

/** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its table rows as [label, value] pairs. */
export async function hoverRowsAt(
  wb: Workbench,
  line: number,
  column: number,
): Promise<{ text: string; rows: string[][] }> {
  await wb.goTo(line, column);
  const hover = wb.page.locator('.monaco-hover:not(.hidden)').filter({ has: wb.page.locator('table') });
  await waitFor(
    'a hover with a table',
    async () => {
      if (await hover.first().isVisible()) return true;
      await wb.page.keyboard.press('Control+K');
      await wb.page.keyboard.press('Control+I');
      await hover
        .first()
        .waitFor({ state: 'visible', timeout: 3000 })
        .catch(() => {});
      return hover.first().isVisible();
    },
    { timeoutMs: 30_000, intervalMs: 300 },
  );
  const text = (await hover.first().textContent()) ?? '';
  const rows = await hover
    .first()
    .locator('tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td,th')].map((c) => (c.textContent ?? '').trim())),
    );
  return { text, rows };
}

/** The value cell of the hover row whose label starts with `label`. */
export function rowValue(rows: string[][], label: string): number {
  const row = rows.find((r) => r[0]?.startsWith(label));
  if (!row) throw new Error(`the hover has no row "${label}": ${JSON.stringify(rows)}`);
  return parseShown(row[1] ?? '');
}

export interface PreviewState {
  renders: number;
  bodyClass: string;
  cards: { id: string; empty: boolean; width: number; height: number; colours: number; signature: string }[];
}

/** Reads the preview: its render counter, theme class, and every chart card's canvas pixels. */
export async function previewState(frame: Frame): Promise<PreviewState> {
  const canvases = await canvasStats(frame);
  const meta = await frame.evaluate(() => ({
    renders: Number(document.body.dataset.renders ?? '0'),
    bodyClass: document.body.className,
    // The shown cards (the methods and Markov groups are hidden while they have nothing to draw).
    cards: [...document.querySelectorAll<HTMLElement>('section.card:not([hidden])')].map((card) => ({
      id: card.dataset.chart ?? card.id,
      empty: card.classList.contains('is-empty'),
      canvasIndex: [...document.querySelectorAll('canvas')].indexOf(
        card.querySelector('canvas') as HTMLCanvasElement,
      ),
    })),
  }));
  return {
    renders: meta.renders,
    bodyClass: meta.bodyClass,
    cards: meta.cards.map((c) => {
      const cv = canvases[c.canvasIndex];
      return {
        id: c.id,
        empty: c.empty,
        width: cv?.width ?? 0,
        height: cv?.height ?? 0,
        colours: cv?.colours ?? 0,
        signature: cv?.signature ?? '',
      };
    }),
  };
}

/** A card counts as painted when it has data and its canvas shows more than a background and axes. */
export const isPainted = (c: PreviewState['cards'][number]): boolean =>
  !c.empty && c.width > 0 && c.height > 0 && c.colours >= 8;

/** Average luminance (0…1) of the pixels at the canvas's border, i.e. the chart background. */
export async function chartBackgroundLuminance(frame: Frame, chart: string): Promise<number> {
  return frame.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`section.card[data-chart="${id}"] canvas`);
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return Number.NaN;
    const d = ctx.getImageData(0, 0, canvas.width, 2).data;
    let sum = 0;
    let n = 0;
    for (let p = 0; p < d.length; p += 4) {
      const a = d[p + 3] / 255;
      // Transparent pixels show the page background behind the canvas.
      const bg = getComputedStyle(document.body).backgroundColor.match(/\d+/g)?.map(Number) ?? [0, 0, 0];
      const rgb = [0, 1, 2].map((k) => d[p + k] * a + bg[k] * (1 - a));
      sum += (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
      n++;
    }
    return sum / n;
  }, chart);
}
