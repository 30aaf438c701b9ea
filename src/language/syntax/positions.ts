/**
 * Offsets ↔ LSP positions. JavaScript strings are UTF-16, so a string index *is* an LSP
 * `character` count within its line; only line starts need to be indexed.
 * Line breaks are `\n`, `\r\n` and a lone `\r` (the three LSP end-of-line sequences).
 */
import type { Position, Range } from '../../presentation/results.js';

export class LineIndex {
  /** Offset of the first character of every line, ascending; starts[0] = 0. */
  readonly lineStarts: number[];
  private lastLine = 0;

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line containing `offset` (clamped to the text). Sequential look-ups are O(1). */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    const o = Math.max(0, Math.min(offset, this.text.length));
    let line = this.lastLine;
    if (starts[line] <= o && (line + 1 >= starts.length || starts[line + 1] > o)) return line;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    line = lo;
    this.lastLine = line;
    return line;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: o - this.lineStarts[line] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The offset of an LSP position; characters past the end of the line clamp to it. */
  offset(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next =
      position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    let lineEnd = next;
    // Exclude the line break itself from the line's addressable characters.
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return start + Math.max(0, Math.min(position.character, lineEnd - start));
  }
}
