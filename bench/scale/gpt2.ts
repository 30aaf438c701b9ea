/**
 * The committed generator of the GPT-2-sized model the scale benchmark measures (no downloads):
 * a next-token distribution over 50,257 tokens with Zipf-like probabilities (p_k ∝ (k + 10)^−1.1,
 * shuffled) and Gaussian rewards (standard normal, 9 significant digits: every reward distinct),
 * written as the CSV a researcher would export from a real model, seeded so every run measures
 * the same file. `model gpt from "gpt2.csv" { length 64 }` reads it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 as prng } from '../../test/helpers/random.js';

export const GPT2_VOCAB = 50_257;

/** Standard normal draws by Box–Muller from the seeded uniform generator. */
function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(rand(), 1e-300);
    const v = rand();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** The CSV text of a `vocab`-token model (token,p,reward). */
export function gpt2Csv(vocab = GPT2_VOCAB, seed = 2019): string {
  const rand = prng(seed);
  const normal = gaussian(rand);
  const weights = Array.from({ length: vocab }, (_, k) => (k + 10) ** -1.1);
  for (let i = vocab - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [weights[i], weights[j]] = [weights[j], weights[i]];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const lines = ['token,p,reward'];
  for (let k = 0; k < vocab; k++)
    lines.push(`tok${k},${(weights[k] / total).toPrecision(12)},${normal().toPrecision(9)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `name` (a CSV of `vocab` tokens) into `dir` and returns its path. */
export function writeGpt2Csv(dir: string, name = 'gpt2.csv', vocab = GPT2_VOCAB): string {
  const path = join(dir, name);
  writeFileSync(path, gpt2Csv(vocab));
  return path;
}
