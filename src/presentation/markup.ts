/**
 * A tiny document model for rich text shown by editors (hovers, completion docs), rendered to
 * Markdown or to plain text. Escaping is done here, by construction: callers never build
 * Markdown strings from the user's text (token names, file paths, model names), so a backtick,
 * a bracket or `<img>` in a name can neither break out of a code span nor become a link, an
 * image or HTML — and nothing is escaped twice (no stray backslashes in code spans).
 */

/** A run of text: plain words, a code span (names, paths, values), or emphasis. */
export type Inline =
  | string
  | { readonly code: string }
  | { readonly strong: string }
  | { readonly em: string };

export type Block =
  | { readonly kind: 'paragraph'; readonly parts: readonly Inline[] }
  | {
      readonly kind: 'table';
      readonly header: readonly string[];
      readonly rows: readonly (readonly string[])[];
      /** Per column; default: the first left, the others right. */
      readonly align?: readonly ('left' | 'right')[];
    };

export const paragraph = (...parts: Inline[]): Block => ({ kind: 'paragraph', parts });
export const code = (text: string): Inline => ({ code: text });
export const strong = (text: string): Inline => ({ strong: text });
export const em = (text: string): Inline => ({ em: text });
export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('left' | 'right')[],
): Block => ({ kind: 'table', header, rows, ...(align ? { align } : {}) });

// ── Markdown (CommonMark + GFM tables, as VS Code renders hovers) ──────────────────────────

/** Characters with a meaning in Markdown text (and `|`, which ends a table cell). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&]/g;

/** Text shown literally in Markdown: every special character backslash-escaped, lines joined. */
export function markdownText(text: string): string {
  return oneLine(text).replace(MARKDOWN_SPECIAL, (c) => (c === '&' ? '&amp;' : `\\${c}`));
}

/**
 * A code span showing `text` exactly: fenced by more backticks than the longest run inside it,
 * padded with a space when it starts or ends with a backtick or a space (CommonMark strips one
 * space on each side). Backslashes are literal in code spans, so nothing is escaped. In a table
 * cell `|` still splits the row, so there it is the one character written as an entity.
 */
export function markdownCode(text: string, inTable = false): string {
  let body = oneLine(text);
  if (inTable) body = body.replace(/\|/g, '&#124;');
  if (body === '') return '` `';
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

function inlineMarkdown(part: Inline): string {
  if (typeof part === 'string') return markdownText(part);
  if ('code' in part) return markdownCode(part.code);
  if ('strong' in part) return `**${markdownText(part.strong)}**`;
  return `*${markdownText(part.em)}*`;
}

export function toMarkdown(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'paragraph') return b.parts.map(inlineMarkdown).join('');
      const align = b.align ?? b.header.map((_, i) => (i === 0 ? 'left' : 'right'));
      const row = (cells: readonly string[]) => `| ${cells.map((c) => markdownText(c) || ' ').join(' | ')} |`;
      const rule = `| ${align.map((a) => (a === 'left' ? ':--' : '--:')).join(' | ')} |`;
      return [row(b.header), rule, ...b.rows.map(row)].join('\n');
    })
    .join('\n\n');
}

// ── Plain text (clients without Markdown) ───────────────────────────────────────────────────

function inlinePlain(part: Inline): string {
  if (typeof part === 'string') return oneLine(part);
  if ('code' in part) return oneLine(part.code);
  if ('strong' in part) return oneLine(part.strong);
  return oneLine(part.em);
}

/** Plain text: tables as aligned columns (numbers right-aligned), paragraphs as lines. */
export function toPlainText(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'paragraph') return b.parts.map(inlinePlain).join('');
      const align = b.align ?? b.header.map((_, i) => (i === 0 ? 'left' : 'right'));
      const cells = [b.header, ...b.rows].map((r) => r.map(oneLine));
      const widths = b.header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
      const pad = (s: string, i: number) => {
        const gap = ' '.repeat(widths[i] - [...s].length);
        return align[i] === 'left' ? s + gap : gap + s;
      };
      return cells
        .map((r) =>
          r
            .map((c, i) => pad(c ?? '', i))
            .join('  ')
            .trimEnd(),
        )
        .join('\n');
    })
    .join('\n\n');
}

/** Line breaks and other control characters would end a table row or a code span: spaces. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
