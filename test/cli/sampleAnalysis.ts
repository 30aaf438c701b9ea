/**
 * A hand-written Analysis with one result of every query kind, a failed query and diagnostics of
 * every severity: the renderers and the JSON writer are tested against it without depending on
 * the language layer. Values are plausible but not computed — the end-to-end tests in
 * bin.test.ts check real numbers against the core.
 */
import type { Analysis, Range } from '../../src/presentation/results.js';

export const SAMPLE_SOURCE = [
  'model toy {',
  '  vocab a b c',
  '  p 0.5 0.3 0.2',
  '  reward 0 1 2',
  '  length 4',
  '}',
  'tilt(toy, delta = 1)',
  'frontier(toy, steps = 3)',
  'bon(toy, N = 16)',
  'equivalence(toy, rate = 0.5, n = 1..2)',
  'rate(toy, lambda = 1)',
  'cumulants(toy, lambda = 1, order = 3)',
  'renyi(toy, alpha = 2)',
  'compare(toy, q)',
  'simulate(toy, method = base, samples = 1000)',
  'tilt(toy, delta = 99)',
  '\tbogus(toy)',
  'softbon(toy, N = 16, lambda = 2)',
  'blockbon(toy, N = 4, block = 2)',
  'reject(toy, accept = 0.01)',
  'winrate(toy, delta = 2)',
  'methods(toy, N = 1..16, steps = 2)',
].join('\n');

export function range(line: number, from: number, to: number): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

export function sampleAnalysis(): Analysis {
  return {
    file: 'sample.align',
    diagnostics: [
      {
        severity: 'warning',
        code: 'probabilities-not-normalised',
        message: 'p sums to 1.0001',
        range: range(2, 2, 15),
      },
      { severity: 'error', code: 'unknown-query', message: "unknown query 'bogus'", range: range(16, 1, 6) },
      {
        severity: 'hint',
        code: 'unused-model',
        message: 'model is unused',
        range: range(0, 6, 9),
        data: { x: 1 },
      },
    ],
    results: [
      {
        query: 'tilt',
        model: 'toy',
        range: range(6, 0, 20),
        value: {
          lambda: 0.75,
          beta: 1 / 0.75,
          kl: 1,
          reward: 4.2,
          kl_per_token: 0.25,
          reward_per_token: 1.05,
          phi: { a: 0.3, b: 0.35, c: 0.35 },
        },
      },
      {
        query: 'frontier',
        model: 'toy',
        range: range(7, 0, 24),
        value: {
          points: [
            { lambda: 0, kl: 0, reward: 2.8 },
            { lambda: 1, kl: 1.2, reward: 4.5 },
            { lambda: Number.POSITIVE_INFINITY, kl: 6.437751649736401, reward: 8 },
          ],
          max_kl: 6.437751649736401,
          max_reward: 8,
        },
      },
      {
        query: 'bon',
        model: 'toy',
        range: range(8, 0, 16),
        value: {
          N: 16,
          log_n: Math.log(16),
          reward: 5.1,
          kl: 1.7,
          kl_bound: Math.log(16) - 15 / 16,
          exact: true,
          same_kl: { lambda: 0.9, reward: 5.3 },
          log_n_budget: { lambda: 1.4, reward: 5.9, kl_bon_to_tilt: 0.4 },
        },
      },
      {
        query: 'equivalence',
        model: 'toy',
        range: range(9, 0, 38),
        value: {
          rate: 0.5,
          lambda: 1.1,
          rl_reward_per_token: 1.3,
          points: [
            { n: 1, bon_reward_per_token: 1.1, kl_per_token: 0.4, kl_to_rl_per_token: 0.2 },
            { n: 2, bon_reward_per_token: 1.2, kl_per_token: 0.45, kl_to_rl_per_token: 0.1 },
          ],
        },
      },
      {
        query: 'rate',
        model: 'toy',
        range: range(10, 0, 21),
        value: {
          lambda: 1,
          mean: 1.1,
          points: [
            { x: 0, rate: 1.5, tail_rate: 1.6 },
            { x: 1.1, rate: 0, tail_rate: 0 },
            { x: 2.5, rate: Number.POSITIVE_INFINITY, tail_rate: Number.POSITIVE_INFINITY },
          ],
        },
      },
      {
        query: 'cumulants',
        model: 'toy',
        range: range(11, 0, 37),
        value: { lambda: 1, kappa: [4.4, 2.1, -0.3] },
      },
      {
        query: 'renyi',
        model: 'toy',
        range: range(12, 0, 21),
        value: { alpha: 2, cross_entropy: 1.3, log_c: 2.4 },
      },
      {
        query: 'compare',
        model: 'toy',
        range: range(13, 0, 16),
        value: {
          kl: 0.5,
          reward: 3.9,
          frontier_reward: 4.0,
          gap: 0.1,
          lambda: 0.6,
          kl_to_optimal: 0.05,
          bound: 0.06,
        },
      },
      {
        query: 'simulate',
        model: 'toy',
        range: range(14, 0, 44),
        value: { method: 'base', samples: 1000, seed: 1, reward_mean: 2.79, reward_stderr: 0.03 },
      },
      {
        query: 'tilt',
        model: 'toy',
        range: range(15, 0, 21),
        error: 'delta = 99 exceeds the maximum KL 6.4378 nats',
      },
      {
        query: 'softbon',
        model: 'toy',
        range: range(17, 0, 32),
        value: {
          ...METHOD,
          N: 16,
          log_n: Math.log(16),
          lambda: 2,
          beta: 0.5,
          exact: true,
          bon: { ...METHOD, N: 16, log_n: Math.log(16) },
          tilt: { ...METHOD, lambda: 2, kl_to_tilt: 0 },
        },
      },
      {
        query: 'blockbon',
        model: 'toy',
        range: range(18, 0, 32),
        value: {
          ...METHOD,
          N: 4,
          log_n: Math.log(4),
          block: 2,
          blocks: 2,
          exact: true,
          bon: { ...METHOD, N: 4, log_n: Math.log(4) },
          tilt: { ...METHOD, lambda: 0.7, kl_to_tilt: 0 },
        },
      },
      {
        query: 'reject',
        model: 'toy',
        range: range(19, 0, 26),
        value: {
          ...METHOD,
          threshold: 7,
          accept: 0.0123,
          exact: true,
          bon: { ...METHOD, N: 81.3, log_n: Math.log(81.3) },
          tilt: { ...METHOD, lambda: 1.2, kl_to_tilt: 0 },
        },
      },
      {
        query: 'winrate',
        model: 'toy',
        range: range(20, 0, 23),
        value: {
          delta: 2,
          mu: 9.5,
          win_rate: 0.95,
          loss_rate: 0.05,
          reward: 5.1,
          exact: true,
          kl_rl: { ...METHOD, lambda: 0.8, kl_to_tilt: 0 },
          bon: { ...METHOD, N: 12.5, log_n: Math.log(12.5) },
          reject: { ...METHOD, threshold: 6, accept: 0.2 },
        },
      },
      {
        query: 'methods',
        model: 'toy',
        range: range(21, 0, 35),
        value: {
          log_n_from: 0,
          log_n_to: Math.log(16),
          lambda: 0.9,
          block: 1,
          exact: true,
          bon: [
            { ...POINT, log_n: 0 },
            { ...POINT, log_n: Math.log(16) },
          ],
          softbon: [{ ...POINT, log_n: 0 }],
          blockbon: [{ ...POINT, log_n: 0 }],
          reject: [{ ...POINT, threshold: 7 }],
          kl_rl: [{ ...POINT, lambda: 0 }],
          win_rate_frontier: [{ ...POINT, mu: null }],
        },
      },
    ],
  };
}

/** A method's numbers (made up, plausible): the shared keys of softbon, blockbon, reject, winrate. */
const METHOD = {
  reward: 5.2,
  kl: 1.8,
  kl_to_tilt: 0.3,
  win_rate: 0.9,
  loss_rate: 0.1,
  tokens_sampled: 64,
};
const POINT = { kl: 1.8, reward: 5.2, win_rate: 0.9, loss_rate: 0.1, tokens_sampled: 64 };
