/** Help texts. Kept next to the parser so a new flag is documented in the same change. */
import type { CommandName } from './args.js';

const GENERAL = `align-lab — evaluate .align files: optimal KL-constrained RL, best-of-N, large deviations

Usage:
  align-lab eval FILE [--json]        evaluate every query; tables, or the JSON results contract
                  [--digits N]
  align-lab check FILE...             diagnostics only (for CI); exit 1 if any error
  align-lab report FILE [-o OUT]      write a self-contained HTML report (default: FILE.html)
  align-lab help [COMMAND]            this text, or a command's
  align-lab --version                 print the version

Options:
  --json            (eval) print the results as JSON (see docs/cli.md); infinity is null
  --digits N        (eval) significant digits in the tables, 3 to 10 (default 5, as the editor)
  -o, --output OUT  (report) where to write the HTML; '-' writes to stdout
  --no-color        never colour the output (colour is used only on a terminal without NO_COLOR)
  -h, --help        show help

FILE may be '-' to read the source from standard input (model files then resolve from the
current folder). Model files named in the source must lie inside the source file's folder (also
after symbolic links), be regular UTF-8 files of at most 256 MiB, and are not read when that folder
is / or contains your home folder. At most 100 diagnostics are printed per file (--json: 1,000).

Exit status: 0 no errors, 1 the file has errors, 2 usage or I/O error, 3 internal error (a bug).
All KL divergences and entropies are in nats.`;

const TOPICS: Record<CommandName, string> = {
  eval: `Usage: align-lab eval FILE [--json] [--digits N] [--no-color]

Evaluates every query in FILE. Without --json: diagnostics on stderr (file:line:col: error[code]:
message, with the source line and a caret underline), then one table per query on stdout — its
headline, its quantities and a sample of its curve, with the labels and N significant digits
(--digits, default 5) of the editor's hovers.
With --json: one JSON object on stdout,
  { "file", "diagnostics": [{ severity, code, message, range }], "results": [{ query, model, range, value | error }] }
with 0-based positions and null for infinity.
Exit status: 0 no errors, 1 error diagnostics or a failed query, 2 usage or I/O error.`,
  check: `Usage: align-lab check FILE... [--no-color]

Parses, checks and evaluates each FILE and prints only its diagnostics, compiler style, plus a
summary line per file. Nothing else is printed, so the output diffs cleanly in CI.
Exit status: 0 no errors in any file (warnings allowed), 1 errors, 2 usage or I/O error.`,
  report: `Usage: align-lab report FILE [-o OUT.html] [--no-color]

Evaluates FILE and writes a self-contained HTML page (charts and formulas inlined, opens offline)
to OUT.html (default: FILE with the extension .html; '-' for stdout). Diagnostics go to stderr.
The page is written next to OUT and renamed over it: a symbolic link at OUT is replaced, not
followed.
Exit status: 0 written without errors, 1 written but the file has errors, 2 usage or I/O error.`,
};

export function helpText(topic?: CommandName): string {
  return topic ? TOPICS[topic] : GENERAL;
}
