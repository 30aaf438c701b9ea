/**
 * Inlay hints: after each query's closing parenthesis, its headline (`→ λ = 0.962, E[R] = 8.19`,
 * the same text the preview's formula card shows), so the numbers are visible while typing
 * without hovering; the tooltip is the query's hover.
 * Off with `alignLab.inlayHints.enabled`.
 */
import { type InlayHint, InlayHintKind, type InlayHintParams, MarkupKind } from 'vscode-languageserver';
import { headlineText, toMarkdown, toPlainText } from '../../presentation/index.js';
import { type Feature, safe } from '../context.js';
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
          const text = r && headlineText(r, d);
          if (!text) continue;
          const blocks = queryHover(e, s, d);
          const markdown = ctx.support().markdownHover;
          hints.push({
            position: s.range.end,
            label: `→ ${text}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: markdown
              ? { kind: MarkupKind.Markdown, value: toMarkdown(blocks) }
              : { kind: MarkupKind.PlainText, value: toPlainText(blocks) },
          });
        }
        return hints;
      }),
    );
  },
};
