/**
 * What support staff do to one issued document, on the real local stack: regenerate it from its
 * canonical JSON (identical, or a lost file restored byte for byte, or an error writing nothing
 * when the bytes are not reproduced), resend its notification (a new event the e-mail subscriber
 * delivers again, pointing at the first), and the append-only operator log of both.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { sha256Hex } from '../../lambdas/shared/contracts/document-hashes.js';
import { serializeInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import type { InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let number: string;
let keys: { pdf: string; json: string; xml: string; summary: string };

beforeAll(async () => {
  f = await openBillingFixture('operator');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 3, PERIOD);
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  await f.session.deliverEmails();
  const row = (await f.invoices(PERIOD)).find((r) => r.currency === 'EUR')!;
  number = row.invoiceNumber;
  keys = {
    pdf: row.pdfKey,
    json: row.jsonKey,
    xml: s3Keys.invoiceXml(row.period, row.customerId, number),
    summary: s3Keys.invoiceSummary(row.period, row.customerId, number),
  };
}, 180_000);

afterAll(async () => {
  await f?.cleanup();
});

const bucket = () => f.session.storage.documentsBucket;
const s3 = () => f.session.clients.s3;

describe('invoices regenerate', () => {
  // Each test alters the stored files; the issued ones are put back for the tests after.
  const issued = new Map<string, Buffer>();
  beforeAll(async () => {
    for (const key of Object.values(keys)) issued.set(key, await f.session.stores.documents.getBytes(key));
  });
  afterAll(async () => {
    for (const [key, bytes] of issued)
      await f.session.stores.documents.put(key, bytes, 'application/octet-stream');
  });

  it('finds every document identical to a fresh render from the JSON detail', async () => {
    const result = await f.session.regenerateDocuments(number);
    expect(result.documents).toEqual({
      [keys.json]: 'identical',
      [keys.pdf]: 'identical',
      [keys.summary]: 'identical',
      [keys.xml]: 'identical',
    });
  });

  it('restores a lost PDF byte for byte', async () => {
    const original = await f.session.stores.documents.getBytes(keys.pdf);
    await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: keys.pdf }));
    expect(await f.session.stores.documents.find(keys.pdf)).toBeUndefined();
    const result = await f.session.regenerateDocuments(number);
    expect(result.documents[keys.pdf]).toBe('restored');
    expect(result.documents[keys.xml]).toBe('identical');
    expect((await f.session.stores.documents.getBytes(keys.pdf)).equals(original)).toBe(true);
  });

  it('writes nothing, and says which file, when the stored bytes are not reproduced', async () => {
    const altered = Buffer.from('%PDF-1.7 not the issued document');
    await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: keys.pdf, Body: altered }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: keys.xml }));
    await expect(f.session.regenerateDocuments(number)).rejects.toThrow(
      new RegExp(
        `the renderer no longer reproduces s3://${bucket()}/${keys.pdf} of ${number} \\(stored sha256 [0-9a-f]{64}, rendered [0-9a-f]{64}\\)`,
      ),
    );
    // Nothing written: the altered PDF stays, the missing XML was not restored either.
    expect((await f.session.stores.documents.getBytes(keys.pdf)).equals(altered)).toBe(true);
    expect(await f.session.stores.documents.find(keys.xml)).toBeUndefined();
  });

  it('refuses a JSON detail altered in canonical form, naming the file and both hashes, and restores nothing', async () => {
    const issued = await f.session.stores.documents.getBytes(keys.json);
    const row = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === number)!;
    // A forger's JSON: canonical in form, a different total; and the PDF removed to be "restored" from it.
    const forged = serializeInvoiceDetail({
      ...(JSON.parse(issued.toString()) as InvoiceDetail),
      totalMinor: 1,
    });
    await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: keys.json, Body: forged }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: keys.pdf }));
    await expect(f.session.regenerateDocuments(number)).rejects.toThrow(
      `s3://${bucket()}/${keys.json}, the canonical JSON detail of ${number}, is not the file issued: sha256 recorded at issue ${row.documentHashes!.json}, stored ${sha256Hex(forged)}; nothing was rendered or written`,
    );
    expect(await f.session.stores.documents.find(keys.pdf)).toBeUndefined();
  });

  it('names the file whose bytes fail the checksum S3 keeps, never the SDK message', async () => {
    const json = keys.json;
    // A body stored under the checksum of other bytes: what S3 returns no longer matches it.
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: json,
        Body: Buffer.from('{}'),
        ChecksumSHA256: Buffer.from(sha256Hex(Buffer.from('other')), 'hex').toString('base64'),
      }),
    );
    const refused = (await f.session.regenerateDocuments(number).catch((error: unknown) => error)) as Error;
    expect(refused.message).toBe(
      `s3://${bucket()}/${json}: its bytes do not match the checksum S3 keeps with it (the object was altered or damaged)`,
    );
  });

  it('refuses a JSON detail in another form, and a number that was never issued', async () => {
    const row = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === number)!;
    const pdf = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber !== number)!;
    const json = await f.session.stores.documents.getBytes(pdf.jsonKey);
    // Re-serialized without the canonical form: refused by its hash before anything is parsed.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(json.toString())));
    await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: pdf.jsonKey, Body: reserialized }));
    await expect(f.session.regenerateDocuments(pdf.invoiceNumber)).rejects.toThrow(
      `is not the file issued: sha256 recorded at issue ${pdf.documentHashes!.json}, stored ${sha256Hex(reserialized)}`,
    );
    expect(row.documentHashes).toBeDefined();
    await expect(f.session.regenerateDocuments('INV-2026-999999')).rejects.toThrow(
      'no issued invoice or credit note INV-2026-999999',
    );
  });
});

describe('notify --resend', () => {
  it('publishes the notification again with its own event id, and the customer gets the e-mail again', async () => {
    const customerId = (await f.invoices(PERIOD)).find((r) => r.invoiceNumber === number)!.customerId;
    const before = await f.session.readInbox(customerId);
    const mailsBefore = (await f.session.readMail(customerId)).filter((m) => m.subject.includes(number));
    expect(mailsBefore).toHaveLength(1);

    const first = await f.session.resendNotification(number, 1);
    const second = await f.session.resendNotification(number, 2);
    await f.session.deliverEmails();
    const after = await f.session.readInbox(customerId);
    expect(after).toHaveLength(before.length + 2);
    const original = before.find((m) => m.invoiceNumber === number)!.event.eventId;
    expect(after.slice(-2).map((m) => [m.event.eventId, m.event.resendOf])).toEqual([
      [first.eventId, original],
      [second.eventId, original],
    ]);
    expect(new Set([original, first.eventId, second.eventId]).size).toBe(3);
    // Same words as the first message, same hosted link.
    expect(after.at(-1)?.event.hostedUrl).toBe(
      before.find((m) => m.invoiceNumber === number)!.event.hostedUrl,
    );
    expect((await f.session.readMail(customerId)).filter((m) => m.subject.includes(number))).toHaveLength(3);
  });

  it('refuses a number that names no document', async () => {
    await expect(f.session.resendNotification('INV-2026-999999', 1)).rejects.toThrow(
      'no invoice or credit note INV-2026-999999',
    );
  });
});

describe('operator log', () => {
  it('keeps every entry, oldest first, per invoice and per run, and never overwrites one', async () => {
    const log = f.session.operatorLog;
    const subject = { kind: 'invoice' as const, invoiceNumber: number };
    const at = '2026-11-30T10:00:00.000Z';
    await log.record({ at, by: 'local:ann@desk', action: 'resend', reason: 'lost e-mail', subject });
    await log.record({ at, by: 'local:bob@desk', action: 'resend', reason: 'again', subject });
    await log.record({ at: '2026-11-30T09:00:00.000Z', by: 'local:ann@desk', action: 'regenerate', subject });
    await log.record({
      at,
      by: 'local:ann@desk',
      action: 'redrive',
      subject: { kind: 'run', runId: 'run-x' },
    });
    const entries = await log.entries(subject);
    expect(entries.map((e) => [e.action, e.by])).toEqual([
      ['regenerate', 'local:ann@desk'],
      expect.arrayContaining(['resend']),
      expect.arrayContaining(['resend']),
    ]);
    expect(entries.map((e) => e.reason).sort()).toEqual(['again', 'lost e-mail', undefined].sort());
    expect(await log.entries({ kind: 'run', runId: 'run-x' })).toEqual([
      { at, by: 'local:ann@desk', action: 'redrive', subject: { kind: 'run', runId: 'run-x' } },
    ]);
  });
});
