/**
 * A structural validator for the `eval --json` document, written from src/presentation/results.ts:
 * every key of every query kind, with its type (`num` = number or null for ∞). Used on both the
 * hand-written sample and the real CLI output, so a change to the contract that is not reflected
 * in the CLI (or vice versa) fails a test. Returns a list of problems (empty = valid).
 * A key ending in `?` is one of the contract's optional keys: checked when present.
 */

type Schema =
  | 'number'
  | 'num'
  | 'integer'
  | 'boolean'
  | 'string'
  | 'record-number'
  | readonly ['enum', ...string[]]
  | { readonly array: Schema }
  | { readonly [key: string]: Schema };

const position: Schema = { line: 'integer', character: 'integer' };
const range: Schema = { start: position, end: position };

/** One method's numbers (MethodValue), and the comparison objects built on it. */
const method = {
  reward: 'number',
  kl: 'number',
  kl_to_tilt: 'num',
  win_rate: 'number',
  loss_rate: 'number',
  tokens_sampled: 'num',
} as const;
const bonMethod: Schema = { ...method, N: 'num', log_n: 'num' };
const tiltMethod: Schema = { ...method, lambda: 'num' };
const curvePoint = {
  kl: 'number',
  reward: 'number',
  win_rate: 'number',
  loss_rate: 'number',
  tokens_sampled: 'num',
} as const;

export const VALUE_SCHEMAS: Record<string, Schema> = {
  tilt: {
    lambda: 'num',
    beta: 'num',
    kl: 'number',
    reward: 'number',
    kl_per_token: 'number',
    reward_per_token: 'number',
    phi: 'record-number',
    'p?': 'record-number',
    'r?': 'record-number',
    'win_rate?': 'number',
    'markov?': {
      'log_rho?': 'number',
      'rho?': 'number',
      'reward_rate?': 'number',
      'kl_rate?': 'number',
      'stationary?': 'record-number',
      'stationary_tilted?': 'record-number',
      'mixing?': 'number',
      'mixing_tilted?': 'number',
      'tokens?': { array: 'string' },
      'transition?': { array: { array: 'number' } },
      'tilted_transition?': { array: { array: 'number' } },
      'positions?': { array: 'integer' },
      'marginals?': { array: { array: 'number' } },
    },
  },
  frontier: {
    points: { array: { lambda: 'num', kl: 'number', reward: 'number' } },
    max_kl: 'number',
    max_reward: 'number',
    'markov?': 'boolean',
  },
  bon: {
    N: 'num',
    log_n: 'number',
    reward: 'number',
    kl: 'number',
    kl_bound: 'number',
    exact: 'boolean',
    same_kl: { lambda: 'num', reward: 'number' },
    log_n_budget: { lambda: 'num', reward: 'number', kl_bon_to_tilt: 'num' },
    'win_rate?': 'number',
    'curve?': {
      array: {
        log_n: 'number',
        reward: 'number',
        kl: 'number',
        kl_bound: 'number',
        'same_kl_reward?': 'number',
        'log_n_budget_reward?': 'number',
      },
    },
  },
  equivalence: {
    rate: 'number',
    lambda: 'num',
    rl_reward_per_token: 'number',
    points: {
      array: {
        n: 'integer',
        bon_reward_per_token: 'number',
        kl_per_token: 'number',
        kl_to_rl_per_token: 'num',
        'rl_lambda?': 'num',
        'rl_reward_per_token?': 'number',
      },
    },
    'markov?': 'boolean',
  },
  rate: {
    lambda: 'num',
    mean: 'number',
    points: { array: { x: 'number', rate: 'num', tail_rate: 'num' } },
    'markov?': 'boolean',
  },
  cumulants: {
    lambda: 'num',
    kappa: { array: 'number' },
    'markov?': 'boolean',
    'cgf?': { array: { t: 'number', value: 'number' } },
    'kappa_limit?': { array: 'number' },
    'cgf_limit?': { array: { t: 'number', value: 'number' } },
  },
  renyi: {
    alpha: 'number',
    cross_entropy: 'number',
    log_c: 'number',
    'curve?': { array: { alpha: 'number', cross_entropy: 'number' } },
  },
  compare: {
    kl: 'num',
    reward: 'number',
    frontier_reward: 'number',
    gap: 'number',
    lambda: 'num',
    kl_to_optimal: 'num',
    bound: 'num',
    'bound_note?': 'string',
    'frontier_reward_at_kl?': 'number',
    'gap_at_kl?': 'number',
  },
  simulate: {
    method: ['enum', 'base', 'tilt', 'bon'],
    samples: 'integer',
    seed: 'integer',
    reward_mean: 'number',
    reward_stderr: 'number',
    'kl?': 'number',
    'exact_reward?': 'number',
    'log_n?': 'number',
  },
  softbon: {
    ...method,
    N: 'num',
    log_n: 'number',
    lambda: 'num',
    beta: 'num',
    exact: 'boolean',
    bon: bonMethod,
    tilt: tiltMethod,
  },
  blockbon: {
    ...method,
    N: 'num',
    log_n: 'number',
    block: 'integer',
    blocks: 'integer',
    exact: 'boolean',
    bon: bonMethod,
    tilt: tiltMethod,
  },
  reject: {
    ...method,
    threshold: 'number',
    accept: 'number',
    exact: 'boolean',
    bon: bonMethod,
    tilt: tiltMethod,
  },
  winrate: {
    delta: 'number',
    mu: 'num',
    win_rate: 'number',
    loss_rate: 'number',
    reward: 'number',
    exact: 'boolean',
    kl_rl: tiltMethod,
    bon: bonMethod,
    'softbon?': { ...method, N: 'num', log_n: 'num', lambda: 'num' },
    reject: { ...method, threshold: 'number', accept: 'number' },
  },
  methods: {
    log_n_from: 'number',
    log_n_to: 'number',
    lambda: 'num',
    block: 'integer',
    exact: 'boolean',
    bon: { array: { ...curvePoint, log_n: 'number' } },
    softbon: { array: { ...curvePoint, log_n: 'number' } },
    blockbon: { array: { ...curvePoint, log_n: 'number' } },
    reject: { array: { ...curvePoint, threshold: 'number' } },
    kl_rl: { array: { ...curvePoint, lambda: 'num' } },
    win_rate_frontier: { array: { ...curvePoint, mu: 'num' } },
  },
};

const param: Schema = {
  name: 'string',
  value: 'number',
  range,
  'source?': {
    kind: ['enum', 'let', 'reference', 'expression'],
    'let?': 'string',
    'definition?': range,
    'uses?': 'integer',
  },
};

function check(value: unknown, schema: Schema, path: string, problems: string[]): void {
  const fail = (what: string) => problems.push(`${path}: expected ${what}, got ${JSON.stringify(value)}`);
  if (typeof schema === 'string') {
    switch (schema) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) fail('a finite number');
        return;
      case 'num':
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
          fail('a number or null');
        return;
      case 'integer':
        if (!Number.isInteger(value)) fail('an integer');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') fail('a boolean');
        return;
      case 'string':
        if (typeof value !== 'string') fail('a string');
        return;
      case 'record-number':
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          return void fail('an object');
        for (const [k, v] of Object.entries(value))
          check(v, 'number', `${path}[${JSON.stringify(k)}]`, problems);
        return;
    }
  }
  if (Array.isArray(schema)) {
    if (!schema.slice(1).includes(value as string)) fail(`one of ${schema.slice(1).join(', ')}`);
    return;
  }
  if ('array' in schema && typeof schema.array !== 'undefined' && Object.keys(schema).length === 1) {
    if (!Array.isArray(value)) return void fail('an array');
    for (let i = 0; i < value.length; i++) check(value[i], schema.array as Schema, `${path}[${i}]`, problems);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return void fail('an object');
  const fields = schema as Record<string, Schema>;
  const record = value as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    const optional = field.endsWith('?');
    const key = optional ? field.slice(0, -1) : field;
    if (key in record) check(record[key], fields[field], `${path}.${key}`, problems);
    else if (!optional) problems.push(`${path}: missing key '${key}'`);
  }
  for (const key of Object.keys(record))
    if (!(key in fields) && !(`${key}?` in fields)) problems.push(`${path}: unexpected key '${key}'`);
}

/** Validates a whole `eval --json` document; returns the problems found. */
export function validateDocument(doc: unknown): string[] {
  const problems: string[] = [];
  if (doc === null || typeof doc !== 'object') return ['document is not an object'];
  const d = doc as Record<string, unknown>;
  if (JSON.stringify(Object.keys(d)) !== '["file","diagnostics","results"]') {
    problems.push(`top-level keys are ${JSON.stringify(Object.keys(d))}`);
  }
  check(d.file, 'string', '$.file', problems);
  if (!Array.isArray(d.diagnostics)) problems.push('$.diagnostics is not an array');
  else {
    const diagnostic: Schema = {
      severity: ['enum', 'error', 'warning', 'information', 'hint'],
      code: 'string',
      message: 'string',
      range,
    };
    for (let i = 0; i < d.diagnostics.length; i++)
      check(d.diagnostics[i], diagnostic, `$.diagnostics[${i}]`, problems);
  }
  if (!Array.isArray(d.results)) return [...problems, '$.results is not an array'];
  const allowed = new Set(['query', 'model', 'range', 'value', 'error', 'note', 'params']);
  for (let i = 0; i < d.results.length; i++) {
    const result = d.results[i] as Record<string, unknown>;
    const path = `$.results[${i}]`;
    const kind = result?.query;
    if (typeof kind !== 'string' || !(kind in VALUE_SCHEMAS)) {
      problems.push(`${path}: unknown query ${kind}`);
      continue;
    }
    check(result.model, 'string', `${path}.model`, problems);
    check(result.range, range, `${path}.range`, problems);
    const hasValue = 'value' in result;
    const hasError = 'error' in result;
    if (hasValue === hasError) problems.push(`${path}: needs exactly one of value and error`);
    if (hasError) check(result.error, 'string', `${path}.error`, problems);
    if (hasValue) check(result.value, VALUE_SCHEMAS[kind], `${path}.value`, problems);
    if ('params' in result) check(result.params, { array: param }, `${path}.params`, problems);
    for (const key of Object.keys(result)) {
      if (!allowed.has(key)) problems.push(`${path}: unexpected key '${key}'`);
    }
  }
  return problems;
}
