// Rich text escaped by construction: hostile names cannot break out of code spans, become links,
// images or HTML, and nothing is escaped twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  code,
  em,
  markdownCode,
  markdownText,
  paragraph,
  strong,
  table,
  toMarkdown,
  toPlainText,
} from '../../src/presentation/markup.js';

/** What a CommonMark renderer shows for a code span: the text between the fences, one pad stripped. */
function codeSpanContent(md: string): string {
  const m = /^(`+)(.*)\1$/s.exec(md);
  assert.ok(m, `a code span: ${md}`);
  const inner = m[2];
  return inner.length > 1 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== ''
    ? inner.slice(1, -1)
    : inner;
}

describe('markdownCode', () => {
  for (const name of [
    'plain',
    'a_b*c',
    'a\\_b',
    'x`y',
    '``',
    '`start',
    'end`',
    ' spaced ',
    'a```b`c',
    '[run](command:x)',
    '<img src=x>',
  ]) {
    it(`shows ${JSON.stringify(name)} exactly`, () => {
      const md = markdownCode(name);
      assert.equal(codeSpanContent(md), name, md);
    });
  }
  it('an empty name is a visible empty span, a line break a space', () => {
    assert.equal(markdownCode(''), '` `');
    assert.equal(codeSpanContent(markdownCode('a\nb')), 'a b');
  });
  it('in a table, | does not split the row', () => {
    assert.ok(!markdownCode('a|b', true).includes('|'));
  });
});

describe('markdownText', () => {
  it('escapes inline markup: links, images, HTML, emphasis, code', () => {
    const hostile =
      '[run](command:workbench.action.terminal.new) ![x](https://evil/x.png) <b>hi</b> *a* _b_ `c` ~~d~~ a|b &amp;';
    const md = markdownText(hostile);
    assert.ok(md.endsWith('&amp;amp;'), md);
    for (const bad of ['[run]', '![x]', '<b>', '*a*', '_b_', '`c`', '~~d~~', 'a|b'])
      assert.ok(!md.includes(bad), `${bad} survives in ${md}`);
    assert.ok(!/(^|[^\\])\[/.test(md), md);
  });
  it('escapes what would start a heading, list, quote or rule, and breaks autolinks', () => {
    assert.equal(markdownText('# h'), '\\# h');
    assert.equal(markdownText('- item'), '\\- item');
    assert.equal(markdownText('1. item'), '1\\. item');
    assert.equal(markdownText('> quote'), '\\> quote');
    assert.equal(markdownText('see https://evil.example'), 'see https\\://evil.example');
    assert.equal(markdownText('www.evil.example'), 'www\\.evil.example');
  });
  it('leaves ordinary text alone (no stray backslashes)', () => {
    assert.equal(
      markdownText('KL per token (nats), E[R] = 3.5 − 1'),
      'KL per token (nats), E\\[R\\] = 3.5 − 1',
    );
    assert.equal(markdownText('p(token)'), 'p(token)');
  });
});

describe('toMarkdown / toPlainText', () => {
  const blocks = [
    paragraph(strong('token'), ' ', code('a`b'), ' of model ', code('m')),
    table(
      ['quantity', 'value'],
      [
        ['λ', '1.5'],
        ['E[R] | x', '−2'],
      ],
    ),
    paragraph(em('Not computed: '), 'because *reasons*'),
  ];
  it('Markdown: paragraphs and a GFM table, cells escaped', () => {
    assert.equal(
      toMarkdown(blocks),
      '**token** ``a`b`` of model `m`\n\n| quantity | value |\n| :-- | --: |\n| λ | 1.5 |\n| E\\[R\\] \\| x | −2 |\n\n*Not computed:* because \\*reasons\\*',
    );
  });
  it('plain text: aligned columns, no markup characters added', () => {
    assert.equal(
      toPlainText(blocks),
      'token a`b of model m\n\nquantity  value\nλ           1.5\nE[R] | x     −2\n\nNot computed: because *reasons*',
    );
  });
});
