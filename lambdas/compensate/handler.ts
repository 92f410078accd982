/**
 * Compensate (the saga's undo): after a step past the reservation failed for good, removes what
 * this attempt wrote to S3 and keeps the number as VOID with the reason. After the reservation
 * itself failed, keeps the number the batch took for the customer as VOID. Documents of an ISSUED
 * invoice are never touched: only a PENDING row with this very number is compensated.
 */
import { failureSentence } from '../shared/task-errors.js';
import { s3Keys } from '../shared/contracts/keys.js';
import type { CompensateInput, CompensateOutput } from '../shared/contracts/payloads.js';
import { INVOICE_STATUS } from '../shared/contracts/statuses.js';
import { billingSeriesOf, blockSequence } from '../shared/domain/index.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';
import type { InvoiceIndex } from '../shared/store/invoice-index.js';
import type { NumberSeries } from '../shared/store/number-series.js';

export interface CompensateDeps {
  observability: Observability;
  invoices: Pick<InvoiceIndex, 'get'>;
  numbers: Pick<NumberSeries, 'voidReservation' | 'voidBlockNumber'>;
  documents: Pick<DocumentStore, 'delete'>;
  now: () => Date;
}

export function createHandler(deps: CompensateDeps): (input: CompensateInput) => Promise<CompensateOutput> {
  return stepHandler<CompensateInput, CompensateOutput>(
    'compensate',
    deps.observability,
    (input) => ({
      runId: input.runId,
      customerId: input.customerId,
      invoiceNumber: input.invoice?.invoiceNumber,
    }),
    async ({ customerId, period, issueDate, runId, invoice, block, slot, error, failedStep }, { log }) => {
      // One readable sentence naming the step; the stack trace stays in the execution history.
      const sentence = failureSentence(error.Error, error.Cause);
      const reason = failedStep ? `${failedStep} failed: ${sentence}` : sentence;
      if (invoice === null) {
        // ReserveNumber failed: the number its batch took for this customer must not stay a gap.
        const sequence = blockSequence(block, slot);
        if (sequence === undefined) return { voided: false };
        const { series, numberFor } = billingSeriesOf(issueDate);
        const voided = await deps.numbers.voidBlockNumber({
          customerId,
          period,
          invoiceNumber: numberFor(sequence),
          reason,
          runId,
          now: deps.now().toISOString(),
          series,
          currency: '',
          issueDate,
        });
        log.info('voided the batch number of a failed reservation', { voided });
        return { voided };
      }
      const row = await deps.invoices.get(customerId, period);
      if (!row || row.invoiceNumber !== invoice.invoiceNumber || row.status !== INVOICE_STATUS.pending) {
        log.warn('nothing to compensate', { status: row?.status ?? 'none' });
        return { voided: false };
      }
      await deps.documents.delete(row.pdfKey);
      await deps.documents.delete(row.jsonKey);
      await deps.documents.delete(s3Keys.invoiceSummary(period, customerId, row.invoiceNumber));
      await deps.documents.delete(s3Keys.invoiceXml(period, customerId, row.invoiceNumber));
      const voided = await deps.numbers.voidReservation({
        customerId,
        period,
        invoiceNumber: row.invoiceNumber,
        reason,
        runId,
        now: deps.now().toISOString(),
      });
      log.info('voided reservation', { voided });
      return { voided };
    },
  );
}

export const fromEnv = (env: NodeJS.ProcessEnv = process.env): CompensateDeps => lambdaRuntime(env);

export const handler = lazyHandler(() => createHandler(fromEnv()));
