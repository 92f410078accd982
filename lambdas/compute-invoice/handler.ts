/**
 * ComputeInvoice: the idempotency decision on (customer, period) and, when an invoice is due,
 * the draft. NOTIFIED -> skip; ISSUED (notification not confirmed) -> resend the notification;
 * nothing or PENDING (a crashed run) -> compute the draft and issue.
 */
import { sellerConfig } from '../shared/config.js';
import {
  COMPUTE_ACTION,
  type ComputeInput,
  type ComputeOutput,
  type InvoiceRef,
} from '../shared/contracts/payloads.js';
import { INVOICE_STATUS } from '../shared/contracts/statuses.js';
import { validateInvoiceDetail } from '../shared/documents/schema.js';
import {
  billingSeriesOf,
  computeInvoice,
  finalizeInvoice,
  parseInvoiceInputs,
} from '../shared/domain/index.js';
import type { InvoiceDraft, SellerConfig } from '../shared/domain/types.js';
import { InvalidInputError } from '../shared/errors.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { InvoiceIndex, InvoiceRow } from '../shared/store/invoice-index.js';
import type { RecordStore } from '../shared/store/records.js';

export interface ComputeDeps {
  observability: Observability;
  invoices: Pick<InvoiceIndex, 'get'>;
  records: Pick<RecordStore, 'getCustomer' | 'getPlan' | 'listUsage'>;
  seller: SellerConfig;
}

/** Step Functions caps a state's payload at 256 KiB; the draft travels in it. */
const MAX_DRAFT_BYTES = 200_000;

/**
 * The detail this draft will become must pass the document schema: checked here, before a number
 * is reserved, so that bad data fails the customer without burning a number as VOID.
 */
function checkDocumentable(draft: InvoiceDraft): void {
  const { issueDate, series, numberFor } = billingSeriesOf(draft.period);
  try {
    validateInvoiceDetail(finalizeInvoice(draft, { invoiceNumber: numberFor(1), series, issueDate }));
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

export function createHandler(deps: ComputeDeps): (input: ComputeInput) => Promise<ComputeOutput> {
  return stepHandler<ComputeInput, ComputeOutput>(
    'compute-invoice',
    deps.observability,
    (input) => ({ runId: input.runId, customerId: input.customerId }),
    async ({ customerId, period }) => {
      const row = await deps.invoices.get(customerId, period);
      if (row?.status === INVOICE_STATUS.notified)
        return { action: COMPUTE_ACTION.skip, draft: null, invoice: refOf(row), notification: null };
      if (row?.status === INVOICE_STATUS.issued) {
        return {
          action: COMPUTE_ACTION.notify,
          draft: null,
          invoice: refOf(row),
          notification: { message: invoiceNotificationMessage({ ...row }) },
        };
      }
      const customerRecord = await deps.records.getCustomer(customerId);
      if (customerRecord === undefined)
        throw new InvalidInputError('no such customer record', `customer ${customerId}`);
      const planId = (customerRecord as { planId?: unknown }).planId;
      const planRecord =
        typeof planId === 'string' && planId !== '' ? await deps.records.getPlan(planId) : undefined;
      const usageRecords = await deps.records.listUsage(customerId, period);
      const inputs = parseInvoiceInputs({ customerId, customerRecord, planRecord, usageRecords, period });
      const draft = computeInvoice({ ...inputs, seller: deps.seller });
      if (Buffer.byteLength(JSON.stringify(draft)) > MAX_DRAFT_BYTES) {
        throw new InvalidInputError(
          `invoice has ${draft.lines.length} lines, too large for one run step`,
          `customer ${customerId}`,
        );
      }
      checkDocumentable(draft);
      return { action: COMPUTE_ACTION.issue, draft, invoice: null, notification: null };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): ComputeDeps {
  return { ...lambdaRuntime(env), seller: sellerConfig(env) };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
