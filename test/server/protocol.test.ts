// The language server through the real stdio protocol: a child process `node dist/server.js
// --stdio` driven by vscode-languageserver-protocol, as an editor would drive it. Numbers in
// hovers and hints are checked against `analyze` on the same text.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  Location,
  LocationLink,
  SemanticTokens,
  SignatureHelp,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { analyze } from '../../src/language/index.js';
import { formatNumber as fmt } from '../../src/presentation/format.js';
import type { TiltValue } from '../../src/presentation/results.js';
import { tokenValue } from '../../src/presentation/tokens.js';
import { GetResultsRequest, SetParameterRequest } from '../../src/protocol/protocol.js';
import { type LspClient, root, startClient, uriOf } from './lsp.js';

// examples/paper.align with fewer Monte Carlo samples (its 20,000 best-of-64 draws take seconds).
const paperText = readFileSync(join(root, 'examples/paper.align'), 'utf8').replace(
  /samples = \d+/g,
  'samples = 200',
);
const paper = uriOf('examples/paper.align');
let analyzed: ReturnType<typeof analyze> | undefined;
const expectedAnalysis = () => (analyzed ??= analyze(paperText, { file: paper }));
const lineOf = (text: string, prefix: string) => text.split('\n').findIndex((l) => l.startsWith(prefix));
const at = (line: number, character: number) => ({ line, character });

describe('language server over stdio', () => {
  let c: LspClient;
  before(async () => {
    c = await startClient();
  });
  after(async () => {
    const code = await c.shutdown();
    assert.equal(code, 0, 'the server exits with 0 after shutdown + exit');
  });

  const req = <R>(method: string, params: object) => c.conn.sendRequest(method, params) as Promise<R>;

  it('announces its capabilities', () => {
    const caps = c.initializeResult.capabilities;
    for (const k of [
      'hoverProvider',
      'completionProvider',
      'signatureHelpProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentFormattingProvider',
      'semanticTokensProvider',
      'codeActionProvider',
      'inlayHintProvider',
      'codeLensProvider',
    ] as const) {
      assert.ok(caps[k], `${k} announced`);
    }
    assert.equal(c.initializeResult.serverInfo?.name, 'align-lab-language-server');
  });

  it('publishes the diagnostics and results of analyze() on open, versioned', async () => {
    const published = await c.open(paper, paperText);
    const expected = expectedAnalysis();
    assert.equal(published.version, 1);
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      expected.diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
    );
    const results = await c.waitForResults(paper, 1);
    assert.equal(results.version, 1);
    // Through JSON: infinities become null, as the contract says.
    assert.deepEqual(results.analysis.results, JSON.parse(JSON.stringify(expected.results)));
    const pulled = await c.conn.sendRequest(GetResultsRequest, { uri: paper });
    assert.equal(pulled?.version, 1);
  });

  it('hovers a query with its values at the configured significant digits', async () => {
    const line = lineOf(paperText, 'tilt(chat, delta');
    const hover = await req<Hover>('textDocument/hover', {
      textDocument: { uri: paper },
      position: at(line, 1),
    });
    const value = (hover.contents as { value: string }).value;
    const tilt = expectedAnalysis().results.find((r) => r.query === 'tilt' && r.range.start.line === line);
    assert.ok(tilt?.value, 'tilt evaluated');
    const v = tilt.value as TiltValue;
    for (const x of [v.lambda, v.beta, v.kl, v.reward, v.kl_per_token, v.reward_per_token]) {
      assert.ok(value.includes(`| ${fmt(x, 5)} |`), `hover shows ${fmt(x, 5)}:\n${value}`);
    }
    assert.match(value, /\| KL\(φ\\_λ‖pⁿ\) \| [^|]+ \| nats \|/);
  });

  it('hover tables of curves show their headers as written (frontier, rate, equivalence)', async () => {
    for (const [prefix, headers] of [
      ['frontier(chat', ['λ', 'KL (nats)', 'E\\[R\\] (reward)']],
      ['rate(chat', ['x (reward/token)', 'I\\_λ(x) (nats/token)', 'tail exponent (nats/token)']],
      ['equivalence(chat', ['n', 'BoN E\\[R\\]/n (reward/token)', 'KL(BoN‖pⁿ)/n (nats/token)']],
    ] as const) {
      const hover = await req<Hover>('textDocument/hover', {
        textDocument: { uri: paper },
        position: at(lineOf(paperText, prefix), 1),
      });
      const value = (hover.contents as { value: string }).value;
      assert.ok(!/%[0-9A-Fa-f]{2}|%u[0-9A-Fa-f]{4}/.test(value), `no URL escapes in ${prefix}:\n${value}`);
      for (const h of headers)
        assert.ok(value.includes(`| ${h} |`) || value.includes(`| ${h}`), `${prefix}: header ${h}\n${value}`);
    }
  });

  it('hovers a vocabulary token with p, r and φ_λ under the nearest tilt', async () => {
    const line = lineOf(paperText, '  vocab');
    const character = paperText.split('\n')[line].indexOf('helpful');
    const hover = await req<Hover>('textDocument/hover', {
      textDocument: { uri: paper },
      position: at(line, character + 1),
    });
    const value = (hover.contents as { value: string }).value;
    const tilt = expectedAnalysis().results.find((r) => r.query === 'tilt');
    assert.ok(tilt?.value);
    const phi = tokenValue((tilt.value as TiltValue).phi, 'helpful') as number;
    assert.match(value, /p\(token\) \| 0\.2 \|/);
    assert.match(value, /r\(token\) \| 1 \|/);
    assert.ok(value.includes(fmt(phi, 5)), value);
    assert.ok(value.includes(fmt(Math.log(phi / 0.2), 5)), value);
  });

  it('hovers a model and a parameter', async () => {
    const model = await req<Hover>('textDocument/hover', {
      textDocument: { uri: paper },
      position: at(lineOf(paperText, 'model chat'), 7),
    });
    const m = (model.contents as { value: string }).value;
    assert.match(m, /K \(tokens\) \| 5 \|/);
    assert.match(m, /n \(length\) \| 32 \|/);
    // E[R] under pⁿ = 32 · (−0.1 + 0 + 0.175 + 0.2 + 0.1) = 12
    assert.match(m, /E\\\[R\\\] under pⁿ \| 12 \|/);
    const line = lineOf(paperText, 'tilt(chat, delta');
    const param = await req<Hover>('textDocument/hover', {
      textDocument: { uri: paper },
      position: at(line, 12),
    });
    assert.match((param.contents as { value: string }).value, /\*\*delta\*\*/);
  });

  it('shows an inlay hint after every evaluated query and a code lens above every query', async () => {
    const hints = await req<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri: paper },
      range: { start: at(0, 0), end: at(10_000, 0) },
    });
    const analysis = expectedAnalysis();
    const evaluated = analysis.results.filter((r) => r.value !== undefined);
    assert.equal(hints.length, evaluated.length);
    const tilt = evaluated[0].value as TiltValue;
    assert.equal(hints[0].label, `→ λ = ${fmt(tilt.lambda, 5)}, E[R] = ${fmt(tilt.reward, 5)}`);
    const lenses = await req<{ command: { command: string } }[]>('textDocument/codeLens', {
      textDocument: { uri: paper },
    });
    // One lens per query with a value (paper.align has no query with an error).
    assert.equal(lenses.length, evaluated.length);
    assert.equal(lenses[0].command.command, 'alignLab.showInPreview');
  });

  it('completes keywords and queries at a line start, parameters and values inside a query', async () => {
    const uri = uriOf('test/fixtures/completion.align');
    const text = `${paperText}\ntilt(chat, )\nsimulate(chat, method = )\n\n`;
    await c.open(uri, text);
    const lines = text.split('\n');
    const complete = async (line: number, character: number) => {
      const r = await req<CompletionItem[] | CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: at(line, character),
      });
      return (Array.isArray(r) ? r : r.items).map((i) => i.label);
    };
    const tiltLine = lines.lastIndexOf('tilt(chat, )');
    assert.deepEqual(await complete(tiltLine, 'tilt(chat, '.length), ['delta', 'lambda', 'beta']);
    assert.deepEqual(await complete(tiltLine, 'tilt('.length), ['chat']);
    const simLine = lines.lastIndexOf('simulate(chat, method = )');
    assert.deepEqual(await complete(simLine, 'simulate(chat, method = '.length), ['base', 'tilt', 'bon']);
    const top = await complete(lines.length - 1, 0);
    for (const k of ['model', 'policy', 'let', 'tilt', 'bon', 'equivalence', 'simulate'])
      assert.ok(top.includes(k), k);
    const exprLine = lineOf(text, 'let budget');
    const inExpr = await complete(exprLine, 'let budget = '.length);
    assert.ok(inExpr.includes('per_token') && inExpr.includes('exp') && inExpr.includes('pi'));
    c.close(uri);
  });

  it('gives signature help inside a query', async () => {
    const line = lineOf(paperText, 'bon(chat, N = 64)');
    const help = await req<SignatureHelp>('textDocument/signatureHelp', {
      textDocument: { uri: paper },
      position: at(line, 'bon(chat, N'.length),
    });
    assert.equal(help.signatures[0].label, 'bon(model, N = …, logN = …)');
    assert.equal(help.activeParameter, 1);
  });

  it('finds definitions and references, and renames a let everywhere', async () => {
    const line = lineOf(paperText, 'tilt(chat, delta = budget)');
    const character = 'tilt(chat, delta = b'.length;
    const defs = await req<LocationLink[]>('textDocument/definition', {
      textDocument: { uri: paper },
      position: at(line, character),
    });
    assert.equal(defs[0].targetSelectionRange.start.line, lineOf(paperText, 'let budget'));
    const refs = await req<Location[]>('textDocument/references', {
      textDocument: { uri: paper },
      position: at(line, character),
      context: { includeDeclaration: true },
    });
    const code = paperText
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    const uses = code.match(/\bbudget\b/g)!.length;
    assert.equal(refs.length, uses);
    const edit = await req<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: paper },
      position: at(line, character),
      newName: 'kl_budget',
    });
    assert.equal(edit.changes?.[paper].length, uses);
    await assert.rejects(
      req('textDocument/rename', {
        textDocument: { uri: paper },
        position: at(line, character),
        newName: 'per_token',
      }),
      /already exists/,
    );
    await assert.rejects(
      req('textDocument/rename', {
        textDocument: { uri: paper },
        position: at(line, character),
        newName: 'model',
      }),
      /keyword/,
    );
  });

  it('lists symbols, folds bodies and comments, and classifies tokens', async () => {
    const symbols = await req<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: paper },
    });
    const names = symbols.map((s) => s.name);
    assert.deepEqual(names.slice(0, 4), ['chat', 'per_token', 'budget', 'tilt(chat, delta = budget)']);
    // Queries are told apart by their text; what they compute is the detail.
    const tilts = symbols.filter((s) => s.name.startsWith('tilt('));
    assert.equal(new Set(tilts.map((s) => s.name)).size, tilts.length, tilts.map((s) => s.name).join(' / '));
    assert.equal(tilts[0].detail, 'Optimal KL-constrained RL');
    assert.deepEqual(
      symbols[0].children?.map((f) => f.name),
      ['vocab', 'p', 'reward', 'length'],
    );
    const folds = await req<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: paper } });
    const modelLine = lineOf(paperText, 'model chat');
    assert.ok(folds.some((f) => f.startLine === modelLine && f.endLine === modelLine + 4));
    assert.ok(folds.some((f) => f.kind === 'comment' && f.startLine === 0));
    const tokens = await req<SemanticTokens>('textDocument/semanticTokens/full', {
      textDocument: { uri: paper },
    });
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(tokens.data.length / 5 > 100);
  });

  it('formats to the canonical layout, idempotently', async () => {
    const uri = uriOf('test/fixtures/format.align');
    const messy =
      'model  m{\nvocab a   bb c\np 0.5 ,0.25 0.25\n reward 1 2   3 # r\n}\nlet   x=2*3\ntilt( m,delta=x )\n';
    await c.open(uri, messy);
    const edits = await req<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    const formatted = edits[0].newText;
    assert.equal(
      formatted,
      'model m {\n  vocab   a    bb    c\n  p       0.5  0.25  0.25\n  reward  1    2     3  # r\n}\nlet x = 2 * 3\ntilt(m, delta = x)\n',
    );
    const v = c.change(uri, formatted);
    await c.waitForDiagnostics(uri, v);
    const again = await req<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(again, []);
    c.close(uri);
  });

  it('offers quick fixes: normalise p, fix a length mismatch, apply a suggestion, clamp Δ', async () => {
    const uri = uriOf('test/fixtures/fixes.align');
    const text = [
      'model m {',
      '  vocab a b c',
      '  p 1 1 2',
      '  reward 0 1 2',
      '  length 2',
      '}',
      'model broken {',
      '  vocab a b c',
      '  p 0.2 0.3 0.5',
      '  reward 0 1 2 3',
      '}',
      'tilt(m, detla = 1)',
      'tilt(m, delta = 100)',
      '',
    ].join('\n');
    const published = await c.open(uri, text);
    const codes = published.diagnostics.map((d) => d.code);
    for (const code of [
      'p-not-normalized',
      'length-mismatch',
      'unknown-parameter',
      'budget-exceeds-max-kl',
    ]) {
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
    }
    const titles: string[] = [];
    const newTexts: string[] = [];
    for (const d of published.diagnostics) {
      const actions = await req<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      for (const a of actions) {
        titles.push(a.title);
        newTexts.push(...(a.edit?.changes?.[uri] ?? []).map((e) => e.newText));
      }
    }
    assert.ok(
      titles.some((t) => /^Normalise p/.test(t)),
      titles.join('; '),
    );
    assert.ok(titles.includes("Remove the last 1 value of 'reward'"), titles.join('; '));
    assert.ok(titles.includes("Change to 'delta'"), titles.join('; '));
    assert.ok(
      titles.some((t) => /^Clamp delta to the maximum KL/.test(t)),
      titles.join('; '),
    );
    // Item by item (this model is not in the canonical layout, so nothing else moves).
    for (const t of ['0.25', '0.5']) assert.ok(newTexts.includes(t), newTexts.join(' | '));
    // The clamp writes n·(−log p(M)) = 2·log 2 = 1.386294… rounded down, so the warning goes away.
    assert.ok(newTexts.includes('1.38629'), newTexts.join(' | '));
    c.close(uri);
  });

  it('computes the edit that sets a parameter (for the preview), without applying it', async () => {
    const line = lineOf(paperText, 'renyi(chat');
    const r = await c.conn.sendRequest(SetParameterRequest, {
      uri: paper,
      version: 1,
      position: at(line, 0),
      name: 'alpha',
      value: 3.5,
    });
    assert.ok(r && 'edits' in r, JSON.stringify(r));
    assert.equal(r.edits.length, 1);
    assert.equal(r.edits[0].newText, '3.5');
    const stale = await c.conn.sendRequest(SetParameterRequest, {
      uri: paper,
      version: 0,
      position: at(line, 0),
      name: 'alpha',
      value: 3.5,
    });
    assert.equal(stale, null);
  });

  it('reads model files from disk and re-evaluates when one changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'align-model-'));
    const csv = join(dir, 'tokens.csv');
    writeFileSync(csv, 'token,p,reward\na,0.5,0\nb,0.5,1\n');
    const uri = pathToFileURL(join(dir, 'doc.align')).toString();
    const text = 'model m from "tokens.csv" {\n  length 2\n}\ntilt(m, lambda = 0)\n';
    const first = await c.open(uri, text);
    assert.deepEqual(first.diagnostics, []);
    const before = (await c.waitForResults(uri, 1)).analysis.results[0];
    assert.equal(before.query === 'tilt' && before.value?.reward, 1); // 2 tokens × E r = 0.5
    // The file changes on disk; the editor reports it (VS Code: the client's file watcher).
    writeFileSync(csv, 'token,p,reward\na,0.5,0\nb,0.5,3\n');
    const updated = new Promise<number | undefined>((res) => {
      const timer = setInterval(() => {
        const r = c.results.get(uri)?.analysis.results[0];
        if (r?.query === 'tilt' && r.value?.reward === 3) {
          clearInterval(timer);
          res(r.value.reward);
        }
      }, 10);
      setTimeout(() => {
        clearInterval(timer);
        res(undefined);
      }, 5000);
    });
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(csv).toString(), type: 2 }],
    });
    assert.equal(await updated, 3);
    c.close(uri);
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-evaluates on change and never publishes a stale version', async () => {
    const uri = uriOf('test/fixtures/versions.align');
    await c.open(uri, 'model m { vocab a b; p 0.5 0.5; reward 0 1 }\ntilt(m, delta = 0.1)\n');
    let v = 1;
    for (let i = 0; i < 20; i++) {
      v = c.change(uri, `model m { vocab a b; p 0.5 0.5; reward 0 1 }\ntilt(m, delta = 0.${i + 1})\n`);
    }
    const last = await c.waitForDiagnostics(uri, v);
    assert.equal(last.version, v);
    const versions = c.published.filter((p) => p.uri === uri).map((p) => p.version ?? -1);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'versions only increase',
    );
    const results = await c.waitForResults(uri, v);
    assert.equal(results.version, v);
    c.close(uri);
    const cleared = await c.waitForDiagnostics(uri);
    assert.deepEqual(cleared.diagnostics, []);
  });
});
