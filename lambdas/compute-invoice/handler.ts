/**
 * ComputeInvoice: the idempotency decision on (customer, period) and, when an invoice is due,
 * the draft. NOTIFIED -> skip; ISSUED (notification not confirmed) -> resend the notification;
 * nothing or PENDING (a crashed run) -> compute the draft and issue.
 */
import { sellerConfig, tableNames } from '../shared/config.js';
import { InvalidInputError } from '../shared/errors.js';
import { stepHandler } from '../shared/handler.js';
import {
  computeInvoice,
  finalizeInvoice,
  formatInvoiceNumber,
  issueDateFor,
  parsePeriod,
  seriesForIssueDate,
  validateInvoiceInputs,
} from '../shared/domain/index.js';
import { validateInvoiceDetail } from '../shared/documents/schema.js';
import type { InvoiceDraft } from '../shared/domain/types.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import { getInvoiceRow, type InvoiceRow } from '../shared/store/invoice-index.js';
import { getCustomerRecord, getPlanRecord, listUsageRecords } from '../shared/store/records.js';

const tables = tableNames();
const seller = sellerConfig();

/** Step Functions caps a state's payload at 256 KiB; the draft travels in it. */
const MAX_DRAFT_BYTES = 200_000;

export interface ComputeInput {
  customerId: string;
  period: string;
  runId: string;
}

export interface InvoiceRef {
  invoiceKey: string;
  invoiceNumber: string;
  status: string;
  totalMinor: number;
  currency: string;
  pdfKey: string;
  jsonKey: string;
  issueDate: string;
}

export interface ComputeOutput {
  action: 'skip' | 'notify' | 'issue';
  draft: InvoiceDraft | null;
  invoice: InvoiceRef | null;
  notification: { message: string } | null;
}

/**
 * The detail this draft will become must pass the document schema: checked here, before a number
 * is reserved, so that bad data fails the customer without burning a number as VOID.
 */
function checkDocumentable(draft: InvoiceDraft): void {
  const issueDate = issueDateFor(draft.period);
  const series = seriesForIssueDate(issueDate);
  try {
    validateInvoiceDetail(
      finalizeInvoice(draft, { invoiceNumber: formatInvoiceNumber(series, 1), series, issueDate }),
    );
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      error.message.slice(error.where.length + 2),
      `customer ${draft.customerId} invoice detail`,
    );
  }
}

const refOf = (row: InvoiceRow): InvoiceRef => ({
  invoiceKey: row.invoiceKey,
  invoiceNumber: row.invoiceNumber,
  status: row.status,
  totalMinor: row.totalMinor,
  currency: row.currency,
  pdfKey: row.pdfKey,
  jsonKey: row.jsonKey,
  issueDate: row.issueDate,
});

export const handler = stepHandler<ComputeInput, ComputeOutput>(
  'compute-invoice',
  'compute',
  (input) => ({ runId: input.runId, customerId: input.customerId }),
  async ({ customerId, period }) => {
    const row = await getInvoiceRow(tables.invoices, customerId, period);
    if (row?.status === 'NOTIFIED')
      return { action: 'skip', draft: null, invoice: refOf(row), notification: null };
    if (row?.status === 'ISSUED') {
      return {
        action: 'notify',
        draft: null,
        invoice: refOf(row),
        notification: { message: invoiceNotificationMessage({ ...row }) },
      };
    }
    const customerRecord = await getCustomerRecord(tables, customerId);
    if (customerRecord === undefined)
      throw new InvalidInputError('no such customer record', `customer ${customerId}`);
    const planId = (customerRecord as { planId?: unknown }).planId;
    const planRecord =
      typeof planId === 'string' && planId !== '' ? await getPlanRecord(tables, planId) : undefined;
    const usageRecords = await listUsageRecords(tables, customerId, period);
    const inputs = validateInvoiceInputs({ customerId, customerRecord, planRecord, usageRecords, period });
    const draft = computeInvoice({ ...inputs, period: parsePeriod(period), seller });
    if (Buffer.byteLength(JSON.stringify(draft)) > MAX_DRAFT_BYTES) {
      throw new InvalidInputError(
        `invoice has ${draft.lines.length} lines, too large for one run step`,
        `customer ${customerId}`,
      );
    }
    checkDocumentable(draft);
    return { action: 'issue', draft, invoice: null, notification: null };
  },
);
