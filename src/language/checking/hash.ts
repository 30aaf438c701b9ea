/**
 * Content hashes for the result cache's keys of large models: two independent 32-bit lanes
 * (murmur3-style mixing with different seeds and multipliers), so an accidental collision
 * between two different 50,000-token models is about 2⁻⁶⁴ — far below any other failure.
 * Numbers are hashed by their exact bits (so −0 and 0 differ: at worst a spurious cache miss).
 */

function mix(h: number, k: number, m: number): number {
  let x = Math.imul(k, m);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  const y = h ^ x;
  return (Math.imul((y << 13) | (y >>> 19), 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  let x = h ^ length;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hex(a: number, b: number): string {
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

const oneNumber = new Float64Array(1);
const numberQuarters = new Uint16Array(oneNumber.buffer);

/**
 * The exact bits of every number as text, four UTF-16 code units per number: as exact as the
 * decimal text (and −0 differs from 0, as in `hashNumbers`), without formatting doubles — for a
 * normalised p such as 0.4000000000000001, formatting cost more than checking the whole model.
 * Fixed width, so a key can tell where the list ends from its length.
 */
export function numbersText(xs: ArrayLike<number>): string {
  const codes = new Array<number>(4 * xs.length);
  for (let i = 0; i < xs.length; i++) {
    oneNumber[0] = xs[i];
    for (let q = 0; q < 4; q++) codes[4 * i + q] = numberQuarters[q];
  }
  return String.fromCharCode(...codes);
}

/** A 64-bit hash of the exact bits of every number, as 16 hex digits. */
export function hashNumbers(xs: ArrayLike<number>): string {
  const bits = new Uint32Array(Float64Array.from(xs).buffer);
  let a = 0x9747b28c;
  let b = 0x2545f491;
  for (let i = 0; i < bits.length; i++) {
    a = mix(a, bits[i], 0xcc9e2d51);
    b = mix(b, bits[i] ^ i, 0x85ebca77);
  }
  return hex(finish(a, bits.length), finish(b, bits.length));
}

/** A 64-bit hash of a list of strings (lengths included, so boundaries count), as 16 hex digits. */
export function hashStrings(xs: readonly string[]): string {
  let a = 0x9747b28c;
  let b = 0x2545f491;
  let n = 0;
  for (const s of xs) {
    a = mix(a, s.length, 0xcc9e2d51);
    b = mix(b, s.length ^ n++, 0x85ebca77);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = mix(a, c, 0xcc9e2d51);
      b = mix(b, c ^ n++, 0x85ebca77);
    }
  }
  return hex(finish(a, n), finish(b, n));
}
