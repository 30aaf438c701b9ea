// End to end through the real bundle: `node dist/cli.js …` (and the bin itself, via its
// hashbang) with the real language layer and core. Exit codes, the JSON contract for every
// query kind, the numbers against the core's own functions and direct formulas, confinement.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, ensureBuilt, ROOT } from './build.js';
import { validateDocument } from './contract.js';

const FIXTURES = join(ROOT, 'test', 'cli', 'fixtures');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, ...options.env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(() => {
  ensureBuilt();
});

test('bin: the bundle has a hashbang and runs as an executable', () => {
  assert.match(readFileSync(CLI, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.bin['align-lab'], 'dist/cli.js');
  const run = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${pkg.version}\n`);
  const help = cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit status: 0 no errors, 1 the file has errors, 2 usage or I\/O error/);
});

test('bin: usage errors and unreadable files exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['eval'], /'eval' needs an \.align file/],
    [['explode', 'x.align'], /unknown command 'explode'/],
    [['eval', 'x.align', '--jason'], /unknown option '--jason'/],
    [['eval', join(FIXTURES, 'does-not-exist.align')], /cannot read '.*does-not-exist\.align': no such file/],
    [['check', FIXTURES], /is a directory/],
  ];
  for (const [args, pattern] of cases) {
    const run = cli(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, pattern, args.join(' '));
    assert.equal(run.stdout, '', 'nothing on stdout');
  }
});

test('bin: check prints compiler-style diagnostics and exits 1 on errors', () => {
  const run = cli(['check', 'test/cli/fixtures/broken.align']);
  assert.equal(run.code, 1);
  assert.equal(run.stderr, '');
  // file:line:col: severity[code]: message, then the source line and a caret underline.
  const header = /^test\/cli\/fixtures\/broken\.align:7:11: error\[unknown-parameter\]: .*'dleta'.*$/m;
  assert.match(run.stdout, header);
  assert.match(run.stdout, /^ 7 \| tilt\(toy, dleta = 1\)\n {3}\| {11}\^{5}$/m);
  assert.match(run.stdout, /^test\/cli\/fixtures\/broken\.align: \d+ errors?(, \d+ warnings?)?$/m);
  for (const line of run.stdout.split('\n')) {
    if (/^\S+:\d+:\d+: /.test(line))
      assert.match(line, /^[^:]+:\d+:\d+: (error|warning|info|hint)\[[a-z0-9-]+\]: \S/);
  }
  const clean = cli(['check', 'test/cli/fixtures/project/from-file.align']);
  assert.equal(clean.code, 0, clean.stdout);
  assert.equal(clean.stdout, 'test/cli/fixtures/project/from-file.align: no problems\n');
});

test('bin: eval --json matches the contract, with null for infinities', () => {
  const run = cli(['eval', 'test/cli/fixtures/all-queries.align', '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const doc = JSON.parse(run.stdout);
  assert.deepEqual(validateDocument(doc), []);
  assert.equal(doc.file, 'test/cli/fixtures/all-queries.align');
  const kinds = doc.results.map((r: { query: string }) => r.query);
  assert.deepEqual(kinds, [
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
  ]);
  for (const r of doc.results) assert.ok('value' in r, `${r.query} failed: ${r.error}`);
  // tilt(delta = 1000) does not bind: λ = ∞ → null; the frontier ends at λ = ∞; the rate is ∞ beyond r_max.
  assert.equal(doc.results[9].value.lambda, null);
  assert.equal(doc.results[1].value.points.at(-1).lambda, null);
  assert.doesNotMatch(run.stdout, /NaN|Infinity/);
  assert.equal(doc.results[0].range.start.line, 9, '0-based lines');
});

test('bin: eval prints a table per query; stdin works', () => {
  const run = cli(['eval', 'test/cli/fixtures/all-queries.align']);
  assert.equal(run.code, 0, run.stderr);
  for (const kind of [
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
    assert.match(
      run.stdout,
      new RegExp(`^${kind} · model toy · test/cli/fixtures/all-queries\\.align:\\d+$`, 'm'),
    );
  }
  assert.match(run.stdout, /^ {2}KL\(φ_λ‖pⁿ\) +2 +nats$/m);
  const source = readFileSync(join(FIXTURES, 'all-queries.align'), 'utf8');
  const piped = cli(['eval', '-', '--json'], { input: source });
  assert.equal(piped.code, 0);
  assert.equal(JSON.parse(piped.stdout).file, '<stdin>');
});

test('bin: model files are confined to the .align file folder tree', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'align-bin-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const proj = join(tmp, 'proj');
  mkdirSync(proj);
  writeFileSync(join(tmp, 'secret.csv'), 'token,p,reward\nTOPSECRET,1,0\n');
  symlinkSync(join(tmp, 'secret.csv'), join(proj, 'link.csv'));
  writeFileSync(join(proj, 'ok.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
  const cases: [string, RegExp][] = [
    ['../secret.csv', /error\[[a-z-]+\]: .*\.\.\/secret\.csv/],
    [join(tmp, 'secret.csv'), /error\[[a-z-]+\]: .*not a relative path|absolute/],
    ['link.csv', /error\[[a-z-]+\]: .*link\.csv/],
  ];
  for (const [spec, pattern] of cases) {
    writeFileSync(join(proj, 'doc.align'), `model m from ${JSON.stringify(spec)}\ntilt(m, delta = 0.1)\n`);
    const run = cli(['eval', join(proj, 'doc.align')]);
    assert.equal(run.code, 1, spec);
    assert.match(run.stderr, pattern, spec);
    assert.doesNotMatch(run.stdout + run.stderr, /TOPSECRET/, `${spec}: the secret is never read`);
  }
  assert.match(cli(['eval', join(proj, 'doc.align')]).stderr, /resolves \(through a symbolic link\) outside/);
  writeFileSync(join(proj, 'doc.align'), 'model m from "ok.csv"\ntilt(m, delta = 0.1)\n');
  const ok = cli(['eval', 'doc.align', '--json'], { cwd: proj });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).results[0].value.kl, 0.1);
});

test('bin: report writes one self-contained page with the analysis and the preview inlined', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'align-report-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const out = join(tmp, 'nested', 'report.html');
  const run = cli(['report', 'test/cli/fixtures/all-queries.align', '-o', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `wrote ${out}\n`);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/i);
  const data = /<script type="application\/json" id="align-lab-data">(.*?)<\/script>/s.exec(html);
  assert.ok(data, 'the analysis is embedded as JSON');
  const embedded = JSON.parse(data[1]);
  assert.equal(embedded.results.length, 10);
  assert.equal(embedded.results[1].query, 'frontier');
  // The preview bundle is inlined, not linked: nothing is loaded from anywhere.
  const css = readFileSync(join(ROOT, 'dist', 'webview.css'), 'utf8');
  assert.ok(html.includes(css.slice(0, 200)), 'webview.css is inlined');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
  const broken = cli(['report', 'test/cli/fixtures/broken.align', '-o', join(tmp, 'broken.html')]);
  assert.equal(broken.code, 1, 'written, but the file has errors');
  assert.match(broken.stderr, /error\[unknown-parameter\]/);
  assert.ok(readFileSync(join(tmp, 'broken.html'), 'utf8').includes('unknown-parameter'));
});
