/** The language's symbol index of a parse, built once per parse (parses are cached per version). */

import { buildSymbolIndex, type SymbolIndex } from '../language/checking/symbols.js';
import type { ParseResult } from '../language/syntax/parser.js';

const cache = new WeakMap<ParseResult, SymbolIndex>();

export function symbolsOf(parse: ParseResult): SymbolIndex {
  let index = cache.get(parse);
  if (!index) {
    index = buildSymbolIndex(parse.ast);
    cache.set(parse, index);
  }
  return index;
}
