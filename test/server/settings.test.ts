// Settings pulled with workspace/configuration (as VS Code provides them) change what the
// server shows, and the debounce batches a burst of edits into few evaluations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import { startClient, uriOf } from './lsp.js';

const text = 'model m {\n  vocab a b\n  p 0.5 0.5\n  reward 0 1\n  length 3\n}\ntilt(m, lambda = 1)\n';

test('settings from workspace/configuration: digits, inlay hints, code lenses', async () => {
  const c = await startClient({
    settings: {
      debounceMs: 0,
      significantDigits: 3,
      inlayHints: { enabled: false },
      codeLens: { enabled: false },
    },
  });
  const uri = uriOf('test/fixtures/settings.align');
  await c.open(uri, text);
  // The settings arrive after `initialized`; the server re-evaluates once they do.
  await c.waitForResults(uri, 1);
  await new Promise((r) => setTimeout(r, 100));
  const doc = { textDocument: { uri } };
  const hints = (await c.conn.sendRequest('textDocument/inlayHint', {
    ...doc,
    range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
  })) as InlayHint[];
  assert.deepEqual(hints, []);
  assert.deepEqual(await c.conn.sendRequest('textDocument/codeLens', doc), []);
  const hover = (await c.conn.sendRequest('textDocument/hover', {
    ...doc,
    position: { line: 6, character: 1 },
  })) as Hover;
  // E R = 3 · e/(1 + e) = 2.1931… → 2.19 at 3 significant digits.
  assert.match(
    (hover.contents as { value: string }).value,
    /\| E\\\[R\\\] under φ\\_λ \| 2\.19 \| reward \|/,
  );
  assert.equal(await c.shutdown(), 0);
});

test('a burst of edits within the debounce window is evaluated once, for the last version', async () => {
  const c = await startClient({ initializationOptions: { debounceMs: 300 } });
  const uri = uriOf('test/fixtures/debounce.align');
  await c.open(uri, text);
  const before = c.published.length;
  let v = 1;
  for (let i = 0; i < 10; i++) v = c.change(uri, text.replace('lambda = 1', `lambda = 1.${i}`));
  const last = await c.waitForDiagnostics(uri, v);
  assert.equal(last.version, v);
  // The open was just evaluated, so the whole burst falls inside the window: one evaluation.
  assert.equal(c.published.length - before, 1);
  assert.equal(await c.shutdown(), 0);
});
