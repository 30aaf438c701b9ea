/**
 * The evaluated results of an `.align` document: the stable JSON contract shared by the CLI's
 * `eval --json` (docs/cli.md), the language server's results notification and the preview.
 *
 * Conventions: all KL in nats; rewards are for the whole sequence unless the key says
 * `per_token`; positions are 0-based (LSP style); Infinity is written as null in JSON
 * (`Num` = number | null where the math allows an infinite value).
 */
import type { AnyTokenTable } from './tokens.js';

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
  /**
   * token → φ_λ(token): every token (CLI, the full result), or the `tokens_shown` of a summary.
   * The language layer makes TokenTables (columns; presentation/tokens.ts), written in JSON as
   * objects token → number: what a client receives. Read either with tokenValue / tokenEntries.
   */
  phi: AnyTokenTable;
  /**
   * Optional: token → p(token) (base model) and token → r(token); for ≤ 1000 tokens, or for the
   * tokens of a summary.
   */
  p?: AnyTokenTable;
  r?: AnyTokenTable;
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
  /** Optional, markov models only: the chain's readouts at this λ (see MarkovTiltValue). */
  markov?: MarkovTiltValue;
}
/**
 * The readouts of `tilt` on a markov model. For a chain, `phi` is the average of φ_λ's
 * per-position marginals, (1/n)·Σ_t φ_λ(y_t = token) (the expected token frequencies; for a
 * memoryless model every position's marginal is φ_λ). Every key is optional: the asymptotic ones
 * need finite λ and a chain with one recurrent class; the matrices and marginals at most 64 tokens;
 * the token tables at most 1000.
 */
export interface MarkovTiltValue {
  /** Λ(λ) = log ρ(λ), ρ the Perron root of the tilted matrix P(j | i)·e^{λ w(i, j)}; ρ itself. */
  log_rho?: number;
  rho?: number;
  /** Λ′(λ): the reward per token of the stationary tilted chain (the limit of E R/n). */
  reward_rate?: number;
  /** λΛ′(λ) − Λ(λ): its KL per token (the limit of KL/n). */
  kl_rate?: number;
  /** Stationary distribution of P and of the stationary tilted chain P_λ (token → probability). */
  stationary?: Record<string, number>;
  stationary_tilted?: Record<string, number>;
  /** Second eigenvalue modulus |λ₂| of P and of P_λ (on their recurrent class): the mixing. */
  mixing?: number;
  mixing_tilted?: number;
  /** The order of the rows and columns below (the vocabulary, at most 64 tokens). */
  tokens?: string[];
  /** P and P_λ as rows (transition[i][j] = P(tokens[j] | tokens[i])). */
  transition?: number[][];
  tilted_transition?: number[][];
  /**
   * φ_λ's marginals per position: `marginals[k][j]` = φ_λ(y_t = tokens[j]) at t = positions[k]
   * (all positions for n ≤ 200; else the first and last 66 and 68 evenly spaced between).
   */
  positions?: number[];
  marginals?: number[][];
}
export interface FrontierValue {
  points: { lambda: Num; kl: number; reward: number }[];
  max_kl: number;
  max_reward: number;
  /**
   * Optional: true for a markov model (`max_kl` is then −log p(S*) and `max_reward` R* = max R,
   * S* the sequences that reach it; for a memoryless model n·(−log p(M)) and n·r_max).
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  points: EquivalencePointValue[];
  /**
   * Optional: true for a markov model: `lambda` is then λ* with λΛ′(λ) − Λ(λ) = δ (Λ = log of the
   * Perron root) and `rl_reward_per_token` is Λ′(λ*), the limits of the finite-n KL-RL solutions.
   */
  markov?: boolean;
}
/** One length of the equivalence series. */
export interface EquivalencePointValue {
  n: number;
  bon_reward_per_token: number;
  kl_per_token: number;
  kl_to_rl_per_token: Num;
  /**
   * Optional, markov models only: the exact KL-RL solution at Δ = nδ for this n (its λ and
   * E R/n; `kl_to_rl_per_token` is measured against it). For a memoryless model it is λ* at every n.
   */
  rl_lambda?: Num;
  rl_reward_per_token?: number;
}
export interface RateValue {
  lambda: Num;
  mean: number;
  points: { x: number; rate: Num; tail_rate: Num }[];
  /**
   * Optional: true for a markov model: `rate` is then the Gärtner–Ellis rate from Λ = log ρ,
   * `mean` is Λ′(λ), and the default x range is [x_min, x_max], the least and largest mean reward
   * per token over the chain's cycles.
   */
  markov?: boolean;
}
export interface CumulantsValue {
  lambda: Num;
  /** κ₁ … κₘ of R under φ_λ (memoryless: n·A⁽ʲ⁾(λ); markov: exact, by the backward recursion). */
  kappa: number[];
  /** Optional: true for a markov model (see `kappa_limit`, `cgf_limit`). */
  markov?: boolean;
  /** Optional: Λ(t) = A(λ + t) − A(λ) at 65 points of t ∈ [−T, T] (omitted when λ = ∞). */
  cgf?: { t: number; value: number }[];
  /**
   * Optional, markov models only: the per-token limits Λ′(λ) … Λ⁽ᵐ⁾(λ) of κ_m/n, and the limit
   * Λ(λ + t) − Λ(λ) of the scaled CGF on the same t grid (`cgf` is then the exact finite-n
   * (1/n)·log E_{φ_λ} e^{tR}). Need one recurrent class and finite λ.
   */
  kappa_limit?: number[];
  cgf_limit?: { t: number; value: number }[];
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /**
   * Optional: true for a markov model: KL and win rates are then against the chain's own law of
   * sequences p (not a product pⁿ), and φ_λ is the finite-n optimal chain.
   */
  markov?: boolean;
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
  /** Optional: a `markov` model's structure (absent for memoryless models). */
  readonly markov?: MarkovModelSummary;
}

/** What the checker found about a `markov` model (hover, outline, preview). */
export interface MarkovModelSummary {
  /** Every token communicates with every other. */
  readonly irreducible: boolean;
  /** `start stationary`. */
  readonly stationary_start: boolean;
  /** Tokens outside every closed class, and the closed classes (token names). */
  readonly transient: readonly string[];
  readonly closed: readonly (readonly string[])[];
  /** Period of the recurrent class (1: aperiodic); absent without a single one. */
  readonly period?: number;
  /** The stationary distribution of P (unique closed class; ≤ 1000 tokens). */
  readonly stationary?: Record<string, number>;
  /** Why `equivalence` and `rate` (the asymptotics) do not apply; absent when they do. */
  readonly asymptotic_problem?: string;
  /** Transition rewards were given (`reward a -> …`). */
  readonly transition_rewards: boolean;
}

export interface Analysis {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  /** One per query statement with a known query name, in document order. */
  readonly results: QueryResult[];
  /** The document's models (first definition of each name), in document order. */
  readonly models?: ModelSummary[];
}
