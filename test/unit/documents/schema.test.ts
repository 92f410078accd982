import {
  INVOICE_DETAIL_SCHEMA,
  serializeInvoiceDetail,
  validateInvoiceDetail,
} from '../../../lambdas/shared/documents/schema.js';
import type { InvoiceDetail } from '../../../lambdas/shared/domain/types.js';
import { FIXTURE_NAMES, loadFixture, longInvoice } from './support.js';

/** Rebuild an object with its keys in reverse order, at every level. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('invoice detail schema v1', () => {
  it('is draft 2020-12 with a versioned $id', () => {
    expect(INVOICE_DETAIL_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(INVOICE_DETAIL_SCHEMA.$id).toMatch(/1\.0$/);
  });

  it('has the expected fixtures', () => {
    expect(FIXTURE_NAMES).toEqual(
      expect.arrayContaining(['eur-domestic-de', 'jpy-ja', 'kwd-3dec', 'pln-lodz', 'reverse-charge-at']),
    );
  });

  it.each(FIXTURE_NAMES)('accepts fixture %s', (name) => {
    const detail = loadFixture(name);
    expect(validateInvoiceDetail(detail)).toBe(detail);
  });

  it('accepts the generated 300-line invoice', () => {
    expect(validateInvoiceDetail(longInvoice(300)).lines).toHaveLength(300);
  });

  type Breakage = [string, (d: InvoiceDetail & Record<string, unknown>) => void, string[]];
  const breakages: Breakage[] = [
    [
      'a fractional amount',
      (d) => (d.lines[1]!.amountMinor = 1.5),
      ['lines[1].amountMinor: must be integer'],
    ],
    [
      'a missing buyer name',
      (d) => delete (d.buyer as Partial<typeof d.buyer>).name,
      ['buyer.name: is required'],
    ],
    [
      'an unknown field',
      (d) => ((d.lines[0] as unknown as Record<string, unknown>).colour = 'red'),
      ['lines[0].colour: is not a known field'],
    ],
    [
      'an unknown buyer field',
      (d) => ((d.buyer as unknown as Record<string, unknown>).phone = '1'),
      ['buyer.phone: is not a known field'],
    ],
    ['a non-date', (d) => (d.issueDate = '2026-02-30'), ['issueDate: "2026-02-30" is not a valid date']],
    ['a lower-case currency', (d) => (d.currency = 'eur'), ['currency: must be an ISO 4217 code']],
    [
      'a float quantity',
      (d) => ((d.lines[1] as unknown as Record<string, unknown>).quantity = 12.5),
      ['lines[1].quantity: must be string'],
    ],
    [
      'a bad invoice number',
      (d) => (d.invoiceNumber = 'INV-26-1'),
      ['invoiceNumber: must be an invoice number like'],
    ],
    [
      'a wrong schema version',
      (d) => ((d as Record<string, unknown>).schemaVersion = '2.0'),
      ['schemaVersion: must be equal to constant'],
    ],
    [
      'a bad email',
      (d) => (d.buyer.email = 'not-an-email'),
      ['buyer.email: "not-an-email" is not a valid email'],
    ],
    ['a wrong total', (d) => (d.totalMinor += 1), ['totalMinor: is 30284, expected 30283 (taxable + tax)']],
    [
      'a wrong subtotal',
      (d) => (d.lines[0]!.amountMinor += 100),
      ['subtotalMinor: is 28276, expected 28376'],
    ],
    [
      'a due date before issue',
      (d) => (d.dueDate = '2026-10-15'),
      ['dueDate: 2026-10-15 is before issueDate 2026-11-01'],
    ],
    [
      'a number outside its series',
      (d) => (d.series = 'INV-2025'),
      ['invoiceNumber: INV-2026-000101 is not in series INV-2025'],
    ],
  ];

  it.each(breakages)('rejects %s, naming the path', (_what, breakIt, messages) => {
    const detail = loadFixture('eur-domestic-de') as InvoiceDetail & Record<string, unknown>;
    breakIt(detail);
    const error = errorOf(() => validateInvoiceDetail(detail));
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toMatch(/^invoice detail \S+: /);
    for (const message of messages) expect(error.message).toContain(message);
  });

  it.each(['en-US-u-nu-arab', 'de-DE-x-foo', 'ja'])('accepts the valid BCP 47 locale %s', (locale) => {
    const detail = { ...loadFixture(FIXTURE_NAMES[0]!), locale };
    expect(validateInvoiceDetail(detail).locale).toBe(locale);
  });

  it('lists every failing path in one error', () => {
    const detail = loadFixture('jpy-ja');
    detail.lines[0]!.amountMinor = 0.5;
    detail.period.id = '2026-13';
    (detail.seller as unknown as Record<string, unknown>).name = '';
    const message = errorOf(() => validateInvoiceDetail(detail)).message;
    expect(message).toContain('lines[0].amountMinor');
    expect(message).toContain('period.id');
    expect(message).toContain('seller.name');
  });

  it('rejects values that are not objects', () => {
    expect(() => validateInvoiceDetail(null)).toThrow('invoice detail: (root): must be object');
    expect(() => validateInvoiceDetail('{}')).toThrow('must be object');
  });
});

describe('serializeInvoiceDetail', () => {
  it('gives canonical bytes: sorted keys, 2-space indent, trailing newline', () => {
    const detail = loadFixture('reverse-charge-at');
    const bytes = serializeInvoiceDetail(detail);
    const text = bytes.toString('utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "buyer": {\n    "address": {\n      "city": "Wien",')).toBe(true);
    expect(text).toContain('"name": "Müller & Søn GmbH"');
    const topKeys = [...text.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1]);
    expect(topKeys).toEqual([...topKeys].sort());
    expect(topKeys).toHaveLength(23);
  });

  it('does not depend on key order and round-trips', () => {
    const detail = loadFixture('kwd-3dec');
    const shuffled = reverseKeys(detail) as InvoiceDetail;
    expect(Object.keys(shuffled)[0]).not.toBe(Object.keys(detail)[0]);
    const bytes = serializeInvoiceDetail(detail);
    expect(serializeInvoiceDetail(shuffled).equals(bytes)).toBe(true);
    expect(validateInvoiceDetail(JSON.parse(bytes.toString('utf8')))).toEqual(detail);
  });
});
