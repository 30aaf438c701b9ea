/**
 * Optional result fields for the preview's charts (docs/preview.md, "Optional result fields"):
 * curves sampled from the numerical core and the source ranges of a query's numeric arguments.
 * Everything here is best effort: a field that cannot be computed cheaply and finitely is left
 * out (never an error), so the stable keys of the results contract are unaffected.
 */
import {
  type BonSize,
  levelCountHint,
  type Result,
  renyiCrossEntropyCurve,
  type SequenceRewardLaw,
  scaledCgfCurve,
  type TokenRewardLaw,
} from '../../core/index.js';
import type { BonCurvePoint, QueryParam, QueryParamSource } from '../../presentation/results.js';
import { paramSource } from '../checking/paramSource.js';
import type { CheckedQuery } from '../checking/params.js';
import type { SymbolIndex } from '../checking/symbols.js';
import type * as A from '../syntax/ast.js';

/** Largest vocabulary for which `tilt.p` / `tilt.r` are included. */
export const MAX_TOKEN_TABLE = 1000;
/** Most and fewest points of `bon.curve`. */
export const BON_CURVE_POINTS = 64;
export const BON_CURVE_MIN_POINTS = 16;
/**
 * Work budget of `bon.curve` (it runs on every keystroke): curve points × levels of the law of R.
 * Small laws get 64 points; examples/paper.align (193 levels) 16; never fewer than 16.
 */
export const BON_CURVE_WORK = 3200;
/** Points of `cumulants.cgf` (odd, so t = 0 is one of them). */
export const CGF_POINTS = 65;
/** `renyi.curve`: α = 10^(k/32), k = −32…32 (0.1 … 10, 65 points, α = 1 included). */
export const RENYI_STEPS_PER_DECADE = 32;
/** Work budget of `renyi.curve`: α values × vocabulary size (beyond it the curve is omitted). */
export const RENYI_CURVE_WORK = 20_000_000;

const ok = (x: number) => typeof x === 'number' && Number.isFinite(x);
/** No −0 in JSON. */
const clean = (x: number) => (x === 0 ? 0 : x);

/**
 * The numeric arguments of a checked query (`name = value` with a number or a count N), with the
 * evaluated value and the range of the value expression in the source, and how a value that is
 * not a number literal is written (`source`). Ranges come from the syntax tree of the current
 * analysis, so they are always those of the current text.
 */
export function queryParams(q: CheckedQuery, symbols: SymbolIndex): QueryParam[] {
  const out: QueryParam[] = [];
  const seen = new Set<string>();
  for (const arg of q.stmt.args) {
    if (arg.kind !== 'named-arg' || !arg.value) continue;
    const name = arg.name.name;
    if (seen.has(name)) continue; // a duplicate is an error; the first one is the checked value
    seen.add(name);
    const v = q.params.get(name);
    const value = v?.kind === 'number' ? v.value : v?.kind === 'count' ? v.value : null;
    if (value === null || value === undefined || !ok(value)) continue;
    const param: QueryParam = { name, value: clean(value), range: arg.value.range };
    const source = arg.value.kind === 'range' ? undefined : sourceOf(arg.value, symbols);
    out.push(source ? { ...param, source } : param);
  }
  return out;
}

/** How a value is written, for the contract (nothing for a number literal). */
function sourceOf(value: A.Expr, symbols: SymbolIndex): QueryParamSource | undefined {
  const s = paramSource(value, symbols);
  if (s.kind === 'literal') return undefined;
  if (s.kind === 'expression') return { kind: 'expression' };
  const decl = s.definition?.declaration;
  return {
    kind: s.kind,
    let: s.definition?.name,
    definition: decl?.kind === 'let' && decl.value ? decl.value.range : s.definition?.range,
    uses: s.uses,
  };
}

/**
 * The best-of-N sizes of the curve for N = 1 … N_max: every integer when N_max ≤ `points`, else
 * `points` values geometric in N (uniform in log N). N = 1 and N_max (as given) are included.
 */
export function bonCurveSizes(size: BonSize, points: number): BonSize[] {
  const logMax = 'logN' in size ? size.logN : Math.log(size.N);
  if (!(logMax > 0)) return [size];
  if ('N' in size && size.N <= points) {
    const out: BonSize[] = [];
    for (let k = 1; k < size.N; k++) out.push({ N: k });
    out.push(size);
    return out;
  }
  const m = Math.max(2, points);
  const out: BonSize[] = [];
  for (let i = 0; i < m - 1; i++) out.push({ logN: (logMax * i) / (m - 1) });
  out.push(size);
  return out;
}

/** What `bonCurve` needs of a model (memoryless or a chain) and its law of R. */
export interface BonCurveSource {
  /** Best-of-N at one size from the query's law of R. */
  readonly bestOfN: (size: BonSize) => Result<{ logN: number; reward: number; kl: number; klBound: number }>;
  /** KL-RL (the tilt of the same model) at a KL budget. */
  readonly tiltAtBudget: (delta: number) => Result<{ reward: number }>;
}

/**
 * `bon.curve`: best-of-N for N = 1 … the query's N from ONE law of R (`seqLaw`), with the KL-RL
 * rewards at the same KL and at Δ = log N. Points: up to 64 so that points × levels of the law
 * stays within BON_CURVE_WORK, but at least 16. Undefined if any point fails.
 */
export function bonCurve(
  seqLaw: SequenceRewardLaw,
  size: BonSize,
  source: BonCurveSource,
): BonCurvePoint[] | undefined {
  // (a 'fourier' law counts as many levels: 16 points, its levels are not built for the curve)
  const levels = Math.max(1, levelCountHint(seqLaw));
  const points = Math.max(
    BON_CURVE_MIN_POINTS,
    Math.min(BON_CURVE_POINTS, Math.floor(BON_CURVE_WORK / levels)),
  );
  const out: BonCurvePoint[] = [];
  for (const s of bonCurveSizes(size, points)) {
    const r = source.bestOfN(s);
    if (!r.ok) return undefined;
    const b = r.value;
    if (!ok(b.logN) || !ok(b.reward) || !ok(b.kl) || !ok(b.klBound)) return undefined;
    const point: BonCurvePoint = {
      log_n: clean(b.logN),
      reward: clean(b.reward),
      kl: clean(b.kl),
      kl_bound: clean(b.klBound),
    };
    const same = source.tiltAtBudget(Math.max(0, b.kl));
    if (same.ok && ok(same.value.reward)) point.same_kl_reward = clean(same.value.reward);
    const budget = source.tiltAtBudget(b.logN);
    if (budget.ok && ok(budget.value.reward)) point.log_n_budget_reward = clean(budget.value.reward);
    out.push(point);
  }
  return out;
}

/**
 * The half-width T of the t-grid of Λ(t): 2, or 8/(r_max − r_min) when the rewards span more
 * than 4 (so t·(r_max − r_min) stays within ±8 and the curve is not just its asymptotes).
 */
export function cgfHalfWidth(law: TokenRewardLaw): number {
  const span = law.rMax - law.rMin;
  return span > 4 ? 8 / span : 2;
}

/** `cumulants.cgf`: Λ(t) = A(λ + t) − A(λ) at CGF_POINTS points of [−T, T]; undefined for λ = ∞. */
export function cgfCurve(law: TokenRewardLaw, lambda: number): { t: number; value: number }[] | undefined {
  if (!ok(lambda)) return undefined;
  const T = cgfHalfWidth(law);
  const half = (CGF_POINTS - 1) / 2;
  const ts: number[] = [];
  for (let i = 0; i < CGF_POINTS; i++) ts.push(clean((T * (i - half)) / half));
  const values = scaledCgfCurve(law, lambda, ts);
  if (!values.ok) return undefined;
  const out: { t: number; value: number }[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (!ok(values.value[i])) return undefined;
    out.push({ t: ts[i], value: clean(values.value[i]) });
  }
  return out;
}

/**
 * The α grid of `renyi.curve`: 10^(k/32) for k = −K…K, K = 32 (α from 0.1 to 10, 65 points with
 * α = 1), widened by whole decades (at most to 1e−4 … 1e4) to contain the queried α.
 */
export function renyiAlphas(alpha: number): number[] {
  const decades = ok(alpha) && alpha > 0 ? Math.max(1, Math.ceil(Math.abs(Math.log10(alpha)) - 1e-12)) : 1;
  const K = RENYI_STEPS_PER_DECADE * Math.min(decades, 4);
  const out: number[] = [];
  for (let k = -K; k <= K; k++) out.push(k === 0 ? 1 : 10 ** (k / RENYI_STEPS_PER_DECADE));
  return out;
}

/**
 * `renyi.curve`: H_α(p, softmax r) over `renyiAlphas(alpha)`; undefined if any point fails or the
 * vocabulary is so large that the curve would cost more than RENYI_CURVE_WORK.
 */
export function renyiCurve(
  p: readonly number[],
  r: readonly number[],
  alpha: number,
): { alpha: number; cross_entropy: number }[] | undefined {
  const alphas = renyiAlphas(alpha);
  if (alphas.length * p.length > RENYI_CURVE_WORK) return undefined;
  const curve = renyiCrossEntropyCurve(p, r, alphas);
  if (!curve.ok) return undefined;
  const out: { alpha: number; cross_entropy: number }[] = [];
  for (let i = 0; i < alphas.length; i++) {
    const h = curve.value[i];
    if (!ok(h.crossEntropy)) return undefined;
    out.push({ alpha: alphas[i], cross_entropy: clean(h.crossEntropy) });
  }
  return out;
}
