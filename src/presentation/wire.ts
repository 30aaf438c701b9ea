/** The analysis in its JSON form, as a client receives it (see wireAnalysis). */
import type { Analysis, QueryResult } from './results.js';
import { tokenRecordOf } from './tokens.js';

/**
 * The analysis as the client receives it: a tilt's per-token tables (TokenTable, columns) as the
 * JSON objects of the contract. Over stdio JSON.stringify would call their toJSON anyway, but the
 * web worker's transport posts the message as it is (a structured clone, which knows no toJSON),
 * so the server converts them with this, once for both. Only a tilt's phi, p and r are TokenTables.
 */
export function wireAnalysis(a: Analysis): Analysis {
  if (!a.results.some((r) => r.query === 'tilt' && r.value !== undefined)) return a;
  return { ...a, results: a.results.map(wireResult) };
}

/** One result as the client receives it (the alignLab/previewParameter answer is one). */
export function wireResult(r: QueryResult): QueryResult {
  if (r.query !== 'tilt' || r.value === undefined) return r;
  const { phi, p, r: reward } = r.value;
  return {
    ...r,
    value: {
      ...r.value,
      phi: tokenRecordOf(phi),
      ...(p !== undefined ? { p: tokenRecordOf(p) } : {}),
      ...(reward !== undefined ? { r: tokenRecordOf(reward) } : {}),
    },
  };
}
