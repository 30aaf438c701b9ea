/**
 * Terminal safety. Everything the CLI prints as text — source lines, messages, file names, token
 * names, CSV cells — can come from a hostile file; printed raw, an ESC sequence in a comment can
 * clear the screen and print a fake "no problems", and a right-to-left override can reorder what
 * a reader sees. So:
 *
 * - `visible(text)` writes every hidden control as a visible escape: C0 controls, DEL and C1
 *   controls as `\x1b`, `\r`, `\n`, `\t` (tabs are kept where asked, for caret alignment), and the
 *   bidirectional formatting characters (U+202A–202E, U+2066–2069, U+200E/F, U+061C) and line
 *   separators (U+2028/9) as `\u202e`. Renderers apply it to every piece of data they print.
 * - `guard(text)` is applied by the CLI's text output itself (see `terminalOutput`) to everything
 *   written: it escapes any hidden control that is still raw, except the colour sequences of
 *   style.ts (`ESC[1m` … `ESC[39m`, which only set bold, dim and a few colours). So even text a
 *   renderer forgot to pass through `visible` cannot move the cursor or erase anything.
 *
 * JSON (`eval --json`) is escaped by construction instead: JSON.stringify writes C0 controls as
 * `\u001b`, and toContractJson also writes DEL, C1 and bidirectional controls as `\u…` escapes.
 * The HTML of `report -o -` is a document, written as it is.
 */
import type { Output } from './io.js';

/** C0, DEL, C1, bidirectional formatting and line separators: characters a reader cannot see. */
export function isHiddenControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x61c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const NAMED: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };

function escapeOne(code: number): string {
  return NAMED[code] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

/** Quick test: most text has nothing to escape. */
function hasHidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isHiddenControl(text.charCodeAt(i))) return true;
  return false;
}

/** `text` with every hidden control written as an escape (`\x1b`, `\u202e`); tabs kept if asked. */
export function visible(text: string, options: { keepTabs?: boolean } = {}): string {
  if (!hasHidden(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHiddenControl(code) && !(options.keepTabs && code === 0x09)) out += escapeOne(code);
    else out += text[i];
  }
  return out;
}

/** A string in double quotes (token names): JSON's escapes, then the hidden controls JSON leaves raw. */
export function quoted(text: string): string {
  return visible(JSON.stringify(text));
}

const ESC = 0x1b;
/** The SGR sequences style.ts emits: bold, dim, normal intensity, red/green/yellow/blue/cyan, default colour. */
const OWN_SGR = new Set(['1', '2', '22', '31', '32', '33', '34', '36', '39']);

/** The length of the style.ts colour sequence starting at `i`, or 0. */
function ownSgrAt(text: string, i: number): number {
  if (text.charCodeAt(i) !== ESC || text[i + 1] !== '[') return 0;
  const end = text.indexOf('m', i + 2);
  if (end < 0 || end - i > 5) return 0;
  return OWN_SGR.has(text.slice(i + 2, end)) ? end - i + 1 : 0;
}

/**
 * The last line of defence, on everything the CLI writes as text: hidden controls escaped, except
 * newlines and tabs (layout) and style.ts's own colour sequences.
 */
export function guard(text: string): string {
  let clean = true;
  for (let i = 0; i < text.length && clean; i++) {
    const code = text.charCodeAt(i);
    clean = code === 0x0a || code === 0x09 || !isHiddenControl(code);
  }
  if (clean) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x09 || !isHiddenControl(code)) {
      out += text[i];
      continue;
    }
    const sgr = ownSgrAt(text, i);
    if (sgr > 0) {
      out += text.slice(i, i + sgr);
      i += sgr - 1;
    } else out += escapeOne(code);
  }
  return out;
}

/** A text output for people: every write is guarded. `data` writes a document (JSON, HTML) as it is. */
export interface TerminalOutput extends Output {
  data(text: string): void;
}

export function terminalOutput(out: Output): TerminalOutput {
  return {
    isTTY: out.isTTY,
    write: (text) => out.write(guard(text)),
    data: (text) => out.write(text),
  };
}

/** Writes a document (JSON, HTML) unchanged, past the guard of a `terminalOutput`. */
export function writeData(out: Output, text: string): void {
  const data = (out as Partial<TerminalOutput>).data;
  if (data) data(text);
  else out.write(text);
}
