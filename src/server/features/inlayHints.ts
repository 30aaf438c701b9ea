/**
 * Inlay hints: after each query's closing parenthesis, its headline value
 * (`→ λ=0.962, E[R]=8.19`), so the numbers are visible while typing without hovering.
 * Off with `alignLab.inlayHints.enabled`.
 */
import { type InlayHint, InlayHintKind, type InlayHintParams, MarkupKind } from 'vscode-languageserver';
import { type Feature, safe } from '../context.js';
import { headline } from '../readout.js';
import { resultOf } from '../results.js';
import { queryHover } from './hover.js';

export const inlayHints: Feature = {
  name: 'inlayHints',
  capabilities: () => ({ inlayHintProvider: { resolveProvider: false } }),
  register(ctx) {
    ctx.connection.languages.inlayHint.on(
      safe(ctx, 'inlayHint', [], async (params: InlayHintParams): Promise<InlayHint[]> => {
        if (!ctx.settings().inlayHints.enabled) return [];
        const e = await ctx.workspace.current(params.textDocument.uri);
        if (!e) return [];
        const d = ctx.settings().significantDigits;
        const { start, end } = params.range;
        const hints: InlayHint[] = [];
        for (const s of e.parse.ast.statements) {
          if (s.kind !== 'query' || s.close === undefined) continue;
          if (s.range.end.line < start.line || s.range.end.line > end.line) continue;
          const r = resultOf(e, s);
          // Short: the hint sits in the text; the full table is one hover away.
          const text = r && headline(r, Math.min(d, 4));
          if (!text) continue;
          hints.push({
            position: s.range.end,
            label: `→ ${text}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: { kind: MarkupKind.Markdown, value: queryHover(e, s, d) },
          });
        }
        return hints;
      }),
    );
  },
};
