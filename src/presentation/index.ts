/**
 * What every front end shows, written once: the results contract (results.ts), the query table
 * (queries.ts: names, parameters, valid ranges, docs), the presentation of each query kind
 * (kinds.ts: labels, units, headline, curves, chart series names, formulas, sliders), the one
 * number formatter (format.ts), token tables safe for any token name (tokens.ts) and rich text
 * escaped by construction (markup.ts). A leaf: it imports nothing outside this folder.
 */
export * from './format.js';
export * from './kinds.js';
export * from './markup.js';
export * from './queries.js';
export type * from './results.js';
export * from './tables.js';
export * from './tokens.js';
export * from './wire.js';
