// Public API of the numerical core. docs/math.md lists the per-token exports with their formulas
// and methods; docs/math-sequences.md the sequence-level ones.

export * from './bestOfN.js';
export * from './bonComparison.js';
export * from './cumulants.js';
export * from './equivalence.js';
export * from './frontier.js';
export * from './klrl.js';
export * from './largeDeviations.js';
export * from './logPartition.js';
export * from './logspace.js';
export * from './monteCarlo.js';
export * from './renyi.js';
export * from './result.js';
export * from './rewardLaw.js';
// Sequence level (math.md §6), written by core-sequence.
export * from './sequenceLaw.js';
export * from './stability.js';
export * from './tails.js';
export * from './tiltSweep.js';
export * from './workBudget.js';
