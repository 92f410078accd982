/**
 * ReserveNumber: claims the number its batch took for (customer, period) (the batch's block and the
 * customer's slot in it), or the next gapless number of the period's series when it has none, or
 * the number a crashed run already reserved (PENDING) for it.
 */
import { s3Keys } from '../shared/contracts/keys.js';
import type { ReserveInput, ReserveOutput } from '../shared/contracts/payloads.js';
import { addDays, billingSeriesOf, blockSequence } from '../shared/domain/index.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { NumberSeries } from '../shared/store/number-series.js';

export interface ReserveDeps {
  observability: Observability;
  numbers: Pick<NumberSeries, 'reserve'>;
  now: () => Date;
}

export function createHandler(deps: ReserveDeps): (input: ReserveInput) => Promise<ReserveOutput> {
  return stepHandler<ReserveInput, ReserveOutput>(
    'reserve-number',
    deps.observability,
    (input) => ({ runId: input.runId, customerId: input.customerId }),
    async ({ customerId, period, issueDate, runId, draft, block, slot }, { log }) => {
      const { series, numberFor } = billingSeriesOf(issueDate);
      const sequence = blockSequence(block, slot);
      const { row, resumed } = await deps.numbers.reserve({
        customerId,
        period,
        series,
        numberFor,
        totalMinor: draft.totalMinor,
        currency: draft.currency,
        issueDate,
        locale: draft.locale,
        dueDate: addDays(issueDate, draft.paymentTermsDays),
        keysFor: (number) => ({
          pdfKey: s3Keys.invoicePdf(period, customerId, number),
          jsonKey: s3Keys.invoiceJson(period, customerId, number),
        }),
        runId,
        now: deps.now().toISOString(),
        ...(sequence !== undefined ? { sequence } : {}),
      });
      log.appendKeys({ invoiceNumber: row.invoiceNumber });
      log.info(resumed ? 'resumed pending reservation' : 'reserved number');
      return {
        invoiceKey: row.invoiceKey,
        invoiceNumber: row.invoiceNumber,
        status: row.status,
        totalMinor: draft.totalMinor,
        currency: draft.currency,
        pdfKey: row.pdfKey,
        jsonKey: row.jsonKey,
        issueDate: row.issueDate,
      };
    },
  );
}

export const fromEnv = (env: NodeJS.ProcessEnv = process.env): ReserveDeps => lambdaRuntime(env);

export const handler = lazyHandler(() => createHandler(fromEnv()));
