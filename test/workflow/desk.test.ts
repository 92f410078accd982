/**
 * The support desk on the real local stack: the search index as imports keep it (a renamed
 * customer is found by its new name only, `search --reindex` for records written around the
 * import), the lookups by payment and RF reference, the console's payment and reminder actions
 * through their review and execution, and stuck run locks — a holder on another host blocks its
 * period, the refusal names the command, the lock is listed, kept without --force, released with
 * it and logged, and the period then runs; a dead local holder's lock is released without force.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runLockKey } from '../../lambdas/shared/contracts/keys.js';
import { creditorReference } from '../../lambdas/shared/documents/payment.js';
import { importRecords } from '../../lambdas/shared/operations/import-records.js';
import { RunLockError } from '../../lambdas/shared/operations/run-locks.js';
import { search } from '../../lambdas/shared/operations/search.js';
import { dynamoRecordWriter } from '../../lambdas/shared/store/record-writer.js';
import { consoleActions } from '../../scripts/cli/console-actions.js';
import { consoleUploads } from '../../scripts/cli/console-uploads.js';
import { releaseLockWithLog } from '../../scripts/cli/desk-operations.js';
import type { Target } from '../../scripts/cli/target.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { RunFailedError } from '../../workflows/local/harness/run-summary.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;

beforeAll(async () => {
  f = await openBillingFixture('desk');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 6, PERIOD);
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  await f.session.deliverEmails();
}, 180_000);

afterAll(async () => {
  await f?.cleanup();
});

const find = (text: string) =>
  search({ invoices: f.session.stores.invoices, search: f.session.stores.search }, text);
const importCustomers = (records: unknown[]) =>
  importRecords(
    { writer: dynamoRecordWriter(f.session.clients.dynamodb), tables: f.session.storage.tables },
    'customers',
    records.map((record, i) => ({ row: i + 1, record })),
  );

describe('search', () => {
  it('finds seeded customers by fragments of their names in any script, and by e-mail', async () => {
    expect((await find('zürch')).customers.map((c) => c.customerId)).toEqual([]);
    expect((await find('MÜLLER søn')).customers.map((c) => c.legalName)).toEqual(['Müller & Søn GmbH']);
    expect((await find('サンプル')).customers.map((c) => c.customerId)).toEqual(['cus_00003']);
    expect((await find('billing+cus_00004@')).customers.map((c) => c.customerId)).toEqual(['cus_00004']);
    expect((await find('cus_00002')).customers).toEqual([
      expect.objectContaining({ customerId: 'cus_00002', matchedBy: 'id' }),
    ]);
  });

  it('follows an import: a renamed customer is found by its new name, not its old one', async () => {
    const [first] = demoCustomers(1);
    expect((await importCustomers([{ ...first, legalName: 'Quellwasser Handels KG' }])).written).toBe(1);
    expect((await find('quellw')).customers.map((c) => c.customerId)).toEqual(['cus_00001']);
    expect((await find('müller')).customers).toEqual([]);
    await importCustomers([first]);
    expect((await find('müller')).customers.map((c) => c.customerId)).toEqual(['cus_00001']);
    expect((await find('quellw')).customers).toEqual([]);
  });

  it('indexes records written around the import once reindexed', async () => {
    const stray = { ...demoCustomers(1)[0]!, customerId: 'cus_stray', legalName: 'Xylophon Werke' };
    await f.session.clients.dynamodb.send(
      new PutCommand({ TableName: f.session.storage.tables.customers, Item: stray }),
    );
    expect((await find('xylo')).customers).toEqual([]);
    expect(await f.session.stores.search.reindex()).toBeGreaterThanOrEqual(7);
    expect((await find('xylo')).customers.map((c) => c.customerId)).toEqual(['cus_stray']);
  });

  it('finds a document by its number in any case and by the RF reference printed on it', async () => {
    const [row] = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED');
    expect((await find(row!.invoiceNumber.toLowerCase())).documents.map((d) => d.invoiceNumber)).toEqual([
      row!.invoiceNumber,
    ]);
    const spaced = creditorReference(row!.invoiceNumber).replace(/(.{4})/g, '$1 ');
    expect((await find(spaced)).documents.map((d) => d.invoiceNumber)).toEqual([row!.invoiceNumber]);
  });
});

describe('the console actions on payments and reminders', () => {
  const target = () => ({ session: f.session }) as unknown as Target;

  it('records a payment with a reference (then found by it), reverses it, writes off, pauses and resumes', async () => {
    const row = (await f.invoices(PERIOD)).find((r) => r.status === 'NOTIFIED' && r.currency === 'EUR')!;
    const read = {
      document: async (number: string) => {
        const current = (await f.session.stores.invoices.query({ invoiceNumber: number }))[0]!;
        return {
          row: current,
          link: undefined,
          payments: await f.session.stores.receivables.payments(current.customerId, number),
          customerName: '',
          email: '',
        };
      },
      customer: async (customerId: string) => ({
        customerId,
        name: '',
        paused: (await f.session.stores.reminders.paused()).get(customerId),
      }),
      lock: async (period: string) => (await f.session.runLocks()).find((l) => l.period === period),
    };
    const actions = consoleActions(target(), read);
    const act = async (id: string, subject: string, values: Record<string, string>) => {
      const spec = await actions.spec(id, subject);
      expect(spec).toBeDefined();
      const preview = await actions.preview(spec!, subject, values);
      return { preview, outcome: await actions.execute(spec!, subject, values) };
    };
    expect(await actions.spec('reverse-payment', row.invoiceNumber)).toBeUndefined();
    const paid = await act('record-payment', row.invoiceNumber, {
      amount: '10.00',
      date: '2026-11-20',
      method: 'bank_transfer',
      reference: 'RCPT 4711',
      reason: 'paid at the counter',
    });
    expect(paid.preview.lines[0]).toBe(
      `10.00 EUR received on 2026-11-20 by bank_transfer, reference RCPT 4711.`,
    );
    expect(paid.outcome.lines[0]).toMatch(/^Recorded pay_\w+: 10\.00 EUR; now partially_paid/);
    expect((await find('rcpt4711')).payments.map((p) => p.invoiceNumber)).toEqual([row.invoiceNumber]);

    const reverse = await actions.spec('reverse-payment', row.invoiceNumber);
    const paymentId = reverse!.fields[0]!.options![0]!.value;
    const reversed = await act('reverse-payment', row.invoiceNumber, {
      payment: paymentId,
      reason: 'bounced',
    });
    expect(reversed.outcome.lines[0]).toMatch(/^Reversed: now unpaid/);
    expect(await actions.spec('reverse-payment', row.invoiceNumber)).toBeUndefined();

    const writtenOff = await act('write-off', row.invoiceNumber, { reason: 'insolvent' });
    expect(writtenOff.outcome.lines[0]).toMatch(/^Written off: /);
    expect(await actions.spec('write-off', row.invoiceNumber)).toBeUndefined();
    expect(await actions.spec('record-payment', row.invoiceNumber)).toBeUndefined();

    expect(await actions.spec('resume-reminders', row.customerId)).toBeUndefined();
    await act('pause-reminders', row.customerId, { reason: 'disputed' });
    expect((await f.session.stores.reminders.paused()).get(row.customerId)?.reason).toBe('disputed');
    expect(await actions.spec('pause-reminders', row.customerId)).toBeUndefined();
    await act('resume-reminders', row.customerId, { reason: 'settled' });
    expect((await f.session.stores.reminders.paused()).has(row.customerId)).toBe(false);

    const log = await f.session.operatorLog.entries({ kind: 'invoice', invoiceNumber: row.invoiceNumber });
    expect(log.map((e) => [e.action, e.reason, e.details?.via])).toEqual([
      ['record-payment', 'paid at the counter', 'console'],
      ['reverse-payment', 'bounced', 'console'],
      ['write-off', 'insolvent', 'console'],
    ]);
    const customerLog = await f.session.operatorLog.entries({ kind: 'customer', customerId: row.customerId });
    expect(customerLog.map((e) => e.action)).toEqual(['pause-reminders', 'resume-reminders']);
  });
});

describe('file import from the console', () => {
  it('previews customers (changes and bad rows) without writing, then imports them, logged with the reason', async () => {
    const [first, second] = demoCustomers(2);
    const lines = [
      JSON.stringify({ ...first, legalName: 'Neuer Name GmbH' }),
      JSON.stringify(second),
      '{"customerId": "cus_bad"}',
    ].join('\n');
    const file = { name: 'crm.jsonl', bytes: new TextEncoder().encode(`${lines}\n`) };
    const uploads = consoleUploads(f.session);
    const preview = await uploads.preview('customers', file);
    expect(preview.lines).toEqual([
      '3 rows: 1 new or changed, to be written, 1 unchanged, 1 with errors (not to be imported).',
    ]);
    expect(preview.errors).toEqual([{ where: 'row 3', message: expect.stringContaining('cus_bad') }]);
    expect(preview.importable).toBe(true);
    expect((await find('neuer')).customers).toEqual([]);
    expect(await uploads.write('customers', file, 'CRM export of today')).toEqual([
      '3 rows: 1 written, 1 unchanged, 1 with errors (not imported).',
    ]);
    expect((await find('neuer')).customers.map((c) => c.customerId)).toEqual(['cus_00001']);
    const log = await f.session.operatorLog.entries({ kind: 'records', table: 'customers' });
    expect(log.at(-1)).toMatchObject({
      action: 'import',
      reason: 'CRM export of today',
      details: { via: 'console', written: 1 },
    });
    await importCustomers([first]);
  });

  it('refuses a file that is neither JSON Lines nor CSV, naming it', async () => {
    await expect(
      consoleUploads(f.session).preview('customers', { name: 'crm.xlsx', bytes: new Uint8Array([1, 2]) }),
    ).rejects.toThrow('file: crm.xlsx is neither JSON Lines (.jsonl, .ndjson) nor CSV (.csv)');
  });
});

describe('stuck run locks', () => {
  const stuck = async (period: string, holderExecution: string, holderRunId: string) =>
    f.session.clients.dynamodb.send(
      new PutCommand({
        TableName: f.session.storage.tables.runs,
        Item: {
          runId: runLockKey(period),
          holderRunId,
          holderExecution,
          acquiredAt: '2026-11-02T03:00:00.000Z',
        },
      }),
    );

  it('refuses a run of a period held by a run on another host, naming how to release it', async () => {
    await stuck('2026-09', 'local:container-7f3a:41:run-2026-09-old', 'run-2026-09-old');
    const refused = await runLocalBilling(f.session, { period: '2026-09', retryIntervalMs: 1 }).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(RunFailedError);
    expect((refused as RunFailedError).message).toContain('invoicer runs unlock 2026-09 --reason');
    expect(await f.session.runLocks()).toEqual([
      expect.objectContaining({ period: '2026-09', holderRunId: 'run-2026-09-old', holder: 'unverifiable' }),
    ]);
    expect((await f.session.runLocks())[0]!.ageHours).toBeGreaterThan(24);
  });

  it('keeps that lock without --force, releases it with, logs it, and the period then runs', async () => {
    const release = (force: boolean) =>
      releaseLockWithLog(f.session, { period: '2026-09', reason: 'container replaced', force, via: 'cli' });
    await expect(release(false)).rejects.toThrow(
      /kept: its holder local:container-7f3a:41:run-2026-09-old cannot be checked from here.*--force/,
    );
    await expect(release(false)).rejects.toBeInstanceOf(RunLockError);
    expect(await f.session.runLocks()).toHaveLength(1);
    expect(await release(true)).toMatchObject({ period: '2026-09', holder: 'unverifiable' });
    expect(await f.session.runLocks()).toEqual([]);
    const log = await f.session.operatorLog.entries({ kind: 'run', runId: 'run-2026-09-old' });
    expect(log).toEqual([
      expect.objectContaining({
        action: 'release-lock',
        reason: 'container replaced',
        details: expect.objectContaining({ period: '2026-09', force: true, holderState: 'unverifiable' }),
      }),
    ]);
    await expect(release(true)).rejects.toThrow('period 2026-09 has no run lock: nothing to release');
    const run = await runLocalBilling(f.session, { period: '2026-09', retryIntervalMs: 1 });
    expect(run.failed).toBe(0);
  });

  it('releases without --force a lock whose local holder process is gone (the console offers it plainly)', async () => {
    const host = (await import('node:os')).hostname();
    await stuck('2026-08', `local:${host}:999999:run-2026-08-old`, 'run-2026-08-old');
    const [lock] = await f.session.runLocks();
    expect(lock).toMatchObject({ period: '2026-08', holder: 'stopped' });
    const actions = consoleActions({ session: f.session } as unknown as Target, {
      document: async () => undefined,
      customer: async (customerId) => ({ customerId, name: '', paused: undefined }),
      lock: async (period) => (await f.session.runLocks()).find((l) => l.period === period),
    });
    expect(actions.lockSpecs(lock!)).toEqual([expect.objectContaining({ id: 'release-lock', fields: [] })]);
    const spec = (await actions.spec('release-lock', '2026-08'))!;
    expect((await actions.execute(spec, '2026-08', { reason: 'crashed laptop' })).lines).toEqual([
      'Released the lock of 2026-08 (run run-2026-08-old).',
    ]);
    expect(await f.session.runLocks()).toEqual([]);
  });
});
