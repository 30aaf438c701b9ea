/**
 * A cooperative work budget for everything the core computes.
 *
 * Why: a query's cost depends on its numbers (a lattice of 10⁹ points, a solver that crawls), and
 * the editor evaluates whatever the user types. No computation may run unbounded, so the core's
 * loops report their work here, and the host (the language server, the CLI) says how much a
 * computation may do: a number of work units, a wall-clock deadline and a cancellation test
 * (a newer document version). When any of them is exceeded the next `chargeWork` throws a
 * `CoreFailure('work-budget-exceeded')`, which the API boundary (`guard`) turns into a failed
 * Result like any other error: the query says why it has no value, the host keeps running.
 *
 * One work unit ≈ one inner-loop iteration (a multiply-add of a convolution, one term of a
 * log-sum-exp). Charging is a decrement and a compare; the clock and the cancellation test are
 * read only every `CHECK_EVERY` units, so a budget costs nothing measurable.
 *
 * The budget is ambient (a module variable set by `withWorkBudget`): JavaScript runs one
 * computation at a time per thread, and threading a budget argument through every core function
 * would touch every signature for no gain. Without an active budget `chargeWork` does nothing.
 */
import { CoreFailure } from './result.js';

export interface WorkLimits {
  /** Most work units the computation may use (default: unlimited). */
  readonly maxUnits?: number;
  /** Deadline in `performance.now()` milliseconds (default: none). */
  readonly deadline?: number;
  /** Polled with the clock: true stops the computation (e.g. the document changed). */
  readonly cancelled?: () => boolean;
}

/** Units between two reads of the clock and of the cancellation test (≈ 1 ms of work). */
const CHECK_EVERY = 1 << 20;

interface ActiveBudget {
  readonly limits: WorkLimits;
  /** Units used so far. */
  used: number;
  /** `used` at which the clock and the cancellation test are read next. */
  nextCheck: number;
  /** Set once exceeded: every later charge throws at once (optional parts stop too). */
  exceeded: CoreFailure | undefined;
}

let active: ActiveBudget | undefined;

/**
 * Runs `compute` under `limits`; nested calls keep the tighter of the two budgets (the inner
 * one cannot extend the outer one), and the inner one's units count towards the outer one.
 * An inner budget that runs out because of its own, tighter limits stops only the inner
 * computation (an optional part with a small budget of its own must not stop the query around
 * it); if the outer limits are exceeded too, the outer budget's next charge says so (its clock,
 * cancellation test and unit count are checked again at once). Exceptions pass through unchanged.
 */
export function withWorkBudget<T>(limits: WorkLimits, compute: () => T): T {
  const outer = active;
  const budget: ActiveBudget = {
    limits: outer ? tighter(outer, limits) : limits,
    used: 0,
    nextCheck: 0,
    exceeded: outer?.exceeded,
  };
  budget.nextCheck = nextCheckAfter(budget);
  active = budget;
  try {
    return compute();
  } finally {
    if (outer) {
      outer.used += budget.used;
      // Re-check the outer limits at its next charge: the inner run may have used them up.
      if (budget.exceeded !== undefined || outer.used >= outer.nextCheck) outer.nextCheck = outer.used;
    }
    active = outer;
  }
}

/** The inner limits, capped by what the outer budget has left. */
function tighter(outer: ActiveBudget, inner: WorkLimits): WorkLimits {
  const left = (outer.limits.maxUnits ?? Number.POSITIVE_INFINITY) - outer.used;
  const cancelledOuter = outer.limits.cancelled;
  const cancelledInner = inner.cancelled;
  return {
    maxUnits: Math.min(left, inner.maxUnits ?? Number.POSITIVE_INFINITY),
    deadline: Math.min(
      outer.limits.deadline ?? Number.POSITIVE_INFINITY,
      inner.deadline ?? Number.POSITIVE_INFINITY,
    ),
    cancelled:
      cancelledOuter && cancelledInner
        ? () => cancelledOuter() || cancelledInner()
        : (cancelledOuter ?? cancelledInner),
  };
}

/** Reports `units` of work; throws `work-budget-exceeded` when the active budget is spent. */
export function chargeWork(units: number): void {
  const b = active;
  if (b === undefined) return;
  b.used += units;
  if (b.used >= b.nextCheck) checkBudget(b);
}

/** Throws when the active budget is already exceeded (a cheap test for loops that charge late). */
export function checkWorkBudget(): void {
  if (active !== undefined) checkBudget(active);
}

/** Work units used under the innermost active budget (0 without one); for tests and benchmarks. */
/** Units the active budget has left (∞ without a budget or without a unit limit). */
export function workLeft(): number {
  const b = active;
  if (b === undefined) return Number.POSITIVE_INFINITY;
  return (b.limits.maxUnits ?? Number.POSITIVE_INFINITY) - b.used;
}

export function workUsed(): number {
  return active?.used ?? 0;
}

/** The next check comes after CHECK_EVERY units, or just past the unit limit if that is sooner. */
function nextCheckAfter(b: ActiveBudget): number {
  return Math.min(b.used + CHECK_EVERY, (b.limits.maxUnits ?? Number.POSITIVE_INFINITY) + 1);
}

/** A work count in words ("4 billion"): error messages are read by people. */
function workInWords(units: number): string {
  if (units >= 1e9) return `${Number((units / 1e9).toPrecision(3))} billion`;
  if (units >= 1e6) return `${Number((units / 1e6).toPrecision(3))} million`;
  return String(Math.round(units));
}

function checkBudget(b: ActiveBudget): void {
  if (b.exceeded) throw b.exceeded;
  b.nextCheck = nextCheckAfter(b);
  const { maxUnits, deadline, cancelled } = b.limits;
  let reason: string | undefined;
  if (maxUnits !== undefined && b.used > maxUnits)
    reason = `it needs more than ${workInWords(maxUnits)} steps of work`;
  else if (deadline !== undefined && performance.now() > deadline)
    reason = 'it took longer than the time allowed for one evaluation';
  else if (cancelled?.()) reason = 'it was cancelled';
  if (reason === undefined) return;
  b.exceeded = new CoreFailure('work-budget-exceeded', `stopped: ${reason}`);
  throw b.exceeded;
}
