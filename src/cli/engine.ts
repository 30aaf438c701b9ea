/** The real engine: the language layer's `analyze` and the preview's report page. */
import { analyze } from '../language/index.js';
import type { Engine } from './io.js';
import { renderReportHtml } from './report.js';

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
    });
  },
  renderReportHtml,
};
