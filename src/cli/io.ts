/**
 * What the commands need from the outside world, passed in so tests can run them in-process
 * with captured output, and so the engine (language layer + report renderer) can be swapped.
 */
import type { Analysis } from '../presentation/results.js';
import type { ModelFileRead } from '../protocol/modelFiles.js';
import type { ReadOutcome } from './host.js';

export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Reads all of standard input (for FILE = '-'). */
  readonly readStdin: () => ReadOutcome;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Folder holding the CLI bundle (dist/): the report assets and package.json are found from it. */
  readonly bundleDir: string;
}

export interface Engine {
  /** The language layer: parse, check and evaluate one document. */
  analyze(text: string, file: string, readModelFile: (spec: string) => ModelFileRead): Analysis;
  /** The preview's report page (src/cli/report.ts). */
  renderReportHtml(analysis: Analysis, assets: { script: string; style: string }): string;
}

/** Exit statuses (documented in docs/cli.md and the help text). */
export const EXIT = { ok: 0, errors: 1, usage: 2, internal: 3 } as const;
