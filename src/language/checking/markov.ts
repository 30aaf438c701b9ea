/**
 * Resolves `markov` models (and the policies over them) into the core's MarkovChain, reporting
 * every problem at its place: rows that do not sum to 1 (normalised, with a quick fix), rows of
 * the wrong length, missing or repeated rows, unknown token names, `start stationary` on a chain
 * without a unique stationary law, files that cannot be read or parsed.
 *
 *   markov chat {
 *     vocab   rude terse helpful
 *     start   0.2  0.5   0.3          # or: start stationary, or: start from "s.csv"
 *     next rude    -> 0.6 0.3 0.1     # P(· | rude), in vocab order (or: next from "P.csv")
 *     next terse   -> 0.1 0.6 0.3
 *     next helpful -> 0.05 0.25 0.7
 *     reward  -1 0 1                  # r(token)
 *     reward rude -> 0 0 -0.5         # optional transition rewards c(rude, ·)
 *     length  64
 *   }
 */
import {
  asymptoticProblem,
  type ChainStructure,
  chainStructure,
  type MarkovChain,
  markovChain,
  markovMaxKL,
  markovMaxReward,
  perronLimits,
  stationaryDistribution,
  withWorkBudget,
} from '../../core/index.js';
import { formatCount, formatNumber } from '../../presentation/format.js';
import { MODEL_FIELDS } from '../../presentation/queries.js';
import { didYouMean, suggest } from '../suggest.js';
import type * as A from '../syntax/ast.js';
import { compactOf } from '../syntax/compactList.js';
import { parseStartFile, parseTransitionFile } from './chainFile.js';
import { hashNumbers, hashStrings, numbersText } from './hash.js';
import {
  checkProbabilities,
  checkUnique,
  itemsSpan,
  MAX_LENGTH,
  type MarkovInfo,
  type ModelHost,
  numbersOf,
  type ResolvedModel,
  type ResolvedPolicy,
  readHostFile,
  vocabOfItems,
} from './models.js';

const MARKOV_FIELDS = MODEL_FIELDS.filter((f) => f.inMarkov).map((f) => f.name);
const POLICY_FIELDS = ['p', 'start', 'next'];

/** Work units the checker may spend on one chain (structure, stationary law, maximum KL). */
const RESOLVE_WORK = 3e8;

/** Transition rewards c(i, ·) by row (dense), per resolved markov model: its policies reuse them. */
const BONUS_ROWS = new WeakMap<ResolvedModel, Map<number, readonly number[]>>();

/** The body of a markov model or policy, sorted by kind of line. */
interface Body {
  readonly plain: Map<string, A.Field>;
  readonly nextRows: A.Field[];
  readonly rewardRows: A.Field[];
  readonly nextFile: A.Field | undefined;
}

function sortFields(
  fields: readonly A.Field[],
  allowed: readonly string[],
  host: ModelHost,
  where: string,
): Body {
  const plain = new Map<string, A.Field>();
  const nextRows: A.Field[] = [];
  const rewardRows: A.Field[] = [];
  let nextFile: A.Field | undefined;
  const { sink } = host;
  for (const f of fields) {
    const name = f.name.name;
    if (!allowed.includes(name)) {
      const suggestion = name === 'p' && where === 'markov model' ? 'start' : suggest(name, allowed);
      const extra =
        name === 'p' && where === 'markov model'
          ? ': a markov model has a start distribution (`start`) and one transition row per token (`next a -> …`)'
          : ` (a ${where} has ${allowed.join(', ')})`;
      sink.add(
        'unknown-field',
        f.name.start,
        f.name.end,
        `unknown field '${name}'${extra}${didYouMean(suggestion)}`,
        suggestion ? { suggestion } : undefined,
      );
      continue;
    }
    if (f.row) {
      if (name === 'next') nextRows.push(f);
      else if (name === 'reward' && where === 'markov model') rewardRows.push(f);
      else
        sink.add(
          'unknown-field',
          f.name.start,
          f.end,
          `'${name}' takes no rows here; rows are 'next TOKEN -> …'${where === 'markov model' ? " and 'reward TOKEN -> …'" : ''}`,
        );
      continue;
    }
    if (f.source && where !== 'markov model') {
      sink.add('unknown-field', f.name.start, f.end, `a policy takes no files; write its rows inline`);
      continue;
    }
    if (f.source && name !== 'next' && name !== 'start') {
      sink.add('unknown-field', f.name.start, f.end, `only 'next' and 'start' are read from files`);
      continue;
    }
    if (name === 'next' && f.source) {
      if (nextFile)
        sink.add('duplicate-field', f.name.start, f.name.end, `'next from' is given twice in this ${where}`);
      else nextFile = f;
      continue;
    }
    if (name === 'next') {
      sink.add(
        'unknown-field',
        f.name.start,
        f.end,
        `a transition row names its token: next TOKEN -> probabilities (one per token, in vocab order)`,
      );
      continue;
    }
    if (plain.has(name)) {
      sink.add('duplicate-field', f.name.start, f.name.end, `'${name}' is given twice in this ${where}`);
      continue;
    }
    plain.set(name, f);
  }
  return { plain, nextRows, rewardRows, nextFile };
}

/** `start stationary`: the one identifier item `stationary`. */
function isStationary(f: A.Field): boolean {
  return (
    !compactOf(f) &&
    f.items.length === 1 &&
    f.items[0].kind === 'identifier' &&
    f.items[0].name === 'stationary'
  );
}

/** The vocabulary of a `vocab` field (undefined when absent). */
function vocabOf(f: A.Field | undefined, host: ModelHost, errors: string[]): readonly string[] | undefined {
  if (!f) return undefined;
  const names = compactOf(f)?.names;
  const vocab = names
    ? checkUnique(names, f, host, errors)
    : vocabOfItems(f.items as A.TokenName[], host, errors);
  if (vocab.length === 0) {
    host.sink.add('missing-field', f.start, f.end, 'the vocabulary is empty', { field: 'vocab' });
    errors.push('the vocabulary is empty');
  }
  return vocab;
}

/** The index of a row's token, reporting an unknown name (with a suggestion). */
function rowIndex(
  row: A.TokenName,
  index: Map<string, number>,
  vocab: readonly string[],
  host: ModelHost,
): number | undefined {
  const i = index.get(row.name);
  if (i !== undefined) return i;
  const suggestion = suggest(row.name, vocab, 1);
  host.sink.add(
    'unknown-token',
    row.start,
    row.end,
    `'${row.name}' is not in the vocabulary${didYouMean(suggestion)}`,
    suggestion ? { suggestion } : undefined,
  );
  return undefined;
}

/** A row's numbers, checked for length (one per token); undefined when unusable (reported). */
function rowNumbers(
  f: A.Field,
  K: number,
  host: ModelHost,
  what: string,
): (number | undefined)[] | undefined {
  const values = numbersOf(f, host).slice();
  if (values.length !== K) {
    const at = values.length > 0 ? itemsSpan(f) : { start: f.name.start, end: f.end };
    host.sink.add(
      'length-mismatch',
      at.start,
      at.end,
      `${what} has ${values.length} value(s) but the vocabulary has ${K} token(s)`,
      {
        expected: K,
        actual: values.length,
      },
    );
    return undefined;
  }
  return values;
}

/** The rows of `next` lines (inline) over the file's rows; null entries are missing. */
function transitionRows(
  body: Body,
  vocab: readonly string[],
  index: Map<string, number>,
  host: ModelHost,
  errors: string[],
): { rows: (number[] | null)[]; lines: (A.Field | undefined)[] } {
  const K = vocab.length;
  const rows: (number[] | null)[] = new Array(K).fill(null);
  const lines: (A.Field | undefined)[] = new Array(K).fill(undefined);
  if (body.nextFile?.source) {
    const file = readTransitions(body.nextFile.source, vocab, index, host);
    if (file === undefined) errors.push('its transition file could not be used');
    else
      file.forEach((r, i) => {
        rows[i] = r;
      });
  }
  const first = new Map<number, A.Field>();
  for (const f of body.nextRows) {
    const row = f.row as A.TokenName;
    const i = rowIndex(row, index, vocab, host);
    if (i === undefined) {
      errors.push(`a row names the unknown token '${row.name}'`);
      continue;
    }
    const before = first.get(i);
    if (before) {
      host.sink.add(
        'duplicate-row',
        row.start,
        row.end,
        `'${row.name}' already has a row (line ${before.range.start.line + 1})`,
        {
          first: before.range,
        },
      );
      errors.push(`'${row.name}' has two rows`);
      continue;
    }
    first.set(i, f);
    const values = rowNumbers(f, K, host, `the row of '${row.name}'`);
    if (!values) {
      errors.push(`the row of '${row.name}' has the wrong length`);
      continue;
    }
    const normalized = checkProbabilities(
      values,
      f,
      host,
      'row-not-normalized',
      `the probabilities of the row of '${row.name}'`,
    );
    if (!normalized) {
      errors.push(`the row of '${row.name}' is invalid`);
      continue;
    }
    rows[i] = normalized;
    lines[i] = f;
  }
  return { rows, lines };
}

/** The rows of a transition file, by vocab index (null: the file has none for that token). */
function readTransitions(
  source: A.StringLiteral,
  vocab: readonly string[],
  index: Map<string, number>,
  host: ModelHost,
): (number[] | null)[] | undefined {
  const read = readHostFile(source, host);
  if (read === undefined) return undefined;
  const parsed = parseTransitionFile(read.text);
  const bad = (message: string) => {
    host.sink.add('invalid-model-file', source.start, source.end, `${read.path}: ${message}`);
    return undefined;
  };
  if (!parsed.ok) return bad(parsed.message);
  const K = vocab.length;
  const rows: (number[] | null)[] = new Array(K).fill(null);
  const file = parsed.value;
  if (file.kind === 'matrix') {
    if (file.rows.length !== K)
      return bad(`it has ${file.rows.length} rows but the vocabulary has ${K} tokens`);
    for (let i = 0; i < K; i++) {
      const r = file.rows[i];
      if (r.values.length !== K)
        return bad(`line ${r.line}: ${r.values.length} weights, but the vocabulary has ${K} tokens`);
      rows[i] = r.values;
    }
  } else {
    for (const e of file.entries) {
      for (const t of [e.from, e.to])
        if (!index.has(t)) {
          const suggestion = suggest(t, vocab, 1);
          host.sink.add(
            'unknown-token',
            source.start,
            source.end,
            `${read.path}: line ${e.line}: token '${t}' is not in the vocabulary${didYouMean(suggestion)}`,
          );
          return undefined;
        }
      const i = index.get(e.from) as number;
      const j = index.get(e.to) as number;
      rows[i] ??= new Array(K).fill(0);
      (rows[i] as number[])[j] += e.weight;
    }
  }
  // Each row's weights are normalised (counts become probabilities); a row of zeros is an error.
  for (let i = 0; i < K; i++) {
    const r = rows[i];
    if (!r) continue;
    const sum = r.reduce((a, b) => a + b, 0);
    if (!(sum > 0 && Number.isFinite(sum))) return bad(`the row of '${vocab[i]}' has no positive weight`);
    rows[i] = r.map((x) => x / sum);
  }
  return rows;
}

/** The start: explicit probabilities, `stationary` (null), or undefined when unusable (reported). */
function startOf(
  f: A.Field | undefined,
  vocab: readonly string[],
  index: Map<string, number>,
  host: ModelHost,
  anchor: A.NodeBase,
  owner: string,
  errors: string[],
): number[] | null | undefined {
  const K = vocab.length;
  if (!f) {
    host.sink.add(
      'missing-field',
      anchor.start,
      anchor.end,
      `${owner} has no 'start' (write start stationary, or the probabilities of the first token)`,
      {
        field: 'start',
      },
    );
    errors.push("it has no 'start'");
    return undefined;
  }
  if (f.source) {
    const read = readHostFile(f.source, host);
    if (read === undefined) {
      errors.push('its start file could not be read');
      return undefined;
    }
    const parsed = parseStartFile(read.text);
    const bad = (message: string) => {
      host.sink.add(
        'invalid-model-file',
        (f.source as A.StringLiteral).start,
        (f.source as A.StringLiteral).end,
        `${read.path}: ${message}`,
      );
      errors.push('its start file is invalid');
      return undefined;
    };
    if (!parsed.ok) return bad(parsed.message);
    let values: number[];
    if (parsed.value.kind === 'vector') {
      if (parsed.value.values.length !== K)
        return bad(`it has ${parsed.value.values.length} values but the vocabulary has ${K} tokens`);
      values = parsed.value.values;
    } else {
      values = new Array(K).fill(0);
      for (const e of parsed.value.entries) {
        const i = index.get(e.token);
        if (i === undefined) return bad(`line ${e.line}: token '${e.token}' is not in the vocabulary`);
        values[i] += e.weight;
      }
    }
    const normalized = checkProbabilities(
      values,
      f.source,
      host,
      'p-not-normalized',
      'the start probabilities',
    );
    if (!normalized) errors.push('its start probabilities are invalid');
    return normalized;
  }
  if (isStationary(f)) return null;
  const values = rowNumbers(f, K, host, "'start'");
  if (!values) {
    errors.push("'start' and vocab differ in length");
    return undefined;
  }
  const normalized = checkProbabilities(values, f, host, 'p-not-normalized', 'the start probabilities');
  if (!normalized) errors.push('its start probabilities are invalid');
  return normalized;
}

/** The sequence length of a `length` field (default 1); undefined when invalid (reported). */
function lengthOf(f: A.Field | undefined, host: ModelHost, errors: string[]): number {
  if (!f) return 1;
  const values = numbersOf(f, host);
  const v = values[0];
  if (values.length !== 1) {
    host.sink.add('invalid-length', f.start, f.end, 'length takes exactly one value');
    errors.push('its length is invalid');
  } else if (v === undefined) errors.push('its length is invalid');
  else if (!Number.isInteger(v) || v < 1 || v > MAX_LENGTH) {
    const item = f.items[0];
    host.sink.add(
      'invalid-length',
      item.start,
      item.end,
      `length must be a whole number from 1 to ${formatNumber(MAX_LENGTH)}, not ${formatNumber(v, 10)}`,
    );
    errors.push('its length is invalid');
  } else return v;
  return 1;
}

/** Names of states, for messages and data. */
const named = (states: readonly number[], vocab: readonly string[]) => states.map((s) => vocab[s]);

function listStates(states: readonly string[]): string {
  const shown = states.slice(0, 8).map((s) => `'${s}'`);
  return `{${shown.join(', ')}${states.length > 8 ? `, … ${states.length - 8} more` : ''}}`;
}

/** The classes of a structure as names: closed ones and the transient states. */
function classesOf(
  st: ChainStructure,
  vocab: readonly string[],
): { closed: string[][]; transient: string[] } {
  return {
    closed: st.closedClasses.map((c) => named(st.classes[c].states, vocab)),
    transient: named(st.transient, vocab),
  };
}

/** Triples (from, to, weight, bonus) of dense rows. */
function triples(rows: readonly (readonly number[])[], bonus: Map<number, readonly number[]>) {
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const b = bonus.get(i);
    const r = rows[i];
    for (let j = 0; j < r.length; j++) {
      if (!(r[j] > 0)) continue;
      from.push(i);
      to.push(j);
      weight.push(r[j]);
      c.push(b ? b[j] : 0);
    }
  }
  return { from, to, weight, bonus: c };
}

/**
 * A chain from start (or `stationary`: null) and rows, with `start stationary` checked on its
 * structure. Reports at `startField`. Undefined when it cannot be built (reported).
 */
function buildChain(
  start: number[] | null,
  rows: readonly (readonly number[])[],
  reward: readonly number[],
  bonus: Map<number, readonly number[]>,
  vocab: readonly string[],
  startField: A.Field | undefined,
  anchor: A.NodeBase,
  host: ModelHost,
  errors: string[],
): MarkovChain | undefined {
  const K = vocab.length;
  const t = triples(rows, bonus);
  const spec = {
    from: t.from,
    to: t.to,
    weight: t.weight,
    reward,
    ...(bonus.size > 0 ? { bonus: t.bonus } : {}),
  };
  const first = markovChain({ ...spec, start: start ?? new Array(K).fill(1) });
  if (!first.ok) {
    host.sink.add('evaluation-failed', anchor.start, anchor.end, first.error.message);
    errors.push(first.error.message);
    return undefined;
  }
  if (start !== null) return first.value;
  const st = chainStructure(first.value);
  const at = startField?.items[0] ?? startField ?? anchor;
  const { closed, transient } = classesOf(st, vocab);
  if (closed.length !== 1) {
    host.sink.add(
      'not-irreducible',
      at.start,
      at.end,
      `start stationary: the chain is not irreducible and has ${closed.length} closed classes (${closed.map(listStates).join(', ')})${transient.length > 0 ? ` besides the transient states ${listStates(transient)}` : ''}, so it has no unique stationary distribution; give the start probabilities instead`,
      { closed, transient },
    );
    errors.push('its stationary start is not unique');
    return undefined;
  }
  if (transient.length > 0)
    host.sink.add(
      'not-irreducible',
      at.start,
      at.end,
      `start stationary: the chain is not irreducible — the states ${listStates(transient)} are transient and get stationary probability 0; the stationary start lives on the closed class ${listStates(closed[0])}`,
      { closed, transient },
      'warning',
    );
  const pi = stationaryDistribution(first.value);
  if (!pi.ok) {
    host.sink.add('evaluation-failed', at.start, at.end, pi.error.message);
    errors.push(pi.error.message);
    return undefined;
  }
  const built = markovChain({ ...spec, start: pi.value });
  if (!built.ok) {
    errors.push(built.error.message);
    return undefined;
  }
  return built.value;
}

/** What hover and the model summary say about a chain's structure. */
function infoOf(
  chain: MarkovChain,
  vocab: readonly string[],
  stationaryStart: boolean,
  transitionRewards: boolean,
): MarkovInfo {
  const st = chainStructure(chain);
  const { closed, transient } = classesOf(st, vocab);
  let stationary: readonly number[] | undefined;
  if (st.closedClasses.length === 1) {
    const pi = stationaryDistribution(chain);
    if (pi.ok) stationary = Array.from(pi.value);
  }
  const cyclic = st.classes.filter((c) => c.cyclic && c.states.some((i) => st.reachable[i]));
  return {
    stationaryStart,
    irreducible: st.irreducible,
    transient,
    closed,
    ...(stationary ? { stationary } : {}),
    ...(st.ergodicClass >= 0 ? {} : { asymptotic: asymptoticProblem(chain, vocab) }),
    cyclicClasses: cyclic.map((c) => named(c.states, vocab)),
    period: st.ergodicClass >= 0 ? st.classes[st.ergodicClass].period : 1,
    transitionRewards,
  };
}

/** Below this many transitions the cache key holds the numbers themselves; above, a hash. */
const EXACT_KEY_ENTRIES = 4096;

function chainKey(chain: MarkovChain, vocab: readonly string[], n: number): string {
  const parts = [chain.start, chain.col, chain.prob, chain.edgeReward, chain.reward];
  const exact = chain.col.length <= EXACT_KEY_ENTRIES;
  return [
    'markov',
    n,
    exact ? vocab.join('\u0001') : `#${vocab.length}:${hashStrings(vocab)}`,
    ...parts.map((x) => `${x.length}:${exact ? numbersText(x) : hashNumbers(x)}`),
  ].join('\u0002');
}

/** A `markov` model (see the module comment). Never throws. */
export function resolveMarkov(decl: A.ModelDecl, host: ModelHost): ResolvedModel {
  const { sink } = host;
  const name = decl.name?.name ?? '';
  const anchor = decl.name ?? decl.keyword;
  const errors: string[] = [];
  const body = sortFields(decl.fields, MARKOV_FIELDS, host, 'markov model');
  // The vocabulary: the `vocab` line, else the names of a transition file with a header.
  let vocab = vocabOf(body.plain.get('vocab'), host, errors);
  if (vocab === undefined && body.nextFile?.source) {
    const read = readHostFile(body.nextFile.source, { ...host, sink: { add: () => undefined } as never });
    const parsed = read && parseTransitionFile(read.text);
    if (parsed?.ok && parsed.value.kind === 'named') vocab = parsed.value.names;
  }
  if (vocab === undefined) {
    sink.add('missing-field', anchor.start, anchor.end, `markov model '${name}' has no 'vocab'`, {
      field: 'vocab',
    });
    errors.push("it has no 'vocab'");
  }
  const K = vocab?.length ?? 0;
  const index = new Map<string, number>((vocab ?? []).map((v, i) => [v, i]));
  const n = lengthOf(body.plain.get('length'), host, errors);
  const v = vocab ?? [];
  let rows: (number[] | null)[] = [];
  let start: number[] | null | undefined;
  const startField = body.plain.get('start');
  if (vocab && K > 0) {
    start = startOf(startField, v, index, host, anchor, `markov model '${name}'`, errors);
    const tr = transitionRows(body, v, index, host, errors);
    rows = tr.rows;
    if (body.nextRows.length === 0 && !body.nextFile) {
      sink.add(
        'missing-field',
        anchor.start,
        anchor.end,
        `markov model '${name}' has no transition rows (next TOKEN -> probabilities, one per token)`,
        {
          field: 'next',
        },
      );
      errors.push('it has no transition rows');
    } else if (!errors.some((e) => e.includes('transition file'))) {
      const vocabField = body.plain.get('vocab');
      for (let i = 0; i < K; i++) {
        if (rows[i] !== null || tr.lines[i]) continue;
        // A row that was given but is invalid is reported already; this one is absent.
        if (body.nextRows.some((f) => f.row?.name === v[i])) continue;
        // The vocab entry of the token (a compact list builds its item nodes only here).
        const item = vocabField ? vocabField.items[i] : undefined;
        const at = item ?? anchor;
        sink.add(
          'missing-row',
          at.start,
          at.end,
          `'${v[i]}' has no transition row: add next ${v[i]} -> … (${K} probabilities)`,
          {
            token: v[i],
            count: K,
          },
        );
        errors.push(`'${v[i]}' has no transition row`);
      }
    }
  }
  // Rewards: token rewards (required) and transition rewards (optional rows).
  const rewardField = body.plain.get('reward');
  let reward: number[] | undefined;
  if (!rewardField) {
    if (vocab) {
      sink.add('missing-field', anchor.start, anchor.end, `markov model '${name}' has no 'reward'`, {
        field: 'reward',
      });
      errors.push("it has no 'reward'");
    }
  } else if (vocab) {
    const values = rowNumbers(rewardField, K, host, "'reward'");
    if (!values) errors.push("'reward' and vocab differ in length");
    else if (values.includes(undefined)) errors.push('its rewards are invalid');
    else reward = values as number[];
  }
  const bonus = new Map<number, readonly number[]>();
  const firstBonus = new Map<number, A.Field>();
  for (const f of body.rewardRows) {
    const row = f.row as A.TokenName;
    const i = vocab ? rowIndex(row, index, v, host) : undefined;
    if (i === undefined) {
      errors.push(`a reward row names the unknown token '${row.name}'`);
      continue;
    }
    const before = firstBonus.get(i);
    if (before) {
      sink.add(
        'duplicate-row',
        row.start,
        row.end,
        `'${row.name}' already has a reward row (line ${before.range.start.line + 1})`,
        {
          first: before.range,
        },
      );
      errors.push(`'${row.name}' has two reward rows`);
      continue;
    }
    firstBonus.set(i, f);
    const values = rowNumbers(f, K, host, `the reward row of '${row.name}'`);
    if (!values) errors.push(`the reward row of '${row.name}' has the wrong length`);
    else if (values.includes(undefined)) errors.push(`the reward row of '${row.name}' is invalid`);
    else bonus.set(i, values as number[]);
  }
  let chain: MarkovChain | undefined;
  let maxKL: number | undefined;
  let info: MarkovInfo | undefined;
  if (errors.length === 0 && start !== undefined && reward && rows.every((r) => r !== null)) {
    try {
      withWorkBudget({ maxUnits: RESOLVE_WORK }, () => {
        chain = buildChain(
          start as number[] | null,
          rows as number[][],
          reward as number[],
          bonus,
          v,
          startField,
          anchor,
          host,
          errors,
        );
        if (chain) {
          info = infoOf(chain, v, start === null, bonus.size > 0);
          const m = markovMaxKL(chain, n);
          if (m.ok) maxKL = m.value;
          else throw new Error(m.error.message);
        }
      });
    } catch (e) {
      const message = `the chain is too large to check here (${formatCount(K)} tokens): ${e instanceof Error ? e.message : String(e)}`;
      sink.add('evaluation-failed', anchor.start, anchor.end, message);
      errors.push(message);
      chain = undefined;
    }
  }
  const resolved: ResolvedModel = {
    name,
    decl,
    vocab: v,
    p: chain ? Array.from(chain.start) : [],
    reward: reward ?? [],
    n,
    law: undefined,
    maxKL: chain ? maxKL : undefined,
    error: chain ? undefined : (errors[0] ?? 'it is incomplete'),
    key: chain ? chainKey(chain, v, n) : `markov\u0002invalid\u0002${name}\u0002${decl.start}`,
    ...(chain ? { chain, markov: info } : {}),
  };
  BONUS_ROWS.set(resolved, bonus);
  return resolved;
}

/**
 * A policy over a markov model: `p …` (a memoryless policy: start and every row p) or `start` and
 * `next` rows (a chain over the same tokens). It uses the model's rewards, transition rewards
 * included. Never throws.
 */
export function resolveMarkovPolicy(
  decl: A.PolicyDecl,
  model: ResolvedModel,
  host: ModelHost,
): ResolvedPolicy {
  const name = decl.name?.name ?? '';
  const anchor = decl.name ?? decl.keyword;
  const errors: string[] = [];
  const body = sortFields(decl.fields, POLICY_FIELDS, host, 'policy');
  const vocab = model.vocab;
  const K = vocab.length;
  const index = new Map<string, number>(vocab.map((v, i) => [v, i]));
  const pField = body.plain.get('p');
  let q: number[] | undefined;
  let start: number[] | null | undefined;
  let rows: (number[] | null)[] = [];
  if (pField) {
    if (body.plain.has('start') || body.nextRows.length > 0)
      host.sink.add(
        'unknown-field',
        pField.name.start,
        pField.name.end,
        `a policy is either memoryless (p) or a chain (start and next rows), not both`,
      );
    const values = rowNumbers(pField, K, host, "'p'");
    if (!values) errors.push('its length differs from the model’s vocabulary');
    else {
      q = checkProbabilities(values, pField, host);
      if (!q) errors.push('its probabilities are invalid');
      else {
        start = q;
        rows = new Array(K).fill(q);
      }
    }
  } else if (K > 0) {
    start = startOf(body.plain.get('start'), vocab, index, host, anchor, `policy '${name}'`, errors);
    const tr = transitionRows(body, vocab, index, host, errors);
    rows = tr.rows;
    for (let i = 0; i < K; i++) {
      if (rows[i] !== null || body.nextRows.some((f) => f.row?.name === vocab[i])) continue;
      host.sink.add(
        'missing-row',
        anchor.start,
        anchor.end,
        `policy '${name}' has no transition row for '${vocab[i]}'`,
        {
          token: vocab[i],
          count: K,
        },
      );
      errors.push(`'${vocab[i]}' has no transition row`);
    }
  }
  let chain: MarkovChain | undefined;
  if (
    errors.length === 0 &&
    model.chain &&
    start !== undefined &&
    rows.length === K &&
    rows.every((r) => r !== null)
  ) {
    try {
      withWorkBudget({ maxUnits: RESOLVE_WORK }, () => {
        chain = buildChain(
          start as number[] | null,
          rows as number[][],
          model.reward,
          BONUS_ROWS.get(model) ?? new Map(),
          vocab,
          body.plain.get('start'),
          anchor,
          host,
          errors,
        );
      });
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  let error = errors[0];
  if (!error && !model.chain) error = `its model '${model.name}' is invalid`;
  return {
    name,
    decl,
    model,
    q: chain ? Array.from(chain.start) : [],
    error: chain ? undefined : (error ?? 'it is incomplete'),
    key: `${model.key}\u0003${chain ? chainKey(chain, vocab, model.n) : 'invalid'}`,
    ...(chain ? { chain } : {}),
  };
}

const MAX_RATES = new WeakMap<ResolvedModel, number | undefined>();

/**
 * The largest asymptotic KL rate of a markov model, lim_{λ→∞} λΛ′ − Λ = −log ρ_crit (the
 * equivalence's λ* is ∞ above it); undefined when the asymptotics do not apply or it cannot be
 * computed within the checker's budget.
 */
export function asymptoticMaxRate(model: ResolvedModel): number | undefined {
  if (MAX_RATES.has(model)) return MAX_RATES.get(model);
  let rate: number | undefined;
  if (model.chain && model.markov?.asymptotic === undefined) {
    try {
      const lim = withWorkBudget({ maxUnits: RESOLVE_WORK }, () => perronLimits(model.chain as MarkovChain));
      if (lim.ok) rate = Math.max(0, -lim.value.residualTop);
    } catch {
      rate = undefined;
    }
  }
  MAX_RATES.set(model, rate);
  return rate;
}

const MAX_REWARDS = new WeakMap<ResolvedModel, number | undefined>();

/**
 * R* of a valid markov model, the largest sequence reward (a rejection threshold above it accepts
 * nothing); undefined when it cannot be computed within the checker's budget.
 */
export function chainMaxReward(model: ResolvedModel): number | undefined {
  if (MAX_REWARDS.has(model)) return MAX_REWARDS.get(model);
  let top: number | undefined;
  if (model.chain) {
    try {
      const r = withWorkBudget({ maxUnits: RESOLVE_WORK }, () =>
        markovMaxReward(model.chain as MarkovChain, model.n),
      );
      if (r.ok) top = r.value;
    } catch {
      top = undefined;
    }
  }
  MAX_REWARDS.set(model, top);
  return top;
}
