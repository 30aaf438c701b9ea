import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ast } from '../../src/language/index.js';
import { nodeAt, nodePath, parse } from '../../src/language/index.js';
import { TOY } from './helpers.js';

/** The source text of a node: offsets and ranges must agree with it. */
function textOf(src: string, node: { start: number; end: number }) {
  return src.slice(node.start, node.end);
}

test('parser: statements, fields and arguments with exact offsets and ranges', () => {
  const src = `${TOY}let budget = 0.5 * 32\npolicy q of toy { p 0.1 0.2 0.3 0.4 }\ntilt(toy, delta = budget)\nfrontier(toy, delta = 0..2)\n`;
  const { ast, diagnostics } = parse(src);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    ast.statements.map((s) => s.kind),
    ['model', 'let', 'policy', 'query', 'query'],
  );
  const model = ast.statements[0] as Ast.ModelDecl;
  assert.equal(textOf(src, model), TOY.trimEnd());
  assert.deepEqual(
    model.fields.map((f) => f.name.name),
    ['vocab', 'p', 'reward', 'length'],
  );
  assert.deepEqual(model.range, { start: { line: 0, character: 0 }, end: { line: 5, character: 1 } });
  const letDecl = ast.statements[1] as Ast.LetDecl;
  assert.equal(textOf(src, letDecl.value!), '0.5 * 32');
  assert.deepEqual(letDecl.name!.range, {
    start: { line: 6, character: 4 },
    end: { line: 6, character: 10 },
  });
  const policy = ast.statements[2] as Ast.PolicyDecl;
  assert.equal(policy.of?.name, 'toy');
  assert.equal(policy.fields[0].items.length, 4);
  const tilt = ast.statements[3] as Ast.QueryStmt;
  assert.equal(textOf(src, tilt), 'tilt(toy, delta = budget)');
  assert.equal(tilt.args[0].kind, 'positional-arg');
  const named = tilt.args[1] as Ast.NamedArg;
  assert.equal(named.name.name, 'delta');
  assert.equal(textOf(src, named), 'delta = budget');
  const range = (ast.statements[4] as Ast.QueryStmt).args[1] as Ast.NamedArg;
  assert.equal(range.value?.kind, 'range');
  assert.equal(textOf(src, range.value!), '0..2');
});

test('parser: precedence, associativity and signs', () => {
  const expr = (s: string) => (parse(`let x = ${s}\n`).ast.statements[0] as Ast.LetDecl).value!;
  const show = (e: Ast.Expr): string => {
    switch (e.kind) {
      case 'binary':
        return `(${show(e.left)} ${e.op} ${show(e.right)})`;
      case 'unary':
        return `(${e.op}${show(e.operand)})`;
      case 'call':
        return `${e.callee.name}(${e.args.map(show).join(', ')})`;
      case 'paren':
        return show(e.inner);
      case 'number':
        return e.text;
      case 'identifier':
        return e.name;
      default:
        return e.kind;
    }
  };
  assert.equal(show(expr('1 + 2 * 3 ^ 2')), '(1 + (2 * (3 ^ 2)))');
  assert.equal(show(expr('-2^2')), '(-(2 ^ 2))');
  assert.equal(show(expr('2^3^2')), '(2 ^ (3 ^ 2))');
  assert.equal(show(expr('e^-1')), '(e ^ (-1))');
  assert.equal(show(expr('1 - 2 - 3')), '((1 - 2) - 3)');
  assert.equal(show(expr('8 / 4 / 2')), '((8 / 4) / 2)');
  assert.equal(show(expr('exp(1/3) * log (2)')), '(exp((1 / 3)) * log(2))');
});

test('parser: in a field list, "0 -1" is two items and "0 - 1" or "0-1" one', () => {
  const items = (s: string) => {
    const m = parse(`model m {\n reward ${s}\n}\n`).ast.statements[0] as Ast.ModelDecl;
    return m.fields[0].items.map((i) => s.slice(i.start - 18, i.end - 18));
  };
  assert.deepEqual(items('0 -1 2'), ['0', '-1', '2']);
  assert.deepEqual(items('0 - 1 2'), ['0 - 1', '2']);
  assert.deepEqual(items('0-1 2'), ['0-1', '2']);
  assert.deepEqual(items('1/3, 2/3'), ['1/3', '2/3']);
  assert.deepEqual(items('(1 -1) +2'), ['(1 -1)', '+2']);
});

test('parser: vocab accepts identifiers, keywords, numbers and quoted strings', () => {
  const m = parse('model m {\n vocab a of 7 "end of text" \'x\'\n}\n').ast.statements[0] as Ast.ModelDecl;
  assert.deepEqual(
    m.fields[0].items.map((i) => (i as Ast.TokenName).name),
    ['a', 'of', '7', 'end of text', 'x'],
  );
});

test('parser: one typo never hides the rest of the file', () => {
  const src = [
    'model toy {',
    '  vocab a b',
    '  p 0.5 0.5 )',
    '  reward 0 1',
    '}',
    'let = 3',
    'let y = 2 *',
    'tilt(toy, delta = 1',
    'frontier(toy, steps = 8,, x)',
    '@@@',
    'renyi(toy, alpha = 2)',
    'model m { vocab a',
    'bon(toy, N = 4)',
  ].join('\n');
  const { ast, diagnostics } = parse(src);
  const lines = diagnostics.map((d) => d.range.start.line);
  assert.deepEqual(
    lines,
    [2, 5, 6, 7, 8, 9, 9, 9, 12],
    JSON.stringify(diagnostics.map((d) => [d.code, d.message])),
  );
  const queries = ast.statements
    .filter((s): s is Ast.QueryStmt => s.kind === 'query')
    .map((q) => q.name.name);
  assert.deepEqual(queries, ['tilt', 'frontier', 'renyi', 'bon']);
  const model = ast.statements[0] as Ast.ModelDecl;
  assert.deepEqual(
    model.fields.map((f) => f.name.name),
    ['vocab', 'p', 'reward'],
    'fields after the bad line survive',
  );
  const unclosed = ast.statements.find((s) => s.kind === 'model' && s.name?.name === 'm') as Ast.ModelDecl;
  assert.equal(unclosed.close, undefined);
});

test('parser: multi-line queries and statements separated by ;', () => {
  const src = `${TOY}tilt(\n  toy,\n  delta = 1\n); renyi(toy)\n`;
  const { ast, diagnostics } = parse(src);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    ast.statements.slice(1).map((s) => (s as Ast.QueryStmt).name.name),
    ['tilt', 'renyi'],
  );
});

test('nodeAt / nodePath find the innermost node, end-inclusive', () => {
  const src = `${TOY}tilt(toy, delta = budget * 2)\n`;
  const { ast } = parse(src);
  const at = (needle: string, delta = 0) => nodeAt(ast, src.indexOf(needle) + delta);
  const budget = at('budget');
  assert.equal(budget.kind, 'identifier');
  assert.equal((budget as Ast.Identifier).name, 'budget');
  assert.equal((at('budget', 6) as Ast.Identifier).name, 'budget', 'cursor right after the name');
  assert.equal(at('delta').kind, 'identifier');
  const path = nodePath(ast, src.indexOf('delta'));
  assert.deepEqual(
    path.map((n) => n.kind),
    ['program', 'query', 'named-arg', 'identifier'],
  );
  assert.equal(at('0.3').kind, 'number');
  assert.equal(nodeAt(ast, src.length + 50).kind, 'program');
});
