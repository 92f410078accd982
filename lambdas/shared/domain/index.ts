/** The invoice engine's public API: pure functions, no AWS. Types live in ./types.js. */
export * from './money.js';
export * from './periods.js';
export * from './numbering.js';
export * from './tax-rates.js';
export * from './tax-territories.js';
export * from './tax-treatment.js';
export * from './vat-ids.js';
export * from './pricing.js';
export * from './countries.js';
export * from './records.js';
export { MAX_NAME_LENGTH, MAX_USAGE_RECORDS } from './record-schemas.js';
export * from './billing-scope.js';
export * from './exchange.js';
export * from './compute.js';
export * from './credit-note.js';
