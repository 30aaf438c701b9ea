// The numerical core's public API: what the language layer (and anyone else outside src/core) may
// use. docs/architecture.md lists it module by module; docs/math.md and docs/math-sequences.md give
// each function's formula, method and safeguards. Internals (unchecked variants, iterates, kernels)
// stay importable by the core's own modules and tests only.

export {
  type BestOfN,
  type BestOfNSummary,
  type BonOptions,
  type BonSize,
  bestOfN,
  bestOfNForLength,
  bestOfNSummary,
  bonKLBound,
} from './bestOfN.js';
export { type BonVersusRL, bestOfNVersusRL } from './bonComparison.js';
export {
  MAX_CUMULANT_ORDER,
  scaledCgf,
  scaledCgfCurve,
  sequenceCumulants,
  tokenCumulants,
} from './cumulants.js';
export { type EquivalencePoint, type EquivalenceSeries, equivalenceSeries } from './equivalence.js';
export { type Frontier, type FrontierOptions, type FrontierPoint, frontier } from './frontier.js';
export {
  lambdaForBudget,
  maxKL,
  maxKLPerToken,
  type TiltSolution,
  tiltAtBeta,
  tiltAtLambda,
} from './klrl.js';
export {
  type CramerPoint,
  cramerRate,
  type RateCurve,
  rateFunction,
  rateFunctionCurve,
  rateFunctionGrid,
} from './largeDeviations.js';
export { detectLattice, type Lattice } from './lattice.js';
export {
  logPartition,
  type TiltStats,
  tiltedLaw,
  tiltedLogMass,
  tiltStats,
  tokenTilt,
} from './logPartition.js';
export { log1mExp, log1pExp, logAddExp, logSubExp, logSumExp, NeumaierSum, neumaierSum } from './logspace.js';
export {
  activeChain,
  type ChainClass,
  type ChainStructure,
  chainStructure,
  describeStates,
  type MarkovChain,
  type MarkovSpec,
  markovChain,
  memorylessChain,
  stationaryDistribution,
} from './markovChain.js';
export {
  type ChainComparison,
  compareChains,
  marginalPositions,
  type TiltMarginals,
  tiltMarginals,
} from './markovForward.js';
export {
  type MarkovEquivalencePoint,
  markovBestOfN,
  markovBestOfNSummary,
  markovEquivalencePoints,
  markovRewardLaw,
  tiltedRewardLaw,
} from './markovLaw.js';
export {
  chainMethodBase,
  type MarkovMethodOptions,
  markovBlockBestOfN,
  markovMethodCurves,
  markovRejectionSampling,
  markovSoftBestOfN,
  markovTiltWinRate,
  markovWinRateComparison,
} from './markovMethods.js';
export { markovSimulate } from './markovMonteCarlo.js';
export {
  type AsymptoticTilt,
  asymptoticProblem,
  type Mixing,
  markovAsymptoticTilt,
  markovCgfLimit,
  markovRateFunction,
  mixing,
  type PerronLimits,
  type PerronPoint,
  perronLimits,
  perronPoint,
  type TiltedChain,
  tiltedChain,
} from './markovPerron.js';
export {
  type MarkovTiltSolution,
  markovCumulants,
  markovFrontier,
  markovLambdaForBudget,
  markovMaxKL,
  markovMaxReward,
  markovScaledCgf,
  markovTiltAtBeta,
  markovTiltAtLambda,
} from './markovTilt.js';
export {
  type BlockBonComparison,
  type BonPoint,
  blockBestOfN,
  type CurveOptions,
  type CurvePoint,
  defaultBlock,
  type LawInfo,
  type MethodCurves,
  type MethodOptions,
  type MethodPoint,
  methodCurves,
  type RejectionComparison,
  rejectionSampling,
  type SoftBonComparison,
  type SoftBonPoint,
  softBestOfN,
  type TiltPoint,
  tiltWinRate,
  tokensFromLog,
  type WinRateComparison,
  winRateComparison,
} from './methods.js';
export {
  type SimulationMethod,
  type SimulationOptions,
  type SimulationResult,
  simulate,
} from './monteCarlo.js';
export { Xoshiro128 } from './prng.js';
export type { RejectionTarget } from './rejection.js';
export {
  logPartitionViaRenyi,
  type RenyiCrossEntropy,
  renyiCrossEntropy,
  renyiCrossEntropyCurve,
  scaledCgfViaRenyi,
} from './renyi.js';
export {
  type CoreError,
  type CoreErrorCode,
  CoreFailure,
  fail,
  guard,
  ok,
  type Result,
  require,
  unwrap,
} from './result.js';
export { type TokenRewardLaw, tokenRewardLaw } from './rewardLaw.js';
export {
  DEFAULT_MAX_SUPPORT,
  exactLawFits,
  levelCountHint,
  type SequenceLawMethod,
  type SequenceLawOptions,
  type SequenceRewardLaw,
  sequenceRewardLaw,
} from './sequenceLaw.js';
export { comparePolicy, type PolicyComparison } from './stability.js';
export { type TailExponent, tailExponent, tailExponents } from './tails.js';
export { type WorkLimits, withWorkBudget, workUsed } from './workBudget.js';
