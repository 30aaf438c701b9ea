/**
 * Terminal colour. Colour is a courtesy for people reading a terminal, so it is on only when the
 * stream is a TTY and NO_COLOR is unset (https://no-color.org); pipes, files and CI logs get
 * plain text that tests and tools can compare byte for byte.
 */

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
}

function sgr(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    yellow: sgr(enabled, 33, 39),
    blue: sgr(enabled, 34, 39),
    cyan: sgr(enabled, 36, 39),
    green: sgr(enabled, 32, 39),
  };
}

/** Whether to colour a stream: a TTY, NO_COLOR absent, and not disabled by `--no-color`. */
export function colourWanted(
  isTTY: boolean | undefined,
  env: NodeJS.ProcessEnv,
  noColorFlag: boolean,
): boolean {
  return isTTY === true && env.NO_COLOR === undefined && !noColorFlag;
}

// Built from a string because a literal ESC in a regex literal reads as a mistake to linters.
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Display width of plain text (code points; the symbols we print are all single-width). */
export function displayWidth(text: string): number {
  // Strip SGR escapes so coloured cells align like plain ones.
  const plain = text.replace(SGR, '');
  let width = 0;
  for (const _ of plain) width++;
  return width;
}
