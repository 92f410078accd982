/**
 * Credit an issued invoice: the support operation behind `invoicer invoices credit`. It reads the
 * invoice's canonical record, computes the credit note (domain/credit-note.ts), reserves its number
 * and the credited amount (store/credit-notes.ts), writes its JSON and PDF next to the invoice's,
 * marks it ISSUED, tells the customer on the customer topic and marks it NOTIFIED. The invoice
 * itself is never touched beyond the amount credited on its row.
 *
 * Every step can be repeated: the same request (invoice, amount, reason) finds its credit note,
 * rewrites identical documents and resends at most the notification of a credit note that was not
 * yet NOTIFIED.
 */
import { createHash } from 'node:crypto';
import { MESSAGE_ATTRIBUTE, EVENT_TYPE } from '../contracts/events.js';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { s3Keys } from '../contracts/keys.js';
import { writeInvoiceDocuments } from './write-documents.js';
import { writeAuditManifests } from './audit-manifests.js';
import { writeCreditNoteAnalytics } from './rebuild-analytics.js';
import type { ExchangeRateStore } from '../store/exchange-rates.js';
import { readIssuedFile } from './verify-documents.js';
import { parseStoredJson } from '../edge/safe-json.js';
import type { AuditChainStore } from '../store/audit-chain.js';
import { validateInvoiceDetail } from '../documents/schema.js';
import {
  CREDIT_NOTE_PREFIX,
  creditNoteDraft,
  currencyOf,
  finalizeInvoice,
  majorToMinorExact,
  parseDecimal,
  formatInvoiceNumber,
  localDateOf,
  seriesForIssueDate,
} from '../domain/index.js';
import type { InvoiceDetail } from '../domain/types.js';
import { InvalidInputError } from '../errors.js';
import type { HostedLinkIssuer } from '../hosted-links/issuer.js';
import { invoiceNotificationMessage } from '../notification.js';
import type { CreditNoteStore } from '../store/credit-notes.js';
import type { DocumentStore } from '../store/documents.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';

export interface CreditInvoiceDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  documents: Pick<DocumentStore, 'getBytes' | 'put' | 'find' | 'bucket' | 'delete' | 'list'>;
  auditChain: AuditChainStore;
  /** For the analytics rows' national amounts (rebuild-analytics.ts). */
  exchangeRates: ExchangeRateStore;
  creditNotes: CreditNoteStore;
  hostedLinks: Pick<HostedLinkIssuer, 'linkFor'>;
  /** Publishes to the customer topic (MessageStructure json). */
  publish(message: string, attributes: Record<string, string>): Promise<void>;
  /** The billing time zone: the credit note's issue date is today there. */
  timeZone: string;
  now: () => Date;
}

export interface CreditInvoiceRequest {
  invoiceNumber: string;
  reason: string;
  /** The gross amount to credit in the invoice's currency, as a decimal ("59.50"); absent: all that is left. */
  amount?: string;
  /** Who asks (recorded on the credit note's row). */
  by: string;
}

export interface CreditInvoiceResult {
  creditNote: InvoiceRow;
  detail: InvoiceDetail;
  /** True when this request had made the credit note already. */
  repeated: boolean;
}

/** The row that holds a number (a number is used once, or kept VOID); none is an error at `where`. */
async function rowOfNumber(
  deps: CreditInvoiceDeps,
  invoiceNumber: string,
  where: string,
): Promise<InvoiceRow> {
  const rows = await deps.invoices.query({ invoiceNumber });
  const row = rows.find((r) => r.status !== INVOICE_STATUS.void) ?? rows[0];
  if (row === undefined) throw new InvalidInputError('no invoice has this number', where);
  return row;
}

/** The issued invoice of that number; anything else is a clear refusal. */
async function issuedInvoice(deps: CreditInvoiceDeps, invoiceNumber: string): Promise<InvoiceRow> {
  const where = `credit note for ${invoiceNumber}`;
  const row = await rowOfNumber(deps, invoiceNumber, where);
  if (row.documentType === 'credit_note')
    throw new InvalidInputError('is a credit note; only invoices are credited', where);
  if (row.status !== INVOICE_STATUS.issued && row.status !== INVOICE_STATUS.notified) {
    throw new InvalidInputError(
      `the invoice is ${row.status}; only ISSUED or NOTIFIED invoices are credited`,
      where,
    );
  }
  return row;
}

/** The invoice to credit, its canonical detail, and what the request asks for (amount checked). */
async function creditRequest(deps: CreditInvoiceDeps, request: Omit<CreditInvoiceRequest, 'by'>) {
  const invoiceRow = await issuedInvoice(deps, request.invoiceNumber);
  const invoice = validateInvoiceDetail(
    parseStoredJson(await readIssuedFile(deps.documents, invoiceRow, invoiceRow.jsonKey), invoiceRow.jsonKey),
  );
  const amountWhere = `credit note for ${request.invoiceNumber}: amount`;
  const amountMinor =
    request.amount === undefined
      ? undefined
      : majorToMinorExact(
          parseDecimal(request.amount, amountWhere),
          currencyOf(invoice.currency),
          amountWhere,
        );
  const ask = { reason: request.reason, ...(amountMinor === undefined ? {} : { amountMinor }) };
  return { invoiceRow, invoice, amountMinor, ask };
}

/** What a credit note for this request would be, before anything is reserved or written. */
export interface CreditPreview {
  invoiceNumber: string;
  currency: string;
  invoiceTotalMinor: number;
  creditedBeforeMinor: number;
  /** The credit note's net, tax and gross amounts (negative of what it takes off the invoice). */
  subtotalMinor: number;
  taxTotalMinor: number;
  totalMinor: number;
  /** What is left to credit on the invoice after this credit note. */
  leftAfterMinor: number;
}

export async function previewCredit(
  deps: CreditInvoiceDeps,
  request: Omit<CreditInvoiceRequest, 'by'>,
): Promise<CreditPreview> {
  const { invoiceRow, invoice, ask } = await creditRequest(deps, request);
  const creditedBefore = invoiceRow.creditedMinor ?? 0;
  const draft = creditNoteDraft(invoice, ask, creditedBefore);
  return {
    invoiceNumber: invoiceRow.invoiceNumber,
    currency: invoice.currency,
    invoiceTotalMinor: invoiceRow.totalMinor,
    creditedBeforeMinor: creditedBefore,
    subtotalMinor: draft.subtotalMinor,
    taxTotalMinor: draft.taxTotalMinor,
    totalMinor: draft.totalMinor,
    leftAfterMinor: invoiceRow.totalMinor - creditedBefore - draft.totalMinor,
  };
}

export async function creditInvoice(
  deps: CreditInvoiceDeps,
  request: CreditInvoiceRequest,
): Promise<CreditInvoiceResult> {
  const { invoiceRow, invoice, amountMinor, ask } = await creditRequest(deps, request);
  // The request's identity: a repeat (same amount and reason) finds the credit note it made.
  const requestKey = createHash('sha256')
    .update(`${amountMinor ?? 'rest'}|${request.reason.trim()}`)
    .digest('hex')
    .slice(0, 16);
  const now = deps.now().toISOString();
  const issueDate = localDateOf(now, deps.timeZone);
  const series = seriesForIssueDate(issueDate, CREDIT_NOTE_PREFIX);
  const reserve = async () => {
    // Computed before the reservation so that a refused request takes no number; the reservation
    // checks again, atomically, that nothing was credited meanwhile.
    const draft = creditNoteDraft(invoice, ask, invoiceRow.creditedMinor ?? 0);
    return deps.creditNotes.reserve({
      invoice: invoiceRow,
      request: requestKey,
      amountMinor: draft.totalMinor,
      reason: draft.creditReason,
      series,
      numberFor: (sequence) => formatInvoiceNumber(series, sequence),
      issueDate,
      keysFor: (number) => ({
        pdfKey: s3Keys.invoicePdf(invoiceRow.period, invoiceRow.customerId, number),
        jsonKey: s3Keys.invoiceJson(invoiceRow.period, invoiceRow.customerId, number),
      }),
      by: request.by,
      now,
    });
  };
  const found = await deps.creditNotes.find(invoiceRow.invoiceNumber, requestKey);
  const { row, resumed } = found ? { row: found, resumed: true } : await reserve();
  // The credit note of exactly the amount its row holds: the same document on every repeat.
  const made = creditNoteDraft(
    invoice,
    { reason: row.creditReason ?? ask.reason, amountMinor: row.totalMinor },
    0,
  );
  const detail = validateInvoiceDetail(
    finalizeInvoice(made, { invoiceNumber: row.invoiceNumber, series: row.series, issueDate: row.issueDate }),
  );
  if (row.status === INVOICE_STATUS.pending) {
    const { hashes } = await writeInvoiceDocuments(deps.documents, detail, row);
    await deps.creditNotes.markIssued(row, now, hashes);
  }
  if (row.status !== INVOICE_STATUS.notified) {
    // The credit note in its series' audit manifest of the period it corrects (a repeat after a
    // failure here writes it then; unchanged content writes nothing).
    await writeAuditManifests(deps, row.period, `credit-note ${row.invoiceNumber}`, [row.series]);
    // Its rows in the analytics tables, in the month of its issue date (same key on a repeat).
    await writeCreditNoteAnalytics(deps, { ...row, status: INVOICE_STATUS.issued }, detail);
    await deps.publish(
      invoiceNotificationMessage({
        ...row,
        locale: detail.locale,
        totalMinor: detail.totalMinor,
        corrects: invoiceRow.invoiceNumber,
        hostedUrl: await deps.hostedLinks.linkFor(row),
      }),
      {
        [MESSAGE_ATTRIBUTE.eventType]: EVENT_TYPE.creditNoteIssued,
        [MESSAGE_ATTRIBUTE.customerId]: row.customerId,
        [MESSAGE_ATTRIBUTE.invoiceNumber]: row.invoiceNumber,
        [MESSAGE_ATTRIBUTE.currency]: row.currency,
      },
    );
    await deps.creditNotes.markNotified(row, now);
  }
  return { creditNote: { ...row, status: INVOICE_STATUS.notified }, detail, repeated: resumed };
}

export interface ReplaceInvoiceResult {
  /** The credit note of what was left to credit (none when earlier credit notes credited it all). */
  creditNote?: CreditInvoiceResult;
  /** The invoice as set aside (`REPLACED#<number>`). */
  replaced: InvoiceRow;
  /** False when this invoice had been set aside already (a repeated request). */
  setAside: boolean;
}

/**
 * Void and replace, the part that needs no run: credit what is left of the invoice, then set it
 * aside so that the next run of its period issues the customer a new invoice (with a new number)
 * from the records as they are now. Repeatable at every step.
 */
export async function replaceInvoice(
  deps: CreditInvoiceDeps,
  request: { invoiceNumber: string; reason: string; by: string },
): Promise<ReplaceInvoiceResult> {
  const where = `replacing ${request.invoiceNumber}`;
  const current = async (): Promise<InvoiceRow> => {
    const row = await rowOfNumber(deps, request.invoiceNumber, where);
    if (row.status === INVOICE_STATUS.void) throw new InvalidInputError('no invoice has this number', where);
    return row;
  };
  const before = await current();
  if (before.replacedAt !== undefined) return { replaced: before, setAside: false };
  const creditNote =
    (before.creditedMinor ?? 0) < before.totalMinor
      ? await creditInvoice(deps, { ...request, reason: `Replaced: ${request.reason}` })
      : undefined;
  const credited = await current();
  const setAside = await deps.creditNotes.setAside(credited, request.reason, deps.now().toISOString());
  return {
    ...(creditNote ? { creditNote } : {}),
    replaced: { ...credited, replacedReason: request.reason },
    setAside,
  };
}
