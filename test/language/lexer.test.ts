import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, lex } from '../../src/language/index.js';

const kinds = (text: string) => lex(text).map((t) => `${t.kind}:${t.text}`);

test('lexer: numbers, ranges, operators and identifiers', () => {
  assert.deepEqual(kinds('1..256 1e-3 .5 2.5e+10 1.'), [
    'number:1',
    'operator:..',
    'number:256',
    'number:1e-3',
    'number:.5',
    'number:2.5e+10',
    'number:1',
    'invalid:.',
    'eof:',
  ]);
  assert.deepEqual(kinds('a+b*c^d/e-f=g'), [
    'identifier:a',
    'operator:+',
    'identifier:b',
    'operator:*',
    'identifier:c',
    'operator:^',
    'identifier:d',
    'operator:/',
    'identifier:e',
    'operator:-',
    'identifier:f',
    'operator:=',
    'identifier:g',
    'eof:',
  ]);
  assert.deepEqual(kinds('model policy let of from modelx'), [
    'keyword:model',
    'keyword:policy',
    'keyword:let',
    'keyword:of',
    'keyword:from',
    'identifier:modelx',
    'eof:',
  ]);
  assert.deepEqual(kinds('délta λ x_1'), ['identifier:délta', 'identifier:λ', 'identifier:x_1', 'eof:']);
});

test('lexer: comments, strings, line breaks and invalid characters', () => {
  const tokens = lex('# c1\nx // c2\r\n"a \\"q\\" b" \'s\'\r"open\n$😀');
  assert.deepEqual(
    tokens.map((t) => [t.kind, t.text]),
    [
      ['comment', '# c1'],
      ['newline', '\n'],
      ['identifier', 'x'],
      ['comment', '// c2'],
      ['newline', '\r\n'],
      ['string', '"a \\"q\\" b"'],
      ['string', "'s'"],
      ['newline', '\r'],
      ['string', '"open'],
      ['newline', '\n'],
      ['invalid', '$'],
      ['invalid', '😀'],
      ['eof', ''],
    ],
  );
  assert.equal(tokens[5].value, 'a "q" b');
  assert.equal(tokens[8].terminated, false);
  // Offsets are UTF-16 indices: the emoji is two code units.
  assert.equal(tokens[11].end - tokens[11].start, 2);
});

test('lexer: spaceBefore distinguishes "0 -1" from "0 - 1"', () => {
  const t = lex('0 -1 - 2');
  assert.deepEqual(
    t.map((x) => x.spaceBefore),
    [true, true, false, true, true, false],
  );
});

test('LineIndex: positions in UTF-16 code units for \\n, \\r\\n and \\r', () => {
  const text = 'ab\r\n😀x\ry\nz';
  const li = new LineIndex(text);
  assert.deepEqual(li.lineStarts, [0, 4, 8, 10]);
  assert.deepEqual(li.position(6), { line: 1, character: 2 }); // after the surrogate pair
  assert.deepEqual(li.position(text.length), { line: 3, character: 1 });
  assert.deepEqual(li.position(-5), { line: 0, character: 0 });
  assert.deepEqual(li.position(999), { line: 3, character: 1 });
  for (let o = 0; o <= text.length; o++) {
    const p = li.position(o);
    // Offsets inside a line break map back to the line's end.
    const back = li.offset(p);
    assert.ok(back === o || text[o - 1] === '\r', `offset ${o} → ${JSON.stringify(p)} → ${back}`);
  }
  assert.equal(li.offset({ line: 0, character: 99 }), 2, 'clamped to the end of line 0 (before \\r\\n)');
  assert.equal(li.offset({ line: 9, character: 0 }), text.length);
});
