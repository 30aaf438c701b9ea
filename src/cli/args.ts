/**
 * Command-line parsing. Hand-written (the CLI may import only node builtins) and strict:
 * an unknown flag or a missing operand is a usage error (exit 2), never silently ignored, so a
 * CI script with a typo fails loudly.
 */

export interface CommonOptions {
  /** --no-color: never colour, even on a TTY. */
  readonly noColor: boolean;
}

export type Command =
  | { readonly kind: 'help'; readonly topic?: CommandName }
  | { readonly kind: 'version' }
  | ({
      readonly kind: 'eval';
      readonly file: string;
      readonly json: boolean;
      /** --digits N: significant digits of the tables (3–10). */
      readonly digits?: number;
    } & CommonOptions)
  | ({ readonly kind: 'check'; readonly files: readonly string[] } & CommonOptions)
  | ({ readonly kind: 'report'; readonly file: string; readonly output?: string } & CommonOptions);

export type CommandName = 'eval' | 'check' | 'report';
const COMMANDS: readonly CommandName[] = ['eval', 'check', 'report'];

export type ParseOutcome =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly message: string; readonly topic?: CommandName };

/** Flags each command accepts; `value` flags take the next argument (or `--flag=value`). */
const FLAGS: Record<CommandName, Record<string, { value: boolean; name: string }>> = {
  eval: {
    '--json': { value: false, name: 'json' },
    '--no-color': { value: false, name: 'noColor' },
    '--digits': { value: true, name: 'digits' },
  },
  check: { '--no-color': { value: false, name: 'noColor' } },
  report: {
    '-o': { value: true, name: 'output' },
    '--output': { value: true, name: 'output' },
    '--no-color': { value: false, name: 'noColor' },
  },
};

function isCommand(word: string): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word);
}

export function parseArgs(argv: readonly string[]): ParseOutcome {
  const [first, ...rest] = argv;
  if (first === undefined) return { ok: true, command: { kind: 'help' } };
  if (first === '-h' || first === '--help') return { ok: true, command: { kind: 'help' } };
  if (first === '-V' || first === '--version') return { ok: true, command: { kind: 'version' } };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { ok: true, command: { kind: 'help' } };
    if (isCommand(topic)) return { ok: true, command: { kind: 'help', topic } };
    return { ok: false, message: `unknown command '${topic}'` };
  }
  if (!isCommand(first)) {
    return {
      ok: false,
      message: first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`,
    };
  }
  return parseCommand(first, rest);
}

function parseCommand(name: CommandName, args: readonly string[]): ParseOutcome {
  const flags = FLAGS[name];
  const values: Record<string, string | boolean> = {};
  const operands: string[] = [];
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyOperands || arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyOperands = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { ok: true, command: { kind: 'help', topic: name } };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flagName = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags[flagName];
    if (!flag) return { ok: false, message: `unknown option '${flagName}' for '${name}'`, topic: name };
    if (!flag.value) {
      if (eq > 0) return { ok: false, message: `option '${flagName}' takes no value`, topic: name };
      values[flag.name] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') {
      return {
        ok: false,
        message: `option '${flagName}' needs ${flag.name === 'digits' ? 'a number' : 'a file name'}`,
        topic: name,
      };
    }
    if (values[flag.name] !== undefined)
      return { ok: false, message: `option '${flagName}' given twice`, topic: name };
    values[flag.name] = value;
  }
  const noColor = values.noColor === true;
  const json = values.json === true;
  if (operands.length === 0) return { ok: false, message: `'${name}' needs an .align file`, topic: name };
  if (name === 'check') return { ok: true, command: { kind: 'check', files: operands, noColor } };
  if (operands.length > 1) {
    return { ok: false, message: `'${name}' takes one .align file, got ${operands.length}`, topic: name };
  }
  const file = operands[0];
  if (name === 'eval') {
    let digits: number | undefined;
    if (typeof values.digits === 'string') {
      digits = Number(values.digits);
      if (!/^\d+$/.test(values.digits) || digits < 3 || digits > 10)
        return {
          ok: false,
          message: `--digits takes a whole number from 3 to 10, not '${values.digits}'`,
          topic: name,
        };
    }
    return {
      ok: true,
      command: { kind: 'eval', file, json, noColor, ...(digits !== undefined ? { digits } : {}) },
    };
  }
  const output = typeof values.output === 'string' ? values.output : undefined;
  return { ok: true, command: { kind: 'report', file, output, noColor } };
}
