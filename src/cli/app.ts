/**
 * The CLI without process globals: parse arguments, dispatch, return the exit status. main.ts
 * binds it to the real process; tests call it directly with captured output.
 */
import { parseArgs } from './args.js';
import { runCheck } from './commands/check.js';
import { runEval } from './commands/eval.js';
import { describe, internalError } from './commands/load.js';
import { runReport } from './commands/report.js';
import { terminalOutput, visible } from './escape.js';
import { type Engine, EXIT, type Io } from './io.js';
import { helpText } from './usage.js';
import { packageVersion } from './version.js';

export function runCli(argv: readonly string[], rawIo: Io, engine: Engine): number {
  // Every text written goes through the terminal guard (escape.ts); JSON and HTML use writeData.
  const io: Io = { ...rawIo, stdout: terminalOutput(rawIo.stdout), stderr: terminalOutput(rawIo.stderr) };
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    const hint = parsed.topic ? `align-lab help ${parsed.topic}` : 'align-lab --help';
    io.stderr.write(`align-lab: ${visible(parsed.message)}\nTry '${hint}'.\n`);
    return EXIT.usage;
  }
  const command = parsed.command;
  try {
    switch (command.kind) {
      case 'help':
        io.stdout.write(`${helpText(command.topic)}\n`);
        return EXIT.ok;
      case 'version':
        io.stdout.write(`${packageVersion(io.bundleDir) ?? 'unknown'}\n`);
        return EXIT.ok;
      case 'eval':
        return runEval(command, io, engine);
      case 'check':
        return runCheck(command, io, engine);
      case 'report':
        return runReport(command, io, engine);
    }
  } catch (e) {
    // Every expected failure is handled where it happens; anything reaching here is a bug.
    return internalError(io, describe(e)).exit;
  }
}
