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
  /** token → φ_λ(token): every token (CLI, the full result), or the `tokens_shown` of a summary. */
  phi: Record<string, number>;
  /**
   * Optional: token → p(token) (base model) and token → r(token); for ≤ 1000 tokens, or for the
   * tokens of a summary.
   */
  p?: Record<string, number>;
  r?: Record<string, number>;
  /**
   * Optional, only in a summary (the language server's results notification for a large
   * vocabulary): `phi`, `p` and `r` list the tokens where φ_λ and p differ most (|φ − p|), and
   * these say how many tokens there are and the mass of the others. The full result is one
   * `alignLab/getResults` request away (`full: true`).
   */
  tokens_total?: number;
  phi_rest?: number;
  p_rest?: number;
  /**
   * Optional: the win rate of φ_λⁿ against pⁿ (a fresh draw from pⁿ, ties count ½); present when
   * the exact law of R is affordable (it is left out rather than approximated).
   */
  win_rate?: number;
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
  /** The win rate of best-of-N against pⁿ (ties count ½); always written by this version. */
  win_rate?: number;
  /** Optional: best-of-N for N = 1 … this N (16 to 64 points, uniform in log N or every integer N). */
  curve?: BonCurvePoint[];
}
/** One point of `BonValue.curve`; the KL-RL rewards are left out where they cannot be computed. */
export interface BonCurvePoint {
  log_n: number;
  reward: number;
  kl: number;
  kl_bound: number;
  /** KL-RL reward at Δ = this point's KL(BoN‖pⁿ). */
  same_kl_reward?: number;
  /** KL-RL reward at Δ = log N. */
  log_n_budget_reward?: number;
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
  /** Optional: Λ(t) = A(λ + t) − A(λ) at 65 points of t ∈ [−T, T] (omitted when λ = ∞). */
  cgf?: { t: number; value: number }[];
}
export interface RenyiValue {
  alpha: number;
  cross_entropy: number;
  log_c: number;
  /** Optional: H_α(p, softmax r) for α = 10^(k/32) over 0.1 … 10 (65 points; widened to contain α). */
  curve?: { alpha: number; cross_entropy: number }[];
}
export interface CompareValue {
  kl: Num;
  reward: number;
  frontier_reward: number;
  gap: number;
  lambda: Num;
  kl_to_optimal: Num;
  /**
   * λ·gap, the stability theorem's bound on `kl_to_optimal`; null (= ∞, no bound) when the
   * theorem does not apply: the budget does not bind, or `kl` exceeds Δ (`bound_note` says which).
   * `kl_to_optimal` ≤ `bound` always.
   */
  bound: Num;
  /** Optional: why `bound` is null (absent when the bound applies). */
  bound_note?: string;
  /**
   * Optional: the frontier at the policy's own KL, F(KL(qⁿ‖pⁿ)) — the best E[R] any policy reaches
   * with that KL — and how far q is below it (absent when the KL is ∞).
   */
  frontier_reward_at_kl?: number;
  gap_at_kl?: number;
}
export interface SimulateValue {
  method: 'base' | 'tilt' | 'bon';
  samples: number;
  seed: number;
  reward_mean: number;
  reward_stderr: number;
  /** Optional: the exact KL(method‖pⁿ) and E R of the simulated method; log N for bon. */
  kl?: number;
  exact_reward?: number;
  log_n?: number;
}

/**
 * One alignment method's numbers (softbon, blockbon, reject, winrate): E R, KL(·‖pⁿ), the KL to a
 * KL-RL tilt, the win rate against pⁿ and the expected tokens sampled per output (null beyond the
 * double range, N = e^{1000}).
 */
export interface MethodValue {
  reward: number;
  kl: number;
  /**
   * KL(·‖φ_λⁿ): for softbon the method's own λ; for every other method the λ of the KL-RL tilt
   * with the method's KL (how far it is from the optimum at its own KL); null = ∞.
   */
  kl_to_tilt: Num;
  win_rate: number;
  /** 1 − win_rate, summed directly: its digits survive where W rounds to 1. */
  loss_rate: number;
  tokens_sampled: Num;
}
/** Best-of-N in a comparison: the method's numbers and its N. */
export interface BonMethodValue extends MethodValue {
  N: Num;
  log_n: Num;
}
/** KL-RL in a comparison: the method's numbers and its λ (kl_to_tilt is 0). */
export interface TiltMethodValue extends MethodValue {
  lambda: Num;
}
export interface SoftBonValue extends MethodValue {
  N: Num;
  log_n: number;
  lambda: Num;
  beta: Num;
  exact: boolean;
  /** Best-of-N with the same N. */
  bon: BonMethodValue;
  /** φ_λⁿ at the same λ (the limit N → ∞). */
  tilt: TiltMethodValue;
}
export interface BlockBonValue extends MethodValue {
  N: Num;
  log_n: number;
  block: number;
  blocks: number;
  exact: boolean;
  /** Best-of-N over whole sequences with the same N. */
  bon: BonMethodValue;
  /** KL-RL at the same KL. */
  tilt: TiltMethodValue;
}
export interface RejectValue extends MethodValue {
  /** The smallest accepted value of R (a level of R). */
  threshold: number;
  /** P(R ≥ threshold). */
  accept: number;
  exact: boolean;
  /** Best-of-N with N = 1/accept (as many expected draws). */
  bon: BonMethodValue;
  /** KL-RL at the same KL. */
  tilt: TiltMethodValue;
}
export interface WinRateValue {
  delta: number;
  /** The win-rate frontier at Δ: μ (null = ∞), the largest win rate (and 1 − it), its policy's E R. */
  mu: Num;
  win_rate: number;
  loss_rate: number;
  reward: number;
  exact: boolean;
  kl_rl: TiltMethodValue;
  /** Best-of-N with KL = Δ (N null = ∞ beyond the maximum KL). */
  bon: BonMethodValue;
  /** Soft best-of-N at temperature λ with KL = Δ; absent when nD(λ) ≤ Δ. */
  softbon?: BonMethodValue & { lambda: Num };
  /** Rejection at the highest threshold with KL ≤ Δ. */
  reject: MethodValue & { threshold: number; accept: number };
}
/** One point of a `methods` curve. */
export interface MethodCurvePoint {
  kl: number;
  reward: number;
  win_rate: number;
  loss_rate: number;
  tokens_sampled: Num;
}
export interface MethodsValue {
  /** The range of N of the best-of-N kinds (log N: N may be huge). */
  log_n_from: number;
  log_n_to: number;
  /** Soft best-of-N's λ and blockwise best-of-N's block. */
  lambda: Num;
  block: number;
  exact: boolean;
  bon: (MethodCurvePoint & { log_n: number })[];
  softbon: (MethodCurvePoint & { log_n: number })[];
  blockbon: (MethodCurvePoint & { log_n: number })[];
  reject: (MethodCurvePoint & { threshold: number })[];
  /** The KL–reward frontier (KL-RL), with its policies' win rates. */
  kl_rl: (MethodCurvePoint & { lambda: Num })[];
  /** The win-rate frontier, with its policies' E R. */
  win_rate_frontier: (MethodCurvePoint & { mu: Num })[];
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
  softbon: SoftBonValue;
  blockbon: BlockBonValue;
  reject: RejectValue;
  winrate: WinRateValue;
  methods: MethodsValue;
}
export type QueryKind = keyof QueryValues;

/** A numeric argument of a query: its name, value and the source range of its value expression. */
export interface QueryParam {
  readonly name: string;
  readonly value: number;
  readonly range: Range;
  /** How the value is written, when it is not a number literal (what setting it would rewrite). */
  readonly source?: QueryParamSource;
}

/**
 * How a numeric argument that is not a number literal is written (src/language/checking/paramSource.ts):
 *   let        — a plain reference to a `let` whose value is a number and that nothing else uses:
 *                setting the parameter moves the let's value (`definition`), the link stays;
 *   reference  — a reference to a `let` that is used elsewhere too (`uses` > 1) or whose value is
 *                an expression: setting the parameter replaces the reference with a number;
 *   expression — any other expression: setting the parameter replaces it with a number.
 */
export interface QueryParamSource {
  readonly kind: 'let' | 'reference' | 'expression';
  /** let, reference: the let's name, the range of its value, and its references in the document. */
  readonly let?: string;
  readonly definition?: Range;
  readonly uses?: number;
}

/** One query's outcome: a value, or an error message in its place (never both). */
export type QueryResult = {
  [K in QueryKind]: {
    readonly query: K;
    readonly model: string;
    readonly range: Range;
    /** Optional, on results with a value: the query's numeric arguments (for the preview's sliders). */
    readonly params?: QueryParam[];
    /** Extra keys (e.g. `note` for approximations) may be added; these keys are stable. */
  } & (
    | { readonly value: QueryValues[K]; readonly error?: undefined }
    | { readonly error: string; readonly value?: undefined }
  );
}[QueryKind];

/** A model of the document, for outlines and the preview (added field; optional in the contract). */
export interface ModelSummary {
  readonly name: string;
  readonly range: Range;
  /** Vocabulary size K and sequence length n. */
  readonly tokens: number;
  readonly length: number;
  /** Number of distinct rewards among tokens with p > 0; null when the model is invalid. */
  readonly distinct_rewards: number | null;
  /** n·(−log p(M)), the largest useful KL budget; null when the model is invalid. */
  readonly max_kl: number | null;
  readonly r_min: number | null;
  readonly r_max: number | null;
  /** Why the model cannot be evaluated. */
  readonly error?: string;
}

export interface Analysis {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  /** One per query statement with a known query name, in document order. */
  readonly results: QueryResult[];
  /** The document's models (first definition of each name), in document order. */
  readonly models?: ModelSummary[];
}
