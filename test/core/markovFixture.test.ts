// Markov models against the mpmath references of test/fixtures/markov.json
// (test/fixtures/markov_runner.py: 50 digits, checked at 70): for each chain the Perron root ρ,
// Λ = log ρ, Λ′, Λ″ and the KL rate λΛ′ − Λ at several λ of both signs, the range [x_min, x_max],
// the rate function I_λ(x) and its σ (Λ′(σ) = x), the mean Λ′(λ), λ* and Λ′(λ*) for two rates
// δ, the stationary law, the stationary law of the tilted chain P_λ and the second eigenvalue
// modulus of P. Every value is checked, to the accuracy docs/math-markov.md claims (§5):
// 1e-13 relative (Λ′ and the rate function are claimed to ≈ 1e-14 and ≈ 1e-13; Λ″ 1e-12), with an absolute
// floor of 1e-15 for values that are 0 up to the rounding of the rows (Λ(0) ≈ −3e-17).
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  markovAsymptoticTilt,
  markovRateFunction,
  mixing,
  perronLimits,
  perronPoint,
  stationaryDistribution,
  tiltedChain,
  unwrap,
} from '../../src/core/index.js';
import { buildMarkovChain, type MarkovChain } from '../../src/core/markovChain.js';
import { solveMean } from '../../src/core/markovPerron.js';
import { assertClose } from '../helpers/tolerance.js';

interface FixtureChain {
  readonly name: string;
  readonly P: number[][];
  readonly r: number[];
  readonly c: number[][] | null;
  readonly perron: { lambda: number; Lambda: string; rho: string; d1: string; d2: string; klRate: string }[];
  readonly xMin: string;
  readonly xMax: string;
  readonly rates: { lambda: number; x: number; xExact: string; rate: string; sigma: string }[];
  readonly mean: string;
  readonly lambdaStar: { delta: number; lambda: string; rewardRate: string }[];
  readonly stationary: string[];
  readonly stationaryTilted: { lambda: number; pi: string[] };
  readonly secondModulus: string;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/markov.json', import.meta.url), 'utf8')) as {
  chains: FixtureChain[];
};

/** Relative tolerance of every comparison (docs/math-markov.md §5, §9). */
const REL = 1e-13;
/** Λ″: the jets' second order (measured ≈ 1.2e-13 at worst). */
const REL_SECOND = 1e-12;
/** Absolute floor: values that are 0 up to the rounding of the rows. */
const ABS = 1e-15;

/** The core chain of a fixture chain (uniform start: the asymptotics do not depend on it). */
function chainOf(f: FixtureChain): MarkovChain {
  const K = f.r.length;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const bonus: number[] = [];
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++) {
      if (!(f.P[i][j] > 0)) continue;
      from.push(i);
      to.push(j);
      weight.push(f.P[i][j]);
      bonus.push(f.c ? f.c[i][j] : 0);
    }
  return buildMarkovChain({
    start: new Array<number>(K).fill(1),
    from,
    to,
    weight,
    reward: f.r,
    ...(f.c ? { bonus } : {}),
  });
}

function check(chain: string, quantity: string, value: number, expected: string, rel = REL): void {
  assertClose(value, Number(expected), { rel, abs: ABS, context: `chain ${chain}: ${quantity}` });
}

describe('Markov models against mpmath (markov.json)', () => {
  for (const f of fixture.chains) {
    const chain = chainOf(f);
    test(`${f.name}: ρ, Λ, Λ′, Λ″ and the KL rate at every λ`, () => {
      for (const p of f.perron) {
        const at = unwrap(perronPoint(chain, p.lambda, 2));
        const where = `λ = ${p.lambda}`;
        check(f.name, `Λ at ${where}`, at.logRho, p.Lambda);
        check(f.name, `ρ at ${where}`, Math.exp(at.logRho), p.rho);
        check(f.name, `Λ′ at ${where}`, at.derivatives[0], p.d1);
        check(f.name, `Λ″ at ${where}`, at.derivatives[1], p.d2, REL_SECOND);
        check(f.name, `KL rate λΛ′ − Λ at ${where}`, at.klRate, p.klRate);
      }
    });

    test(`${f.name}: x_min, x_max, the mean and the rate function with its σ`, () => {
      const lim = unwrap(perronLimits(chain));
      check(f.name, 'x_min', lim.xMin, f.xMin);
      check(f.name, 'x_max', lim.xMax, f.xMax);
      const lambda = f.rates[0].lambda;
      check(f.name, `mean Λ′(${lambda})`, unwrap(perronPoint(chain, lambda, 1)).derivatives[0], f.mean);
      const rates = unwrap(
        markovRateFunction(
          chain,
          lambda,
          f.rates.map((r) => r.x),
        ),
      );
      const mean0 = unwrap(perronPoint(chain, 0, 1)).derivatives[0];
      f.rates.forEach((r, k) => {
        // x is the double nearest the exact x of the reference (xExact), which the rate is for.
        check(f.name, `x (as a double) of rate point ${k}`, r.x, r.xExact);
        check(f.name, `I_${lambda}(${r.x})`, rates[k], r.rate);
        const upper = r.x >= mean0;
        const y = solveMean(chain, r.x, upper, lim, 1);
        check(f.name, `σ with Λ′(σ) = ${r.x}`, upper ? y : -y, r.sigma);
      });
    });

    test(`${f.name}: λ* and Λ′(λ*) for each rate δ`, () => {
      for (const s of f.lambdaStar) {
        const a = unwrap(markovAsymptoticTilt(chain, s.delta));
        check(f.name, `λ* at δ = ${s.delta}`, a.lambda, s.lambda);
        check(f.name, `Λ′(λ*) at δ = ${s.delta}`, a.rewardRate, s.rewardRate);
      }
    });

    test(`${f.name}: the stationary laws of P and of P_λ, and |λ₂|`, () => {
      const pi = unwrap(stationaryDistribution(chain));
      for (const [i, e] of f.stationary.entries()) check(f.name, `π(${i})`, pi[i], e);
      const t = unwrap(tiltedChain(chain, f.stationaryTilted.lambda));
      for (const [i, e] of f.stationaryTilted.pi.entries())
        check(f.name, `π_λ(${i}) at λ = ${f.stationaryTilted.lambda}`, t.stationary[i], e);
      check(f.name, '|λ₂| of P', unwrap(mixing(chain)).secondModulus, f.secondModulus);
    });
  }
});
