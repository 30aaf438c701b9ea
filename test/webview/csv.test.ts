// The preview's CSV export (webview/csv.ts), in Node: RFC 4180 quoting, and text cells that a
// spreadsheet would run as formulas (OWASP "CSV injection") made inert, while numbers stay numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChartModel, Series } from '../../webview/charts/model.js';
import { chartCsv, inertText } from '../../webview/csv.js';

const series = (label: string, points: [number, number][]): Series => ({
  key: label,
  label,
  style: 'bar',
  color: 0,
  points: points.map(([x, y]) => ({ x, y, q: 0, tip: '' })),
  queries: [0],
});

test('csv: text cells starting like a formula get a leading quote', () => {
  for (const [text, want] of [
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['＝1+1', "'＝1+1"],
    ['a=b', 'a=b'],
    ['', ''],
    ['plain', 'plain'],
  ] as const)
    assert.equal(inertText(text), want, JSON.stringify(text));
});

test('csv: token names and series labels are inert, numbers (also negative) stay numbers', () => {
  const model: ChartModel = {
    id: 'tokens',
    title: 'tokens',
    x: { title: 'token' },
    y: { title: 'p' },
    categories: ['=1+1', '-2', '@me', 'ok', 'a,b'],
    series: [
      series('=cmd|calc', [
        [0, -0.5],
        [1, 0.25],
        [2, -1e-300],
        [3, 1],
        [4, 0],
      ]),
    ],
    emptyText: '',
  };
  assert.equal(
    chartCsv(model),
    [`category,'=cmd|calc`, `'=1+1,-0.5`, `'-2,0.25`, `'@me,-1e-300`, 'ok,1', '"a,b",0', ''].join('\r\n'),
  );
  const curve: ChartModel = {
    id: 'rate',
    title: 'rate',
    x: { title: '-x' },
    y: { title: 'I(x)' },
    series: [series('+tilt "q"', [[-1, -2]])],
    emptyText: '',
  };
  assert.equal(
    chartCsv(curve),
    ["series,'-x,I(x),y_min,y_max,axis", `"'+tilt ""q""",-1,-2,,,I(x)`, ''].join('\r\n'),
  );
});
