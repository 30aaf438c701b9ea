/**
 * The symbol index: every definition of a model, policy or `let`, and every reference to one,
 * with ranges — for go-to-definition, find-references, rename and document symbols. It is
 * syntactic (built from the AST alone), so it works on files with errors. When a name is
 * defined twice, references resolve to the first definition (as the checker does).
 */
import type * as A from './ast.js';
import { compactOf } from './compactList.js';
import { CONSTANTS, FUNCTIONS, paramSpec, querySpec } from './queries.js';
import type { Range } from './results.js';
import { walkExpr } from './walk.js';

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
  readonly references: SymbolReference[];
  /** First definition of `name` of that kind. */
  lookup(kind: SymbolKind, name: string): SymbolDefinition | undefined;
  /** The definition or reference whose name range contains `offset` (end inclusive). */
  symbolAt(offset: number): { definition: SymbolDefinition; reference?: SymbolReference } | undefined;
  /** All references to a definition. */
  referencesTo(definition: SymbolDefinition): SymbolReference[];
}

const BUILTINS = new Set([...CONSTANTS.map((c) => c.name), ...FUNCTIONS.map((f) => f.name)]);

export function buildSymbolIndex(program: A.Program): SymbolIndex {
  const definitions: SymbolDefinition[] = [];
  const first = new Map<string, SymbolDefinition>();
  for (const s of program.statements) {
    if (s.kind === 'query' || !s.name) continue;
    const d: SymbolDefinition = {
      name: s.name.name,
      kind: s.kind,
      range: s.name.range,
      start: s.name.start,
      end: s.name.end,
      declaration: s,
    };
    definitions.push(d);
    const key = `${d.kind}:${d.name}`;
    if (!first.has(key)) first.set(key, d);
  }
  const lookup = (kind: SymbolKind, name: string) => first.get(`${kind}:${name}`);
  const references: SymbolReference[] = [];
  const ref = (kind: SymbolKind, id: A.Identifier) =>
    references.push({
      name: id.name,
      kind,
      range: id.range,
      start: id.start,
      end: id.end,
      definition: lookup(kind, id.name),
    });
  const exprRefs = (e: A.Expr | A.RangeExpr | undefined) => {
    if (!e) return;
    walkExpr(e, (node) => {
      // A `let` shadows a constant of the same name only if defined (the checker forbids it).
      if (node.kind === 'identifier' && (!BUILTINS.has(node.name) || lookup('let', node.name)))
        ref('let', node);
    });
  };
  for (const s of program.statements) {
    if (s.kind === 'let') exprRefs(s.value);
    else if (s.kind === 'model' || s.kind === 'policy') {
      if (s.kind === 'policy' && s.of) ref('model', s.of);
      for (const f of s.fields) {
        // Plain number lists (compactList.ts) hold no names: skip them without building nodes.
        if (f.name.name === 'vocab' || compactOf(f)) continue;
        for (const item of f.items) if (item.kind !== 'token-name') exprRefs(item);
      }
    } else if (s.kind === 'query') {
      const spec = querySpec(s.name.name);
      let positional = 0;
      for (const a of s.args) {
        if (a.kind === 'positional-arg') {
          if (positional++ === 0 && a.value.kind === 'identifier') ref('model', a.value);
          else exprRefs(a.value);
          continue;
        }
        const kind = spec ? paramSpec(spec, a.name.name)?.kind : undefined;
        if (kind === 'policy' && a.value?.kind === 'identifier') ref('policy', a.value);
        else if (kind === 'enum') continue;
        else exprRefs(a.value);
      }
    }
  }
  return {
    definitions,
    references,
    lookup,
    symbolAt(offset) {
      for (const d of definitions) if (offset >= d.start && offset <= d.end) return { definition: d };
      for (const r of references) {
        if (offset >= r.start && offset <= r.end && r.definition)
          return { definition: r.definition, reference: r };
      }
      return undefined;
    },
    referencesTo(definition) {
      return references.filter((r) => r.definition === definition);
    },
  };
}
