// Speed of the .align pipeline (targets from the language brief). Warm medians.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisCache, analyze, check, parse } from '../src/language/index.js';
import { bigModelSource } from './cli.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Process CPU time of the last `time` call's median run: on a loaded machine wall time lies more. */
let lastCpu = 0;

/** Runs `f` `warm` times untimed, then `runs` times timed; returns the median wall time in ms. */
function time(f: (i: number) => void, runs: number, warm = 3): number {
  for (let i = 0; i < warm; i++) f(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  lastCpu = median(cpu);
  return median(wall);
}

function report(name: string, ms: number, target: number): void {
  const over = ms > target ? '  ← OVER TARGET' : '';
  console.log(
    `${name}: median ${ms.toFixed(2)} ms (target ≤ ${target} ms) [cpu ${lastCpu.toFixed(2)} ms]${over}`,
  );
}

/** A 10,000-line file: models, lets and queries in realistic proportions. */
export function bigFile(lines: number): string {
  const out: string[] = [];
  let i = 0;
  while (out.length < lines) {
    out.push(
      `model m${i} {`,
      '  vocab a b c d',
      '  p 0.4 0.3 0.2 0.1',
      '  reward 0 1 2 3',
      '  length 16',
      '}',
    );
    out.push(`let d${i} = 0.25 * ${i % 7} + 1 # comment`);
    out.push(
      `tilt(m${i}, delta = d${i})`,
      `cumulants(m${i}, lambda = 1, order = 4)`,
      `renyi(m${i}, alpha = 2)`,
    );
    i++;
  }
  return out.slice(0, lines).join('\n');
}

/** A model of `k` tokens given inline on three lines. */
export function wideModel(k: number): string {
  const vocab: string[] = [];
  const p: string[] = [];
  const r: string[] = [];
  for (let i = 0; i < k; i++) {
    vocab.push(`t${i}`);
    p.push(String(1 / k));
    r.push(String(i % 11));
  }
  return `model gpt {\nvocab ${vocab.join(' ')}\np ${p.join(' ')}\nreward ${r.join(' ')}\n}\ntilt(gpt, delta = 1)\n`;
}

/**
 * A fixed pure-JavaScript workload (a dependent chain of 10⁷ multiply-adds), printed with the
 * figures so that numbers taken on a busy machine can be put in proportion with an idle one.
 */
function calibration(): number {
  return time(
    () => {
      let x = 0;
      for (let i = 0; i < 1e7; i++) x = x * 0.9999999 + 1;
      if (x < 0) console.log(x);
    },
    5,
    1,
  );
}

export async function run(): Promise<void> {
  console.log(
    `calibration: 1e7 multiply-adds: median ${calibration().toFixed(1)} ms [cpu ${lastCpu.toFixed(1)} ms] (machine speed reference)`,
  );
  const paper = readFileSync(join(import.meta.dirname, '..', 'examples', 'paper.align'), 'utf8');
  const evaluated = analyze(paper);
  const failed = evaluated.results.filter((r) => r.error);
  if (failed.length > 0)
    console.log(
      `note: ${failed.length} paper.align queries failed: ${failed.map((f) => f.error).join('; ')}`,
    );

  // The editor's steady state: parse + check + evaluate (no cache) on every keystroke. "Warm"
  // means JIT-warm, as in a language server that has evaluated the document many times: 20
  // untimed runs first (with 3, the timed runs still paid for optimising compilations).
  report(
    'paper.align parse+check+evaluate (no cache)',
    time(() => analyze(paper), 15, 20),
    5,
  );

  // One-character edit inside one query, with the per-document cache: only that query re-runs.
  const cache = new AnalysisCache();
  analyze(paper, { cache });
  const anchor = paper.indexOf('steps = 64');
  const edited = (i: number) =>
    `${paper.slice(0, anchor)}steps = ${60 + (i % 9)}${paper.slice(anchor + 'steps = 64'.length)}`;
  report(
    'paper.align re-evaluation after a one-character edit (cache)',
    time((i) => analyze(edited(i), { cache }), 30),
    2,
  );

  const big = bigFile(10_000);
  report(
    '10,000-line file parse+check',
    time(
      () => {
        const parsed = parse(big);
        check(parsed.ast, parsed.lines);
      },
      5,
      1,
    ),
    100,
  );

  const wide = wideModel(50_257);
  report(
    '50,257-token model (3 lines) parse',
    time(() => parse(wide), 5, 1),
    150,
  );
  // The CLI benchmark's file (bench/cli.ts): 12-digit probabilities, 50,257 distinct rewards.
  const gpt = bigModelSource();
  report(
    'GPT-2-sized model of bench/cli.ts parse+check',
    time(
      () => {
        const parsed = parse(gpt);
        check(parsed.ast, parsed.lines);
      },
      5,
      1,
    ),
    150,
  );
  report(
    '50,257-token model parse+check+tilt',
    time(() => analyze(wide), 3, 1),
    400,
  );
}
