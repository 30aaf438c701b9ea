/**
 * Every diagnostic the language produces, with its stable kebab-case code and default
 * severity. docs/language.md documents each one with an example; the server's quick fixes
 * branch on the code and read `data`.
 */

import type { Diagnostic, Severity } from '../presentation/results.js';
import type { LineIndex } from './syntax/positions.js';

export const DIAGNOSTIC_CODES = {
  // Syntax
  'syntax-error': {
    severity: 'error',
    summary: 'The text does not follow the grammar; parsing resumes at the next line.',
  },
  'invalid-character': { severity: 'error', summary: 'A character the language does not use.' },
  'unterminated-string': { severity: 'error', summary: 'A quoted string without its closing quote.' },
  'too-deeply-nested': {
    severity: 'error',
    summary:
      'An expression more than 500 levels deep (parentheses, calls, chained operators): split it into lets.',
  },
  // Names
  'unknown-model': { severity: 'error', summary: 'No model has this name (data: { suggestion }).' },
  'unknown-policy': { severity: 'error', summary: 'No policy has this name (data: { suggestion }).' },
  'unknown-name': {
    severity: 'error',
    summary: 'An expression uses a name that is not a `let`, constant or function (data: { suggestion }).',
  },
  'unknown-function': {
    severity: 'error',
    summary: 'A call to a function other than exp, log, sqrt (data: { suggestion }).',
  },
  'unknown-query': { severity: 'error', summary: 'No query has this name (data: { suggestion }).' },
  'unknown-field': {
    severity: 'error',
    summary:
      'A model body line that is not vocab, p, reward or length (markov: vocab, start, next, reward, length), or a row or file form where it does not belong (data: { suggestion }).',
  },
  'unknown-parameter': {
    severity: 'error',
    summary: 'The query has no such parameter (data: { suggestion }).',
  },
  'duplicate-definition': {
    severity: 'error',
    summary: 'A model, policy or let name defined twice (data: { first: Range }).',
  },
  'reserved-name': {
    severity: 'error',
    summary: 'A `let` named like a constant or function (e, pi, exp, log, sqrt).',
  },
  'cyclic-definition': { severity: 'error', summary: 'A `let` whose value depends on itself.' },
  // Models
  'duplicate-token': {
    severity: 'error',
    summary: 'The same token appears twice in a vocabulary (data: { first: Range }).',
  },
  'duplicate-field': { severity: 'error', summary: 'A model field given twice.' },
  'missing-field': {
    severity: 'error',
    summary:
      'A model without vocab, p or reward (markov: vocab, start, next rows or reward), or a policy without p (data: { field }).',
  },
  'length-mismatch': {
    severity: 'error',
    summary: 'vocab, p and reward (or a policy’s p) have different lengths (data: { expected, actual }).',
  },
  'p-not-normalized': {
    severity: 'warning',
    summary:
      'The probabilities do not sum to 1; they are normalised (data: { sum, normalized: number[], replacement: string } — the fix replaces the diagnostic’s range with `replacement`).',
  },
  'negative-probability': { severity: 'error', summary: 'A probability below 0.' },
  // Markov models
  'row-not-normalized': {
    severity: 'warning',
    summary:
      'A transition row of a markov model does not sum to 1; it is normalised (data: { sum, normalized: number[], replacement: string }, as p-not-normalized).',
  },
  'missing-row': {
    severity: 'error',
    summary:
      'A markov model has no `next` row for a token of its vocabulary (data: { token, count } — the fix adds a uniform row).',
  },
  'duplicate-row': {
    severity: 'error',
    summary: 'Two `next` (or two `reward`) rows for the same token (data: { first: Range }).',
  },
  'unknown-token': {
    severity: 'error',
    summary: 'A row (or a file entry) names a token that is not in the vocabulary (data: { suggestion }).',
  },
  'not-irreducible': {
    severity: 'error',
    summary:
      '`start stationary` on a chain without a unique stationary distribution (several closed classes: an error), or with transient states (they get probability 0: a warning); the message names the classes (data: { closed: string[][], transient: string[] }).',
  },
  'needs-irreducible': {
    severity: 'error',
    summary:
      'An asymptotic query (equivalence, rate) on a markov model whose reachable states hold more than one class that can be visited repeatedly (an absorbing state beside another class, say): its Perron root, Gärtner–Ellis rate and λ* need one (data: { classes: string[][] }).',
  },
  'memoryless-only': {
    severity: 'error',
    summary: 'A query defined for memoryless models only (renyi), applied to a markov model.',
  },
  'zero-mass': { severity: 'error', summary: 'Every probability is 0.' },
  'invalid-length': { severity: 'error', summary: 'length is not a positive integer (or is too large).' },
  // Values and parameters
  'not-finite': {
    severity: 'error',
    summary:
      'An expression is not a finite number (overflow, division by 0, log of a negative…); a number literal beyond the largest double (1e400, a 400-digit integer) is one too.',
  },
  'underflow-to-zero': {
    severity: 'warning',
    summary:
      'A nonzero number literal below the smallest positive double (1e-400, 0.000…1 with 400 digits): it is 0.',
  },
  'type-mismatch': {
    severity: 'error',
    summary: 'A value of the wrong kind: a range where a number is expected, a string in arithmetic, …',
  },
  'missing-model': { severity: 'error', summary: 'A query without its model as first argument.' },
  'unexpected-argument': {
    severity: 'error',
    summary: 'A second positional argument; parameters are written name = value.',
  },
  'missing-parameter': { severity: 'error', summary: 'A required parameter is absent (data: { names }).' },
  'conflicting-parameters': {
    severity: 'error',
    summary: 'Two parameters of which only one may be given (e.g. delta and lambda).',
  },
  'duplicate-parameter': { severity: 'error', summary: 'The same parameter given twice.' },
  'unused-parameter': {
    severity: 'warning',
    summary: 'A parameter that has no effect here (e.g. N with method = base).',
  },
  'invalid-value': {
    severity: 'error',
    summary: 'A value outside what the parameter accepts (data: { allowed } for words).',
  },
  'out-of-range': {
    severity: 'error',
    summary: 'A number or range outside the parameter’s bounds (data: { min, max }).',
  },
  'negative-budget': { severity: 'error', summary: 'A KL budget Δ < 0.' },
  'budget-exceeds-max-kl': {
    severity: 'warning',
    summary: 'Δ is at least the maximum KL n·(−log p(M)); the constraint does not bind (data: { maxKL }).',
  },
  'invalid-argument': {
    severity: 'error',
    summary:
      'An argument whose value has an error reported elsewhere (a broken, cyclic or unknown `let`); the query is not evaluated (data: { let }).',
  },
  'n-below-one': { severity: 'error', summary: 'Best-of-N with N < 1 (or log N < 0).' },
  'block-not-divisor': {
    severity: 'error',
    summary:
      'A block length b that does not divide the model’s length n (blockwise best-of-N) (data: { length, nearest } — the quick fix writes the nearest divisor).',
  },
  'threshold-above-max': {
    severity: 'error',
    summary:
      'A rejection threshold τ above the largest sequence reward (n·r_max; for a markov model R*, the largest reward of a sequence the chain produces): no sequence is ever accepted (data: { maxReward, markov? } — the quick fix writes that reward).',
  },
  approximation: {
    severity: 'information',
    summary:
      'An exact computation is too large; the message names the approximation used and its error bound.',
  },
  'evaluation-failed': {
    severity: 'error',
    summary: 'The numerical core could not compute a result; the message says why.',
  },
  'document-too-large': {
    severity: 'error',
    summary:
      'The document is longer than the host analyses (the language server: 4 MB); put large models in a CSV or JSON file (data: { length, limit }).',
  },
  'too-many-problems': {
    severity: 'warning',
    summary:
      'More than 1000 problems in one stage of the document: the first ones are listed, this says how many more there are (data: { more }).',
  },
  'evaluation-budget': {
    severity: 'warning',
    summary:
      'The document’s evaluation budget is spent (more than 1000 queries, more than 500,000 numbers in its results, or the time allowed for one document); later queries are not evaluated (data: { limit }).',
  },
  'internal-error': {
    severity: 'error',
    summary: 'A bug in Align Lab (an unexpected exception); please report it with the file.',
  },
  // Model files
  'file-access-unavailable': {
    severity: 'error',
    summary: '`model … from "file"` where the host gives no file access (e.g. a browser preview).',
  },
  'invalid-path': {
    severity: 'error',
    summary: 'An absolute path, a URL or a path escaping the document’s folder with `..`.',
  },
  'file-not-found': {
    severity: 'error',
    summary: 'The model file does not exist or cannot be opened (the message says which).',
  },
  'file-refused': {
    severity: 'error',
    summary:
      'The model file exists but is not read: it resolves through a symbolic link outside the workspace folder (the .align file’s folder for the CLI), it is not a regular file (a pipe, a device, a folder), it is larger than 8 MiB, or the folder it would be confined to is the file system root or contains the home folder.',
  },
  'invalid-encoding': {
    severity: 'error',
    summary:
      'The model file is not valid UTF-8 (the message gives the byte offset and line of the first bad byte).',
  },
  'invalid-model-file': {
    severity: 'error',
    summary: 'The CSV or JSON model file is malformed (the message gives the line).',
  },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * Most diagnostics one stage keeps per document. Garbage (300 KB of random bytes) yields one
 * problem every few characters: tens of thousands of diagnostics would cost more memory and time
 * than the document itself and help nobody. Past the cap they are counted, not kept, and the
 * pipeline adds one `too-many-problems` summary (analyze.ts).
 */
export const MAX_STORED_DIAGNOSTICS = 1000;

/** A point in a sink's history (see `DiagnosticSink.mark`). */
export interface SinkMark {
  readonly stored: number;
  readonly errors: number;
}

/** Collects diagnostics, converting offsets to ranges once; keeps the first MAX_STORED_DIAGNOSTICS. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  /** Errors reported so far, kept or not. */
  errors = 0;
  /** Diagnostics reported but not kept (over the cap). */
  dropped = 0;
  /** Offset of the first diagnostic not kept (where the summary points). */
  firstDroppedAt = -1;
  constructor(private readonly lines: LineIndex) {}

  add(
    code: DiagnosticCode,
    start: number,
    end: number,
    message: string,
    data?: unknown,
    severity?: Severity,
  ): void {
    const level = severity ?? DIAGNOSTIC_CODES[code].severity;
    if (level === 'error') this.errors++;
    if (this.items.length >= MAX_STORED_DIAGNOSTICS) {
      if (this.dropped++ === 0) this.firstDroppedAt = start;
      return;
    }
    const diagnostic: Diagnostic = {
      severity: level,
      code,
      message,
      range: this.lines.range(start, Math.max(start, end)),
      ...(data === undefined ? {} : { data }),
    };
    this.items.push(diagnostic);
  }

  /** The LSP range of source offsets (as a diagnostic at them would have). */
  rangeOf(start: number, end: number): Diagnostic['range'] {
    return this.lines.range(start, Math.max(start, end));
  }

  /** The sink's state now, to ask later what was reported since. */
  mark(): SinkMark {
    return { stored: this.items.length, errors: this.errors };
  }

  /** True when an error was reported since `mark` (kept or not; warnings do not count). */
  hasErrorSince(mark: SinkMark): boolean {
    return this.errors > mark.errors;
  }

  /** The message of the first error reported since `mark` (a generic one if it was not kept). */
  firstErrorSince(mark: SinkMark): string | undefined {
    if (!this.hasErrorSince(mark)) return undefined;
    for (let i = mark.stored; i < this.items.length; i++)
      if (this.items[i].severity === 'error') return this.items[i].message;
    return 'it has an error (not listed: the document has too many problems)';
  }
}

/**
 * The `data` of the diagnostics that quick fixes act on, by code (docs/language.md lists every
 * code's data). Data comes back from the editor with a code-action request, so it is untrusted:
 * `readDiagnosticData` checks it against this shape before a fix uses it.
 */
export interface DiagnosticData {
  readonly 'unknown-model': Suggestion;
  readonly 'unknown-policy': Suggestion;
  readonly 'unknown-name': Suggestion;
  readonly 'unknown-function': Suggestion;
  readonly 'unknown-query': Suggestion;
  readonly 'unknown-field': Suggestion;
  readonly 'unknown-parameter': Suggestion;
  readonly 'invalid-value': Suggestion & { readonly allowed?: readonly string[] };
  readonly 'p-not-normalized': { readonly sum: number; readonly normalized: readonly number[] };
  readonly 'row-not-normalized': { readonly sum: number; readonly normalized: readonly number[] };
  readonly 'missing-row': { readonly token: string; readonly count: number };
  readonly 'unknown-token': Suggestion;
  readonly 'length-mismatch': { readonly expected: number; readonly actual: number };
  readonly 'budget-exceeds-max-kl': { readonly maxKL: number };
  readonly 'block-not-divisor': { readonly length: number; readonly nearest: number };
  readonly 'threshold-above-max': { readonly maxReward: number; readonly markov?: true };
}

interface Suggestion {
  readonly suggestion?: string;
}

export type FixableCode = keyof DiagnosticData;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const count = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function suggestionOf(d: unknown): Suggestion | undefined {
  if (!isObject(d)) return undefined;
  return typeof d.suggestion === 'string' && d.suggestion !== '' ? { suggestion: d.suggestion } : {};
}

function normalizedOf(d: unknown): { sum: number; normalized: number[] } | undefined {
  return isObject(d) && finite(d.sum) && Array.isArray(d.normalized) && d.normalized.every(finite)
    ? { sum: d.sum, normalized: d.normalized as number[] }
    : undefined;
}

const READERS: { readonly [C in FixableCode]: (d: unknown) => DiagnosticData[C] | undefined } = {
  'unknown-model': suggestionOf,
  'unknown-policy': suggestionOf,
  'unknown-name': suggestionOf,
  'unknown-function': suggestionOf,
  'unknown-query': suggestionOf,
  'unknown-field': suggestionOf,
  'unknown-parameter': suggestionOf,
  'invalid-value': suggestionOf,
  'p-not-normalized': normalizedOf,
  'row-not-normalized': normalizedOf,
  'missing-row': (d) =>
    isObject(d) &&
    typeof d.token === 'string' &&
    d.token !== '' &&
    count(d.count) &&
    d.count >= 1 &&
    d.count <= 10_000
      ? { token: d.token, count: d.count }
      : undefined,
  'unknown-token': suggestionOf,
  'length-mismatch': (d) =>
    isObject(d) && count(d.expected) && count(d.actual)
      ? { expected: d.expected, actual: d.actual }
      : undefined,
  'budget-exceeds-max-kl': (d) =>
    isObject(d) && finite(d.maxKL) && d.maxKL >= 0 ? { maxKL: d.maxKL } : undefined,
  'block-not-divisor': (d) =>
    isObject(d) &&
    count(d.length) &&
    count(d.nearest) &&
    d.nearest >= 1 &&
    (d.length as number) % (d.nearest as number) === 0
      ? { length: d.length, nearest: d.nearest }
      : undefined,
  'threshold-above-max': (d) =>
    isObject(d) && finite(d.maxReward)
      ? d.markov === true
        ? { maxReward: d.maxReward, markov: true }
        : { maxReward: d.maxReward }
      : undefined,
};

/** Whether a code (from an editor: any string) is one with quick-fix data. */
export function isFixableCode(code: unknown): code is FixableCode {
  return typeof code === 'string' && Object.hasOwn(READERS, code);
}

/** The diagnostic's data checked against its code's shape, or undefined when it does not fit. */
export function readDiagnosticData<C extends FixableCode>(
  code: C,
  data: unknown,
): DiagnosticData[C] | undefined {
  return (READERS[code] as (d: unknown) => DiagnosticData[C] | undefined)(data);
}
