/**
 * Bank statements in, matches out: the hand-written camt.053 (EUR and a Swiss QR-bill one),
 * camt.054 and CSV fixtures read into the credits they hold, with an error for the bad entries
 * only; the three matching rules; and any bytes at all either read or refused as an edge error,
 * never a crash.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import { statementMatcher, type OpenItem } from '../../../lambdas/shared/domain/statement-matching.js';
import { readCamt } from '../../../lambdas/shared/statements/camt.js';
import { readStatementCsv } from '../../../lambdas/shared/statements/statement-csv.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/statements/${name}`, import.meta.url));

/** The open invoices the fixtures were written against. */
export const FIXTURE_ITEMS: OpenItem[] = [
  {
    invoiceNumber: 'INV-2026-000101',
    customerId: 'acme',
    customerName: 'Acme Analytics GmbH',
    currency: 'EUR',
    openMinor: 11900,
  },
  {
    invoiceNumber: 'INV-2026-000102',
    customerId: 'beta',
    customerName: 'Beta Bau AG',
    currency: 'EUR',
    openMinor: 11900,
  },
  {
    invoiceNumber: 'INV-2026-000103',
    customerId: 'gamma',
    customerName: 'Gamma Logistics s.r.o.',
    currency: 'EUR',
    openMinor: 23800,
  },
  {
    invoiceNumber: 'INV-2026-000104',
    customerId: 'delta',
    customerName: 'Delta Design',
    currency: 'EUR',
    openMinor: 47600,
  },
  {
    invoiceNumber: 'INV-2026-000105',
    customerId: 'zeta',
    customerName: 'Zeta Zürich GmbH',
    currency: 'CHF',
    openMinor: 5405,
  },
];

describe('camt.053', () => {
  it('reads the booked credits, one per transaction of a batch, and counts the rest', () => {
    const read = readCamt(fixture('camt053-eur.xml'), 'camt053-eur.xml');
    expect(read.credits.map((c) => [c.amountMinor, c.currency, c.reference ?? null])).toEqual([
      [11900, 'EUR', 'RF13INV2026000101'],
      [5000, 'EUR', null],
      [23800, 'EUR', null],
      [50000, 'EUR', 'RF29INV2026000104'],
      [10000, 'EUR', null],
      [3300, 'EUR', 'RF99INV2026000105'],
    ]);
    expect(read.credits[0]).toMatchObject({
      payerName: 'Acme Analytics GmbH',
      payerIban: 'DE02120300000000202051',
      bookingDate: '2026-11-30',
    });
    expect(read.skipped).toEqual({ debits: 1, notBooked: 1, reversals: 0 });
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]!.where).toBe('camt053-eur.xml: Stmt 2026-11-30-DE89 entry 7');
    expect(read.errors[0]!.message).toContain('XQQ');
    expect(new Set(read.credits.map((c) => c.entryId)).size).toBe(read.credits.length);
  });

  it('gives an entry the same id on every read', () => {
    const ids = () => readCamt(fixture('camt053-eur.xml'), 'a.xml').credits.map((c) => c.entryId);
    expect(ids()).toEqual(ids());
  });

  it('matches by RF reference, invoice number, amount and payer; keeps the rest for support', () => {
    const items = FIXTURE_ITEMS.map((i) => ({ ...i }));
    const match = statementMatcher(items);
    const results = readCamt(fixture('camt053-eur.xml'), 'a.xml').credits.map(match);
    expect(results.map((r) => (r.kind === 'matched' ? `${r.invoiceNumber} ${r.rule}` : 'unmatched'))).toEqual(
      [
        'INV-2026-000101 reference',
        'INV-2026-000102 invoice_number',
        'INV-2026-000103 amount_and_payer',
        'INV-2026-000104 reference',
        'unmatched',
        'unmatched',
      ],
    );
    expect(results[5]).toMatchObject({ reason: expect.stringContaining('wrong check digits') });
    expect(items.find((i) => i.invoiceNumber === 'INV-2026-000104')!.openMinor).toBe(-2400);
  });

  it('matches a Swiss QR-bill payment by the RF reference it carries; an unknown QR reference is kept', () => {
    const read = readCamt(fixture('camt053-chf-qr-bill.xml'), 'ch.xml');
    const results = read.credits.map(statementMatcher(FIXTURE_ITEMS.map((i) => ({ ...i }))));
    expect(results[0]).toMatchObject({
      kind: 'matched',
      invoiceNumber: 'INV-2026-000105',
      rule: 'reference',
    });
    expect(results[1]).toMatchObject({ kind: 'unmatched', reason: expect.stringContaining('QR reference') });
  });

  it('reads camt.054 notifications like statements', () => {
    const read = readCamt(fixture('camt054-eur.xml'), 'n.xml');
    expect(read.credits).toEqual([
      expect.objectContaining({
        amountMinor: 6900,
        reference: 'RF83INV2026000102',
        bookingDate: '2026-12-01',
      }),
    ]);
  });

  it('two equal credits never both settle one invoice by amount', () => {
    const match = statementMatcher([{ ...FIXTURE_ITEMS[2]! }]);
    const credit = {
      entryId: 'x',
      amountMinor: 23800,
      currency: 'EUR',
      bookingDate: '2026-11-30',
      payerName: 'Gamma Logistics s.r.o.',
      source: 't',
    };
    expect(match(credit).kind).toBe('matched');
    expect(match({ ...credit, entryId: 'y' }).kind).toBe('unmatched');
  });

  it('refuses what is not a statement, by name', () => {
    const refuse = (xml: string) => () => readCamt(Buffer.from(xml), 'f.xml');
    expect(refuse('<Document><Other/></Document>')).toThrow(/not an ISO 20022 camt.053/);
    expect(refuse('<Document><BkToCstmrStmt>')).toThrow(/not well-formed XML/);
    expect(refuse('<!DOCTYPE x [<!ENTITY a "aaaa">]><Document/>')).toThrow(/DOCTYPE/);
    expect(refuse('<Document><__proto__><x/></__proto__></Document>')).toThrow(/prototype/);
    expect(() => readCamt(Buffer.from([0x3c, 0xff, 0xfe]), 'f.xml')).toThrow(/UTF-8/);
  });
});

describe('CSV statements', () => {
  it('reads each row, an error for a negative amount or an unknown currency', () => {
    const read = readStatementCsv(fixture('statement.csv'), 's.csv');
    expect(read.credits.map((c) => [c.amountMinor, c.reference ?? c.remittance])).toEqual([
      [11900, 'RF13INV2026000101'],
      [1250, 'INV-2026-000103'],
    ]);
    expect(read.errors.map((e) => e.where)).toEqual(['s.csv: row 4', 's.csv: row 5']);
    expect(read.errors[0]!.message).toContain('negative');
  });

  it('refuses an unknown or prototype-like column, naming it', () => {
    expect(() => readStatementCsv(Buffer.from('booking_date,amount,currency,__proto__\n'), 's.csv')).toThrow(
      /__proto__/,
    );
    expect(() => readStatementCsv(Buffer.from('booking_date,amount,currency,amout\n'), 's.csv')).toThrow(
      /amout/,
    );
    expect(() => readStatementCsv(Buffer.from('amount,currency\n'), 's.csv')).toThrow(/booking_date/);
  });
});

describe('hostile bytes', () => {
  const readOrRefuse = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      expect(error).toBeInstanceOf(EdgeInputError);
    }
  };
  it('any bytes read as camt either parse or are refused as an edge error', () => {
    const xmlish = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc
        .string({ maxLength: 300 })
        .map((s) => Buffer.from(`<Document><BkToCstmrStmt><Stmt>${s}</Stmt></BkToCstmrStmt></Document>`)),
      fc
        .array(
          fc.constantFrom(
            '<Ntry>',
            '</Ntry>',
            '<Amt Ccy="EUR">',
            '1.00',
            '</Amt>',
            '<CdtDbtInd>CRDT</CdtDbtInd>',
            '<Sts>BOOK</Sts>',
            '<BookgDt><Dt>2026-01-01</Dt></BookgDt>',
            '&amp;',
            '<x a="1"/>',
          ),
          { maxLength: 30 },
        )
        .map((parts) =>
          Buffer.from(`<Document><BkToCstmrStmt><Stmt>${parts.join('')}</Stmt></BkToCstmrStmt></Document>`),
        ),
    );
    fc.assert(fc.property(xmlish, (bytes) => readOrRefuse(() => readCamt(bytes, 'f.xml'))));
  });
  it('any bytes read as CSV either parse or are refused as an edge error', () => {
    const csvish = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 300 }).map((s) => Buffer.from(`booking_date,amount,currency,remittance\n${s}`)),
    );
    fc.assert(fc.property(csvish, (bytes) => readOrRefuse(() => readStatementCsv(bytes, 's.csv'))));
  });
});
