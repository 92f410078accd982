/**
 * Credit notes on the real local stack: after a billing run, support corrects issued invoices.
 * A partial credit (its PDF, JSON and valid EN 16931 e-invoice), its exact repeat, the rest, a refused over-credit, two racing credits on one
 * invoice (one wins, the other's number is kept as VOID), and the refusals for what is not an
 * issued invoice. The invariants hold throughout: gapless series, documents for every note, an
 * invoice never credited beyond its total.
 */
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { validateInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { InvalidInputError } from '../../lambdas/shared/errors.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';
import { fatalRules, validateEn16931 } from '../support/en16931.js';
import { DEFAULT_E_INVOICE_SYNTAX } from '../../lambdas/shared/documents/en16931/render.js';

const PERIOD = '2026-10';
const by = 'test@credit-notes';
let f: BillingFixture;
let numbers: string[];

beforeAll(async () => {
  f = await openBillingFixture('credit-notes');
  await runLocalBilling(f.session, { period: PERIOD, demoCustomers: 6, retryIntervalMs: 1 });
  numbers = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED').map((r) => r.invoiceNumber);
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

const credit = (invoiceNumber: string, reason: string, amount?: string) =>
  f.session.creditInvoice({ invoiceNumber, reason, by, ...(amount === undefined ? {} : { amount }) });

describe('credit notes', () => {
  it('credits part of an invoice with a numbered, documented, notified credit note', async () => {
    const invoice = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === numbers[0])!;
    const result = await credit(invoice.invoiceNumber, 'Outage 1-15 October', '10.00');
    expect(result.repeated).toBe(false);
    expect(result.creditNote).toMatchObject({
      series: expect.stringMatching(/^CN-\d{4}$/),
      status: 'NOTIFIED',
      totalMinor: 1000,
      corrects: invoice.invoiceNumber,
      customerId: invoice.customerId,
    });
    expect(result.creditNote.invoiceNumber).toBe(`${result.creditNote.series}-000001`);
    const stored = validateInvoiceDetail(
      JSON.parse((await f.session.stores.documents.getBytes(result.creditNote.jsonKey)).toString('utf8')),
    );
    expect(stored).toMatchObject({
      documentType: 'credit_note',
      corrects: { invoiceNumber: invoice.invoiceNumber, issueDate: invoice.issueDate },
      creditReason: 'Outage 1-15 October',
      totalMinor: 1000,
    });
    const pdf = await f.session.stores.documents.getBytes(result.creditNote.pdfKey);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const syntax = stored.buyer.eInvoiceSyntax ?? DEFAULT_E_INVOICE_SYNTAX;
    const xml = await f.session.stores.documents.getBytes(
      s3Keys.invoiceXml(PERIOD, invoice.customerId, result.creditNote.invoiceNumber),
    );
    expect(fatalRules(validateEn16931(xml.toString('utf8'), syntax))).toEqual([]);
    expect(xml.toString('utf8')).toContain(invoice.invoiceNumber);
    const inbox = (await f.session.readInbox(invoice.customerId)).filter(
      (m) => m.eventType === 'credit_note.issued',
    );
    expect(inbox).toHaveLength(1);
    expect(
      (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === invoice.invoiceNumber)?.creditedMinor,
    ).toBe(1000);
  });

  it('returns the same credit note for the same request, without a new number or a second message', async () => {
    const again = await credit(numbers[0]!, 'Outage 1-15 October', '10.00');
    expect(again.repeated).toBe(true);
    expect(again.creditNote.invoiceNumber.endsWith('-000001')).toBe(true);
    const messages = (await f.session.readInbox()).filter((m) => m.eventType === 'credit_note.issued');
    expect(messages).toHaveLength(1);
  });

  it('refuses more than is left, naming the most that can be credited', async () => {
    const invoice = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === numbers[0])!;
    const left = ((invoice.totalMinor - 1000) / 100).toFixed(2);
    await expect(credit(invoice.invoiceNumber, 'Too much', '1000000.00')).rejects.toThrow(
      `credit note for ${invoice.invoiceNumber}: amount: must be above 0 and at most ${left} EUR`,
    );
  });

  it('credits the rest without an amount, and then nothing more', async () => {
    const invoice = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === numbers[0])!;
    const rest = await credit(invoice.invoiceNumber, 'Contract cancelled');
    expect(rest.creditNote.totalMinor).toBe(invoice.totalMinor - 1000);
    expect(rest.creditNote.invoiceNumber.endsWith('-000002')).toBe(true);
    await expect(credit(invoice.invoiceNumber, 'Once more')).rejects.toThrow('is fully credited already');
  });

  it('lets only one of two racing credits of the whole rest win; the loser takes no number silently', async () => {
    const results = await Promise.allSettled([credit(numbers[1]!, 'Race A'), credit(numbers[1]!, 'Race B')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(InvalidInputError);
    expect(String(lost[0]!.reason.message)).toMatch(/changed meanwhile|fully credited/);
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
  });

  it('refuses what is not an issued invoice', async () => {
    await expect(credit('INV-1999-000001', 'Nope')).rejects.toThrow('no invoice has this number');
    const note = (await f.invoices(PERIOD)).find((r) => r.documentType === 'credit_note')!;
    await expect(credit(note.invoiceNumber, 'Credit a credit')).rejects.toThrow('only invoices are credited');
    await expect(credit(numbers[2]!, '   ')).rejects.toThrow('reason: must be 1 to 200 characters');
    await expect(credit(numbers[2]!, 'Cents', '1.001')).rejects.toThrow('has more decimals than EUR allows');
  });

  it('voids and replaces an invoice: credited in full, set aside, and issued anew by a run', async () => {
    const old = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === numbers[3])!;
    const replaced = await f.session.replaceInvoice({
      invoiceNumber: old.invoiceNumber,
      reason: 'Wrong address',
      by,
    });
    expect(replaced.setAside).toBe(true);
    expect(replaced.creditNote?.creditNote).toMatchObject({
      totalMinor: old.totalMinor,
      corrects: old.invoiceNumber,
    });
    const run = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    expect(run.issued).toBe(1);
    const rows = (await f.invoices(PERIOD)).filter(
      (r) => r.customerId === old.customerId && r.documentType !== 'credit_note' && r.status !== 'VOID',
    );
    const setAside = rows.find((r) => r.invoiceNumber === old.invoiceNumber)!;
    const replacement = rows.find((r) => r.invoiceNumber !== old.invoiceNumber)!;
    expect(setAside).toMatchObject({ replacedReason: 'Wrong address', creditedMinor: old.totalMinor });
    expect(replacement).toMatchObject({ status: 'NOTIFIED', totalMinor: old.totalMinor });
    expect(replacement.replacedAt).toBeUndefined();
    // Asked again: nothing more is credited or set aside.
    const again = await f.session.replaceInvoice({
      invoiceNumber: old.invoiceNumber,
      reason: 'Wrong address',
      by,
    });
    expect(again).toMatchObject({ setAside: false });
    expect(again.creditNote).toBeUndefined();
  });

  it('keeps every invariant: gapless series, documents for every note, nothing over-credited', async () => {
    expect(await invariantViolations(f, PERIOD)).toEqual([]);
  });
});
