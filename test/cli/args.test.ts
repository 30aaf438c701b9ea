import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../src/cli/args.js';

test('args: commands and flags', () => {
  assert.deepEqual(parseArgs(['eval', 'a.align']), {
    ok: true,
    command: { kind: 'eval', file: 'a.align', json: false, noColor: false },
  });
  assert.deepEqual(parseArgs(['eval', '--json', 'a.align', '--no-color']), {
    ok: true,
    command: { kind: 'eval', file: 'a.align', json: true, noColor: true },
  });
  assert.deepEqual(parseArgs(['check', 'a.align', 'b.align']), {
    ok: true,
    command: { kind: 'check', files: ['a.align', 'b.align'], noColor: false },
  });
  for (const argv of [
    ['report', 'a.align', '-o', 'x.html'],
    ['report', '-o', 'x.html', 'a.align'],
    ['report', 'a.align', '--output=x.html'],
    ['report', 'a.align', '--output', 'x.html'],
  ]) {
    assert.deepEqual(
      parseArgs(argv),
      { ok: true, command: { kind: 'report', file: 'a.align', output: 'x.html', noColor: false } },
      argv.join(' '),
    );
  }
  assert.deepEqual(parseArgs(['report', 'a.align']), {
    ok: true,
    command: { kind: 'report', file: 'a.align', output: undefined, noColor: false },
  });
});

test('args: help and version', () => {
  assert.deepEqual(parseArgs([]), { ok: true, command: { kind: 'help' } });
  assert.deepEqual(parseArgs(['--help']), { ok: true, command: { kind: 'help' } });
  assert.deepEqual(parseArgs(['-h']), { ok: true, command: { kind: 'help' } });
  assert.deepEqual(parseArgs(['help', 'eval']), { ok: true, command: { kind: 'help', topic: 'eval' } });
  assert.deepEqual(parseArgs(['report', '--help']), { ok: true, command: { kind: 'help', topic: 'report' } });
  assert.deepEqual(parseArgs(['--version']), { ok: true, command: { kind: 'version' } });
  assert.deepEqual(parseArgs(['-V']), { ok: true, command: { kind: 'version' } });
});

test('args: -- and - are operands', () => {
  assert.deepEqual(parseArgs(['eval', '--', '--weird.align']), {
    ok: true,
    command: { kind: 'eval', file: '--weird.align', json: false, noColor: false },
  });
  assert.deepEqual(parseArgs(['eval', '-']), {
    ok: true,
    command: { kind: 'eval', file: '-', json: false, noColor: false },
  });
});

test('args: usage errors say what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frob'], /unknown option '--frob'/],
    [['help', 'nope'], /unknown command 'nope'/],
    [['eval'], /'eval' needs an \.align file/],
    [['eval', 'a', 'b'], /takes one \.align file, got 2/],
    [['eval', 'a', '--jsn'], /unknown option '--jsn' for 'eval'/],
    [['eval', 'a', '--json=yes'], /takes no value/],
    [['check', 'a', '--json'], /unknown option '--json' for 'check'/],
    [['report', 'a', '-o'], /'-o' needs a file name/],
    [['report', 'a', '--output='], /needs a file name/],
    [['report', 'a', '-o', 'x', '-o', 'y'], /given twice/],
    [['eval', '-o', 'x', 'a'], /unknown option '-o' for 'eval'/],
  ];
  for (const [argv, pattern] of cases) {
    const parsed = parseArgs(argv);
    assert.equal(parsed.ok, false, argv.join(' '));
    if (!parsed.ok) assert.match(parsed.message, pattern, argv.join(' '));
  }
});
