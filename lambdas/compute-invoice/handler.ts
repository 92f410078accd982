/**
 * ComputeInvoice: the idempotency decision on (customer, period) and, when an invoice is due,
 * the draft. NOTIFIED -> skip; ISSUED (notification not confirmed) -> resend the notification;
 * nothing or PENDING (a crashed run) -> compute the draft and issue.
 *
 * Two shapes of input. A batch (`customerIds`, what a map child starts with) reads the batch's
 * index rows and customers in one BatchGetItem and its plans in another, then decides per
 * customer: wrong data fails that customer alone (`failed`, nothing reserved); any other error,
 * or a draft that would push the batch past its payload budget, leaves the customer to the
 * per-customer state (`compute`), which has its own retries. Customers to issue without a PENDING
 * row get consecutive slots in the batch's number block. One customer (`customerId`) is that
 * per-customer state.
 */
import { sellerConfig } from '../shared/config.js';
import { seriesKey } from '../shared/contracts/keys.js';
import {
  COMPUTE_ACTION,
  type BatchCustomer,
  type ComputeBatchInput,
  type ComputeBatchOutput,
  type ComputeInput,
  type ComputeOutput,
  type InvoiceRef,
} from '../shared/contracts/payloads.js';
import { INVOICE_STATUS } from '../shared/contracts/statuses.js';
import { checkPrintableDetail } from '../shared/documents/glyph-coverage.js';
import { checkSwissQrBill } from '../shared/documents/qr-bill-check.js';
import { validateInvoiceDetail } from '../shared/documents/schema.js';
import {
  billingSeriesOf,
  computeInvoice,
  finalizeInvoice,
  parseInvoiceInputs,
  type EcbRates,
} from '../shared/domain/index.js';
import type { InvoiceDraft, SellerConfig } from '../shared/domain/types.js';
import { InvalidInputError } from '../shared/errors.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import type { HostedLinkIssuer } from '../shared/hosted-links/issuer.js';
import { lambdaHostedLinks, lambdaRuntime } from '../shared/runtime.js';
import type { InvoiceIndex, InvoiceRow } from '../shared/store/invoice-index.js';
import type { BatchReads } from '../shared/store/batch-reads.js';
import type { ExchangeRateStore } from '../shared/store/exchange-rates.js';
import type { RecordStore } from '../shared/store/records.js';

export interface ComputeDeps {
  observability: Observability;
  invoices: Pick<InvoiceIndex, 'get'>;
  records: Pick<RecordStore, 'getCustomer' | 'getPlan' | 'listUsage'>;
  batchReads: BatchReads;
  exchangeRates: ExchangeRateStore;
  seller: SellerConfig;
  /** The hosted link of an issued invoice whose notification is resent. */
  hostedLinks: Pick<HostedLinkIssuer, 'linkFor'>;
  /**
   * Runs one customer's part of a batch. The seam for whoever needs to know which customer a call
   * serves (the local run's fault injection); default: just runs it.
   */
  aroundCustomer?: <T>(customerId: string, work: () => Promise<T>) => Promise<T>;
}

/** Step Functions caps a state's payload at 256 KiB; the draft travels in it. */
const MAX_DRAFT_BYTES = 200_000;
/** What a batch's decisions may add up to, leaving room for the rest of the child's state. */
const MAX_BATCH_BYTES = 180_000;

/**
 * The detail this draft will become must pass the document schema: checked here, before a number
 * is reserved, so that bad data fails the customer without burning a number as VOID.
 */
function checkDocumentable(draft: InvoiceDraft, issueDate: string): void {
  const { series, numberFor } = billingSeriesOf(issueDate);
  // Texts a font cannot print are refused with their field named (the catch below names none).
  checkPrintableDetail(draft, `customer ${draft.customerId} invoice detail`);
  if (draft.paymentCode === 'SWISS_QR_BILL')
    checkSwissQrBill(draft, numberFor(1), `customer ${draft.customerId} invoice detail.paymentCode`);
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

/** The decision for one customer from its index row alone, or undefined: compute a draft. */
async function decisionFromRow(
  row: InvoiceRow | undefined,
  hostedLinks: ComputeDeps['hostedLinks'],
): Promise<ComputeOutput | undefined> {
  if (row?.status === INVOICE_STATUS.notified)
    return { action: COMPUTE_ACTION.skip, draft: null, invoice: refOf(row), notification: null };
  if (row?.status === INVOICE_STATUS.issued) {
    const hostedUrl = await hostedLinks.linkFor(row);
    return {
      // Without a recorded publish failure, the run before may have published it already.
      action: row.notifyFailedAt === undefined ? COMPUTE_ACTION.renotify : COMPUTE_ACTION.notify,
      draft: null,
      invoice: refOf(row),
      notification: { message: invoiceNotificationMessage({ ...row, hostedUrl }) },
    };
  }
  return undefined;
}

/** The draft of one customer from its records; InvalidInputError names what is wrong. */
function draftOf(
  args: {
    customerId: string;
    period: string;
    issueDate: string;
    customerRecord: unknown;
    planRecord: unknown;
    usageRecords: unknown[];
  },
  seller: SellerConfig,
  exchangeRates: EcbRates | undefined,
): ComputeOutput {
  const { customerId, customerRecord } = args;
  if (customerRecord === undefined)
    throw new InvalidInputError('no such customer record', `customer ${customerId}`);
  const inputs = parseInvoiceInputs(args);
  const draft = computeInvoice({ ...inputs, seller, ...(exchangeRates ? { exchangeRates } : {}) });
  if (Buffer.byteLength(JSON.stringify(draft)) > MAX_DRAFT_BYTES) {
    throw new InvalidInputError(
      `invoice has ${draft.lines.length} lines, too large for one run step`,
      `customer ${customerId}`,
    );
  }
  checkDocumentable(draft, args.issueDate);
  return { action: COMPUTE_ACTION.issue, draft, invoice: null, notification: null };
}

const planIdOf = (customerRecord: unknown): string | undefined => {
  const planId = (customerRecord as { planId?: unknown } | undefined)?.planId;
  return typeof planId === 'string' && planId !== '' ? planId : undefined;
};

export interface ComputeHandler {
  (input: ComputeBatchInput): Promise<ComputeBatchOutput>;
  (input: ComputeInput): Promise<ComputeOutput>;
}

export function createHandler(deps: ComputeDeps): ComputeHandler {
  const around = deps.aroundCustomer ?? (<T>(_customerId: string, work: () => Promise<T>) => work());

  const one = stepHandler<ComputeInput, ComputeOutput>(
    'compute-invoice',
    deps.observability,
    (input) => ({ runId: input.runId, customerId: input.customerId }),
    async ({ customerId, period, issueDate }) => {
      const decided = await decisionFromRow(await deps.invoices.get(customerId, period), deps.hostedLinks);
      if (decided) return decided;
      const customerRecord = await deps.records.getCustomer(customerId);
      const planId = planIdOf(customerRecord);
      const planRecord = planId ? await deps.records.getPlan(planId) : undefined;
      const usageRecords = await deps.records.listUsage(customerId, period);
      return draftOf(
        { customerId, period, issueDate, customerRecord, planRecord, usageRecords },
        deps.seller,
        await deps.exchangeRates.load(),
      );
    },
  );

  const batch = stepHandler<ComputeBatchInput, ComputeBatchOutput>(
    'compute-invoice',
    deps.observability,
    (input) => ({ runId: input.runId }),
    async ({ customerIds, period, issueDate }, { log }) => {
      const { rows, customers } = await deps.batchReads.rowsAndCustomers(customerIds, period);
      const planIds = [...new Set(customerIds.map((id) => planIdOf(customers.get(id))).filter(Boolean))];
      const plans = await deps.batchReads.plans(planIds as string[]);
      const exchangeRates = await deps.exchangeRates.load();
      const decisions = await Promise.all(
        customerIds.map((customerId) =>
          around(customerId, async (): Promise<Omit<BatchCustomer, 'slot'> & { resumes: boolean }> => {
            const row = rows.get(customerId);
            const decided = await decisionFromRow(row, deps.hostedLinks);
            if (decided) return { customerId, ...decided, error: null, resumes: false };
            try {
              const customerRecord = customers.get(customerId);
              const planId = planIdOf(customerRecord);
              const usageRecords = await deps.records.listUsage(customerId, period);
              const planRecord = planId ? plans.get(planId) : undefined;
              const computed = draftOf(
                { customerId, period, issueDate, customerRecord, planRecord, usageRecords },
                deps.seller,
                exchangeRates,
              );
              // A PENDING row (a crashed run) is resumed with its own number: it takes no slot.
              return { customerId, ...computed, error: null, resumes: row !== undefined };
            } catch (error) {
              if (error instanceof InvalidInputError) {
                const failed = { Error: error.name, Cause: error.message };
                return { customerId, ...FAILED, error: failed, resumes: false };
              }
              log.warn('left to the per-customer step', { customerId, error: error as Error });
              return { customerId, ...DEFERRED, error: null, resumes: false };
            }
          }),
        ),
      );
      // Drafts beyond the payload budget are computed again, one per state, by ComputeInvoice.
      let bytes = 0;
      let slots = 0;
      const out: BatchCustomer[] = decisions.map(({ resumes, ...d }) => {
        bytes += Buffer.byteLength(JSON.stringify(d));
        if (bytes > MAX_BATCH_BYTES && d.action === COMPUTE_ACTION.issue)
          return { ...d, ...DEFERRED, slot: null };
        const needsNumber = d.action === COMPUTE_ACTION.issue && !resumes;
        return { ...d, slot: needsNumber ? slots++ : null };
      });
      const { series } = billingSeriesOf(issueDate);
      return { customers: out, block: { key: seriesKey(series), series, size: slots } };
    },
  );

  return ((input: ComputeInput | ComputeBatchInput) =>
    'customerIds' in input ? batch(input) : one(input)) as ComputeHandler;
}

const FAILED = { action: COMPUTE_ACTION.failed, draft: null, invoice: null, notification: null };
const DEFERRED = { action: COMPUTE_ACTION.compute, draft: null, invoice: null, notification: null };

export function fromEnv(env: NodeJS.ProcessEnv = process.env): ComputeDeps {
  const runtime = lambdaRuntime(env);
  return { ...runtime, seller: sellerConfig(env), hostedLinks: lambdaHostedLinks(env, runtime) };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
