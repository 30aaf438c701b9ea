/** In-process harness: run the CLI with captured stdout/stderr and a chosen engine. */
import { runCli } from '../../src/cli/app.js';
import type { ReadOutcome } from '../../src/cli/host.js';
import type { Engine, Io } from '../../src/cli/io.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runInProcess(
  argv: string[],
  engine: Engine,
  options: {
    cwd?: string;
    tty?: boolean;
    env?: NodeJS.ProcessEnv;
    stdin?: ReadOutcome;
    bundleDir?: string;
  } = {},
): Run {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (t) => void (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t) => void (stderr += t), isTTY: options.tty ?? false },
    readStdin: () => options.stdin ?? { ok: false, message: 'no stdin in this test' },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    bundleDir: options.bundleDir ?? process.cwd(),
  };
  const code = runCli(argv, io, engine);
  return { code, stdout, stderr };
}
