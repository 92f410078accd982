/**
 * Who has paid, on the real local stack after a billing run: a camt.053 statement matched by the
 * RF reference on the invoice, a Swiss QR-bill's reference, the invoice number in the remittance
 * text, and amount and payer; what fits no rule kept for support and assigned; the same statement
 * twice and two imports at once applying each entry once; a crash between matching and recording
 * re-run; payments by hand, reversed, refused for what is not payable; a write-off; the daily
 * reminders once per (invoice, step), in the customer's language, never for what is settled or
 * paused, and a job killed half-way re-run; the change stream's payment events; the statement
 * route. The invariants (open = total − credit notes − payments, each entry once) after each.
 */
import { addDays } from '../../lambdas/shared/domain/periods.js';
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import { DOMAIN_EVENT_TYPE } from '../../lambdas/shared/contracts/domain-events.js';
import { creditorReference, swissQrBillData } from '../../lambdas/shared/documents/payment.js';
import { validateInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import { openAmountOf, paymentStatusOf, reminderStepDue } from '../../lambdas/shared/domain/receivables.js';
import { InvalidInputError } from '../../lambdas/shared/errors.js';
import { CATALOGUES, catalogueFor } from '../../lambdas/shared/i18n/catalogue.js';
import { importStatement, readStatement } from '../../lambdas/shared/operations/import-statement.js';
import {
  recordPayment,
  reversePayment,
  writeOffInvoice,
  assignCredit,
  type PaymentDeps,
} from '../../lambdas/shared/operations/payments.js';
import { sendReminders } from '../../lambdas/shared/operations/send-reminders.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import type { ReceivablesStore } from '../../lambdas/shared/store/receivables.js';
import { serveSessionApi } from '../../workflows/local/api-server.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { customerTopicPublisher } from '../../workflows/local/harness/session-messaging.js';
import {
  LOCAL_PUBLIC_BASE_URL,
  localHostedLinks,
  localLinkSecret,
} from '../../workflows/local/hosted-links.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';
import { camt053, type TestCredit } from '../support/camt.js';

const PERIOD = '2026-10';
const by = 'test@payments';
const IBAN = DEFAULT_SELLER.bankAccount!.iban;
let f: BillingFixture;
let eur: InvoiceRow[];
let chf: InvoiceRow;

const row = async (number: string): Promise<InvoiceRow> =>
  (await f.session.stores.invoices.query({ invoiceNumber: number }))[0]!;
const deps = (
  receivables: ReceivablesStore = f.session.stores.receivables,
): PaymentDeps & Parameters<typeof importStatement>[0] => ({
  invoices: f.session.stores.invoices,
  records: f.session.stores.records,
  receivables,
  now: () => new Date(),
});
const decimal = (minor: number) => (minor / 100).toFixed(2);
const importCredits = (credits: TestCredit[], receivables?: ReceivablesStore) =>
  importStatement(deps(receivables), readStatement(camt053(IBAN, credits), 'test.xml', 'camt'), by);

beforeAll(async () => {
  f = await openBillingFixture('payments');
  await runLocalBilling(f.session, { period: PERIOD, demoCustomers: 16, retryIntervalMs: 1 });
  const issued = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED' && r.totalMinor > 0);
  eur = issued.filter((r) => r.currency === 'EUR');
  chf = issued.find((r) => r.currency === 'CHF')!;
  expect(eur.length).toBeGreaterThanOrEqual(7);
  expect(chf).toBeDefined();
}, 180_000);

afterAll(async () => {
  await f?.cleanup();
});

afterEach(async () => {
  expect(await invariantViolations(f, PERIOD)).toEqual([]);
});

describe('bank statements', () => {
  it('matches by RF reference, QR-bill reference, invoice number and amount with payer; keeps the rest', async () => {
    const [a, b, c] = eur;
    const names = await f.session.stores.records.listCustomerNames();
    const detail = validateInvoiceDetail(
      JSON.parse((await f.session.stores.documents.getBytes(chf.jsonKey)).toString()),
    );
    const qrReference = swissQrBillData(detail).reference!;
    const report = await importCredits([
      {
        bankRef: 'S1-1',
        amount: decimal(a!.totalMinor),
        currency: 'EUR',
        reference: creditorReference(a!.invoiceNumber),
      },
      { bankRef: 'S1-2', amount: decimal(chf.totalMinor), currency: 'CHF', reference: qrReference },
      { bankRef: 'S1-3', amount: '10.00', currency: 'EUR', text: `Teilzahlung ${b!.invoiceNumber}` },
      {
        bankRef: 'S1-4',
        amount: decimal(c!.totalMinor),
        currency: 'EUR',
        payer: names.get(c!.customerId)!.toUpperCase(),
      },
      { bankRef: 'S1-5', amount: '4.56', currency: 'EUR', payer: 'Nobody Ltd', text: 'donation' },
    ]);
    expect(report).toMatchObject({ credits: 5, matched: 4, unmatched: 1, alreadyImported: 0, errors: [] });
    expect(report.entries.map((e) => e.rule ?? e.outcome)).toEqual([
      'reference',
      'reference',
      'invoice_number',
      'amount_and_payer',
      'unmatched',
    ]);
    expect(paymentStatusOf(await row(a!.invoiceNumber))).toBe('paid');
    expect(paymentStatusOf(await row(chf.invoiceNumber))).toBe('paid');
    expect(paymentStatusOf(await row(b!.invoiceNumber))).toBe('partially_paid');
    expect(openAmountOf(await row(b!.invoiceNumber))).toBe(b!.totalMinor - 1000);
    expect(paymentStatusOf(await row(c!.invoiceNumber))).toBe('paid');
    expect((await f.session.stores.receivables.unmatched()).map((u) => u.amountMinor)).toEqual([456]);
  });

  it('changes nothing when the same statement is imported again, or twice at once', async () => {
    const [, , , d] = eur;
    const credits: TestCredit[] = [
      { bankRef: 'S2-1', amount: '1.00', currency: 'EUR', reference: creditorReference(d!.invoiceNumber) },
      { bankRef: 'S2-2', amount: '2.00', currency: 'EUR', text: d!.invoiceNumber },
    ];
    const [one, two] = await Promise.all([importCredits(credits), importCredits(credits)]);
    expect(one!.matched + two!.matched).toBe(2);
    expect((await importCredits(credits)).alreadyImported).toBe(2);
    expect((await row(d!.invoiceNumber)).paidMinor).toBe(300);
    // The first statement again: every entry was seen.
    expect(
      (await importCredits([{ bankRef: 'S1-1', amount: '1.00', currency: 'EUR' }])).alreadyImported,
    ).toBe(1);
  });

  it('a crash between matching and recording loses and doubles nothing when the import runs again', async () => {
    const [, , , , e] = eur;
    const store = f.session.stores.receivables;
    let calls = 0;
    const crashing: ReceivablesStore = {
      ...store,
      recordCredits: async (...args) => {
        if (++calls === 2) throw new Error('process killed');
        return store.recordCredits(...args);
      },
    };
    const credits: TestCredit[] = [1, 2, 3].map((n) => ({
      bankRef: `S3-${n}`,
      amount: `${n}.00`,
      currency: 'EUR',
      reference: creditorReference(e!.invoiceNumber),
    }));
    await expect(importCredits(credits, crashing)).rejects.toThrow('process killed');
    const again = await importCredits(credits);
    expect(again.matched + again.alreadyImported).toBe(3);
    expect((await row(e!.invoiceNumber)).paidMinor).toBe(600);
  });

  it('an entry in an unknown currency is an error of that entry; the others are recorded', async () => {
    const [, , , , , g] = eur;
    const report = await importCredits([
      { bankRef: 'S4-1', amount: '5.00', currency: 'XQQ', reference: creditorReference(g!.invoiceNumber) },
      { bankRef: 'S4-2', amount: '5.00', currency: 'EUR', reference: creditorReference(g!.invoiceNumber) },
    ]);
    expect(report.errors).toEqual([
      { where: 'test.xml: Stmt TEST-STMT entry 1', message: expect.stringContaining('XQQ') },
    ]);
    expect(report.matched).toBe(1);
  });

  it('support assigns an unmatched credit to the invoice it pays, once', async () => {
    const [, b] = eur;
    const [credit] = await f.session.stores.receivables.unmatched();
    const assigned = await assignCredit(deps(), {
      entryId: credit!.entryId,
      invoiceNumber: b!.invoiceNumber,
      by,
    });
    expect(assigned.outcome).toBe('recorded');
    expect(await f.session.stores.receivables.unmatched()).toEqual([]);
    await expect(
      assignCredit(deps(), { entryId: credit!.entryId, invoiceNumber: b!.invoiceNumber, by }),
    ).rejects.toThrow(InvalidInputError);
    expect((await row(b!.invoiceNumber)).paidMinor).toBe(1000 + 456);
  });
});

describe('payments by hand', () => {
  it('records, repeats as the same payment, reverses once, and refuses what is not payable', async () => {
    const [, b] = eur;
    const ask = {
      invoiceNumber: b!.invoiceNumber,
      amount: '3.00',
      date: '2026-11-28',
      reason: 'cash at the desk',
      method: 'cash',
      by,
    };
    const paid = await recordPayment(deps(), ask);
    expect(paid.outcome).toBe('recorded');
    expect((await recordPayment(deps(), ask)).outcome).toBe('repeated');
    const reversal = {
      invoiceNumber: b!.invoiceNumber,
      paymentId: paid.payment.paymentId,
      reason: 'counterfeit',
      by,
    };
    expect((await reversePayment(deps(), reversal)).payment.amountMinor).toBe(-300);
    expect((await reversePayment(deps(), reversal)).outcome).toBe('repeated');
    for (const bad of [
      { ...ask, amount: '0' },
      { ...ask, amount: '-1' },
      { ...ask, amount: '1.001' },
      { ...ask, currency: 'XYZ' },
      { ...ask, currency: 'SEK' },
      { ...ask, date: '2026-02-30' },
      { ...ask, method: 'barter' },
      { ...ask, reason: ' ' },
      { ...ask, invoiceNumber: 'INV-1999-000001' },
    ])
      await expect(recordPayment(deps(), bad)).rejects.toThrow(InvalidInputError);
    expect((await row(b!.invoiceNumber)).paidMinor).toBe(1000 + 456);
  });

  it('refuses a payment for a replaced invoice and for a credit note', async () => {
    const [, , , , , , h] = eur;
    const replaced = await f.session.replaceInvoice({
      invoiceNumber: h!.invoiceNumber,
      reason: 'wrong address',
      by,
    });
    const ask = { amount: '1.00', date: '2026-11-28', reason: 'x', by };
    await expect(recordPayment(deps(), { ...ask, invoiceNumber: h!.invoiceNumber })).rejects.toThrow(
      /replaced/,
    );
    await expect(
      recordPayment(deps(), { ...ask, invoiceNumber: replaced.creditNote!.creditNote.invoiceNumber }),
    ).rejects.toThrow(/credit note/);
  });

  it('writes an invoice off once; a credit note after a partial payment leaves the rest open', async () => {
    const [, , , d] = eur;
    const before = await row(d!.invoiceNumber);
    await f.session.creditInvoice({
      invoiceNumber: d!.invoiceNumber,
      reason: 'goodwill',
      amount: '1.00',
      by,
    });
    const credited = await row(d!.invoiceNumber);
    expect(openAmountOf(credited)).toBe(before.totalMinor - 300 - 100);
    expect(paymentStatusOf(credited)).toBe('partially_paid');
    expect(
      (await writeOffInvoice(deps(), { invoiceNumber: d!.invoiceNumber, reason: 'insolvent', by }))
        .writtenOff,
    ).toBe(true);
    expect(
      (await writeOffInvoice(deps(), { invoiceNumber: d!.invoiceNumber, reason: 'insolvent', by }))
        .writtenOff,
    ).toBe(false);
    expect(paymentStatusOf(await row(d!.invoiceNumber))).toBe('written_off');
  });
});

describe('reminders', () => {
  // The local stack's own publisher (fauxqs takes no MessageStructure: it delivers what AWS would).
  const publishFor = () =>
    customerTopicPublisher(f.session.clients.sns, f.session.stack.names.customerTopicArn);
  const jobDeps = (publish = publishFor()) => ({
    invoices: f.session.stores.invoices,
    reminders: f.session.stores.reminders,
    hostedLinks: localHostedLinks(f.session.stores.links, {
      secretHex: localLinkSecret(f.session.dataDir).toString('hex'),
      publicBaseUrl: LOCAL_PUBLIC_BASE_URL,
    }),
    publish,
    steps: [-3, 7, 21],
    timeZone: 'Europe/Berlin',
    now: () => new Date(),
  });
  const REMINDER_SUBJECTS = Object.values(CATALOGUES).map((c) => `${c.notification.reminder} `);
  const reminderMails = async () =>
    (await f.session.readMail()).filter((m) =>
      REMINDER_SUBJECTS.some((title) => m.subject.startsWith(title)),
    );

  it('sends each step once, in the customer language, never for settled, written-off or paused invoices; a killed job re-run sends the rest once', async () => {
    const open = (await f.invoices(PERIOD)).filter(
      (r) =>
        r.status === 'NOTIFIED' &&
        r.documentType === undefined &&
        r.replacedAt === undefined &&
        r.dueDate &&
        openAmountOf(r) > 0 &&
        !r.writtenOffAt,
    );
    const due = open[0]!.dueDate!;
    const paused = open[1]!;
    await f.session.stores.reminders.pause({
      customerId: paused.customerId,
      reason: 'disputed',
      by,
      at: new Date().toISOString(),
    });
    // Killed after its first publish: the claim it took and could not publish is published by the re-run.
    let published = 0;
    const dying = publishFor();
    await expect(
      sendReminders(
        jobDeps(async (message, attributes) => {
          if (++published === 2) throw new Error('killed');
          await dying(message, attributes);
        }),
        { date: addDays(due, -3) },
      ),
    ).rejects.toThrow('killed');
    // Nothing was recorded as sent: the re-run publishes every reminder again, same event ids.
    const rerun = await f.session.runReminders({ date: addDays(due, -3) });
    expect(Object.values(rerun.sent).reduce((a, b) => a + b, 0)).toBeGreaterThan(1);
    const again = await f.session.runReminders({ date: addDays(due, -3) });
    expect(again.sent).toEqual({});
    await f.session.deliverEmails();
    const mails = await reminderMails();
    const reminded = open.filter(
      (r) =>
        r.customerId !== paused.customerId &&
        reminderStepDue(r, addDays(due, -3), [-3, 7, 21], []) !== undefined,
    );
    expect(mails.map((m) => m.subject.split(' ').at(-1)).sort()).toEqual(
      reminded.map((r) => r.invoiceNumber).sort(),
    );
    expect(reminded.length).toBeGreaterThan(1);
    // Each in its customer's language.
    for (const r of reminded)
      expect(mails.find((m) => m.subject.endsWith(r.invoiceNumber))!.subject).toBe(
        `${catalogueFor(r.locale ?? 'en').notification.reminder} ${r.invoiceNumber}`,
      );
    // Nothing for what is settled or written off.
    const settled = (await f.invoices(PERIOD)).filter(
      (r) => r.paidMinor !== undefined && (openAmountOf(r) <= 0 || r.writtenOffAt),
    );
    for (const r of settled) expect(await f.session.stores.reminders.sentOf(r.invoiceNumber)).toEqual([]);
    expect(await f.session.stores.reminders.sentOf(paused.invoiceNumber)).toEqual([]);
  });

  it('marks overdue invoices once (the invoice.overdue event) and sends the step after the due date', async () => {
    const open = (await f.invoices(PERIOD)).find(
      (r) =>
        r.status === 'NOTIFIED' && !r.documentType && openAmountOf(r) > 0 && !r.writtenOffAt && !r.replacedAt,
    )!;
    const late = await f.session.runReminders({ date: addDays(open.dueDate!, 8) });
    expect(late.markedOverdue).toBeGreaterThan(0);
    expect(late.sent['7']).toBeGreaterThan(0);
    expect((await row(open.invoiceNumber)).overdueAt).toBeDefined();
    expect((await f.session.runReminders({ date: addDays(open.dueDate!, 9) })).markedOverdue).toBe(0);
    await f.session.events!.deliverEvents!();
    const events = await f.session.events!.archive.read({
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    const types = new Set(events.map((e) => e.type));
    expect(types).toContain(DOMAIN_EVENT_TYPE.invoiceOverdue);
    expect(types).toContain(DOMAIN_EVENT_TYPE.invoicePaymentStatusChanged);
    const overdue = events.filter(
      (e) => e.type === DOMAIN_EVENT_TYPE.invoiceOverdue && e.subject.id === open.invoiceNumber,
    );
    expect(overdue).toHaveLength(1);
  });
});

describe('where people see it', () => {
  it("the statement route lists a customer's open items, payments and balance", async () => {
    const [, b] = eur;
    const api = await serveSessionApi(f.session, {
      reportError: (error) => {
        throw error;
      },
    });
    try {
      const body = (await (await fetch(`${api.url}/v1/customers/${b!.customerId}/statement`)).json()) as {
        balance: { amount: string; currency: string }[];
        openItems: { number: string; payment: { status: string; open: { minor: number } } }[];
        payments: { id: string; amount: { minor: number } }[];
      };
      const current = await row(b!.invoiceNumber);
      expect(body.openItems.find((i) => i.number === b!.invoiceNumber)!.payment).toMatchObject({
        status: 'partially_paid',
        open: { minor: openAmountOf(current) },
      });
      expect(body.payments.reduce((sum, p) => sum + p.amount.minor, 0)).toBe(current.paidMinor);
      expect((await fetch(`${api.url}/v1/customers/cus_nobody/statement`)).status).toBe(404);
      expect((await fetch(`${api.url}/v1/customers/__proto__/statement`)).status).toBe(400);
      expect((await fetch(`${api.url}/v1/customers/a%20b/statement`)).status).toBe(400);
    } finally {
      await api.close();
    }
  });
});
