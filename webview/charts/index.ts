/** All chart models for one analysis, in display order. */
import type { Analysis } from '../../src/protocol/preview.js';
import { bonChart } from './bon.js';
import { cumulantsChart } from './cumulants.js';
import { equivalenceChart } from './equivalence.js';
import { frontierChart } from './frontier.js';
import type { ChartModel } from './model.js';
import { rateChart } from './rate.js';
import { renyiChart } from './renyi.js';
import { tokensChart } from './tokens.js';

export function buildCharts(analysis: Analysis, focus: number | null): ChartModel[] {
  return [
    frontierChart(analysis),
    bonChart(analysis),
    equivalenceChart(analysis),
    rateChart(analysis),
    cumulantsChart(analysis),
    renyiChart(analysis),
    tokensChart(analysis, focus),
  ];
}
