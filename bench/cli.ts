// The CLI as a whole process against an equivalent numpy script: a 50,257-token model given
// inline (vocab, p and reward on three lines), `frontier(big, steps = 256)`, timed from process
// start to exit. Target: the CLI takes at most half the numpy script's time. Both runs are
// interleaved so machine load hits them alike; figures are medians. The generated file lives
// in a temp folder (seeded, so every run measures the same input).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mulberry32 as prng } from '../test/helpers/random.js';

const root = resolve(import.meta.dirname, '..');
const CLI = join(root, 'dist', 'cli.js');
const NUMPY_SCRIPT = join(root, 'bench', 'numpy_cli_frontier.py');
const PYTHON = '/usr/bin/python3';
const VOCAB = 50257;
const STEPS = 256;
const RUNS = 5;

/**
 * A GPT-2-sized toy: Zipf-like probabilities (p_k ∝ (k + 10)^−1.1, shuffled) and rewards drawn
 * uniformly from [−1, 1] with 6 decimals, so nearly every reward is distinct (the hard case: no
 * merging). p is written with 12 significant digits; its sum stays within 1e-9 of 1.
 */
export function bigModelSource(seed = 20240601): string {
  const rand = prng(seed);
  const weights = Array.from({ length: VOCAB }, (_, k) => (k + 10) ** -1.1);
  for (let i = VOCAB - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [weights[i], weights[j]] = [weights[j], weights[i]];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const p = weights.map((w) => (w / total).toPrecision(12));
  const reward = Array.from({ length: VOCAB }, () => (2 * rand() - 1).toFixed(6));
  const vocab = Array.from({ length: VOCAB }, (_, k) => `t${k}`);
  return [
    'model big {',
    `  vocab ${vocab.join(' ')}`,
    `  p ${p.join(' ')}`,
    `  reward ${reward.join(' ')}`,
    '  length 64',
    '}',
    `frontier(big, steps = ${STEPS})`,
    '',
  ].join('\n');
}

const TIME = '/usr/bin/time';
const MARK = '@@cpu';

interface Timed {
  /** Wall-clock time of the whole process. */
  ms: number;
  /** User + system CPU time (less sensitive to other load on the machine); NaN if unknown. */
  cpuMs: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a process to completion; CPU time comes from /usr/bin/time when it is installed. */
function timed(command: string, args: string[]): Timed {
  const withTime = existsSync(TIME);
  const [cmd, argv] = withTime ? [TIME, ['-f', `${MARK} %U %S`, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const run = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.error) throw run.error;
  let stderr = run.stderr;
  let cpuMs = Number.NaN;
  const at = stderr.lastIndexOf(MARK);
  if (withTime && at >= 0) {
    const [user, sys] = stderr
      .slice(at + MARK.length)
      .trim()
      .split(/\s+/)
      .map(Number);
    cpuMs = (user + sys) * 1000;
    stderr = stderr.slice(0, at);
  }
  return { ms, cpuMs, stdout: run.stdout, status: run.status, stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface CliAgainstNumpy {
  /** Medians of the whole-process wall time. */
  readonly cliMs: number;
  readonly numpyMs: number;
  readonly ratio: number;
  /** Medians of user + system CPU time (NaN without /usr/bin/time). */
  readonly cliCpuMs: number;
  readonly numpyCpuMs: number;
  /** numpy's D(λ), A′(λ) at the CLI's λs against the CLI's points. */
  readonly maxRelativeDifference: number;
}

/** The CLI and the numpy script on the same 50,257-token file, interleaved (see the module comment). */
export function measureCliAgainstNumpy(): CliAgainstNumpy {
  if (!existsSync(CLI)) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('build failed');
  }
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} (with numpy) is required for this benchmark`);
  const dir = mkdtempSync(join(tmpdir(), 'align-bench-cli-'));
  try {
    const file = join(dir, 'big.align');
    writeFileSync(file, bigModelSource());
    const cliArgs = [CLI, 'eval', file, '--json'];
    const pyArgs = [NUMPY_SCRIPT, file];

    // Correctness first: both succeed, the CLI returns 256 points, and numpy agrees with them.
    const first = timed(process.execPath, cliArgs);
    if (first.status !== 0) throw new Error(`CLI exited ${first.status}: ${first.stderr}`);
    const doc = JSON.parse(first.stdout) as { results: { query: string; value?: { points: unknown[] } }[] };
    const points = doc.results[0]?.value?.points.length;
    if (points !== STEPS) throw new Error(`CLI returned ${points} frontier points, expected ${STEPS}`);
    const cliJson = join(dir, 'cli.json');
    writeFileSync(cliJson, first.stdout);
    const verify = timed(PYTHON, [NUMPY_SCRIPT, file, '--verify', cliJson]);
    if (verify.status !== 0) throw new Error(`numpy verification failed: ${verify.stderr}`);
    const agreement = JSON.parse(verify.stdout) as { max_relative_difference: number };
    const warm = timed(PYTHON, pyArgs);
    if (warm.status !== 0) throw new Error(`numpy script failed: ${warm.stderr}`);

    const cliRuns: Timed[] = [];
    const pyRuns: Timed[] = [];
    for (let i = 0; i < RUNS; i++) {
      cliRuns.push(timed(process.execPath, cliArgs));
      pyRuns.push(timed(PYTHON, pyArgs));
    }
    const cliMs = median(cliRuns.map((r) => r.ms));
    const numpyMs = median(pyRuns.map((r) => r.ms));
    return {
      cliMs,
      numpyMs,
      ratio: cliMs / numpyMs,
      cliCpuMs: median(cliRuns.map((r) => r.cpuMs)),
      numpyCpuMs: median(pyRuns.map((r) => r.cpuMs)),
      maxRelativeDifference: agreement.max_relative_difference,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const m = measureCliAgainstNumpy();
  const what = `${STEPS}-point frontier of ${VOCAB} tokens, whole process`;
  console.log(
    `cli eval --json, ${what}: median ${m.cliMs.toFixed(1)} ms (target ≤ ${(m.numpyMs / 2).toFixed(1)} ms)`,
  );
  console.log(`numpy baseline, same file and method, ${what}: median ${m.numpyMs.toFixed(1)} ms`);
  console.log(
    `ratio cli/numpy (wall): ${m.ratio.toFixed(3)} (target ≤ 0.5)${m.ratio <= 0.5 ? '' : '  ← MISSED'}`,
  );
  console.log(`(machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} during the runs)`);
  if (Number.isFinite(m.cliCpuMs) && Number.isFinite(m.numpyCpuMs)) {
    console.log(
      `CPU time (user+sys), less sensitive to machine load: cli ${m.cliCpuMs.toFixed(0)} ms, numpy ${m.numpyCpuMs.toFixed(0)} ms, ratio ${(m.cliCpuMs / m.numpyCpuMs).toFixed(3)}`,
    );
  }
  console.log(
    `numpy D(λ), A′(λ) at the CLI's λs vs the CLI's points: max relative difference ${m.maxRelativeDifference.toExponential(2)}`,
  );
}
