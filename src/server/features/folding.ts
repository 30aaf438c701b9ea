/**
 * Folding: model and policy bodies, multi-line queries, runs of consecutive comment lines, and
 * `# region` … `# endregion` markers.
 */
import { type FoldingRange, FoldingRangeKind, type FoldingRangeParams } from 'vscode-languageserver';
import { type Feature, safe } from '../context.js';

export const folding: Feature = {
  name: 'folding',
  capabilities: () => ({ foldingRangeProvider: true }),
  register(ctx) {
    ctx.connection.onFoldingRanges(
      safe(ctx, 'foldingRange', [], (params: FoldingRangeParams): FoldingRange[] => {
        const parse = ctx.workspace.parse(params.textDocument.uri);
        if (!parse) return [];
        const out: FoldingRange[] = [];
        const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
          // Folding keeps the last line visible (the closing brace), as editors expect.
          if (endLine > startLine) out.push({ startLine, endLine, ...(kind ? { kind } : {}) });
        };
        for (const s of parse.ast.statements) {
          if ((s.kind === 'model' || s.kind === 'policy') && s.open !== undefined) {
            const close = s.close ?? s.end;
            add(parse.lines.lineOf(s.open), parse.lines.lineOf(close) - (s.close !== undefined ? 1 : 0));
          } else if (s.kind === 'query') {
            const first = s.range.start.line;
            const last = s.range.end.line;
            add(first, s.close !== undefined ? last - 1 : last);
          }
        }
        // Comment blocks and regions.
        const regions: number[] = [];
        let runStart = -1;
        let runEnd = -1;
        for (const t of parse.tokens) {
          if (t.kind !== 'comment') continue;
          const line = parse.lines.lineOf(t.start);
          const body = t.text.replace(/^(#|\/\/)\s*/, '');
          if (/^region\b/.test(body)) regions.push(line);
          else if (/^endregion\b/.test(body) && regions.length > 0)
            add(regions.pop()!, line, FoldingRangeKind.Region);
          // Only whole-line comments form a foldable block.
          const lineStart = parse.lines.lineStarts[line];
          if (parse.text.slice(lineStart, t.start).trim() !== '') continue;
          if (line === runEnd + 1 && runStart >= 0) runEnd = line;
          else {
            add(runStart, runEnd, FoldingRangeKind.Comment);
            runStart = runEnd = line;
          }
        }
        if (runStart >= 0) add(runStart, runEnd, FoldingRangeKind.Comment);
        return out;
      }),
    );
  },
};
