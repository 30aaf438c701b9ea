// The commands run in-process against a fake language layer that returns a hand-written
// Analysis, so output format, exit codes and the JSON contract are tested independently of the
// language layer (bin.test.ts covers the real thing end to end).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Engine } from '../../src/cli/io.js';
import type { Analysis, QueryResult } from '../../src/presentation/results.js';
import { validateDocument } from './contract.js';
import { runInProcess } from './harness.js';
import { range, SAMPLE_SOURCE, sampleAnalysis } from './sampleAnalysis.js';

const tmp = mkdtempSync(join(tmpdir(), 'align-app-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'sample.align'), SAMPLE_SOURCE);
writeFileSync(join(tmp, 'clean.align'), 'clean\n');
writeFileSync(join(tmp, 'webview.js'), 'console.log("app")');
writeFileSync(join(tmp, 'webview.css'), 'body{}');

const clean: Analysis = {
  file: 'clean.align',
  diagnostics: [{ severity: 'warning', code: 'w', message: 'just a warning', range: range(0, 0, 5) }],
  results: [{ ...sampleAnalysis().results[6], note: 'computed on a fine lattice' } as unknown as QueryResult],
};

/** Answers from the source text, so one engine serves every file in these tests. */
function fakeEngine(overrides: Partial<Engine> = {}): Engine {
  return {
    analyze: (text, file) => ({ ...(text === SAMPLE_SOURCE ? sampleAnalysis() : clean), file }),
    renderReportHtml: (analysis, assets) =>
      `<html><style>${assets.style}</style><script>${assets.script}</script>${analysis.file}:${analysis.results.length}</html>`,
    ...overrides,
  };
}
const opts = { cwd: tmp, bundleDir: tmp };
/** Start of an ANSI SGR colour sequence. */
const ESC = `${String.fromCharCode(27)}[`;

test('eval --json: the document follows the contract', () => {
  const run = runInProcess(['eval', 'sample.align', '--json'], fakeEngine(), opts);
  assert.equal(run.code, 1, 'an error diagnostic and a failed query mean exit 1');
  assert.equal(run.stderr, '');
  const doc = JSON.parse(run.stdout);
  assert.deepEqual(validateDocument(doc), []);
  assert.equal(doc.file, 'sample.align');
  assert.equal(doc.results.length, 15);
  assert.deepEqual(
    doc.results.map((r: { query: string }) => r.query),
    [
      'tilt',
      'frontier',
      'bon',
      'equivalence',
      'rate',
      'cumulants',
      'renyi',
      'compare',
      'simulate',
      'tilt',
      'softbon',
      'blockbon',
      'reject',
      'winrate',
      'methods',
    ],
  );
  // Infinity → null, and `data` (an editor detail) is not part of the CLI contract.
  assert.equal(doc.results[1].value.points[2].lambda, null);
  assert.equal(doc.results[4].value.points[2].rate, null);
  assert.equal('data' in doc.diagnostics[2], false);
  assert.deepEqual(doc.results[9], {
    query: 'tilt',
    model: 'toy',
    range: range(15, 0, 21),
    error: 'delta = 99 exceeds the maximum KL 6.4378 nats',
  });
  assert.doesNotMatch(run.stdout, /NaN|Infinity/);
});

test('eval --json: the validator itself rejects broken documents', () => {
  const doc = JSON.parse(runInProcess(['eval', 'sample.align', '--json'], fakeEngine(), opts).stdout);
  doc.results[0].value.kl = null;
  delete doc.results[2].value.exact;
  doc.results[3].value.extra = 1;
  doc.results[5].error = 'both';
  assert.deepEqual(validateDocument(doc), [
    '$.results[0].value.kl: expected a finite number, got null',
    "$.results[2].value: missing key 'exact'",
    "$.results[3].value: unexpected key 'extra'",
    '$.results[5]: needs exactly one of value and error',
  ]);
});

test('eval: a NaN from the language layer is an internal error, never printed', () => {
  const nanEngine = fakeEngine({
    analyze: (_t, file) => {
      const a = sampleAnalysis();
      (a.results[6].value as { cross_entropy: number }).cross_entropy = Number.NaN;
      return { ...a, file };
    },
  });
  for (const json of [true, false]) {
    const run = runInProcess(['eval', 'sample.align', ...(json ? ['--json'] : [])], nanEngine, opts);
    assert.equal(run.code, 3);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /internal error: NaN at analysis\.results\[6\]\.value\.cross_entropy/);
  }
});

test('eval: an exception in the language layer is an internal error', () => {
  const throwing = fakeEngine({
    analyze: () => {
      throw new Error('boom');
    },
  });
  const run = runInProcess(['eval', 'sample.align'], throwing, opts);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /internal error: the language layer threw on 'sample.align': Error: boom/);
});

test('eval: human output has a table per query and compiler-style diagnostics', () => {
  const run = runInProcess(['eval', 'sample.align'], fakeEngine(), opts);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /^sample\.align:3:3: warning\[probabilities-not-normalised\]: p sums to 1\.0001\n 3 \| {3}p 0\.5 0\.3 0\.2\n {3}\| {3}\^{13}\n/m,
  );
  // The tab before `bogus` is kept in the caret line so the underline stays aligned.
  assert.match(
    run.stderr,
    /sample\.align:17:2: error\[unknown-query\]: unknown query 'bogus'\n 17 \| \tbogus\(toy\)\n {4}\| \t\^{5}\n/,
  );
  assert.match(run.stderr, /sample\.align: 1 error, 1 warning\n$/);
  for (const title of [
    'tilt',
    'frontier',
    'bon',
    'equivalence',
    'rate',
    'cumulants',
    'renyi',
    'compare',
    'simulate',
  ]) {
    assert.match(run.stdout, new RegExp(`^${title} · model toy · sample\\.align:\\d+ — .+$`, 'm'), title);
  }
  assert.match(run.stdout, /^ {2}KL\(φ_λ‖pⁿ\) +1 +nats$/m);
  assert.match(run.stdout, /^ {2}β = 1\/λ +1\.3333$/m);
  assert.match(run.stdout, /^ {2}→ λ = 0\.75, E\[R\] = 4\.2$/m, 'the headline, as the inlay hint shows it');
  assert.match(run.stdout, /^ {2}"b" +0\.35$/m);
  assert.match(run.stdout, /^ {2}∞ +6\.4378 +8$/m, 'frontier point at λ = ∞');
  assert.match(run.stdout, /^ {2}κ₃ of R +−0\.3$/m, 'a true minus sign');
  assert.match(run.stdout, /^tilt · model toy · sample\.align:16: error: delta = 99 exceeds/m);
  assert.ok(!(run.stdout + run.stderr).includes(ESC), 'no colour when not a TTY');
});

test('eval: colour only on a TTY without NO_COLOR or --no-color', () => {
  const tty = { ...opts, tty: true };
  assert.ok(runInProcess(['eval', 'sample.align'], fakeEngine(), tty).stderr.includes(ESC));
  const noColorEnv = runInProcess(['eval', 'sample.align'], fakeEngine(), { ...tty, env: { NO_COLOR: '1' } });
  assert.ok(!(noColorEnv.stdout + noColorEnv.stderr).includes(ESC));
  const noColorFlag = runInProcess(['eval', 'sample.align', '--no-color'], fakeEngine(), tty);
  assert.ok(!(noColorFlag.stdout + noColorFlag.stderr).includes(ESC));
});

test('eval: warnings alone exit 0', () => {
  const run = runInProcess(['eval', 'clean.align'], fakeEngine(), opts);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /clean\.align:1:1: warning\[w\]: just a warning/);
  assert.match(run.stdout, /^renyi · model toy/);
  assert.match(run.stdout, /^ {2}note: computed on a fine lattice$/m);
  const doc = JSON.parse(runInProcess(['eval', 'clean.align', '--json'], fakeEngine(), opts).stdout);
  assert.equal(doc.results[0].note, 'computed on a fine lattice', 'extra result keys pass through');
  assert.deepEqual(validateDocument(doc), []);
});

test('eval: unreadable input and usage errors exit 2', () => {
  const missing = runInProcess(['eval', 'missing.align'], fakeEngine(), opts);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "align-lab: cannot read 'missing.align': no such file\n");
  const dir = runInProcess(['eval', '.'], fakeEngine(), opts);
  assert.equal(dir.code, 2);
  assert.match(dir.stderr, /is a directory/);
  const usage = runInProcess(['eval'], fakeEngine(), opts);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /'eval' needs an \.align file\nTry 'align-lab help eval'\./);
  assert.equal(runInProcess(['nope'], fakeEngine(), opts).code, 2);
});

test('eval: - reads standard input', () => {
  const run = runInProcess(['eval', '-', '--json'], fakeEngine(), {
    ...opts,
    stdin: { ok: true, text: SAMPLE_SOURCE },
  });
  assert.equal(JSON.parse(run.stdout).file, '<stdin>');
});

test('check: diagnostics and a summary only, exit status over all files', () => {
  const run = runInProcess(['check', 'sample.align', 'clean.align'], fakeEngine(), opts);
  assert.equal(run.code, 1);
  assert.equal(run.stderr, '');
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'sample.align:1:7: hint[unused-model]: model is unused');
  assert.equal(lines[1], ' 1 | model toy {');
  assert.equal(lines[2], '   |       ^^^');
  assert.match(run.stdout, /^sample\.align: 1 error, 1 warning$/m);
  assert.match(run.stdout, /^clean\.align: 1 warning$/m);
  assert.doesNotMatch(run.stdout, /quantity/, 'no result tables');
  const ok = runInProcess(['check', 'clean.align'], fakeEngine(), opts);
  assert.equal(ok.code, 0);
  const withMissing = runInProcess(
    ['check', 'clean.align', 'missing.align', 'sample.align'],
    fakeEngine(),
    opts,
  );
  assert.equal(withMissing.code, 2, 'I/O error outranks error diagnostics');
  assert.match(withMissing.stdout, /sample\.align: 1 error/, 'later files are still checked');
});

test('report: writes the page with the assets inlined', () => {
  const run = runInProcess(['report', 'clean.align', '-o', 'sub/out.html'], fakeEngine(), opts);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, 'wrote sub/out.html\n');
  assert.equal(
    readFileSync(join(tmp, 'sub', 'out.html'), 'utf8'),
    '<html><style>body{}</style><script>console.log("app")</script>clean.align:1</html>',
  );
  const toStdout = runInProcess(['report', 'sample.align', '-o', '-'], fakeEngine(), opts);
  assert.equal(toStdout.code, 1, 'written, but the file has errors');
  assert.match(toStdout.stdout, /^<html>.*sample\.align:15<\/html>$/);
  const byDefault = runInProcess(['report', 'clean.align'], fakeEngine(), opts);
  assert.equal(byDefault.stdout, 'wrote clean.html\n');
});

test('report: missing assets or an unwritable output exit 2', () => {
  const noAssets = runInProcess(['report', 'clean.align', '-o', 'x.html'], fakeEngine(), {
    cwd: tmp,
    bundleDir: join(tmp, 'nowhere'),
  });
  assert.equal(noAssets.code, 2);
  assert.match(noAssets.stderr, /webview\.js\/webview\.css are missing/);
  writeFileSync(join(tmp, 'afile'), '');
  const unwritable = runInProcess(['report', 'clean.align', '-o', 'afile/x.html'], fakeEngine(), opts);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /cannot write 'afile\/x\.html'/);
});

test('help and version', () => {
  const help = runInProcess(['--help'], fakeEngine(), opts);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /align-lab eval FILE \[--json\]/);
  assert.match(runInProcess(['help', 'check'], fakeEngine(), opts).stdout, /^Usage: align-lab check FILE/);
  const version = runInProcess(['--version'], fakeEngine(), {
    ...opts,
    bundleDir: join(process.cwd(), 'dist'),
  });
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(version.stdout, `${pkg.version}\n`);
});
