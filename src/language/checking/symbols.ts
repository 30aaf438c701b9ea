/**
 * The symbol index: every definition of a model, policy or `let`, and every reference to one,
 * with ranges — for go-to-definition, find-references, rename and document symbols. It is
 * syntactic (built from the AST alone), so it works on files with errors. When a name is
 * defined twice, references resolve to the first definition (as the checker does).
 */

import { CONSTANTS, FUNCTIONS, paramSpec, querySpec } from '../../presentation/queries.js';
import type { Range } from '../../presentation/results.js';
import type * as A from '../syntax/ast.js';
import { compactOf } from '../syntax/compactList.js';
import { walkExpr } from '../syntax/walk.js';

export type SymbolKind = 'model' | 'policy' | 'let';

export interface SymbolDefinition {
  readonly name: string;
  readonly kind: SymbolKind;
  /** The name's identifier (what rename edits). */
  readonly range: Range;
  readonly start: number;
  readonly end: number;
  /** The whole declaration. */
  readonly declaration: A.ModelDecl | A.PolicyDecl | A.LetDecl;
}

export interface SymbolReference {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly range: Range;
  readonly start: number;
  readonly end: number;
  /** The definition it resolves to, if any. */
  readonly definition: SymbolDefinition | undefined;
}

export interface SymbolIndex {
  readonly definitions: SymbolDefinition[];
  /** Every reference, in source order (collected on first access). */
  readonly references: SymbolReference[];
  /** First definition of `name` of that kind. */
  lookup(kind: SymbolKind, name: string): SymbolDefinition | undefined;
  /** The definition or reference whose name range contains `offset` (end inclusive). */
  symbolAt(offset: number): { definition: SymbolDefinition; reference?: SymbolReference } | undefined;
  /** All references to a definition. */
  referencesTo(definition: SymbolDefinition): SymbolReference[];
}

const BUILTINS = new Set([...CONSTANTS.map((c) => c.name), ...FUNCTIONS.map((f) => f.name)]);

/**
 * A definition: its range is the name's, read on demand (the name node computes it lazily, see
 * syntaxNodes.ts), so building the index of a 10,000-line file creates no range objects.
 */
class Definition implements SymbolDefinition {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly #id: A.Identifier;

  constructor(
    readonly kind: SymbolKind,
    id: A.Identifier,
    readonly declaration: A.ModelDecl | A.PolicyDecl | A.LetDecl,
  ) {
    this.name = id.name;
    this.start = id.start;
    this.end = id.end;
    this.#id = id;
  }

  get range(): Range {
    return this.#id.range;
  }
}

/** A reference, with its range read on demand like a definition's. */
class Reference implements SymbolReference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly #id: A.Identifier;

  constructor(
    readonly kind: SymbolKind,
    id: A.Identifier,
    readonly definition: SymbolDefinition | undefined,
  ) {
    this.name = id.name;
    this.start = id.start;
    this.end = id.end;
    this.#id = id;
  }

  get range(): Range {
    return this.#id.range;
  }
}

/**
 * First definitions by kind, then name: one map per kind, so a look-up hashes the identifier's
 * own (already hashed) name instead of building a `kind:name` string per reference.
 */
type FirstDefinitions = Record<SymbolKind, Map<string, SymbolDefinition>>;

export function buildSymbolIndex(program: A.Program): SymbolIndex {
  const definitions: SymbolDefinition[] = [];
  const first: FirstDefinitions = { model: new Map(), policy: new Map(), let: new Map() };
  for (const s of program.statements) {
    if (s.kind === 'query' || !s.name) continue;
    const d = new Definition(s.kind, s.name, s);
    definitions.push(d);
    if (!first[d.kind].has(d.name)) first[d.kind].set(d.name, d);
  }
  // References are collected on first use: the checker needs only the definitions, and a
  // 10,000-line file has thousands of references that no check reads.
  let collected: SymbolReference[] | undefined;
  const references = (): SymbolReference[] => {
    if (collected === undefined) {
      collected = [];
      for (const s of program.statements) collectReferences(s, first, collected);
    }
    return collected;
  };
  return {
    definitions,
    get references() {
      return references();
    },
    lookup: (kind, name) => first[kind].get(name),
    symbolAt(offset) {
      for (const d of definitions) if (offset >= d.start && offset <= d.end) return { definition: d };
      for (const r of references()) {
        if (offset >= r.start && offset <= r.end && r.definition)
          return { definition: r.definition, reference: r };
      }
      return undefined;
    },
    referencesTo(definition) {
      return references().filter((r) => r.definition === definition);
    },
  };
}

/** Appends the references of one statement, in source order. */
function collectReferences(s: A.Statement, first: FirstDefinitions, out: SymbolReference[]): void {
  if (s.kind === 'let') {
    if (s.value) collectLetReferences(s.value, first, out);
  } else if (s.kind === 'model' || s.kind === 'policy') {
    if (s.kind === 'policy' && s.of) addReference('model', s.of, first, out);
    for (const f of s.fields) {
      // Plain number lists (compactList.ts) hold no names: skip them without building nodes.
      if (f.name.name === 'vocab' || compactOf(f)) continue;
      for (const item of f.items) if (item.kind !== 'token-name') collectLetReferences(item, first, out);
    }
  } else {
    const spec = querySpec(s.name.name);
    let positional = 0;
    for (const a of s.args) {
      if (a.kind === 'positional-arg') {
        if (positional++ === 0 && a.value.kind === 'identifier') addReference('model', a.value, first, out);
        else collectLetReferences(a.value, first, out);
        continue;
      }
      const kind = spec ? paramSpec(spec, a.name.name)?.kind : undefined;
      if (kind === 'policy' && a.value?.kind === 'identifier') addReference('policy', a.value, first, out);
      else if (kind !== 'enum' && a.value) collectLetReferences(a.value, first, out);
    }
  }
}

function addReference(
  kind: SymbolKind,
  id: A.Identifier,
  first: FirstDefinitions,
  out: SymbolReference[],
): void {
  out.push(new Reference(kind, id, first[kind].get(id.name)));
}

/** The names in an expression that refer to `let`s, parents first (as `walkExpr` visits them). */
function collectLetReferences(
  e: A.Expr | A.RangeExpr,
  first: FirstDefinitions,
  out: SymbolReference[],
): void {
  walkExpr(e, (node) => {
    // A `let` shadows a constant of the same name only if defined (the checker forbids it).
    if (node.kind === 'identifier' && (!BUILTINS.has(node.name) || first.let.has(node.name)))
      addReference('let', node, first, out);
  });
}
