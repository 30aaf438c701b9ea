// What a hostile or broken input must not do to the CLI: put control sequences on the terminal
// (escape.ts), flood it with diagnostics (caps), or make `report` write through a symbolic link.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MAX_PRINTED_DIAGNOSTICS } from '../../src/cli/commands/diagnosticsOut.js';
import { MAX_JSON_DIAGNOSTICS } from '../../src/cli/commands/eval.js';
import { languageEngine } from '../../src/cli/engine.js';
import { guard, quoted, visible } from '../../src/cli/escape.js';
import type { Engine } from '../../src/cli/io.js';
import { toContractJson } from '../../src/cli/json.js';
import type { Analysis, Diagnostic } from '../../src/presentation/results.js';
import { mulberry32 } from '../helpers/random.js';
import { CLI, ensureBuilt } from './build.js';
import { runInProcess } from './harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'align-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(() => {
  writeFileSync(join(tmp, 'webview.js'), 'console.log("app")');
  writeFileSync(join(tmp, 'webview.css'), 'body{}');
});
const opts = { cwd: tmp, bundleDir: tmp };
const ESC = '\u001b';
/** Any character a terminal would act on or hide: C0 but newline and tab, DEL, C1, bidi controls. */
const HIDDEN = {
  test(text: string): boolean {
    for (const c of text) {
      const x = c.codePointAt(0) ?? 0;
      if (
        (x < 0x20 && x !== 0x0a && x !== 0x09) ||
        (x >= 0x7f && x <= 0x9f) ||
        [0x61c, 0x200e, 0x200f, 0x2028, 0x2029].includes(x) ||
        (x >= 0x202a && x <= 0x202e) ||
        (x >= 0x2066 && x <= 0x2069)
      )
        return true;
    }
    return false;
  },
};
/** The same, except the colour sequences style.ts writes (ESC[…m with its own codes). */
const hiddenBesidesColour = (text: string) =>
  HIDDEN.test(text.replace(new RegExp(`${ESC}\\[(1|2|22|31|32|33|34|36|39)m`, 'g'), ''));

// ── terminal escapes ─────────────────────────────────────────────────────────────────────────

test('escape: visible() shows every hidden control; guard() keeps only our colours', () => {
  assert.equal(
    visible(`a${ESC}[2Jb\r\n\t\u007f\u009b\u202e\u2066c`),
    'a\\x1b[2Jb\\r\\n\\t\\x7f\\x9b\\u202e\\u2066c',
  );
  assert.equal(visible('tab\there', { keepTabs: true }), 'tab\there');
  assert.equal(visible('plain é ∞ 😀'), 'plain é ∞ 😀');
  assert.equal(quoted(`x"${ESC}\u202e`), '"x\\"\\u001b\\u202e"');
  assert.equal(
    guard(`${ESC}[1mbold${ESC}[22m ${ESC}[2J${ESC}[8mhidden${ESC}[31m\r${ESC}[39m\n\tok`),
    `${ESC}[1mbold${ESC}[22m \\x1b[2J\\x1b[8mhidden${ESC}[31m\\r${ESC}[39m\n\tok`,
  );
});

test('escape: JSON output has no raw control character, and reads back the same', () => {
  const json = toContractJson({ token: `${ESC}[2J\u007f\u0085\u202e\u2067x`, n: 1 });
  assert.ok(!HIDDEN.test(json), json);
  assert.deepEqual(JSON.parse(json), { token: `${ESC}[2J\u007f\u0085\u202e\u2067x`, n: 1 });
});

test('escape: hostile comments, token names, CSV cells and file names reach the terminal escaped', () => {
  const dir = join(tmp, 'escapes');
  mkdirSync(dir);
  // A comment that clears the screen and fakes a clean result, on a line with an error.
  const fake = `${ESC}[2J${ESC}[H${ESC}[32mhostile.align: no problems${ESC}[0m\u202e`;
  writeFileSync(
    join(dir, 'hostile.align'),
    [
      `model m from "tokens.csv" { length 2 }`,
      `tilt(nope, delta = 1) # ${fake}`,
      `tilt(m, delta = 0.1)`,
      `let x = 1 ${ESC}`,
      '',
    ].join('\n'),
  );
  // Token names from a CSV: a title-setting OSC, an 8-bit CSI, a right-to-left override.
  writeFileSync(
    join(dir, 'tokens.csv'),
    `token,p,reward\n"${ESC}]0;pwned\u0007",0.5,0\n"\u009b2J\u202eevil",0.5,1\n`,
  );
  writeFileSync(join(dir, 'bad.csv'), `token,p,reward\na,${ESC}[2J,0\n`);
  writeFileSync(join(dir, 'cells.align'), 'model b from "bad.csv"\n');
  const name = `x${ESC}[2J\u202e.align`;
  writeFileSync(join(dir, name), 'tilt(nope, delta = 1)\n');
  for (const tty of [false, true]) {
    const runs = [
      runInProcess(['eval', 'hostile.align'], languageEngine, { cwd: dir, bundleDir: tmp, tty }),
      runInProcess(['check', 'hostile.align', 'cells.align', name], languageEngine, {
        cwd: dir,
        bundleDir: tmp,
        tty,
      }),
    ];
    for (const run of runs) {
      const all = run.stdout + run.stderr;
      assert.ok(
        !hiddenBesidesColour(all),
        `tty=${tty}: a hidden control reached the terminal:\n${JSON.stringify(all)}`,
      );
    }
    const [evaluated, checked] = runs;
    // The comment is shown, visibly, under the diagnostic of its line; nothing fakes a summary.
    assert.ok(
      evaluated.stderr.includes('# \\x1b[2J\\x1b[H\\x1b[32mhostile.align: no problems\\x1b[0m\\u202e'),
    );
    assert.ok(evaluated.stdout.includes('"\\u001b]0;pwned\\u0007"'), evaluated.stdout);
    assert.ok(evaluated.stdout.includes('"\\x9b2J\\u202eevil"'), evaluated.stdout);
    assert.ok(checked.stdout.includes("p '\\u001b[2J' is not a number"), checked.stdout);
    assert.ok(checked.stdout.includes('x\\x1b[2J\\u202e.align:1:6:'), checked.stdout);
    assert.ok(checked.stdout.includes("unexpected character '\\x1b'"), checked.stdout);
  }
  // --json keeps the real names (escaped the JSON way).
  const json = runInProcess(['eval', 'hostile.align', '--json'], languageEngine, {
    cwd: dir,
    bundleDir: tmp,
  });
  assert.ok(!HIDDEN.test(json.stdout));
  const tilt = JSON.parse(json.stdout).results.find((r: { model: string }) => r.model === 'm');
  assert.deepEqual(Object.keys(tilt.value.phi).sort(), [`${ESC}]0;pwned\u0007`, '\u009b2J\u202eevil'].sort());
});

test('escape: a hostile command-line argument is echoed visibly', () => {
  const run = runInProcess(['eval', `--${ESC}[2J`], languageEngine, opts);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /unknown option '--\\x1b\[2J'/);
});

// ── diagnostics caps ─────────────────────────────────────────────────────────────────────────

function floodEngine(count: number, extra: Partial<Diagnostic> = {}): Engine {
  return {
    analyze: (_text, file): Analysis => ({
      file,
      diagnostics: Array.from({ length: count }, (_, i) => ({
        severity: 'error' as const,
        code: 'invalid-character',
        message: `problem ${i}`,
        range: { start: { line: 0, character: i % 50 }, end: { line: 0, character: (i % 50) + 1 } },
        ...extra,
      })),
      results: [],
    }),
    renderReportHtml: () => '<html></html>',
  };
}

test('caps: text output prints at most 100 diagnostics, then how many more; the summary counts all', () => {
  writeFileSync(join(tmp, 'flood.align'), 'x'.repeat(60));
  const run = runInProcess(['check', 'flood.align'], floodEngine(12_445), opts);
  assert.equal(run.code, 1);
  const headers = run.stdout.match(/^flood\.align:1:\d+: error\[invalid-character\]/gm) ?? [];
  assert.equal(headers.length, MAX_PRINTED_DIAGNOSTICS);
  assert.match(
    run.stdout,
    /\nflood\.align: … and 12,345 more diagnostics \(not shown; --json lists up to 1,000\)\nflood\.align: 12,445 errors\n$/,
  );
  const evaluated = runInProcess(['eval', 'flood.align'], floodEngine(101), opts);
  assert.match(evaluated.stderr, /… and 1 more diagnostic \(not shown/);
  const few = runInProcess(['check', 'flood.align'], floodEngine(100), opts);
  assert.doesNotMatch(few.stdout, /more diagnostic/);
});

test('caps: --json lists at most 1,000 diagnostics and says how many were left out', () => {
  writeFileSync(join(tmp, 'flood.align'), 'x'.repeat(60));
  const doc = JSON.parse(runInProcess(['eval', 'flood.align', '--json'], floodEngine(12_345), opts).stdout);
  assert.deepEqual(Object.keys(doc), ['file', 'diagnostics', 'diagnostics_omitted', 'results']);
  assert.equal(doc.diagnostics.length, MAX_JSON_DIAGNOSTICS);
  assert.equal(doc.diagnostics_omitted, 12_345 - MAX_JSON_DIAGNOSTICS);
  const few = JSON.parse(runInProcess(['eval', 'flood.align', '--json'], floodEngine(3), opts).stdout);
  assert.deepEqual(Object.keys(few), ['file', 'diagnostics', 'results'], 'no key when nothing is left out');
});

test('caps: a huge message is cut, a huge line is shown as a window around the range', () => {
  const line = `${'a'.repeat(500_000)}BAD${'b'.repeat(500_000)}`;
  writeFileSync(join(tmp, 'long.align'), line);
  const engine: Engine = {
    analyze: (_text, file) => ({
      file,
      diagnostics: [
        {
          severity: 'error',
          code: 'unknown-name',
          message: `unknown name '${'n'.repeat(1_000_000)}'`,
          range: { start: { line: 0, character: 500_000 }, end: { line: 0, character: 500_003 } },
        },
      ],
      results: [],
    }),
    renderReportHtml: () => '',
  };
  const run = runInProcess(['check', 'long.align'], engine, opts);
  const [header, source, carets] = run.stdout.split('\n');
  assert.ok(header.length < 600 && header.endsWith('…'), `header of ${header.length} characters`);
  assert.ok(source.length < 140, `source excerpt of ${source.length} characters`);
  assert.match(source, /^ 1 \| …a+BADb+…$/);
  // The carets sit under BAD.
  assert.equal(carets.indexOf('^'), source.indexOf('BAD'));
  assert.match(carets, /\^\^\^$/);
  const json = JSON.parse(runInProcess(['eval', 'long.align', '--json'], engine, opts).stdout);
  assert.ok(json.diagnostics[0].message.length <= 2001);
});

test('caps: a megabyte of random bytes is checked in seconds, with a bounded output', () => {
  ensureBuilt();
  const random = mulberry32(14);
  const bytes = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  writeFileSync(join(tmp, 'random.align'), bytes);
  for (const args of [['check'], ['eval'], ['eval', '--json']]) {
    const started = Date.now();
    // Before the caps: 150 MB of output (spawnSync's 1 MiB buffer overflowed) after 10 s.
    const run = spawnSync(process.execPath, [CLI, ...args, join(tmp, 'random.align')], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 1024 * 1024,
    });
    const took = Date.now() - started;
    assert.equal(run.error, undefined, `${args.join(' ')}: ${run.error?.message}`);
    assert.equal(run.status, 1, args.join(' '));
    const size = Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr);
    assert.ok(size < 600_000, `${args.join(' ')}: ${size} bytes of output`);
    assert.ok(took < 15_000, `${args.join(' ')}: ${took} ms`);
    assert.ok(!hiddenBesidesColour(run.stdout + run.stderr));
  }
});

// ── report and symbolic links ────────────────────────────────────────────────────────────────

test('report: a symbolic link at the output path is replaced, never written through', () => {
  const dir = join(tmp, 'links');
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  writeFileSync(join(dir, 'paper.align'), 'clean\n');
  const precious = join(dir, 'elsewhere', 'precious.html');
  writeFileSync(precious, 'PRECIOUS');
  const engine = floodEngine(0);
  // The default output (paper.html), an explicit -o, and a dangling link.
  symlinkSync(precious, join(dir, 'paper.html'));
  symlinkSync(precious, join(dir, 'explicit.html'));
  symlinkSync(join(dir, 'elsewhere', 'not-there.html'), join(dir, 'dangling.html'));
  const cases: [string[], string][] = [
    [['report', 'paper.align'], 'paper.html'],
    [['report', 'paper.align', '-o', 'explicit.html'], 'explicit.html'],
    [['report', 'paper.align', '--output=dangling.html'], 'dangling.html'],
  ];
  for (const [args, out] of cases) {
    const run = runInProcess(args, engine, { cwd: dir, bundleDir: tmp });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `wrote ${out}\n`);
    assert.match(run.stderr, new RegExp(`note: '${out}' was a symbolic link; it now is the report`));
    const written = lstatSync(join(dir, out));
    assert.ok(written.isFile() && !written.isSymbolicLink(), `${out} is now a regular file`);
    assert.equal(readFileSync(join(dir, out), 'utf8'), '<html></html>');
  }
  assert.equal(readFileSync(precious, 'utf8'), 'PRECIOUS', 'the link target is untouched');
  assert.deepEqual(
    readdirSync(join(dir, 'elsewhere')),
    ['precious.html'],
    'the dangling target was not created',
  );
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file is left behind',
  );
});

test('report: an existing page is replaced whole and keeps its permissions; a folder is refused', () => {
  const dir = join(tmp, 'replace');
  mkdirSync(join(dir, 'folder.html'), { recursive: true });
  writeFileSync(join(dir, 'paper.align'), 'clean\n');
  writeFileSync(join(dir, 'paper.html'), 'old page', { mode: 0o640 });
  const ok = runInProcess(['report', 'paper.align'], floodEngine(0), { cwd: dir, bundleDir: tmp });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assert.equal(readFileSync(join(dir, 'paper.html'), 'utf8'), '<html></html>');
  assert.equal(statSync(join(dir, 'paper.html')).mode & 0o777, 0o640);
  const folder = runInProcess(['report', 'paper.align', '-o', 'folder.html'], floodEngine(0), {
    cwd: dir,
    bundleDir: tmp,
  });
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /cannot write 'folder\.html': is a directory/);
  assert.deepEqual(readdirSync(join(dir, 'folder.html')), []);
});
