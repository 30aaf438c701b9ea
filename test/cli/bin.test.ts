// End to end through the real bundle: `node dist/cli.js …` (and the bin itself, via its
// hashbang) with the real language layer and core. Exit codes, the JSON contract for every
// query kind, the numbers against the core's own functions and direct formulas, confinement.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
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
    'softbon',
    'blockbon',
    'reject',
    'winrate',
    'methods',
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
    'softbon',
    'blockbon',
    'reject',
    'winrate',
    'methods',
  ]) {
    assert.match(
      run.stdout,
      new RegExp(`^${kind} · model toy · test/cli/fixtures/all-queries\\.align:\\d+ — .+$`, 'm'),
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
  assert.match(
    cli(['eval', join(proj, 'doc.align')]).stderr,
    /error\[file-refused\]: cannot read 'link.csv': it resolves through a symbolic link to a place outside the folder of the \.align file/,
  );
  writeFileSync(join(proj, 'doc.align'), 'model m from "ok.csv"\ntilt(m, delta = 0.1)\n');
  const ok = cli(['eval', 'doc.align', '--json'], { cwd: proj });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).results[0].value.kl, 0.1);
});

test('bin: model files — links, pipes, devices, huge files, bad UTF-8 and too broad a folder', () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'align-bin-files-')));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const proj = join(tmp, 'proj');
  mkdirSync(join(proj, 'data'), { recursive: true });
  mkdirSync(join(tmp, 'outside'));
  writeFileSync(join(tmp, 'outside', 'secret.csv'), 'token,p,reward\nTOPSECRET,1,0\n');
  writeFileSync(join(proj, 'data', 'ok.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
  symlinkSync(join(tmp, 'outside'), join(proj, 'outdir'));
  symlinkSync(join(proj, 'data', 'ok.csv'), join(proj, 'inside.csv'));
  symlinkSync('/dev/zero', join(proj, 'zero.csv'));
  symlinkSync('/etc/passwd', join(proj, 'passwd.json'));
  assert.equal(spawnSync('mkfifo', [join(proj, 'pipe.csv')]).status, 0, 'mkfifo');
  writeFileSync(join(proj, 'huge.csv'), '');
  truncateSync(join(proj, 'huge.csv'), 2 * 1024 * 1024 * 1024);
  writeFileSync(join(proj, 'latin1.csv'), Buffer.from('token,p,reward\n\xe9,0.5,0\n\xe8,0.5,1\n', 'latin1'));
  const doc = [
    'model outdir from "outdir/secret.csv"',
    'model inside from "inside.csv"',
    'model zero from "zero.csv"',
    'model passwd from "passwd.json"',
    // Five references to a pipe: none may block, and the other files are still read.
    ...[1, 2, 3, 4, 5].map((i) => `model pipe${i} from "pipe.csv"`),
    'model huge from "huge.csv"',
    'model latin from "latin1.csv"',
    'tilt(inside, delta = 0.1)',
    '',
  ].join('\n');
  writeFileSync(join(proj, 'doc.align'), doc);
  const started = Date.now();
  const run = spawnSync(process.execPath, [CLI, 'eval', '--json', 'doc.align'], {
    cwd: proj,
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(run.signal, null, `the CLI hung (killed after ${Date.now() - started} ms)`);
  assert.equal(run.status, 1, run.stderr);
  const out = JSON.parse(run.stdout) as {
    diagnostics: { code: string; message: string; range: { start: { line: number } } }[];
    results: { value?: { kl: number } }[];
  };
  const byLine = (line: number) =>
    out.diagnostics.filter((d) => d.range.start.line === line).map((d) => d.code);
  assert.deepEqual(byLine(0), ['file-refused'], 'a folder link out of the root');
  assert.deepEqual(byLine(1), [], 'a link inside the root is followed');
  assert.deepEqual(byLine(2), ['file-refused'], '/dev/zero through a link');
  assert.deepEqual(byLine(3), ['file-refused'], '/etc/passwd through a link');
  for (let line = 4; line < 9; line++) assert.deepEqual(byLine(line), ['file-refused'], 'a pipe');
  assert.deepEqual(byLine(9), ['file-refused'], 'a file above the cap');
  assert.deepEqual(byLine(10), ['invalid-encoding'], 'not UTF-8, not a duplicate token');
  const messages = out.diagnostics.map((d) => d.message).join('\n');
  assert.match(messages, /'pipe\.csv': it is a named pipe \(FIFO\), not a regular file/);
  assert.match(messages, /'huge\.csv': it is larger than 256 MiB, the limit for model files/);
  assert.match(messages, /'latin1\.csv': it is not valid UTF-8: byte 0xE9 at offset 15 \(line 2\)/);
  assert.equal(out.results[0].value?.kl, 0.1, 'the readable model is evaluated');
  assert.doesNotMatch(run.stdout + run.stderr, /TOPSECRET|root:x:0:0/);
  assert.ok(Date.now() - started < 10_000, 'nothing was read from /dev/zero or the 2 GiB file');
});

test('bin: no model files from a folder that is the file system root or contains the home folder', () => {
  // stdin resolves model files from the working folder: here `/`, where etc/hostname exists.
  const root = cli(['eval', '--json', '-'], {
    cwd: '/',
    input: 'model m from "etc/hostname"\ntilt(m, delta = 1)\n',
  });
  const [d] = JSON.parse(root.stdout).diagnostics;
  assert.equal(d.code, 'file-refused');
  assert.match(d.message, /the current folder \('\/'\) is the root of the file system/);
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'align-home-')));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'keys.csv'), 'token,p,reward\nPRIVATEKEY,1,0\n');
  writeFileSync(join(home, 'notes.align'), 'model m from ".ssh/keys.csv"\ntilt(m, delta = 1)\n');
  const run = cli(['eval', join(home, 'notes.align')], { env: { HOME: home } });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /error\[file-refused\]: cannot read '\.ssh\/keys\.csv': model files are not read when the folder of the \.align file \('[^']+'\) is the home folder/,
  );
  assert.doesNotMatch(run.stdout + run.stderr, /PRIVATEKEY/);
  // One folder down (a project in the home folder) is fine.
  mkdirSync(join(home, 'proj'));
  writeFileSync(join(home, 'proj', 'm.csv'), 'token,p,reward\nx,0.5,0\ny,0.5,1\n');
  writeFileSync(join(home, 'proj', 'doc.align'), 'model m from "m.csv"\ntilt(m, delta = 0.1)\n');
  const fine = cli(['eval', join(home, 'proj', 'doc.align')], { env: { HOME: home } });
  assert.equal(fine.code, 0, fine.stderr);
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
  assert.equal(embedded.results.length, 15);
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
