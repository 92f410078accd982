/**
 * A local billing environment for workflow tests: a fresh data dir, the real local stack, and
 * helpers to inspect what a run left behind (index rows, S3 objects, the customer inbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openLocalSession,
  type LocalSession,
  type LocalSessionOptions,
} from '../../workflows/local/harness/session.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import {
  DOCUMENT_KINDS,
  documentKey,
  recordedHashes,
  sha256Hex,
} from '../../lambdas/shared/contracts/document-hashes.js';
import { checkGapless } from '../../lambdas/shared/domain/index.js';
import { currencyRefusal } from '../../lambdas/shared/documents/en16931/refusal.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import { openAmountOf } from '../../lambdas/shared/domain/receivables.js';

export interface BillingFixture {
  session: LocalSession;
  invoices(period?: string): Promise<InvoiceRow[]>;
  invoiceKeysInS3(period: string): Promise<string[]>;
  /** A finished run's JSON Lines list (its issued invoices or its failures), every part read. */
  runList<T>(runId: string, list: 'issued' | 'failures'): Promise<T[]>;
  cleanup(): Promise<void>;
}

export async function openBillingFixture(
  name: string,
  options: Omit<LocalSessionOptions, 'dataDir'> = {},
): Promise<BillingFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), `invoicer-${name}-`));
  const session = await openLocalSession({ dataDir, ...options });
  return {
    session,
    invoices: (period) => session.listInvoices(period ? { period } : {}),
    invoiceKeysInS3: (period) => session.stores.documents.list(s3Keys.invoicesOfPeriod(period)),
    async runList<T>(runId: string, list: 'issued' | 'failures') {
      const { documents } = session.stores;
      const prefix = list === 'issued' ? s3Keys.runIssuedPrefix(runId) : s3Keys.runFailuresPrefix(runId);
      const records: T[] = [];
      for (const key of (await documents.list(prefix)).sort())
        for await (const line of documents.lines(key)) records.push(JSON.parse(line) as T);
      return records;
    },
    async cleanup() {
      await session.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The invariants every run must keep, whatever failed: numbers gapless counting VOIDs (credit
 * notes in their own series), no S3 document without an ISSUED/NOTIFIED/PENDING row of that
 * number, no issued row without its documents (PDF, JSON, and the e-invoice where its currency allows one), one invoice per customer and period (besides
 * those replaced: credited in full and set aside), and no
 * invoice credited beyond its total (its credit notes add up to its creditedMinor), and every
 * issued document's files hashed at issue, the hashes matching what is stored, and every
 * invoice's paid sum the sum of its payment entries (each bank entry once). Returns the
 * problems found (empty when all hold).
 */
export async function invariantViolations(f: BillingFixture, period: string): Promise<string[]> {
  const rows = await f.invoices();
  const problems: string[] = [];
  const gapless = checkGapless(rows.map((r) => r.invoiceNumber));
  if (!gapless.ok)
    problems.push(`numbers not gapless: ${JSON.stringify(gapless.series)} ${gapless.invalid.join(',')}`);
  const keys = new Set(await f.invoiceKeysInS3(period));
  const live = rows.filter((r) => r.period === period && r.status !== 'VOID');
  const xmlKey = (r: InvoiceRow) => s3Keys.invoiceXml(r.period, r.customerId, r.invoiceNumber);
  const summaryKey = (r: InvoiceRow) => s3Keys.invoiceSummary(r.period, r.customerId, r.invoiceNumber);
  const expected = new Set(live.flatMap((r) => [r.pdfKey, r.jsonKey, summaryKey(r), xmlKey(r)]));
  for (const key of keys) if (!expected.has(key)) problems.push(`orphan document ${key}`);
  for (const row of live) {
    if (row.status === 'PENDING') continue;
    // The e-invoice exists for every currency EN 16931 can state (the demo seller has what it needs).
    const needed = currencyRefusal(row.currency) === undefined ? [xmlKey(row)] : [];
    for (const key of [row.pdfKey, row.jsonKey, summaryKey(row), ...needed])
      if (!keys.has(key)) problems.push(`${row.invoiceNumber} lacks ${key}`);
    // What was issued is what is stored: the hashes recorded at issue match every file.
    const hashes = recordedHashes(row.documentHashes);
    if (hashes === undefined) problems.push(`${row.invoiceNumber} has no recorded hashes`);
    else
      for (const kind of DOCUMENT_KINDS) {
        const key = documentKey(kind, row);
        if (hashes[kind] === undefined) {
          if (kind !== 'xml' || needed.length > 0)
            problems.push(`${row.invoiceNumber} recorded no ${kind} hash`);
          continue;
        }
        const stored = await f.session.stores.documents.find(key);
        if (stored !== undefined && sha256Hex(stored) !== hashes[kind])
          problems.push(`${row.invoiceNumber}: ${key} is not the file issued`);
      }
  }
  const invoices = live.filter((r) => r.documentType !== 'credit_note');
  const perCustomer = new Map<string, number>();
  for (const row of invoices.filter((r) => r.replacedAt === undefined))
    perCustomer.set(row.customerId, (perCustomer.get(row.customerId) ?? 0) + 1);
  for (const [customer, count] of perCustomer)
    if (count > 1) problems.push(`${customer} has ${count} invoices`);
  for (const invoice of invoices) {
    const credited = live
      .filter((r) => r.documentType === 'credit_note' && r.corrects === invoice.invoiceNumber)
      .reduce((sum, r) => sum + r.totalMinor, 0);
    if (credited !== (invoice.creditedMinor ?? 0) || credited > invoice.totalMinor)
      problems.push(
        `${invoice.invoiceNumber}: credit notes add up to ${credited}, its row says ${invoice.creditedMinor ?? 0}, its total is ${invoice.totalMinor}`,
      );
  }
  // Who has paid: the row's paid sum is its payment entries' (reversals negative), each entry once,
  // so the open amount is total − credit notes − payments; no payment on a credit note.
  for (const invoice of rows.filter((r) => r.status !== 'VOID')) {
    const entries = await f.session.stores.receivables.payments(invoice.customerId, invoice.invoiceNumber);
    const paid = entries.reduce((sum, p) => sum + p.amountMinor, 0);
    if (paid !== (invoice.paidMinor ?? 0))
      problems.push(
        `${invoice.invoiceNumber}: payments add up to ${paid}, its row says ${invoice.paidMinor ?? 0}`,
      );
    if (new Set(entries.map((p) => p.entryId ?? p.paymentId)).size !== entries.length)
      problems.push(`${invoice.invoiceNumber}: a bank entry was applied twice`);
    if (invoice.documentType === 'credit_note' && entries.length > 0)
      problems.push(`${invoice.invoiceNumber}: a credit note has payments`);
    if (openAmountOf(invoice) !== invoice.totalMinor - (invoice.creditedMinor ?? 0) - paid)
      problems.push(`${invoice.invoiceNumber}: open amount is not total − credit notes − payments`);
  }
  return problems;
}
