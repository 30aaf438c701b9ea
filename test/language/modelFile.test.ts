// Model files: CSV and JSON formats, and confinement of paths to the document's folder tree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { excerpt, parseCsvModel, parseCsvNumber, scanNumber } from '../../src/language/checking/modelFile.js';
import { analyze, confinePath, parseModelFile } from '../../src/language/index.js';
import { mulberry32 } from '../helpers/random.js';

test('confinePath: normalises relative paths and rejects escapes', () => {
  const ok = (raw: string, path: string) => assert.deepEqual(confinePath(raw), { ok: true, path }, raw);
  ok('x.csv', 'x.csv');
  ok('./data/x.csv', 'data/x.csv');
  ok('data/../x.csv', 'x.csv');
  ok('data\\sub\\x.json', 'data/sub/x.json');
  ok('a//b/./c.csv', 'a/b/c.csv');
  for (const bad of [
    '../x.csv',
    'data/../../x.csv',
    '/etc/passwd',
    'C:\\x.csv',
    'c:x.csv',
    'file:///x.csv',
    '~/x.csv',
    '',
    '.',
    'a/..',
    'x\0.csv',
  ]) {
    const r = confinePath(bad);
    assert.equal(r.ok, false, `${JSON.stringify(bad)} must be rejected`);
  }
});

test('CSV: header in any order, quotes, separators, comments and errors with line numbers', () => {
  const csv = '# exported\nreward;p;token\n1;0.5;"a;b"\n\n2;0.5;" c"\n';
  assert.deepEqual(parseModelFile(csv, 'm.csv'), {
    ok: true,
    model: { vocab: ['a;b', ' c'], p: [0.5, 0.5], reward: [1, 2] },
  });
  const tabs = 'token\tp\treward\nx\t1\t0\r\n';
  assert.deepEqual(parseModelFile(tabs, 'm.tsv'), { ok: true, model: { vocab: ['x'], p: [1], reward: [0] } });
  const quoted = 'token,p,reward\n"say ""hi""",1,0\n';
  assert.deepEqual(parseModelFile(quoted, 'm.csv'), {
    ok: true,
    model: { vocab: ['say "hi"'], p: [1], reward: [0] },
  });
  const errors: [string, RegExp][] = [
    ['', /empty/],
    ['token,prob\n', /missing: reward/],
    ['token,p,reward\n', /no rows/],
    ['token,p,reward\na,0.5\n', /line 2: expected at least 3 columns/],
    ['token,p,reward\na,1,0\nb,x,0\n', /line 3: p 'x' is not a number/],
    ['token,p,reward\na,1,1e999\n', /line 2: reward/],
  ];
  for (const [text, message] of errors) {
    const r = parseModelFile(text, 'm.csv');
    assert.ok(!r.ok && message.test(r.message), `${JSON.stringify(text)} → ${JSON.stringify(r)}`);
  }
});

test('JSON: object of columns or array of rows', () => {
  assert.deepEqual(parseModelFile('{"vocab":["a","b"],"p":[0.5,0.5],"reward":[0,1],"length":3}', 'm.json'), {
    ok: true,
    model: { vocab: ['a', 'b'], p: [0.5, 0.5], reward: [0, 1], length: 3 },
  });
  assert.deepEqual(parseModelFile('[{"token":"a","p":1,"reward":2}]', 'm.json'), {
    ok: true,
    model: { vocab: ['a'], p: [1], reward: [2] },
  });
  for (const [text, message] of [
    ['{', /invalid JSON/],
    ['{"vocab":[],"p":[]}', /"reward" must be an array/],
    ['{"vocab":["a"],"p":["x"],"reward":[0]}', /"p"\[0\]/],
    ['[{"token":"a","p":1}]', /row 0/],
    ['{"vocab":["a"],"p":[1],"reward":[0],"length":0}', /length/],
    ['3', /expected a JSON object or array/],
  ] as const) {
    const r = parseModelFile(text, 'm.json');
    assert.ok(!r.ok && message.test(r.message), `${text} → ${JSON.stringify(r)}`);
  }
});

test('errors quote at most a short, escaped excerpt of the file', () => {
  // /etc/passwd read as a model file: the message must not carry its first line.
  const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
  const asJson = parseModelFile(passwd, 'passwd.json');
  assert.ok(!asJson.ok);
  assert.equal(asJson.message, "invalid JSON: unexpected character 'r'");
  const positioned = parseModelFile('\n\n[1, 2', 'x.json');
  assert.ok(!positioned.ok);
  assert.equal(positioned.message, 'invalid JSON at line 3, column 6');
  const ended = parseModelFile('{"vocab": ', 'x.json');
  assert.ok(!ended.ok && /ends early/.test(ended.message), JSON.stringify(ended));
  const secret = 'token,p,reward\na,AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI,0\n';
  const cell = parseModelFile(secret, 'x.csv');
  assert.ok(!cell.ok);
  assert.equal(cell.message, "line 2: p 'AKIAIOSFODNN7EXA…' is not a number");
  const hostile = parseModelFile('token,p,reward\na,\u001b[2J\u202e,0\n', 'x.csv');
  assert.ok(!hostile.ok);
  assert.equal(hostile.message, "line 2: p '\\u001b[2J\\u202e' is not a number");
  assert.equal(excerpt("it's"), "'it\\'s'");
});

test('model from a file: the host is asked only for confined paths; body fields override', () => {
  const asked: string[] = [];
  const files: Record<string, string> = {
    'data/m.csv': 'token,p,reward\na,0.25,0\nb,0.75,1\n',
    'm.json': '{"vocab":["a","b"],"p":[0.5,0.5],"reward":[0,1],"length":2}',
  };
  const readFile = (path: string) => {
    asked.push(path);
    return files[path];
  };
  const a = analyze(
    'model c from "./data/x/../m.csv" { length 3 }\nmodel j from "m.json"\nmodel bad from "../m.csv"\ntilt(c, lambda = 0)\ntilt(j, lambda = 0)\n',
    { readFile },
  );
  assert.deepEqual(asked, ['data/m.csv', 'm.json'], 'the escaping path never reaches the host');
  assert.deepEqual(
    a.diagnostics.map((d) => d.code),
    ['invalid-path'],
  );
  const [c, j] = a.results;
  assert.ok(c.value && j.value);
  assert.equal(
    (c.value as { reward: number }).reward,
    3 * 0.75,
    'length 3 from the body, p and reward from the file',
  );
  assert.equal((j.value as { reward: number }).reward, 2 * 0.5, 'length 2 from the JSON file');
});

test('examples/from-csv.align loads examples/next-token.csv without diagnostics', () => {
  const dir = join(import.meta.dirname, '..', '..', 'examples');
  const text = readFileSync(join(dir, 'from-csv.align'), 'utf8');
  const a = analyze(text, { readFile: (p) => readFileSync(join(dir, p), 'utf8') });
  assert.deepEqual(a.diagnostics, []);
  assert.ok(
    a.results.every((r) => r.value),
    JSON.stringify(a.results.map((r) => r.error)),
  );
  assert.equal(a.models?.[0].tokens, 8);
});

test('CSV without quotes: the fast reader gives what the general splitter gives, row for row', () => {
  const rand = mulberry32(4242);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const cells = [
    'a',
    ' b ',
    'tok',
    '0.5',
    '-1e-3',
    '.25',
    '+2.',
    '1e400',
    'x',
    '',
    ' ',
    '\t',
    '0x10',
    'Infinity',
    '#c',
    '1 2',
    'é',
    '3e',
    '.',
  ];
  const seps = [',', ';', '\t'];
  const ends = ['\n', '\r\n', '\r'];
  for (let trial = 0; trial < 3000; trial++) {
    const sep = pick(seps);
    const end = pick(ends);
    const header = pick([
      ['token', 'p', 'reward'],
      ['Reward', 'word', 'prob', 'extra'],
      ['token', 'p'],
      ['r', ' vocab ', 'P'],
    ]);
    const lines: string[] = [];
    if (rand() < 0.2) lines.push(pick(['', '# comment', '   ']));
    lines.push(header.join(sep));
    const rows = Math.floor(rand() * 6);
    for (let r = 0; r < rows; r++) {
      const kind = rand();
      if (kind < 0.1) lines.push(pick(['', '   ', '# x', sep, `${sep}${sep}`]));
      else
        lines.push(
          Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
            rand() < 0.6 ? pick(['0.5', '1', '-2', '.5', '3e-2']) : pick(cells),
          ).join(sep),
        );
    }
    const text = lines.join(end) + (rand() < 0.5 ? end : '');
    assert.deepEqual(parseCsvModel(text), parseCsvModel(text, { general: true }), JSON.stringify(text));
  }
});

test('scanNumber: the quick in-place reading of a number cell is Number()’s value, or NaN when not a number', () => {
  const rand = mulberry32(1729);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const samples = [
    '0',
    '-0',
    '+0.0',
    '-0.000',
    '1',
    '.5',
    '5.',
    '-.5e-3',
    '1e22',
    '1e23',
    '1e-22',
    '1e-23',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '0.000000000000000000001',
    '1.7976931348623157e308',
    '1e309',
    '5e-324',
    '2.4703282292062328e-324',
    '00012.5000',
    '1E5',
    '1e+5',
    '1e',
    '1e+',
    'e5',
    '.',
    '-',
    '+-1',
    '1.2.3',
    '1,5',
    ' 1.5',
    '1.5 ',
    '0x10',
    'Infinity',
    'NaN',
    '1_000',
    '１',
    '',
  ];
  for (let i = 0; i < 20_000; i++) {
    const sign = pick(['', '', '-', '+']);
    const int = digits(Math.floor(rand() * 12));
    const frac = rand() < 0.7 ? `.${digits(Math.floor(rand() * 14))}` : '';
    const exp =
      rand() < 0.4 ? `${pick(['e', 'E'])}${pick(['', '-', '+'])}${digits(1 + Math.floor(rand() * 3))}` : '';
    samples.push(`${sign}${int}${frac}${exp}`);
  }
  for (const cell of samples) {
    // In place, between separators: what follows a cell must not be read.
    const text = `x,${cell},-9`;
    const expected = parseCsvNumber(cell) ?? Number.NaN;
    const got = scanNumber(text, 2, 2 + cell.length);
    assert.ok(Object.is(got, expected), `${JSON.stringify(cell)}: ${got} ≠ ${expected}`);
    if (!Number.isNaN(expected)) assert.ok(Object.is(expected, Number(cell.trim())), cell);
  }
});

test('CSV: CRLF, blank and comment lines, exponents and signs read as the general splitter reads them', () => {
  const text = [
    '# exported',
    '',
    'token;p;reward',
    'a;2.5e-1;-1E+2',
    '   ',
    '# skipped;1;2',
    'b ; .25 ;+3.',
    ' c;0.5;1e-400',
    'd;0.0;-0',
    '',
  ].join('\r\n');
  const fast = parseCsvModel(text);
  assert.deepEqual(fast, parseCsvModel(text, { general: true }));
  assert.ok(fast.ok);
  assert.deepEqual(fast.model.vocab, ['a', 'b', 'c', 'd']);
  assert.deepEqual(fast.model.p, [0.25, 0.25, 0.5, 0]);
  assert.ok(Object.is(fast.model.reward[3], -0));
  assert.deepEqual(fast.model.reward.slice(0, 3), [-100, 3, 0]);
  for (const [bad, message] of [
    ['token,p,reward\na,0.5,1\nb,0x1,2\n', "line 3: p '0x1' is not a number"],
    ['token,p,reward\r\na,0.5,1\r\n\r\nb,0.5,1e\r\n', "line 4: reward '1e' is not a number"],
    ['token,p,reward\ra,0.5\r', 'line 2: expected at least 3 columns, found 2'],
  ] as const) {
    assert.deepEqual(parseCsvModel(bad), { ok: false, message }, JSON.stringify(bad));
    assert.deepEqual(parseCsvModel(bad, { general: true }), { ok: false, message });
  }
});

test('CSV: many lines without a separator are read in linear time (and reported)', () => {
  const text = `token,p,reward\n${'x\n'.repeat(200_000)}a,1,1\n`;
  const started = performance.now();
  assert.deepEqual(parseCsvModel(text), {
    ok: false,
    message: 'line 2: expected at least 3 columns, found 1',
  });
  const lines = `token,p,reward\n${'# note\n'.repeat(200_000)}a,1,1\n`;
  const read = parseCsvModel(lines);
  assert.ok(read.ok && read.model.vocab.length === 1);
  assert.ok(performance.now() - started < 5000, 'not quadratic');
});
