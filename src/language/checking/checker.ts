/**
 * The checker: resolves names (first definition wins; later ones are duplicates), evaluates
 * `let`s lazily with cycle detection, resolves models and policies into numbers, and checks
 * every query. It reports into a DiagnosticSink and never throws.
 */

import { CONSTANTS, FUNCTIONS } from '../../presentation/queries.js';
import type { Diagnostic, Position } from '../../presentation/results.js';
import { DiagnosticSink } from '../diagnostics.js';
import { suggest as suggestName } from '../suggest.js';
import type * as A from '../syntax/ast.js';
import type { LineIndex } from '../syntax/positions.js';
import { walkExpr } from '../syntax/walk.js';
import { evalExpr, type NameResolver } from './exprEval.js';
import { resolveMarkov, resolveMarkovPolicy } from './markov.js';
import type { ModelFileReader } from './modelFile.js';
import {
  type ModelCache,
  type ModelHost,
  type ResolvedModel,
  type ResolvedPolicy,
  resolveModel,
  resolvePolicy,
} from './models.js';
import { type CheckedQuery, checkQuery } from './params.js';
import { buildSymbolIndex, type SymbolIndex } from './symbols.js';
import type { Value } from './value.js';

export interface CheckOptions {
  /** Reads a model file, given its path relative to the document's folder (see modelFile.ts). */
  readonly readFile?: ModelFileReader;
  /** The parser's diagnostics: a query with a syntax error inside it is not evaluated. */
  readonly syntaxDiagnostics?: readonly Diagnostic[];
  /** Names a line that did not parse meant to define (ParseResult.brokenDefinitions). */
  readonly brokenDefinitions?: ReadonlyMap<string, number>;
  /** Models read from files, kept across analyses of the same document. */
  readonly modelCache?: ModelCache;
}

export interface CheckResult {
  readonly models: ReadonlyMap<string, ResolvedModel>;
  readonly policies: ReadonlyMap<string, ResolvedPolicy>;
  /** Values of the `let`s (undefined when broken), by name. */
  readonly lets: ReadonlyMap<string, Value | undefined>;
  readonly queries: CheckedQuery[];
  readonly symbols: SymbolIndex;
  readonly diagnostics: Diagnostic[];
  /** Diagnostics found but not kept (over the cap of diagnostics.ts), and the offset of the first. */
  readonly dropped: { readonly count: number; readonly at: number };
}

const RESERVED = new Set([...CONSTANTS.map((c) => c.name), ...FUNCTIONS.map((f) => f.name)]);

/**
 * The first error among `diagnostics` that starts inside the statement — strictly before its end,
 * so an unclosed `tilt(toy, delta = 1` being typed still shows its value.
 */
function syntaxErrorIn(
  stmt: A.QueryStmt,
  diagnostics: readonly Diagnostic[] | undefined,
): Diagnostic | undefined {
  if (!diagnostics?.length) return undefined;
  const { start, end } = stmt.range;
  const before = (a: Position, b: Position) =>
    a.line < b.line || (a.line === b.line && a.character < b.character);
  return diagnostics.find(
    (d) => d.severity === 'error' && !before(d.range.start, start) && before(d.range.start, end),
  );
}

/** The identifiers of a let's value that name other lets (its dependencies, in order). */
function letReferences(decl: A.LetDecl, lets: ReadonlyMap<string, A.LetDecl>): A.Identifier[] {
  const out: A.Identifier[] = [];
  if (decl.value)
    walkExpr(decl.value, (e) => {
      if (e.kind === 'identifier' && lets.has(e.name)) out.push(e);
    });
  return out;
}

export function check(program: A.Program, lines: LineIndex, options: CheckOptions = {}): CheckResult {
  const sink = new DiagnosticSink(lines);
  const symbols = buildSymbolIndex(program);

  // Duplicate and reserved names.
  for (const d of symbols.definitions) {
    // The index keeps the first definition of each kind and name: any other is a duplicate.
    const first = symbols.lookup(d.kind, d.name)!;
    if (first !== d) {
      sink.add(
        'duplicate-definition',
        d.start,
        d.end,
        `${d.kind} '${d.name}' is already defined on line ${first.range.start.line + 1}`,
        { first: first.range },
      );
    }
    if (d.kind === 'let' && RESERVED.has(d.name)) {
      sink.add(
        'reserved-name',
        d.start,
        d.end,
        `'${d.name}' is a built-in ${CONSTANTS.some((c) => c.name === d.name) ? 'constant' : 'function'} and cannot be redefined`,
      );
    }
  }

  // Lets: evaluated on first use, in any order; a let that depends on itself is reported.
  const letDecls = new Map<string, A.LetDecl>();
  for (const s of program.statements) {
    if (s.kind === 'let' && s.name && !letDecls.has(s.name.name) && !RESERVED.has(s.name.name))
      letDecls.set(s.name.name, s);
  }
  const letValues = new Map<string, Value | undefined>();
  const evaluating = new Set<string>();
  const names: NameResolver = {
    resolve(id) {
      const decl = letDecls.get(id.name);
      if (!decl) return 'unknown';
      if (letValues.has(id.name)) return letValues.get(id.name);
      if (evaluating.has(id.name)) {
        sink.add('cyclic-definition', id.start, id.end, `'${id.name}' is defined in terms of itself`);
        return undefined;
      }
      evaluating.add(id.name);
      const v = decl.value ? evalExpr(decl.value, names, sink) : undefined;
      evaluating.delete(id.name);
      // A cycle found while evaluating leaves its own mark; keep the first stored value.
      if (!letValues.has(id.name)) letValues.set(id.name, v);
      return letValues.get(id.name);
    },
    names: () => letDecls.keys(),
    lineOf: (name) => {
      const decl = letDecls.get(name);
      return decl ? decl.range.start.line + 1 : undefined;
    },
  };
  // Resolved dependencies first, with an explicit stack: a chain of thousands of lets, each
  // defined by the next, must not become thousands of nested resolve → evalExpr calls. Each let
  // is evaluated once its lets are, with the lets still being resolved in `evaluating`, so a
  // cycle is reported by `resolve` exactly where recursion would report it.
  for (const decl of letDecls.values()) {
    const root = decl.name!.name;
    if (letValues.has(root)) continue;
    const stack: { decl: A.LetDecl; deps: A.Identifier[]; next: number }[] = [];
    const open = (d: A.LetDecl) => {
      evaluating.add(d.name!.name);
      stack.push({ decl: d, deps: letReferences(d, letDecls), next: 0 });
    };
    open(decl);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.deps.length) {
        const dep = top.deps[top.next++].name;
        if (!letValues.has(dep) && !evaluating.has(dep)) open(letDecls.get(dep)!);
        continue;
      }
      stack.pop();
      const name = top.decl.name!.name;
      const v = top.decl.value ? evalExpr(top.decl.value, names, sink) : undefined;
      evaluating.delete(name);
      if (!letValues.has(name)) letValues.set(name, v);
    }
  }

  const host: ModelHost = { sink, names, readFile: options.readFile, modelCache: options.modelCache };
  const models = new Map<string, ResolvedModel>();
  for (const s of program.statements) {
    if (s.kind !== 'model') continue;
    const resolved = s.markov ? resolveMarkov(s, host) : resolveModel(s, host);
    if (s.name && !models.has(s.name.name)) models.set(s.name.name, resolved);
  }
  const policies = new Map<string, ResolvedPolicy>();
  for (const s of program.statements) {
    if (s.kind !== 'policy') continue;
    let model: ResolvedModel | undefined;
    if (s.of) {
      model = models.get(s.of.name);
      if (!model && !options.brokenDefinitions?.has(s.of.name)) {
        const suggestion = [...models.keys()].length > 0 ? suggestName(s.of.name, models.keys()) : undefined;
        sink.add(
          'unknown-model',
          s.of.start,
          s.of.end,
          `unknown model '${s.of.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
          suggestion ? { suggestion } : undefined,
        );
      }
    }
    const resolved = model?.decl.markov ? resolveMarkovPolicy(s, model, host) : resolvePolicy(s, model, host);
    if (s.name && !policies.has(s.name.name)) policies.set(s.name.name, resolved);
  }

  const queries: CheckedQuery[] = [];
  for (const s of program.statements) {
    if (s.kind !== 'query') continue;
    const q = checkQuery(s, { sink, names, models, policies, broken: options.brokenDefinitions });
    const syntax = q.blocked === undefined ? syntaxErrorIn(s, options.syntaxDiagnostics) : undefined;
    // The text does not say what the user meant (`N = 4 4`): evaluating what parsed would guess.
    queries.push(syntax ? { ...q, blocked: `the query has a syntax error: ${syntax.message}` } : q);
  }
  return {
    models,
    policies,
    lets: letValues,
    queries,
    symbols,
    diagnostics: sink.items,
    dropped: { count: sink.dropped, at: sink.firstDroppedAt },
  };
}
