/** The real engine: the language layer's `analyze` and the preview's report page. */
import { analyze } from '../language/index.js';
import type { Engine } from './io.js';
import { renderReportHtml } from './report.js';

/**
 * The CLI's evaluation limits: the user asked for this file's results, so a document may hold
 * more numbers than the editor sends per keystroke (a 1,000,000-token tilt lists a million φ) —
 * but not without bound (300 frontiers of 10,000 steps would be 425 MB of JSON).
 */
const CLI_LIMITS = { maxResultNumbers: 5_000_000 };

export const languageEngine: Engine = {
  analyze(text, file, readModelFile) {
    return analyze(text, {
      file,
      // The language layer has already confined and normalised `path`; the reader checks again
      // against the real file system (symlinks, file type, size, encoding) and says why it refuses.
      readFile: (path) => {
        const outcome = readModelFile(path);
        return outcome.ok ? outcome.text : { code: outcome.code, message: outcome.message };
      },
      limits: CLI_LIMITS,
    });
  },
  renderReportHtml,
};
