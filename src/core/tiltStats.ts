/** The statistics of one tilt of a token law (logPartition.ts computes them; rewardScale.ts rescales them). */
/** Everything one evaluation of the tilt at s yields. All fields are finite unless noted. */
export interface TiltStats {
  readonly s: number;
  /** A(s); ±∞ only for s = ±∞ (the limit of s·r_max + log p(M), resp. s·r_min + log p(m)). */
  readonly logPartition: number;
  /** A'(s) = E_{φ_s} r. */
  readonly mean: number;
  /** A''(s) = Var_{φ_s} r ≥ 0. */
  readonly variance: number;
  /** D(s) = KL(φ_s ‖ p) = s A'(s) − A(s) ≥ 0. */
  readonly kl: number;
  /**
   * The limit of D in the direction of s minus D(s), computed without cancellation:
   * −log p(M) − D(s) for s ≥ 0, −log p(m) − D(s) for s < 0.
   */
  readonly klToLimit: number;
  /** r_max − A'(s) ≥ 0 and A'(s) − r_min ≥ 0, each computed as a direct sum. */
  readonly meanGapMax: number;
  readonly meanGapMin: number;
  /** log φ_s(M) and log φ_s(m) (−∞ only at s = ∓∞ with more than one value). */
  readonly logMassMax: number;
  readonly logMassMin: number;
}
