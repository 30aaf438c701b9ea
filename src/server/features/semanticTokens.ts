/**
 * Semantic tokens: what TextMate cannot know — which names are models, policies or lets, which
 * identifiers are parameter names, vocabulary tokens or enum words. The classification is the
 * language's (`classifyTokens`); this file only encodes it in LSP's relative format.
 */
import { type SemanticTokens, SemanticTokensBuilder, type SemanticTokensParams } from 'vscode-languageserver';
import {
  classifyTokens,
  type ParseResult,
  type SemanticToken,
  type SemanticTokenType,
} from '../../language/index.js';
import { type Feature, safe } from '../context.js';
import { symbolsOf } from '../symbols.js';

export const tokenTypes: readonly SemanticTokenType[] = [
  'keyword',
  'comment',
  'string',
  'number',
  'operator',
  'type', // models
  'class', // policies
  'variable', // lets, constants
  'function', // queries, built-in functions
  'property', // model fields
  'parameter', // query parameter names
  'enumMember', // vocabulary tokens, enum words
];
export const tokenModifiers: readonly SemanticTokenModifier[] = ['declaration', 'readonly', 'defaultLibrary'];

type SemanticTokenModifier = SemanticToken['modifiers'][number];
const typeIndex = new Map(tokenTypes.map((t, i) => [t, i]));
const modifierBit = new Map(tokenModifiers.map((m, i) => [m, 1 << i]));

export function semanticTokensOf(parse: ParseResult): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const t of classifyTokens(parse, symbolsOf(parse))) {
    const type = typeIndex.get(t.type);
    if (type === undefined) continue;
    const mods = t.modifiers.reduce((bits, m) => bits | (modifierBit.get(m) ?? 0), 0);
    builder.push(t.line, t.character, t.length, type, mods);
  }
  return builder.build();
}

export const semanticTokens: Feature = {
  name: 'semanticTokens',
  capabilities: () => ({
    semanticTokensProvider: {
      legend: { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] },
      full: true,
    },
  }),
  register(ctx) {
    ctx.connection.languages.semanticTokens.on(
      safe(ctx, 'semanticTokens', { data: [] }, (params: SemanticTokensParams): SemanticTokens => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        return parse ? semanticTokensOf(parse) : { data: [] };
      }),
    );
  },
};
