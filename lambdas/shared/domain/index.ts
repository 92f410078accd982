/** The invoice engine's public API: pure functions, no AWS. */
export * from './money.js';
export * from './periods.js';
