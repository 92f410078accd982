/**
 * Issued documents are tamper-evident, on the real local stack: `invoices verify` finds a changed
 * byte in a PDF, a JSON and an XML and a removed file, and calls a clean month clean; documents
 * issued before hashes were recorded get them once (`invoices record-hashes`), never after an
 * alteration; and the read API and the hosted page never serve a file that is not the one issued,
 * saying so in the document's operator log.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { documentKey, sha256Hex } from '../../lambdas/shared/contracts/document-hashes.js';
import { recordMissingHashes, verifyDocuments } from '../../lambdas/shared/operations/document-integrity.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let api: ApiServer;
let rows: InvoiceRow[];
const errors: unknown[] = [];

beforeAll(async () => {
  f = await openBillingFixture('integrity');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 8, PERIOD);
  await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  rows = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED' && r.documentHashes?.xml);
  api = await serveSessionApi(f.session, { reportError: (error) => errors.push(error) });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await f?.cleanup();
});

const verify = () => verifyDocuments(f.session.stores, { period: PERIOD });
const documents = () => f.session.stores.documents;

/** The stored file with one byte changed (written through the S3 API, as anyone with access could). */
async function flipOneByte(key: string): Promise<Buffer> {
  const bytes = Buffer.from(await documents().getBytes(key));
  const original = Buffer.from(bytes);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
  await documents().put(key, bytes, 'application/octet-stream');
  return original;
}

describe('invoices verify', () => {
  it('calls a clean month clean, every file of every issued document checked', async () => {
    const report = await verify();
    expect(report).toMatchObject({ period: PERIOD, clean: true, problems: [], unrecorded: [] });
    expect(report.documents).toBe((await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED').length);
    expect(report.files).toBeGreaterThanOrEqual(report.documents * 3);
  });

  it('finds one changed byte in a PDF, a JSON and an XML, and a removed file', async () => {
    const [a, b, c, d] = rows as [InvoiceRow, InvoiceRow, InvoiceRow, InvoiceRow];
    const changed = [documentKey('pdf', a), documentKey('json', b), documentKey('xml', c)];
    const originals = await Promise.all(changed.map(flipOneByte));
    const removedKey = documentKey('summary', d);
    const removed = await documents().getBytes(removedKey);
    await f.session.clients.s3.send(new DeleteObjectCommand({ Bucket: documents().bucket, Key: removedKey }));

    const report = await verify();
    expect(report.clean).toBe(false);
    expect(report.problems.map((p) => [p.invoiceNumber, p.kind, p.key, p.state]).sort()).toEqual(
      [
        [a.invoiceNumber, 'pdf', changed[0], 'changed'],
        [b.invoiceNumber, 'json', changed[1], 'changed'],
        [c.invoiceNumber, 'xml', changed[2], 'changed'],
        [d.invoiceNumber, 'summary', removedKey, 'missing'],
      ].sort(),
    );
    const pdfProblem = report.problems.find((p) => p.kind === 'pdf')!;
    expect(pdfProblem.recorded).toBe(a.documentHashes!.pdf);
    expect(pdfProblem.stored).toBe(sha256Hex(await documents().getBytes(changed[0]!)));

    for (const [i, key] of changed.entries())
      await documents().put(key, originals[i]!, 'application/octet-stream');
    await documents().put(removedKey, removed, 'application/json');
    expect((await verify()).clean).toBe(true);
  });
});

describe('a file changed behind S3 (its bytes fail the checksum S3 keeps)', () => {
  it('is reported changed by verify and refused by the read API, never a 500', async () => {
    const row = rows[3]!;
    const original = await documents().getBytes(row.jsonKey);
    await f.session.clients.s3.send(
      new PutObjectCommand({
        Bucket: documents().bucket,
        Key: row.jsonKey,
        Body: Buffer.from('{}'),
        ChecksumSHA256: Buffer.from(row.documentHashes!.json, 'hex').toString('base64'),
      }),
    );
    try {
      expect((await verify()).problems).toEqual([
        expect.objectContaining({
          key: row.jsonKey,
          state: 'changed',
          stored: 'bytes failing the checksum S3 keeps',
        }),
      ]);
      const lines = await fetch(`${api.url}/v1/invoices/${row.invoiceNumber}/detail/lines`);
      expect(lines.status).toBe(409);
    } finally {
      await documents().put(row.jsonKey, original, 'application/json');
    }
    expect(errors).toEqual([]);
  });
});

describe('read API and hosted page', () => {
  it('never serve a file that is not the one issued, and write why into its operator log', async () => {
    const row = rows[0]!;
    const original = await flipOneByte(row.pdfKey);
    const json = await flipOneByte(row.jsonKey);
    try {
      const pdf = await fetch(`${api.url}/v1/invoices/${row.invoiceNumber}/pdf`, { redirect: 'manual' });
      expect(pdf.status).toBe(409);
      expect(await pdf.json()).toMatchObject({ error: { code: 'document_altered' } });
      const lines = await fetch(`${api.url}/v1/invoices/${row.invoiceNumber}/detail/lines`);
      expect(lines.status).toBe(409);
      const link = await f.session.hostedLink(row.invoiceNumber);
      const page = await fetch(`${api.url}${new URL(link).pathname}`);
      expect(page.status).toBe(409);
      expect(await page.text()).toContain('Invoice unavailable');
      const log = await f.session.operatorLog.entries({ kind: 'invoice', invoiceNumber: row.invoiceNumber });
      const alerts = log.filter((e) => e.action === 'integrity-alert');
      expect(alerts.map((e) => (e.details as { key: string }).key)).toEqual(
        expect.arrayContaining([row.pdfKey, row.jsonKey]),
      );
      expect(alerts[0]!.details).toMatchObject({
        state: 'changed',
        recorded: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    } finally {
      await documents().put(row.pdfKey, original, 'application/pdf');
      await documents().put(row.jsonKey, json, 'application/json');
    }
    // The issued files are served again.
    expect(
      (await fetch(`${api.url}/v1/invoices/${row.invoiceNumber}/pdf`, { redirect: 'manual' })).status,
    ).toBe(302);
    expect(errors).toEqual([]);
  });
});

describe('credit notes', () => {
  it('are never built on an invoice detail that is not the one issued', async () => {
    const row = rows[2]!;
    const original = await flipOneByte(row.jsonKey);
    try {
      await expect(
        f.session.creditInvoice({
          invoiceNumber: row.invoiceNumber,
          reason: 'Outage',
          by: 'test',
          amount: '1.00',
        }),
      ).rejects.toThrow(
        `${row.jsonKey} of ${row.invoiceNumber} is not the file issued: sha256 recorded at issue ${row.documentHashes!.json}`,
      );
      expect((await f.invoices(PERIOD)).filter((r) => r.corrects === row.invoiceNumber)).toEqual([]);
    } finally {
      await documents().put(row.jsonKey, original, 'application/json');
    }
  });
});

describe('invoices record-hashes', () => {
  const forget = (row: InvoiceRow) =>
    f.session.clients.dynamodb.send(
      new UpdateCommand({
        TableName: f.session.storage.tables.invoices,
        Key: { invoiceKey: row.invoiceKey },
        UpdateExpression: 'REMOVE documentHashes',
      }),
    );

  it('records the hashes of documents issued without them, once, and refuses an altered one', async () => {
    const [old, altered] = rows as [InvoiceRow, InvoiceRow];
    await forget(old);
    await forget(altered);
    expect((await verify()).unrecorded.sort()).toEqual([old.invoiceNumber, altered.invoiceNumber].sort());
    const original = await flipOneByte(altered.pdfKey);

    const report = await recordMissingHashes(f.session.stores, { period: PERIOD });
    expect(report.recorded).toEqual([old.invoiceNumber]);
    expect(report.refused).toEqual([
      {
        invoiceNumber: altered.invoiceNumber,
        reason: expect.stringContaining('the renderer no longer reproduces'),
      },
    ]);
    const [after] = await f.session.stores.invoices.query({ invoiceNumber: old.invoiceNumber });
    expect(after!.documentHashes).toEqual(old.documentHashes);

    // Once: a second call records nothing new.
    await documents().put(altered.pdfKey, original, 'application/pdf');
    const again = await recordMissingHashes(f.session.stores, { period: PERIOD });
    expect(again.recorded).toEqual([altered.invoiceNumber]);
    expect((await recordMissingHashes(f.session.stores, { period: PERIOD })).recorded).toEqual([]);
    expect((await verify()).clean).toBe(true);
  });
});
