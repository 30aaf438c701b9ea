/**
 * The evaluated results of an `.align` document: the stable JSON contract shared by the CLI's
 * `eval --json` (docs/cli.md), the language server's results notification and the preview.
 *
 * Conventions: all KL in nats; rewards are for the whole sequence unless the key says
 * `per_token`; positions are 0-based (LSP style); Infinity is written as null in JSON
 * (`Num` = number | null where the math allows an infinite value).
 */

/** A number that may be infinite (serialised as null). */
export type Num = number | null;

export interface Position {
  readonly line: number;
  readonly character: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable kebab-case code (docs/language.md lists them); quick fixes branch on it. */
  readonly code: string;
  readonly message: string;
  readonly range: Range;
  /** Optional machine-readable data for quick fixes (e.g. the suggested name, the maximum Δ). */
  readonly data?: unknown;
}

export interface TiltValue {
  lambda: Num;
  beta: Num;
  kl: number;
  reward: number;
  kl_per_token: number;
  reward_per_token: number;
  /** token → φ_λ(token) */
  phi: Record<string, number>;
}
export interface FrontierValue {
  points: { lambda: Num; kl: number; reward: number }[];
  max_kl: number;
  max_reward: number;
}
export interface BonValue {
  N: Num;
  log_n: number;
  reward: number;
  kl: number;
  kl_bound: number;
  /** true when the law of R was computed exactly (lattice or type enumeration). */
  exact: boolean;
  same_kl: { lambda: Num; reward: number };
  log_n_budget: { lambda: Num; reward: number; kl_bon_to_tilt: Num };
}
export interface EquivalenceValue {
  rate: number;
  lambda: Num;
  rl_reward_per_token: number;
  points: { n: number; bon_reward_per_token: number; kl_per_token: number; kl_to_rl_per_token: Num }[];
}
export interface RateValue {
  lambda: Num;
  mean: number;
  points: { x: number; rate: Num; tail_rate: Num }[];
}
export interface CumulantsValue {
  lambda: Num;
  kappa: number[];
}
export interface RenyiValue {
  alpha: number;
  cross_entropy: number;
  log_c: number;
}
export interface CompareValue {
  kl: Num;
  reward: number;
  frontier_reward: number;
  gap: number;
  lambda: Num;
  kl_to_optimal: Num;
  bound: Num;
}
export interface SimulateValue {
  method: 'base' | 'tilt' | 'bon';
  samples: number;
  seed: number;
  reward_mean: number;
  reward_stderr: number;
}

export interface QueryValues {
  tilt: TiltValue;
  frontier: FrontierValue;
  bon: BonValue;
  equivalence: EquivalenceValue;
  rate: RateValue;
  cumulants: CumulantsValue;
  renyi: RenyiValue;
  compare: CompareValue;
  simulate: SimulateValue;
}
export type QueryKind = keyof QueryValues;

/** One query's outcome: a value, or an error message in its place (never both). */
export type QueryResult = {
  [K in QueryKind]: {
    readonly query: K;
    readonly model: string;
    readonly range: Range;
    /** Extra keys (e.g. `note` for approximations) may be added; these keys are stable. */
  } & ({ readonly value: QueryValues[K]; readonly error?: undefined } | { readonly error: string; readonly value?: undefined });
}[QueryKind];

export interface Analysis {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  readonly results: QueryResult[];
}
