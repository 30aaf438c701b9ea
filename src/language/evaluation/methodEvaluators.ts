/**
 * The evaluators of the alignment-methods queries (math.md §8): softbon, blockbon, reject,
 * winrate, methods. Parameters (already checked) → core calls (src/core/methods.ts for a
 * memoryless model, src/core/markovMethods.ts for a chain: `MethodCore`) → the JSON values of
 * results.ts. Defaults are those of the query table (queries.ts).
 */
import {
  type BlockBonComparison,
  type BonPoint,
  type BonSize,
  blockBestOfN,
  type CurveOptions,
  type MethodCurves,
  type MethodPoint,
  methodCurves,
  type RejectionComparison,
  type RejectionTarget,
  type Result,
  rejectionSampling,
  type SequenceRewardLaw,
  type SoftBonComparison,
  softBestOfN,
  type TiltPoint,
  type WinRateComparison,
  winRateComparison,
} from '../../core/index.js';
import { paramSpec } from '../../presentation/queries.js';
import type {
  BonMethodValue,
  MethodCurvePoint,
  MethodValue,
  QueryValues,
  TiltMethodValue,
} from '../../presentation/results.js';
import { finite, num } from './jsonValues.js';
import { unwrapCore } from './outcome.js';
import {
  bonSize,
  type EvaluationContext,
  type Evaluators,
  type MethodKind,
  noteApproximation,
  numberOrDefault,
  numberParam,
  sharedSequenceLaw,
} from './queryEvaluators.js';

/**
 * The core's method computations on one model — a memoryless token law or a Markov chain — at the
 * model's n, with the law of R it shares with the model's other queries.
 */
export interface MethodCore {
  soft(size: BonSize, lambda: number): Result<SoftBonComparison>;
  block(size: BonSize, block: number): Result<BlockBonComparison>;
  reject(target: RejectionTarget): Result<RejectionComparison>;
  winRate(delta: number, softLambda: number | undefined): Result<WinRateComparison>;
  curves(curve: CurveOptions): Result<MethodCurves>;
  /** Records that the law of R was approximated (the model kind's own note). */
  note(r: { exact: boolean; method: string; errorBound: number }): void;
}

/** What the method evaluators read of a query's context (memoryless or markov). */
export type MethodContext = Pick<EvaluationContext, 'query' | 'model' | 'limits' | 'notes'>;

/** The law of R shared with the model's other queries (built once per model, n and limit). */
function sequenceLaw(ctx: EvaluationContext): SequenceRewardLaw {
  return unwrapCore(sharedSequenceLaw(ctx.law, ctx.model.n, ctx.limits.maxExactSupport));
}

/** The methods of a memoryless model (methods.ts). */
function memorylessCore(ctx: EvaluationContext): MethodCore {
  const { law } = ctx;
  const n = ctx.model.n;
  const options = () => ({ maxSupport: ctx.limits.maxExactSupport, sequenceLaw: sequenceLaw(ctx) });
  return {
    soft: (size, lambda) => softBestOfN(law, n, size, lambda, options()),
    block: (size, block) => blockBestOfN(law, n, size, block, options()),
    reject: (target) => rejectionSampling(law, n, target, options()),
    winRate: (delta, softLambda) => winRateComparison(law, n, delta, softLambda, options()),
    curves: (curve) => methodCurves(law, n, curve, options()),
    note: (r) => noteApproximation(ctx, r),
  };
}

/** λ from `lambda` or `beta` (λ = 1/β); undefined when neither is given. */
function inverseTemperature(ctx: MethodContext): number | undefined {
  const lambda = numberParam(ctx, 'lambda');
  if (lambda !== undefined) return lambda;
  const beta = numberParam(ctx, 'beta');
  return beta === undefined ? undefined : 1 / beta;
}

function method(m: MethodPoint, what: string): MethodValue {
  return {
    reward: finite(m.reward, `E R of ${what}`),
    kl: finite(m.kl, `KL of ${what}`),
    kl_to_tilt: num(m.klToTilt, `KL to the tilt of ${what}`),
    win_rate: finite(m.winRate, `win rate of ${what}`),
    loss_rate: finite(m.lossRate, `1 − win rate of ${what}`),
    tokens_sampled: num(m.tokens, `tokens sampled by ${what}`),
  };
}

function bonMethod(b: BonPoint, what = 'best-of-N'): BonMethodValue {
  return { ...method(b, what), N: num(Math.exp(b.logN), 'N'), log_n: num(b.logN, 'log N') };
}

function tiltMethod(t: TiltPoint): TiltMethodValue {
  return { ...method(t, 'KL-RL'), lambda: num(t.lambda, 'λ') };
}

function softbon(ctx: MethodContext, core: MethodCore): QueryValues['softbon'] {
  const lambda = inverseTemperature(ctx);
  if (lambda === undefined) throw new Error('softbon needs lambda or beta (the checker should have said so)');
  const r = unwrapCore(core.soft(bonSize(ctx), lambda));
  core.note(r);
  return {
    ...method(r.soft, 'soft best-of-N'),
    N: num(r.N, 'N'),
    log_n: finite(r.logN, 'log N'),
    lambda: num(r.lambda, 'λ'),
    beta: num(r.lambda === 0 ? Number.POSITIVE_INFINITY : 1 / r.lambda, 'β'),
    exact: r.exact,
    bon: bonMethod(r.bon),
    tilt: tiltMethod(r.tilt),
  };
}

function blockbon(ctx: MethodContext, core: MethodCore): QueryValues['blockbon'] {
  const block = numberParam(ctx, 'block');
  if (block === undefined) throw new Error('blockbon needs block (the checker should have said so)');
  const r = unwrapCore(core.block(bonSize(ctx), block));
  core.note(r);
  return {
    ...method(r.blockwise, 'blockwise best-of-N'),
    N: num(r.N, 'N'),
    log_n: finite(r.logN, 'log N'),
    block: r.block,
    blocks: r.blocks,
    exact: r.exact,
    bon: bonMethod(r.bon),
    tilt: tiltMethod(r.tilt),
  };
}

function reject(ctx: MethodContext, core: MethodCore): QueryValues['reject'] {
  const threshold = numberParam(ctx, 'threshold');
  const accept = numberParam(ctx, 'accept');
  const target: RejectionTarget =
    threshold !== undefined
      ? { threshold }
      : accept !== undefined
        ? { accept }
        : { delta: numberParam(ctx, 'delta') ?? 0 };
  const r = unwrapCore(core.reject(target));
  core.note(r);
  return {
    ...method(r.rejection, 'rejection sampling'),
    threshold: finite(r.threshold, 'threshold'),
    accept: finite(r.accept, 'acceptance probability'),
    exact: r.exact,
    bon: bonMethod(r.bon, 'best-of-N with as many draws'),
    tilt: tiltMethod(r.tilt),
  };
}

function winrate(ctx: MethodContext, core: MethodCore): QueryValues['winrate'] {
  const delta = numberParam(ctx, 'delta');
  if (delta === undefined) throw new Error('winrate needs delta (the checker should have said so)');
  const r = unwrapCore(core.winRate(delta, inverseTemperature(ctx)));
  core.note(r);
  return {
    delta: finite(r.delta, 'Δ'),
    mu: num(r.frontier.mu, 'μ'),
    win_rate: finite(r.frontier.winRate, 'win-rate frontier'),
    loss_rate: finite(r.frontier.lossRate, '1 − the win-rate frontier'),
    reward: finite(r.frontier.reward, 'E R of the win-rate frontier'),
    exact: r.exact,
    kl_rl: tiltMethod(r.tilt),
    bon: bonMethod(r.bon),
    ...(r.soft !== null
      ? {
          softbon: {
            ...bonMethod(r.soft, 'soft best-of-N'),
            lambda: num(r.softLambda, 'λ of soft best-of-N'),
          },
        }
      : {}),
    reject: {
      ...method(r.rejection, 'rejection sampling'),
      threshold: finite(r.rejection.threshold, 'threshold'),
      accept: finite(r.rejection.accept, 'acceptance probability'),
    },
  };
}

function curvePoint(
  p: { kl: number; reward: number; winRate: number; lossRate: number; tokens: number },
  what: string,
): MethodCurvePoint {
  return {
    kl: finite(p.kl, `KL on the ${what} curve`),
    reward: finite(p.reward, `E R on the ${what} curve`),
    win_rate: finite(p.winRate, `win rate on the ${what} curve`),
    loss_rate: finite(p.lossRate, `1 − win rate on the ${what} curve`),
    tokens_sampled: num(p.tokens, `tokens on the ${what} curve`),
  };
}

function methods(ctx: MethodContext, core: MethodCore): QueryValues['methods'] {
  // The range of N, or of log N for N beyond the double range (default N = 1..1024).
  const range = ctx.query.params.get('N');
  const logRange = ctx.query.params.get('logN');
  const [logFrom, logTo] =
    logRange?.kind === 'range'
      ? [logRange.from, logRange.to]
      : (range?.kind === 'range'
          ? [range.from, range.to]
          : String(paramSpec(ctx.query.spec!, 'N')?.default).split('..').map(Number)
        ).map(Math.log);
  const r = unwrapCore(
    core.curves({
      logNFrom: logFrom,
      logNTo: logTo,
      steps: numberOrDefault(ctx, 'steps'),
      softLambda: inverseTemperature(ctx),
      block: numberParam(ctx, 'block'),
    }),
  );
  core.note(r);
  const withLogN = (c: typeof r.bon, what: string) =>
    c.map((p) => ({ ...curvePoint(p, what), log_n: finite(p.parameter, 'log N') }));
  return {
    log_n_from: finite(logFrom, 'log N_min'),
    log_n_to: finite(logTo, 'log N_max'),
    lambda: num(r.softLambda, 'λ of soft best-of-N'),
    block: r.block,
    exact: r.exact,
    bon: withLogN(r.bon, 'best-of-N'),
    softbon: withLogN(r.soft, 'soft best-of-N'),
    blockbon: withLogN(r.blockwise, 'blockwise best-of-N'),
    reject: r.rejection.map((p) => ({
      ...curvePoint(p, 'rejection'),
      threshold: finite(p.parameter, 'threshold'),
    })),
    kl_rl: r.tilt.map((p) => ({ ...curvePoint(p, 'KL-RL'), lambda: num(p.parameter, 'λ') })),
    win_rate_frontier: r.winRateFrontier.map((p) => ({
      ...curvePoint(p, 'win-rate frontier'),
      mu: num(p.parameter, 'μ'),
    })),
  };
}

/** The method evaluators over a model's `MethodCore` (memoryless here; markovEvaluators.ts for chains). */
export const METHOD_VALUES = { softbon, blockbon, reject, winrate, methods } as const;

export const METHOD_EVALUATORS = {
  softbon: (ctx) => softbon(ctx, memorylessCore(ctx)),
  blockbon: (ctx) => blockbon(ctx, memorylessCore(ctx)),
  reject: (ctx) => reject(ctx, memorylessCore(ctx)),
  winrate: (ctx) => winrate(ctx, memorylessCore(ctx)),
  methods: (ctx) => methods(ctx, memorylessCore(ctx)),
} satisfies Evaluators<MethodKind>;
