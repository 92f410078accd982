/**
 * The invoice detail's JSON Schema (invoice-detail.v1.schema.json, draft 2020-12) and the two
 * things every writer and reader of the JSON document needs: validate an unknown value into an
 * InvoiceDetail (shape by the schema, arithmetic by hand), and serialize it canonically.
 *
 * Canonical bytes: keys sorted (code-unit order) at every level, 2-space indent, trailing newline,
 * UTF-8. The same detail always gives the same bytes, whatever order its keys were built in, so a
 * re-rendered document overwrites an identical S3 object.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { InvalidInputError } from '../errors.js';
import type { InvoiceDetail } from '../domain/types.js';
import schema from './invoice-detail.v1.schema.json' with { type: 'json' };

export const INVOICE_DETAIL_SCHEMA: Readonly<Record<string, unknown>> = schema;

// ajv-formats is CommonJS: Node's ESM default import is module.exports, which carries `.default` too.
const addFormats = addFormatsImport.default;
let compiled: ValidateFunction<InvoiceDetail> | undefined;
/** Compiled on first use: a command that validates no document (a query) does not pay for it. */
function shapeValidator(): ValidateFunction<InvoiceDetail> {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false });
    addFormats(ajv, ['date', 'email']);
    compiled = ajv.compile<InvoiceDetail>(schema);
  }
  return compiled;
}

/** `/lines/3/amountMinor` -> `lines[3].amountMinor`. */
function pathOf(instancePath: string, extra?: string): string {
  const segments = instancePath.split('/').slice(1);
  if (extra !== undefined) segments.push(extra);
  return segments
    .map((s, i) => {
      const name = s.replace(/~1/g, '/').replace(/~0/g, '~');
      if (/^\d+$/.test(name)) return `[${name}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return `${pathOf(error.instancePath, String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${pathOf(error.instancePath, String(params.additionalProperty))}: is not a known field`;
    case 'unevaluatedProperties':
      return `${pathOf(error.instancePath, String(params.unevaluatedProperty))}: is not a known field`;
    case 'pattern':
      return `${pathOf(error.instancePath)}: must be ${parent?.description ?? `text matching ${String(params.pattern)}`}, got ${JSON.stringify(error.data)}`;
    case 'format':
      return `${pathOf(error.instancePath)}: ${JSON.stringify(error.data)} is not a valid ${String(params.format)}`;
    default:
      return `${pathOf(error.instancePath) || '(root)'}: ${error.message ?? error.keyword}`;
  }
}

/** Arithmetic the schema cannot express; each problem names its path. */
function checkConsistency(d: InvoiceDetail): string[] {
  const problems: string[] = [];
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const charged = sum(d.lines.filter((l) => l.kind !== 'discount').map((l) => l.amountMinor));
  const discounted = -sum(d.lines.filter((l) => l.kind === 'discount').map((l) => l.amountMinor));
  const expect = (path: string, actual: number, expected: number, rule: string): void => {
    if (actual !== expected) problems.push(`${path}: is ${actual}, expected ${expected} (${rule})`);
  };
  d.lines.forEach((line, i) => {
    if (line.kind === 'discount' && line.amountMinor > 0) {
      problems.push(`lines[${i}].amountMinor: a discount line must not be positive (${line.amountMinor})`);
    }
    if (line.kind !== 'discount' && line.amountMinor < 0) {
      problems.push(`lines[${i}].amountMinor: only discount lines may be negative (${line.amountMinor})`);
    }
  });
  expect('subtotalMinor', d.subtotalMinor, charged, 'sum of base-fee and usage lines');
  expect('discountMinor', d.discountMinor, discounted, 'minus the sum of discount lines');
  expect('taxableMinor', d.taxableMinor, d.subtotalMinor - d.discountMinor, 'subtotal - discount');
  expect('taxTotalMinor', d.taxTotalMinor, sum(d.taxes.map((t) => t.taxMinor)), 'sum of taxes[].taxMinor');
  expect('totalMinor', d.totalMinor, d.taxableMinor + d.taxTotalMinor, 'taxable + tax');
  if (d.dueDate < d.issueDate) problems.push(`dueDate: ${d.dueDate} is before issueDate ${d.issueDate}`);
  if (!d.period.start.startsWith(`${d.period.id}-`)) {
    problems.push(`period.start: ${d.period.start} is not in period ${d.period.id}`);
  }
  if (!d.period.end.startsWith(`${d.period.id}-`) || d.period.end < d.period.start) {
    problems.push(`period.end: ${d.period.end} is not in period ${d.period.id} on or after its start`);
  }
  if (!d.invoiceNumber.startsWith(`${d.series}-`)) {
    problems.push(`invoiceNumber: ${d.invoiceNumber} is not in series ${d.series}`);
  }
  const isCredit = d.documentType === 'credit_note';
  if (isCredit && (d.corrects === undefined || d.creditReason === undefined)) {
    problems.push('corrects, creditReason: a credit note names the invoice it corrects and why');
  }
  if (!isCredit && (d.corrects !== undefined || d.creditReason !== undefined)) {
    problems.push('documentType: only a credit note corrects an invoice');
  }
  if (!isCredit && d.lines.some((l) => l.kind === 'credit')) {
    problems.push('lines: only a credit note has credit lines');
  }
  return problems;
}

/**
 * Check that `value` is a valid invoice detail (schema v1 + totals arithmetic) and return it typed.
 * Throws InvalidInputError listing every failing path, e.g.
 * `invoice detail INV-2026-000007: lines[2].amountMinor: must be integer; buyer.name: is required`.
 */
export function validateInvoiceDetail(value: unknown): InvoiceDetail {
  const number =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { invoiceNumber?: unknown }).invoiceNumber === 'string'
      ? ` ${(value as { invoiceNumber: string }).invoiceNumber}`
      : '';
  const where = `invoice detail${number}`;
  const validateShape = shapeValidator();
  if (!validateShape(value)) {
    const problems = [...new Set((validateShape.errors ?? []).map(describe))];
    throw new InvalidInputError(problems.join('; '), where);
  }
  const problems = checkConsistency(value);
  if (problems.length > 0) throw new InvalidInputError(problems.join('; '), where);
  return value;
}

/** The value with every object's keys in sorted order (undefined members left out): canonical JSON. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = sortKeys(child);
    }
    return out;
  }
  return value;
}

/** The stored JSON document: canonical bytes (sorted keys, 2-space indent, trailing newline). */
export function serializeInvoiceDetail(detail: InvoiceDetail): Buffer {
  return Buffer.from(`${JSON.stringify(sortKeys(detail), null, 2)}\n`, 'utf8');
}

/** The detail without its lines, and how many there are: the summary document a screen opens first. */
export type InvoiceSummaryDocument = Omit<InvoiceDetail, 'lines'> & { lineCount: number };

export function summaryOf(detail: InvoiceDetail): InvoiceSummaryDocument {
  const { lines, ...rest } = detail;
  return { ...rest, lineCount: lines.length };
}

/** The stored summary document, in the canonical form of the detail. */
export function serializeInvoiceSummary(detail: InvoiceDetail): Buffer {
  return Buffer.from(`${JSON.stringify(sortKeys(summaryOf(detail)), null, 2)}\n`, 'utf8');
}
