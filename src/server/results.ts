/** Finding things in an evaluation: the result of a query statement, the nearest tilt of a model. */
import type { QueryStmt } from '../language/syntax/ast.js';
import type { QueryResult, TiltValue } from '../presentation/results.js';
import type { Evaluated } from './workspace.js';

const byStatement = new WeakMap<Evaluated, Map<string, QueryResult>>();
const key = (line: number, character: number) => `${line}:${character}`;

/** The result of a query statement (results carry the statement's range). */
export function resultOf(e: Evaluated, stmt: QueryStmt): QueryResult | undefined {
  let map = byStatement.get(e);
  if (!map) {
    map = new Map(e.analysis.results.map((r) => [key(r.range.start.line, r.range.start.character), r]));
    byStatement.set(e, map);
  }
  return map.get(key(stmt.range.start.line, stmt.range.start.character));
}

/** The evaluated `tilt` of `model` closest to `line` (the one a token hover should use). */
export function nearestTilt(
  e: Evaluated,
  model: string,
  line: number,
): { value: TiltValue; line: number } | undefined {
  let best: { value: TiltValue; line: number } | undefined;
  for (const r of e.analysis.results) {
    if (r.query !== 'tilt' || r.model !== model || r.value === undefined) continue;
    const l = r.range.start.line;
    if (!best || Math.abs(l - line) < Math.abs(best.line - line)) best = { value: r.value, line: l };
  }
  return best;
}
