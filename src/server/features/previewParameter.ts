/**
 * alignLab/previewParameter: one query evaluated as if a parameter had another value, for the
 * preview's sliders while they are dragged. The edit alignLab/setParameter would make is applied
 * to a copy of the text (so a slider on `delta = budget` previews exactly what releasing it will
 * write); the copy is parsed and checked, and only the query under the slider is evaluated. The
 * document, its diagnostics and its results are not touched. Refused like alignLab/setParameter.
 *
 * The edit changes only this query's own argument, or a `let` nothing else uses, so no other
 * query's value can differ: evaluating the one query is the whole preview.
 */
import { AnalysisCache, DEFAULT_LIMITS, evaluateQuery } from '../../language/index.js';
import type { QueryResult } from '../../presentation/results.js';
import { wireResult } from '../../presentation/wire.js';
import {
  PreviewParameterRequest,
  type PreviewParameterResult,
  type SetParameterRefused,
} from '../../protocol/protocol.js';
import { type Feature, safe } from '../context.js';
import { startEngine } from '../engine.js';
import { symbolsOf } from '../symbols.js';
import { queryAt, setParameterEdits } from './setParameter.js';

export const previewParameter: Feature = {
  name: 'previewParameter',
  register(ctx) {
    ctx.connection.onRequest(
      PreviewParameterRequest,
      safe(
        ctx,
        'previewParameter',
        null,
        async (params): Promise<PreviewParameterResult | SetParameterRefused | null> => {
          const found = queryAt(ctx, params);
          if (!found) return null;
          const { uri, version } = params;
          const { parse, query, text } = found;
          if (!query)
            return {
              uri,
              version,
              refused: { code: 'no-query', message: `there is no query at line ${params.position.line + 1}` },
            };
          const answer = setParameterEdits(parse, symbolsOf(parse), query, params.name, params.value);
          if ('refused' in answer) return { uri, version, refused: answer.refused };
          // The edited copy (edits never overlap; applied from the end so offsets stay valid).
          let edited = text;
          const byOffset = answer.edits
            .map((e) => ({
              from: parse.lines.offset(e.range.start),
              to: parse.lines.offset(e.range.end),
              text: e.newText,
            }))
            .sort((a, b) => b.from - a.from);
          for (const e of byOffset) edited = edited.slice(0, e.from) + e.text + edited.slice(e.to);
          // Which query statement it is: the edit adds or removes none, so the same ordinal.
          const ordinal = parse.ast.statements.filter((s) => s.kind === 'query').indexOf(query);
          const settings = ctx.settings();
          const engine = await startEngine(
            uri,
            edited,
            settings,
            ctx.workspace.files,
            ctx.host,
            new AnalysisCache(),
            () => false,
          );
          // The document moved on while a model file was read: the answer would be stale.
          if (ctx.workspace.get(uri)?.version !== version) return null;
          const stmt = engine.run.parsed.ast.statements.filter((s) => s.kind === 'query')[ordinal];
          const checked = engine.run.checked.queries.find((q) => q.stmt === stmt);
          if (!checked?.kind) return null;
          const outcome = evaluateQuery(checked, {
            ...DEFAULT_LIMITS,
            maxExactSupport: settings.maxExactSize,
            queryTimeMs: settings.queryTimeLimitMs,
          });
          const base = { query: checked.kind, model: checked.modelName, range: query.range };
          const result = (
            outcome.error === undefined
              ? { ...base, value: outcome.value }
              : { ...base, error: outcome.error }
          ) as QueryResult;
          // As the results notification sends them: per-token tables as JSON objects.
          return { uri, version, result: wireResult(result) };
        },
      ),
    );
  },
};
