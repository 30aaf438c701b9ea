/**
 * A seeded, reproducible pseudo-random generator: xoshiro128** 1.1 with splitmix64 seeding.
 *
 * - xoshiro128** (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators",
 *   ACM Trans. Math. Softw. 47(4), 2021; reference code at https://prng.di.unimi.it/): 128-bit
 *   state, period 2^128 − 1, 32-bit outputs that pass BigCrush. All arithmetic is 32-bit
 *   (Math.imul, >>> 0), so results are identical on every JavaScript engine.
 * - Seeding: the state words are the outputs of splitmix64 (G. Steele, D. Lea, C. Flood, "Fast
 *   splittable pseudorandom number generators", OOPSLA 2014) started at the seed, the procedure
 *   the xoshiro authors recommend; it never produces the all-zero state for distinct outputs.
 * - Doubles: 53 random bits from two outputs, (a >>> 5)·2^26 + (b >>> 6), times 2^−53, uniform on
 *   the 2^53 multiples of 2^−53 in [0, 1).
 */
const MASK64 = (1n << 64n) - 1n;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed a non-negative safe integer (validated by callers) */
  constructor(readonly seed: number) {
    let x = BigInt(seed) & MASK64;
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      // splitmix64
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      z = z ^ (z >> 31n);
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16;
  }

  /** Uniform integer in [0, m) for 1 ≤ m ≤ 2^32 (rejection sampling: no modulo bias). */
  nextInt(m: number): number {
    const limit = 4294967296 - (4294967296 % m);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % m;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
