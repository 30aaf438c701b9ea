/**
 * The checker: resolves names (first definition wins; later ones are duplicates), evaluates
 * `let`s lazily with cycle detection, resolves models and policies into numbers, and checks
 * every query. It reports into a DiagnosticSink and never throws.
 */
import type * as A from './ast.js';
import { DiagnosticSink } from './diagnostics.js';
import { evalExpr, type NameResolver } from './exprEval.js';
import type { ModelFileReader } from './modelFile.js';
import {
  type ModelHost,
  type ResolvedModel,
  type ResolvedPolicy,
  resolveModel,
  resolvePolicy,
} from './models.js';
import { type CheckedQuery, checkQuery } from './params.js';
import type { LineIndex } from './positions.js';
import { CONSTANTS, FUNCTIONS } from './queries.js';
import type { Diagnostic } from './results.js';
import { suggest as suggestName } from './suggest.js';
import { buildSymbolIndex, type SymbolIndex } from './symbols.js';
import type { Value } from './value.js';

export interface CheckOptions {
  /** Reads a model file, given its path relative to the document's folder (see modelFile.ts). */
  readonly readFile?: ModelFileReader;
}

export interface CheckResult {
  readonly models: ReadonlyMap<string, ResolvedModel>;
  readonly policies: ReadonlyMap<string, ResolvedPolicy>;
  /** Values of the `let`s (undefined when broken), by name. */
  readonly lets: ReadonlyMap<string, Value | undefined>;
  readonly queries: CheckedQuery[];
  readonly symbols: SymbolIndex;
  readonly diagnostics: Diagnostic[];
}

const RESERVED = new Set([...CONSTANTS.map((c) => c.name), ...FUNCTIONS.map((f) => f.name)]);

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
  };
  for (const decl of letDecls.values()) names.resolve(decl.name!);

  const host: ModelHost = { sink, names, readFile: options.readFile };
  const models = new Map<string, ResolvedModel>();
  for (const s of program.statements) {
    if (s.kind !== 'model') continue;
    const resolved = resolveModel(s, host);
    if (s.name && !models.has(s.name.name)) models.set(s.name.name, resolved);
  }
  const policies = new Map<string, ResolvedPolicy>();
  for (const s of program.statements) {
    if (s.kind !== 'policy') continue;
    let model: ResolvedModel | undefined;
    if (s.of) {
      model = models.get(s.of.name);
      if (!model) {
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
    const resolved = resolvePolicy(s, model, host);
    if (s.name && !policies.has(s.name.name)) policies.set(s.name.name, resolved);
  }

  const queries: CheckedQuery[] = [];
  for (const s of program.statements) {
    if (s.kind === 'query') queries.push(checkQuery(s, { sink, names, models, policies }));
  }
  return { models, policies, lets: letValues, queries, symbols, diagnostics: sink.items };
}
