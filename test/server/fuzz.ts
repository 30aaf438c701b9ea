/**
 * Random edit sequences through the protocol: inserts of language fragments (brackets, keywords,
 * numbers that overflow, unterminated strings, CRLF, astral characters…) and deletions at random
 * places, interleaved with every kind of request. The server must never die, must answer every
 * request, and its memory must stay flat. Used by fuzz.test.ts (1,000 edits) and bench/server.ts
 * (10,000 edits). Seeded, so a failure is reproducible.
 */
import { readFileSync } from 'node:fs';
import type { Position } from 'vscode-languageserver-protocol';
import { mulberry32 } from '../helpers/random.js';
import { type LspClient, uriOf } from './lsp.js';

export const FRAGMENTS = [
  '(',
  ')',
  '{',
  '}',
  ',',
  ';',
  '=',
  '..',
  '-',
  '+',
  '*',
  '/',
  '^',
  '\n',
  '\r\n',
  '  ',
  '#',
  '// c',
  '"',
  "'",
  'model ',
  'policy ',
  ' of ',
  ' from ',
  'let ',
  'tilt(',
  'bon(',
  'rate(',
  'frontier(',
  'equivalence(',
  'cumulants(',
  'renyi(',
  'compare(',
  'simulate(',
  'delta = ',
  'lambda = ',
  'beta = ',
  'N = ',
  'logN = ',
  'x = ',
  'steps = ',
  'order = ',
  'alpha = ',
  'method = bon',
  'policy = q',
  'vocab ',
  'p ',
  'reward ',
  'length ',
  '0',
  '1',
  '7',
  '0.5',
  '-1',
  '1e400',
  '1e-320',
  'exp(1000)',
  'log(0)',
  '0/0',
  'sqrt(-1)',
  'e^1000',
  'toy',
  'q',
  'x',
  'λ',
  '😀',
  '\t',
  '"a.csv"',
  '\u00a0',
  '\ufeff',
  'from "../x.csv"',
];

export const FUZZ_BASE = `# fuzz base
model toy {
  vocab  a b c "d e"
  p      0.1 0.2 0.3 0.4
  reward -1 0 1 2
  length 6
}
policy q of toy { p 0.25 0.25 0.25 0.25 }
let budget = 2
tilt(toy, delta = budget)
frontier(toy, steps = 16)
bon(toy, N = 8)
rate(toy, lambda = 1, x = -1..2, steps = 9)
cumulants(toy, beta = 2, order = 4)
renyi(toy, alpha = 2)
compare(toy, policy = q, delta = 1)
equivalence(toy, rate = 0.2, n = 1..16, steps = 4)
simulate(toy, method = tilt, delta = 1, samples = 50, seed = 3)
`;

/** Seeded PRNG for the fuzzers (shared with the other test helpers). */
export const rng = mulberry32;

function positionOf(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

/** Reads VmRSS of a process in MB (Linux). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export interface FuzzReport {
  edits: number;
  requests: number;
  rssStartMB: number;
  rssEndMB: number;
  ms: number;
}

/** `p`, or a rejection after `ms` (the timer is cleared, so it never holds the process open). */
function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`no answer to ${what} in ${ms} ms`)), ms);
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/**
 * Applies `edits` random edits (incremental didChange, as editors send them), every `every`
 * edits sends a batch of requests at random positions and waits for the diagnostics of the
 * current version. Throws if a request fails unexpectedly or is not answered.
 */
export async function fuzz(c: LspClient, edits: number, seed = 1, every = 10): Promise<FuzzReport> {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const uri = uriOf('test/fixtures/fuzz.align');
  let text = FUZZ_BASE;
  await c.open(uri, text);
  const pid = c.child.pid!;
  const started = performance.now();
  let rssStartMB = rssMB(pid);
  let requests = 0;
  for (let i = 1; i <= edits; i++) {
    // Keep the document from growing without bound: deletions win when it is long.
    const del = text.length > 3000 ? random() < 0.7 : random() < 0.35;
    let start = Math.floor(random() * (text.length + 1));
    // Never split a surrogate pair or a CRLF (editors do not either).
    if (
      start > 0 &&
      start < text.length &&
      /[\uDC00-\uDFFF\n]/.test(text[start]) &&
      /[\uD800-\uDBFF\r]/.test(text[start - 1])
    )
      start--;
    let end = start;
    let insert = '';
    if (del) {
      end = Math.min(text.length, start + 1 + Math.floor(random() * 12));
      if (end < text.length && /[\uDC00-\uDFFF\n]/.test(text[end]) && /[\uD800-\uDBFF\r]/.test(text[end - 1]))
        end++;
    } else insert = pick(FRAGMENTS);
    const range = { start: positionOf(text, start), end: positionOf(text, end) };
    text = text.slice(0, start) + insert + text.slice(end);
    c.change(uri, [{ range, text: insert }]);
    if (i % every === 0 || i === edits) {
      const version = c.version(uri);
      await timeout(c.waitForDiagnostics(uri, version, 30_000), 30_000, `diagnostics v${version}`);
      const position = positionOf(text, Math.floor(random() * (text.length + 1)));
      const doc = { textDocument: { uri } };
      const batch: [string, object][] = [
        ['textDocument/hover', { ...doc, position }],
        ['textDocument/completion', { ...doc, position }],
        ['textDocument/signatureHelp', { ...doc, position }],
        ['textDocument/definition', { ...doc, position }],
        ['textDocument/references', { ...doc, position, context: { includeDeclaration: true } }],
        ['textDocument/documentHighlight', { ...doc, position }],
        ['textDocument/prepareRename', { ...doc, position }],
        ['textDocument/documentSymbol', doc],
        ['textDocument/foldingRange', doc],
        ['textDocument/semanticTokens/full', doc],
        ['textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }],
        ['textDocument/codeLens', doc],
        [
          'textDocument/inlayHint',
          { ...doc, range: { start: { line: 0, character: 0 }, end: positionOf(text, text.length) } },
        ],
        [
          'textDocument/codeAction',
          {
            ...doc,
            range: { start: position, end: position },
            context: { diagnostics: c.diagnostics.get(uri)?.diagnostics ?? [] },
          },
        ],
      ];
      await Promise.all(
        batch.map(([method, params]) => timeout(c.conn.sendRequest(method, params), 30_000, method)),
      );
      requests += batch.length;
      // The rename of whatever is at the cursor may be refused (a ResponseError) but must be answered.
      await timeout(
        c.conn.sendRequest('textDocument/rename', { ...doc, position, newName: 'renamed' }).catch(() => null),
        30_000,
        'rename',
      );
      requests++;
      if (i === Math.min(200, edits)) rssStartMB = rssMB(pid);
    }
  }
  const report: FuzzReport = {
    edits,
    requests,
    rssStartMB,
    rssEndMB: rssMB(pid),
    ms: performance.now() - started,
  };
  c.close(uri);
  return report;
}
