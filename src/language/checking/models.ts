/**
 * Resolves `model` and `policy` declarations into numbers: vocabulary, normalised
 * probabilities, rewards, length and the core's reward law — reporting every problem with the
 * declaration at its exact place.
 */

import { type MarkovChain, maxKL, type TokenRewardLaw, tokenRewardLaw } from '../../core/index.js';
import { formatNumber } from '../../presentation/format.js';
import { MODEL_FIELDS } from '../../presentation/queries.js';
import type { Severity } from '../../presentation/results.js';
import type { DiagnosticCode, DiagnosticSink } from '../diagnostics.js';
import { didYouMean, suggest } from '../suggest.js';
import type * as A from '../syntax/ast.js';
import { compactOf } from '../syntax/compactList.js';
import { firstRepeat } from './duplicates.js';
import { evalExpr, type NameResolver, reportBrokenValue, toDouble } from './exprEval.js';
import { hashNumbers, hashStrings, numbersText } from './hash.js';
import {
  confinePath,
  type ModelColumns,
  type ModelFileProblem,
  type ModelFileReader,
  parseModelFile,
} from './modelFile.js';
import { SmallMap } from './smallMap.js';

/** The largest sequence length accepted (larger n makes every exact computation meaningless). */
export const MAX_LENGTH = 1e9;
/** How far Σp may be from 1 before the p-not-normalized warning (relative). */
export const NORMALIZATION_TOLERANCE = 1e-9;

export interface ResolvedModel {
  readonly name: string;
  readonly decl: A.ModelDecl;
  readonly vocab: readonly string[];
  /** Normalised probabilities (Σ = 1). */
  readonly p: readonly number[];
  readonly reward: readonly number[];
  readonly n: number;
  /** Defined when the model is valid; queries on an invalid model are not evaluated. */
  readonly law: TokenRewardLaw | undefined;
  /** Maximum KL for the whole sequence, n·(−log p(M)). */
  readonly maxKL: number | undefined;
  /** Why the model cannot be used (first error), when `law` is undefined. */
  readonly error: string | undefined;
  /** Content key for the result cache (positions play no part). */
  readonly key: string;
  /**
   * A `markov` model: its chain (defined when the model is valid; `law` is then undefined, `p` is
   * the start distribution and `reward` the token rewards), and what the checker found out about
   * its structure.
   */
  readonly chain?: MarkovChain;
  readonly markov?: MarkovInfo;
}

/** What a `markov` model's check found (for hover, the model summary and query checks). */
export interface MarkovInfo {
  /** `start stationary` (the start is the chain's stationary distribution). */
  readonly stationaryStart: boolean;
  /** Every token communicates with every other. */
  readonly irreducible: boolean;
  /** Token names in no closed class, and the closed classes. */
  readonly transient: readonly string[];
  readonly closed: readonly (readonly string[])[];
  /** The stationary distribution of P (unique closed class), per token; undefined otherwise. */
  readonly stationary?: readonly number[];
  /** Why the asymptotic queries do not apply (undefined: they do). */
  readonly asymptotic?: string;
  /** The cyclic classes reachable from the start (the competing ones when `asymptotic` is set). */
  readonly cyclicClasses: readonly (readonly string[])[];
  /** Period of the ergodic class (1: aperiodic). */
  readonly period: number;
  /** Transition rewards were given (`reward TOKEN -> …`). */
  readonly transitionRewards: boolean;
}

/** Whether a model can be evaluated (a valid memoryless law or a valid chain). */
export function isEvaluable(model: ResolvedModel | undefined): boolean {
  return model !== undefined && (model.law !== undefined || model.chain !== undefined);
}

export interface ResolvedPolicy {
  readonly name: string;
  readonly decl: A.PolicyDecl;
  readonly model: ResolvedModel | undefined;
  /** Normalised probabilities, aligned with the model's vocab (a memoryless policy; for a chain policy its start). */
  readonly q: readonly number[];
  readonly error: string | undefined;
  readonly key: string;
  /** The policy as a chain (policies of markov models: `p` gives a memoryless one, `start`/`next` a chain). */
  readonly chain?: MarkovChain;
}

export interface ModelHost {
  readonly sink: DiagnosticSink;
  readonly names: NameResolver;
  readonly readFile?: ModelFileReader;
  /** Models read from files, kept across analyses of one document (see ModelCache). */
  readonly modelCache?: ModelCache;
}

/**
 * Models read from a file, kept across the analyses of one document: a keystroke anywhere else
 * must not parse a 2 MB CSV again, normalise 50,000 probabilities, sort them into a reward law
 * and hash them. An entry is keyed by the file's text — the host hands back the same string while
 * the file is unchanged, so a look-up is a pointer comparison — and by the model body, which may
 * only set the length (anything else is resolved afresh). The diagnostics the file produced (all
 * on the file name) are kept with it and reported again at the name's current place. Entries not
 * used by the last two analyses are dropped.
 */
export class ModelCache {
  private readonly byFile = new Map<string, Map<string, CachedModel>>();
  private generation = 0;

  /** Starts an analysis: entries unused in this one and the previous one will be dropped. */
  begin(): void {
    this.generation++;
    for (const [text, byBody] of this.byFile) {
      for (const [body, e] of byBody) if (e.generation < this.generation - 1) byBody.delete(body);
      if (byBody.size === 0) this.byFile.delete(text);
    }
  }

  get(text: string, body: string): CachedModel | undefined {
    const e = this.byFile.get(text)?.get(body);
    if (e) e.generation = this.generation;
    return e;
  }

  set(text: string, body: string, entry: Omit<CachedModel, 'generation'>): void {
    let byBody = this.byFile.get(text);
    if (!byBody) this.byFile.set(text, (byBody = new Map()));
    byBody.set(body, { ...entry, generation: this.generation });
  }

  clear(): void {
    this.byFile.clear();
  }
}

interface CachedModel {
  readonly model: Omit<ResolvedModel, 'name' | 'decl'>;
  /** Diagnostics on the file name, to report again where the name now is. */
  readonly diagnostics: readonly {
    code: DiagnosticCode;
    message: string;
    data?: unknown;
    severity: Severity;
  }[];
  generation: number;
}

const FIELD_NAMES = MODEL_FIELDS.filter((f) => f.markovOnly !== true).map((f) => f.name);

/** Splits a body into fields by name, reporting unknown and duplicate fields. */
export function fieldsOf(
  fields: A.Field[],
  allowed: readonly string[],
  host: ModelHost,
  where: string,
): SmallMap<string, A.Field> {
  const byName = new SmallMap<string, A.Field>(fields.length);
  for (const f of fields) {
    const name = f.name.name;
    if (f.row || f.source) {
      const form = f.row ? `a row ('${name} ${f.row.name} -> …')` : `a file ('${name} from "…"')`;
      host.sink.add(
        'unknown-field',
        f.name.start,
        f.end,
        `${form} belongs to a markov model; a ${where} takes plain lists${f.source ? ' (a whole model is read with model m from "file")' : ''}`,
      );
      continue;
    }
    if (!allowed.includes(name)) {
      const suggestion = suggest(name, allowed);
      const known = FIELD_NAMES.includes(name) ? ` (${where} only has ${allowed.join(', ')})` : '';
      host.sink.add(
        'unknown-field',
        f.name.start,
        f.name.end,
        `unknown field '${name}'${known}${didYouMean(suggestion)}`,
        suggestion ? { suggestion } : undefined,
      );
      continue;
    }
    if (byName.has(name)) {
      host.sink.add('duplicate-field', f.name.start, f.name.end, `'${name}' is given twice in this ${where}`);
      continue;
    }
    byName.set(name, f);
  }
  return byName;
}

/** Numbers of an expression field; undefined entries were diagnosed. */
export function numbersOf(field: A.Field, host: ModelHost): readonly (number | undefined)[] {
  // A plain list read by the parser: the values are already there (no nodes to visit), in an
  // array nobody modifies, so the model shares it.
  const compact = compactOf(field);
  if (compact?.values) return compact.values;
  const out: (number | undefined)[] = new Array(field.items.length);
  for (let i = 0; i < field.items.length; i++) {
    const item = field.items[i] as A.Expr;
    // Fast path for plain literals (a 50,000-token model is mostly these); 0 goes through
    // evalExpr, which warns when a nonzero literal underflowed to it.
    if (item.kind === 'number' && Number.isFinite(item.value) && item.value !== 0) {
      out[i] = item.value;
      continue;
    }
    const before = host.sink.mark();
    const v = evalExpr(item, host.names, host.sink);
    out[i] = v && toDouble(v, item, host.sink);
    if (out[i] === undefined && !host.sink.hasErrorSince(before))
      reportBrokenValue(`this ${field.name.name} entry`, item, host.names, host.sink);
  }
  return out;
}

export function itemsSpan(field: A.Field): { start: number; end: number } {
  const compact = compactOf(field);
  if (compact && compact.count > 0) return { start: compact.itemsStart, end: field.end };
  if (compact || field.items.length === 0) return { start: field.name.start, end: field.name.end };
  return { start: field.items[0].start, end: field.items[field.items.length - 1].end };
}

/**
 * Checks probabilities: finite, non-negative, not all zero; warns when Σ ≠ 1 and returns the
 * normalised vector (undefined when unusable). `where` locates them: the `p` field (each entry
 * at its item, the warning's quick fix rewrites the list) or the model file's name.
 */
export function checkProbabilities(
  p: readonly (number | undefined)[],
  where: A.Field | A.StringLiteral,
  host: ModelHost,
  code: 'p-not-normalized' | 'row-not-normalized' = 'p-not-normalized',
  what = 'the probabilities',
): number[] | undefined {
  const inField = where.kind === 'field';
  let usable = true;
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x === undefined) {
      usable = false;
      continue;
    }
    if (x < 0) {
      const node = inField ? where.items[i] : where;
      host.sink.add(
        'negative-probability',
        node.start,
        node.end,
        `probability ${formatNumber(x)} is negative`,
      );
      usable = false;
      continue;
    }
    sum += x;
  }
  if (!usable) return undefined;
  const all = inField ? itemsSpan(where) : where;
  if (!(sum > 0)) {
    host.sink.add(
      'zero-mass',
      all.start,
      all.end,
      `every probability of ${what} is 0: there is nothing to normalise`,
    );
    return undefined;
  }
  const normalized = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) normalized[i] = (p[i] as number) / sum;
  if (Math.abs(sum - 1) > NORMALIZATION_TOLERANCE) {
    host.sink.add(
      code,
      all.start,
      all.end,
      `${what} sum to ${formatNumber(sum, 10)}, not 1; they are divided by that sum`,
      { sum, normalized, ...(inField ? { replacement: normalized.map(String).join(' ') } : {}) },
    );
  }
  return normalized;
}

/**
 * The vocabulary of a compact `vocab` list, reporting repeated names (`vocabOfItems` does the
 * same on nodes; here no node is built unless a name repeats). The list's own array is the
 * vocabulary: nobody modifies it.
 */
export function checkUnique(
  names: readonly string[],
  field: A.Field,
  host: ModelHost,
  errors: string[],
): readonly string[] {
  const first = new Map<string, number>();
  let repeated = false;
  for (let i = 0; i < names.length; i++) {
    if (first.has(names[i])) repeated = true;
    else first.set(names[i], i);
  }
  if (repeated) {
    const items = field.items;
    for (let i = 0; i < names.length; i++) {
      const k = first.get(names[i])!;
      if (k === i) continue;
      host.sink.add(
        'duplicate-token',
        items[i].start,
        items[i].end,
        `token '${names[i]}' is already in the vocabulary`,
        {
          first: items[k].range,
        },
      );
      errors.push(`token '${names[i]}' appears twice`);
    }
  }
  return names;
}

/** The vocabulary of a `vocab` field parsed into nodes, reporting repeated names. */
export function vocabOfItems(items: readonly A.TokenName[], host: ModelHost, errors: string[]): string[] {
  const vocab: string[] = [];
  const seen = new Map<string, A.NodeBase>();
  for (const item of items) {
    const first = seen.get(item.name);
    if (first) {
      host.sink.add(
        'duplicate-token',
        item.start,
        item.end,
        `token '${item.name}' is already in the vocabulary`,
        { first: first.range },
      );
      errors.push(`token '${item.name}' appears twice`);
    } else seen.set(item.name, item);
    vocab.push(item.name);
  }
  return vocab;
}

/** Below this many tokens the cache key is the numbers themselves; above, a hash of them. */
const EXACT_KEY_TOKENS = 256;

export function keyOf(parts: {
  vocab: readonly string[];
  p: readonly number[];
  reward: readonly number[];
  n: number;
}): string {
  const { vocab, p, reward, n } = parts;
  if (vocab.length <= EXACT_KEY_TOKENS && p.length <= EXACT_KEY_TOKENS && reward.length <= EXACT_KEY_TOKENS) {
    // The numbers by their exact bits (numbersText: fixed width, so each list is led by its length).
    // One join, a flat string: a template would keep a tree of concatenations alive with the model.
    const vocabText = vocab.join('\u0001');
    return [n, vocabText, `${p.length}:${numbersText(p)}${reward.length}:${numbersText(reward)}`].join(
      '\u0002',
    );
  }
  // Joining 50,000 numbers into a string cost more than the rest of the check: hash their bits.
  return `${n}\u0002#${vocab.length}:${hashStrings(vocab)}\u0002${p.length}:${hashNumbers(p)}\u0002${reward.length}:${hashNumbers(reward)}`;
}

const MODEL_FILE_PROBLEMS = { 'file-not-found': 1, 'file-refused': 1, 'invalid-encoding': 1 };

function loadFile(source: A.StringLiteral, host: ModelHost): ModelColumns | undefined {
  const read = readHostFile(source, host);
  if (read === undefined) return undefined;
  const parsed = parseModelFile(read.text, read.path);
  if (!parsed.ok) {
    host.sink.add('invalid-model-file', source.start, source.end, `${read.path}: ${parsed.message}`);
    return undefined;
  }
  return parsed.model;
}

/**
 * The text of the file a `from "…"` string names, through the host's confined reader; every
 * problem (path, access, encoding) is reported at the string. Undefined when not read.
 */
export function readHostFile(
  source: A.StringLiteral,
  host: ModelHost,
): { text: string; path: string } | undefined {
  const { sink } = host;
  const confined = confinePath(source.value);
  if (!confined.ok) {
    sink.add('invalid-path', source.start, source.end, confined.message);
    return undefined;
  }
  if (!host.readFile) {
    sink.add(
      'file-access-unavailable',
      source.start,
      source.end,
      `this host cannot read model files ('${confined.path}')`,
    );
    return undefined;
  }
  let text: string | ModelFileProblem | undefined;
  try {
    text = host.readFile(confined.path);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') {
    // The host says why (refused, not UTF-8, …) or just that it could not read the file.
    const problem = text && typeof text === 'object' && text.code in MODEL_FILE_PROBLEMS ? text : undefined;
    const why = problem ? problem.message : 'no such file next to this document, or it cannot be opened';
    sink.add(
      problem?.code ?? 'file-not-found',
      source.start,
      source.end,
      `cannot read '${confined.path}': ${why}`,
    );
    return undefined;
  }
  return { text, path: confined.path };
}

/** A `p` or `reward` list: its numbers, and the field they come from (none: the model file). */
interface NumberList {
  readonly values: readonly (number | undefined)[];
  readonly field?: A.Field;
}

/** The numbers of the `p` or `reward` field, or of the model file; undefined when neither has them. */
function numbersField(
  f: A.Field | undefined,
  field: 'p' | 'reward',
  host: ModelHost,
  fromFile: ModelColumns | undefined,
): NumberList | undefined {
  if (f) {
    if ((compactOf(f)?.count ?? f.items.length) === 0) {
      host.sink.add('missing-field', f.start, f.end, `'${field}' has no values`, { field });
      return { values: [], field: f };
    }
    return { values: numbersOf(f, host), field: f };
  }
  if (fromFile) return { values: field === 'p' ? fromFile.p : fromFile.reward };
  return undefined;
}

function reportMissing(
  field: 'vocab' | 'p' | 'reward',
  model: string,
  anchor: A.NodeBase,
  host: ModelHost,
  errors: string[],
): void {
  host.sink.add('missing-field', anchor.start, anchor.end, `model '${model}' has no '${field}'`, { field });
  errors.push(`it has no '${field}'`);
}

/** Reports a `p` or `reward` list whose length differs from the vocabulary's. */
function checkCount(
  label: 'p' | 'reward',
  raw: NumberList | undefined,
  count: number,
  decl: A.ModelDecl,
  host: ModelHost,
  errors: string[],
): void {
  if (!raw || raw.values.length === 0 || raw.values.length === count) return;
  const at = raw.field ? itemsSpan(raw.field) : decl.source!;
  host.sink.add(
    'length-mismatch',
    at.start,
    at.end,
    `'${label}' has ${raw.values.length} value(s) but the vocabulary has ${count} token(s)`,
    { expected: count, actual: raw.values.length },
  );
  errors.push(`'${label}' and vocab differ in length`);
}

/**
 * The cache key of a model body that only sets the length (`{ length 64 }`, or no body), else
 * undefined: such a model is the file plus one number.
 */
function lengthOnlyBody(decl: A.ModelDecl): string | undefined {
  if (decl.fields.length === 0) return '';
  if (decl.fields.length !== 1) return undefined;
  const f = decl.fields[0];
  if (f.name.name !== 'length') return undefined;
  const values =
    compactOf(f)?.values ??
    (f.items.length === 1 && f.items[0].kind === 'number' ? [f.items[0].value] : undefined);
  return values?.length === 1 && values[0] !== undefined ? `length ${values[0]}` : undefined;
}

export function resolveModel(decl: A.ModelDecl, host: ModelHost): ResolvedModel {
  const cache = host.modelCache;
  const source = decl.source;
  const body = cache && source ? lengthOnlyBody(decl) : undefined;
  if (!cache || !source || body === undefined || !host.readFile) return resolveModelUncached(decl, host);
  const confined = confinePath(source.value);
  let text: unknown;
  try {
    text = confined.ok ? host.readFile(confined.path) : undefined;
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') return resolveModelUncached(decl, host);
  const name = decl.name?.name ?? '';
  const hit = cache.get(text, body);
  if (hit) {
    for (const d of hit.diagnostics)
      host.sink.add(d.code, source.start, source.end, d.message, d.data, d.severity);
    return { ...hit.model, name, decl };
  }
  const { sink } = host;
  const before = sink.items.length;
  const resolved = resolveModelUncached(decl, host);
  // Keep it only when every diagnostic it produced is on the file name (and none was dropped).
  const at = JSON.stringify(sink.rangeOf(source.start, source.end));
  const produced = sink.items.slice(before);
  if (sink.dropped === 0 && produced.every((d) => JSON.stringify(d.range) === at)) {
    const { name: _name, decl: _decl, ...model } = resolved;
    cache.set(text, body, {
      model,
      diagnostics: produced.map((d) => ({
        code: d.code as DiagnosticCode,
        message: d.message,
        severity: d.severity,
        ...(d.data === undefined ? {} : { data: d.data }),
      })),
    });
  }
  return resolved;
}

function resolveModelUncached(decl: A.ModelDecl, host: ModelHost): ResolvedModel {
  const { sink } = host;
  const name = decl.name?.name ?? '';
  const fields = fieldsOf(decl.fields, FIELD_NAMES, host, 'model');
  const fromFile = decl.source ? loadFile(decl.source, host) : undefined;
  const fileFailed = decl.source !== undefined && fromFile === undefined;
  const anchor = decl.name ?? decl.keyword;
  // Why the model cannot be used, first reason first (plain pushes: no closure per model).
  const errors: string[] = [];
  if (fileFailed) errors.push('its model file could not be loaded');

  // vocab
  let vocab: readonly string[] | undefined;
  const vocabField = fields.get('vocab');
  if (vocabField) {
    const names = compactOf(vocabField)?.names;
    vocab = names
      ? checkUnique(names, vocabField, host, errors)
      : vocabOfItems(vocabField.items as A.TokenName[], host, errors);
    if (vocab.length === 0) {
      sink.add('missing-field', vocabField.start, vocabField.end, 'the vocabulary is empty', {
        field: 'vocab',
      });
      errors.push('the vocabulary is empty');
    }
  } else if (fromFile) {
    vocab = fromFile.vocab;
    const repeat = firstRepeat(vocab);
    if (repeat >= 0) {
      const v = vocab[repeat];
      sink.add(
        'duplicate-token',
        decl.source!.start,
        decl.source!.end,
        `token '${v}' appears twice in the model file`,
      );
      errors.push(`token '${v}' appears twice`);
    }
  }

  const pRaw = numbersField(fields.get('p'), 'p', host, fromFile);
  const rRaw = numbersField(fields.get('reward'), 'reward', host, fromFile);
  if ((!decl.source || fromFile) && !fileFailed) {
    if (vocab === undefined) reportMissing('vocab', name, anchor, host, errors);
    if (pRaw === undefined) reportMissing('p', name, anchor, host, errors);
    if (rRaw === undefined) reportMissing('reward', name, anchor, host, errors);
  }

  // length
  let n = fromFile?.length ?? 1;
  const lengthField = fields.get('length');
  if (lengthField) {
    const values = numbersOf(lengthField, host);
    const v = values[0];
    if (values.length !== 1) {
      sink.add('invalid-length', lengthField.start, lengthField.end, 'length takes exactly one value');
      errors.push('its length is invalid');
    } else if (v === undefined) errors.push('its length is invalid');
    else if (!Number.isInteger(v) || v < 1 || v > MAX_LENGTH) {
      const item = lengthField.items[0];
      sink.add(
        'invalid-length',
        item.start,
        item.end,
        `length must be a whole number from 1 to ${formatNumber(MAX_LENGTH)}, not ${formatNumber(v, 10)}`,
      );
      errors.push('its length is invalid');
    } else n = v;
  }

  // lengths agree
  if (vocab !== undefined) {
    checkCount('p', pRaw, vocab.length, decl, host, errors);
    checkCount('reward', rRaw, vocab.length, decl, host, errors);
  }

  let p: number[] | undefined;
  if (pRaw && pRaw.values.length > 0) {
    p = checkProbabilities(pRaw.values, pRaw.field ?? decl.source!, host);
    if (!p) errors.push('its probabilities are invalid');
  }
  let reward: readonly number[] | undefined;
  if (rRaw && rRaw.values.length > 0) {
    if (!rRaw.values.includes(undefined)) reward = rRaw.values as readonly number[];
    else errors.push('its rewards are invalid');
  }

  const parts = { vocab: vocab ?? [], p: p ?? [], reward: reward ?? [], n };
  let law: TokenRewardLaw | undefined;
  let max: number | undefined;
  if (errors.length === 0 && p && reward) {
    const built = tokenRewardLaw(p, reward);
    if (built.ok) {
      law = built.value;
      const m = maxKL(law, n);
      if (m.ok) max = m.value;
    } else {
      sink.add('evaluation-failed', anchor.start, anchor.end, built.error.message);
      errors.push(built.error.message);
    }
  }
  let key: string | undefined;
  return {
    name,
    decl,
    ...parts,
    law,
    maxKL: max,
    error: law ? undefined : (errors[0] ?? 'it is incomplete'),
    // Hashing a million tokens' names and numbers costs ~100 ms, and only a result cache reads the
    // key (the CLI keeps none): computed on first read. A spread copies it as a plain value.
    get key() {
      key ??= keyOf(parts);
      return key;
    },
  };
}

export function resolvePolicy(
  decl: A.PolicyDecl,
  model: ResolvedModel | undefined,
  host: ModelHost,
): ResolvedPolicy {
  const name = decl.name?.name ?? '';
  const fields = fieldsOf(decl.fields, ['p'], host, 'policy');
  const pField = fields.get('p');
  let q: number[] | undefined;
  let error: string | undefined;
  if (!pField) {
    const anchor = decl.name ?? decl.keyword;
    host.sink.add('missing-field', anchor.start, anchor.end, `policy '${name}' has no 'p'`, { field: 'p' });
    error = "it has no 'p'";
  } else {
    const raw = numbersOf(pField, host);
    const count = model?.vocab.length;
    if (count !== undefined && count > 0 && raw.length !== count) {
      const at = itemsSpan(pField);
      host.sink.add(
        'length-mismatch',
        at.start,
        at.end,
        `'p' has ${raw.length} value(s) but model '${model?.name}' has ${count} token(s)`,
        { expected: count, actual: raw.length },
      );
      error = 'its length differs from the model’s vocabulary';
    } else if (raw.length === 0) {
      host.sink.add('missing-field', pField.start, pField.end, `'p' has no values`, { field: 'p' });
      error = "it has no 'p' values";
    } else {
      q = checkProbabilities(raw, pField, host);
      if (!q) error = 'its probabilities are invalid';
    }
  }
  if (!error && !model?.law) error = model ? `its model '${model.name}' is invalid` : 'its model is unknown';
  return {
    name,
    decl,
    model,
    q: q ?? [],
    error,
    key: `${model?.key ?? ''}\u0003${q && q.length > EXACT_KEY_TOKENS ? hashNumbers(q) : numbersText(q ?? [])}`,
  };
}
