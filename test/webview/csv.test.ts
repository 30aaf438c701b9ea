// The preview's CSV export (webview/csv.ts), in Node: RFC 4180 quoting, and text cells that a
// spreadsheet would run as formulas (OWASP "CSV injection") made inert, while numbers stay numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChartModel, Series } from '../../webview/charts/model.js';
import { chartCsv, inertText } from '../../webview/csv.js';

const series = (label: string, points: [number, number][]): Series => ({
  key: label,
  label,
  name: label,
  model: 'toy',
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
  assert.equal(chartCsv(curve), [`"'+tilt ""q"": -x","'+tilt ""q"": I(x)"`, '-1,-2', ''].join('\r\n'));
});

test('csv: one series per column pair, never merged, shorter series leave their cells empty', () => {
  // Two best-of-N curves of one model (N = 1…4 and N = 1…64): in one long column their log N
  // would restart at 0 halfway down; here each has its own columns.
  const model: ChartModel = {
    id: 'bon',
    title: 'bon',
    x: { title: 'log N' },
    y: { title: 'E R' },
    y1: { title: 'KL' },
    series: [
      {
        ...series('best-of-N · toy, line 3', [
          [0, 1],
          [Math.log(4), 2],
        ]),
        style: 'line',
      },
      {
        ...series('best-of-N · toy, line 4', [
          [0, 1],
          [Math.log(8), 2.5],
          [Math.log(64), 3],
        ]),
        style: 'line',
      },
      { ...series('KL · toy', [[0, 0]]), style: 'line', axis: 'y1' },
      {
        ...series('Monte Carlo · toy', []),
        points: [{ x: 1, y: 2, yMin: 1.5, yMax: 2.5, q: 0, tip: '' }],
        style: 'points',
      },
      { ...series('empty · toy', []), style: 'line' },
    ],
    emptyText: '',
  };
  const rows = chartCsv(model).split('\r\n');
  const headers = [
    'best-of-N · toy, line 3: log N',
    'best-of-N · toy, line 3: E R',
    'best-of-N · toy, line 4: log N',
    'best-of-N · toy, line 4: E R',
    'KL · toy: log N',
    'KL · toy: KL',
    'Monte Carlo · toy: log N',
    'Monte Carlo · toy: E R',
    'Monte Carlo · toy: E R low',
    'Monte Carlo · toy: E R high',
  ];
  assert.equal(rows[0], headers.map((h) => (h.includes(',') ? `"${h}"` : h)).join(','));
  assert.deepEqual(rows.slice(1), [
    '0,1,0,1,0,0,1,2,1.5,2.5',
    `${Math.log(4)},2,${Math.log(8)},2.5,,,,,,`,
    `,,${Math.log(64)},3,,,,,,`,
    '',
  ]);
});
