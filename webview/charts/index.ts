/** All chart models for one analysis, in display order (src/protocol/preview.ts CHART_IDS). */
import type { Analysis } from '../../src/protocol/preview.js';
import { bonChart } from './bon.js';
import { cumulantsChart } from './cumulants.js';
import { equivalenceChart } from './equivalence.js';
import { frontierChart } from './frontier.js';
import { markovCharts } from './markov.js';
import { methodsCharts } from './methods.js';
import { type ChartModel, formatWith } from './model.js';
import { rateChart } from './rate.js';
import { renyiChart } from './renyi.js';
import { tokensChart } from './tokens.js';

/** Every chart of an analysis, numbers in tooltips and notes at `digits` significant digits. */
export function buildCharts(analysis: Analysis, focus: number | null, digits: number): ChartModel[] {
  const f = formatWith(digits);
  return [
    frontierChart(analysis, f),
    bonChart(analysis, f),
    equivalenceChart(analysis, f),
    rateChart(analysis, f),
    cumulantsChart(analysis, f),
    renyiChart(analysis, f),
    tokensChart(analysis, focus, f),
    ...methodsCharts(analysis, f),
    ...markovCharts(analysis, focus, f),
  ];
}
