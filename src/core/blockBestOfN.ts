/**
 * Blockwise best-of-N (math.md (8.11)–(8.12)): the n tokens are produced in n/b blocks of b tokens
 * (b divides n), each block the best of N candidates of length b by its own reward. The policy is
 * the product of n/b independent best-of-N laws on blocks — it is not a function of R alone — so
 *  - E R = (n/b)·E R_block and KL(·‖pⁿ) = (n/b)·KL_block (best-of-N at length b, math.md §6);
 *  - KL(·‖φ_λⁿ) = (n/b)·KL(block‖φ_λᵇ) (the tilt is a product over the same blocks);
 *  - the law of R is the (n/b)-fold convolution of the block's best-of-N level law, needed for
 *    the win rate. It is convolved exactly on the lattice of the token law (`LatticeConvolver`,
 *    one binary scale per point), and the base law of R on the same lattice, so both are exact
 *    when the rewards lie on a lattice small enough for the limits — otherwise both are on the
 *    same fine grid, with its error bound (6.5).
 * b = n is best-of-N; b = 1 is token-level best-of-N. Tokens sampled: N·n for every b.
 */
import { type BestOfN, bestOfNFromLaw, type ParsedSize } from './bestOfN.js';
import { LatticeConvolver } from './latticeConvolution.js';
import { summariseLevelPolicy } from './levelPolicy.js';
import { CoreFailure } from './result.js';
import type { TokenRewardLaw } from './rewardLaw.js';
import {
  assemble,
  collectPoints,
  type LatticeKernel,
  latticeKernel,
  type SequenceLawOptions,
  type SequenceRewardLaw,
} from './sequenceLaw.js';
import { chargeWork } from './workBudget.js';

export interface BlockBestOfN {
  readonly block: number;
  readonly blocks: number;
  /** Best-of-N on one block (with KL to φ_λᵇ when a λ was given). */
  readonly blockBon: BestOfN;
  readonly reward: number;
  readonly kl: number;
  /** (n/b)·KL(block‖φ_λᵇ), or null without λ. */
  readonly klToTilt: number | null;
  readonly winRate: number;
  readonly lossRate: number;
  readonly exact: boolean;
  readonly errorBound: number;
}

/** Whether b is a whole number in 1..n that divides n. */
export function requireBlock(n: number, block: number): void {
  if (!(Number.isSafeInteger(block) && block >= 1 && block <= n && n % block === 0))
    throw new CoreFailure(
      'invalid-argument',
      `the block length b = ${block} must be a whole number that divides the sequence length n = ${n}`,
    );
}

/** The law of R after `steps` tokens from a lattice kernel (exact on that lattice). */
function kernelLaw(kernel: LatticeKernel, steps: number): SequenceRewardLaw {
  const conv = new LatticeConvolver(kernel.offsets, kernel.logMass, steps);
  for (let m = 0; m < steps; m++) conv.step();
  const { values, logMass } = collectPoints(conv, kernel.lattice, steps);
  return assemble(
    steps,
    values,
    logMass,
    kernel.exact ? 'lattice' : 'fine-lattice',
    kernel.exact,
    kernel.exact ? 0 : (steps * kernel.lattice.step) / 2,
    kernel.lattice,
  );
}

export interface BlockLaws {
  readonly kernel: LatticeKernel;
  readonly block: SequenceRewardLaw;
  readonly full: SequenceRewardLaw;
}

const BLOCK_LAWS = new WeakMap<TokenRewardLaw, Map<string, BlockLaws>>();

/**
 * The block law of R and the full one on one lattice (the kernel for length n: the exact lattice
 * when it fits the limits, else the finest grid that does), cached per token law.
 */
export function blockLaws(
  law: TokenRewardLaw,
  n: number,
  block: number,
  options: SequenceLawOptions & { readonly sequenceLaw?: SequenceRewardLaw },
): BlockLaws {
  requireBlock(n, block);
  const key = `${n}/${block}/${options.maxSupport ?? ''}/${options.maxWork ?? ''}`;
  let byKey = BLOCK_LAWS.get(law);
  const cached = byKey?.get(key);
  if (cached !== undefined) return cached;
  const kernel = latticeKernel(law, n, options, false);
  if (kernel === null) throw new CoreFailure('internal-error', 'blockwise best-of-N: no lattice kernel');
  const shared = options.sequenceLaw;
  const full =
    shared !== undefined && shared.method === 'lattice' && kernel.exact && shared.n === n
      ? shared
      : kernelLaw(kernel, n);
  const result = { kernel, block: kernelLaw(kernel, block), full };
  if (byKey === undefined) {
    byKey = new Map();
    BLOCK_LAWS.set(law, byKey);
  }
  byKey.set(key, result);
  return result;
}

/**
 * Blockwise best-of-N (see the module comment). λ (optional, [0, ∞]) is the tilt for KL(·‖φ_λⁿ).
 * Errors: b not a divisor of n, those of best-of-N.
 */
export function blockBestOfNUnchecked(
  law: TokenRewardLaw,
  laws: BlockLaws,
  size: ParsedSize,
  lambda?: number,
): BlockBestOfN {
  const { kernel, full } = laws;
  const blockLaw = laws.block;
  const b = blockLaw.n;
  const n = full.n;
  const blocks = n / b;
  const blockBon = bestOfNFromLaw(blockLaw, law, size, lambda);
  // The law of R under the policy: the (n/b)-fold convolution of the block's level law.
  const step = kernel.lattice.step;
  const base = blockLaw.values[0];
  const L = blockLaw.values.length;
  const offsets = new Int32Array(L);
  for (let j = 0; j < L; j++) offsets[j] = Math.round((blockLaw.values[j] - base) / step);
  const logB = Float64Array.from(blockBon.logLevelMass);
  // Renormalise (Σ b = 1 to rounding; the convolver wants log-probabilities).
  let top = Number.NEGATIVE_INFINITY;
  for (const v of logB) top = Math.max(top, v);
  let s = 0;
  for (const v of logB) s += Math.exp(v - top);
  const shift = top + Math.log(s);
  for (let j = 0; j < L; j++) logB[j] -= shift;
  const F = full.values.length;
  const origin = blocks * base;
  if (Math.abs(origin - full.values[0]) > 0.5 * step)
    throw new CoreFailure('internal-error', 'blockwise best-of-N: the lattices do not line up');
  // Point i of the (n/b)-fold convolution is R = (n/b)·x_block,0 + i·h.
  let massAt: (i: number) => number;
  if (blocks === 1) {
    const byOffset = new Map<number, number>();
    for (let j = 0; j < L; j++) byOffset.set(offsets[j], logB[j]);
    massAt = (i) => byOffset.get(i) ?? Number.NEGATIVE_INFINITY;
  } else {
    const conv = new LatticeConvolver(offsets, logB, blocks);
    for (let m = 0; m < blocks; m++) conv.step();
    massAt = (i) => (i >= conv.lo && i <= conv.hi ? conv.logMassAt(i) : Number.NEGATIVE_INFINITY);
  }
  chargeWork(F);
  const logPi = new Float64Array(F);
  for (let j = 0; j < F; j++) logPi[j] = massAt(Math.round((full.values[j] - origin) / step));
  if (logPi.length !== F) throw new CoreFailure('internal-error', 'blockwise best-of-N: level mismatch');
  const ratios = new Float64Array(F);
  for (let j = 0; j < F; j++) ratios[j] = logPi[j] - full.logMass[j];
  const summary = summariseLevelPolicy(full, ratios);
  return {
    block: b,
    blocks,
    blockBon,
    reward: blocks * blockBon.reward,
    kl: blocks * blockBon.kl,
    klToTilt: blockBon.klToTilt === null ? null : blocks * blockBon.klToTilt,
    winRate: summary.winRate,
    lossRate: summary.lossRate,
    exact: kernel.exact,
    errorBound: full.errorBound,
  };
}
