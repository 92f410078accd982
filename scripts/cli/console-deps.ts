/**
 * The support console's actions and views over a target (lambdas/api/console/ renders them): the
 * same operations as the CLI's (./operations.ts), their own failures shown as conflict pages.
 */
import { randomBytes } from 'node:crypto';
import { callerRole } from '../../infra/support-role-names.js';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { CONSOLE_EVENT_DAYS, type CustomerView } from '../../lambdas/api/console/customer-page.js';
import type { DocumentView } from '../../lambdas/api/console/document-page.js';
import { InvalidInputError } from '../../lambdas/shared/errors.js';
import { search } from '../../lambdas/shared/operations/search.js';
import type { OperatorLogEntry } from '../../lambdas/shared/store/operator-log.js';
import { consoleUploads } from './console-uploads.js';
import { consoleActions, type CustomerState, type DocumentState } from './console-actions.js';
import { consoleConflict, type ConsoleDeps } from '../../lambdas/api/console/console-routes.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import { INVOICE_STATUS, ISSUED_STATUSES, RUN_STATUS } from '../../lambdas/shared/contracts/statuses.js';
import { OPERATOR_ACTION, resendsIn } from '../../lambdas/shared/store/operator-log.js';
import { assignCredit } from '../../lambdas/shared/operations/payments.js';
import { documentEmails } from '../../workflows/operator/invoice-deliveries.js';
import { describePlace } from '../../workflows/operator/session-types.js';
import { withRetries } from '../../workflows/operator/retry-policy.js';
import { presignedDocumentLinks } from '../../lambdas/shared/store/document-links.js';
import type { RunRecord } from '../../lambdas/shared/store/runs.js';
import { executionArnOf, logAction, redriveRun, startRerun } from './operations.js';
import { paymentDeps } from './desk-operations.js';
import { failedCustomersOf } from './runs.js';
import type { Target } from './target.js';

/** An action's own failure (not redrivable, not NOTIFIED ...) as the console's 409 page; bad input stays a 400. */
async function asConflict<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw consoleConflict((error as Error).message);
  }
}

const byTime = (a: OperatorLogEntry, b: OperatorLogEntry) => a.at.localeCompare(b.at);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function consoleDeps(target: Target): ConsoleDeps {
  const { session } = target;
  const documentUrl = presignedDocumentLinks(session.clients.s3, session.storage.documentsBucket);
  const redrivable = async (runId: string): Promise<boolean> => {
    try {
      const d = await target.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(target, runId) }),
      );
      return d.redriveStatus === 'REDRIVABLE';
    } catch {
      return false; // not an execution of this state machine (e.g. started elsewhere)
    }
  };
  /** An execution whose run is not recorded yet (PlanRun has not run): shown as starting. */
  const startingRun = async (runId: string): Promise<RunRecord | undefined> => {
    try {
      const d = await target.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(target, runId) }),
      );
      if (d.status !== 'RUNNING') return undefined;
      const input = JSON.parse(d.input ?? '{}') as { period?: string };
      return {
        runId,
        period: input.period ?? '',
        status: RUN_STATUS.running,
        execution: d.executionArn ?? '',
        startedAt: d.startDate?.toISOString() ?? '',
        customerCount: 0,
        manifestKey: '',
        resultsPrefix: '',
      };
    } catch {
      return undefined;
    }
  };
  /** A customer's documents' events (the archive, CONSOLE_EVENT_DAYS back) and their webhook deliveries. */
  const eventsOf = async (
    customerId: string,
    invoices: InvoiceRow[],
  ): Promise<Pick<CustomerView, 'events' | 'webhookDeliveries'>> => {
    const access = session.events;
    if (access === undefined) return {};
    await access.deliverEvents?.();
    const now = Date.now();
    const oldest = Math.min(
      now,
      ...invoices.map((r) => Date.parse(r.reservedAt)).filter((t) => !Number.isNaN(t)),
    );
    const from = new Date(Math.max(now - CONSOLE_EVENT_DAYS * 86_400_000, oldest - 3_600_000));
    const events = (await access.archive.read({ from, to: new Date(now + 60_000) })).filter(
      (e) => (e.data as { customerId?: string }).customerId === customerId,
    );
    const ids = new Set(events.map((e) => e.id));
    const endpoints = await access.webhooks.list();
    const attempts = await Promise.all(
      endpoints.map((e) => access.webhooks.deliveries(e.id, { failedOnly: false, limit: 1000 })),
    );
    return {
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        timestamp: e.timestamp,
        document: e.subject.id,
        sequence: e.sequence,
      })),
      webhookDeliveries: attempts
        .flat()
        .filter((d) => ids.has(d.eventId))
        .sort((a, b) => a.at.localeCompare(b.at)),
    };
  };
  /** A document's current row (the issued one, else its VOID record), link, payments and customer. */
  const documentState = async (number: string): Promise<DocumentState | undefined> => {
    const rows = await session.stores.invoices.query({ invoiceNumber: number });
    const row = rows.find((r) => r.status !== INVOICE_STATUS.void) ?? rows[0];
    if (!row) return undefined;
    const record = (await session.stores.records.getCustomer(row.customerId)) as
      Record<string, unknown> | undefined;
    return {
      row,
      link: ISSUED_STATUSES.includes(row.status) ? await session.hostedLinkStatus(number) : undefined,
      payments:
        row.documentType === 'credit_note'
          ? []
          : await session.stores.receivables.payments(row.customerId, number),
      customerName: text(record?.legalName),
      email: text(record?.email),
    };
  };
  const customerState = async (customerId: string): Promise<CustomerState> => {
    const record = (await session.stores.records.getCustomer(customerId)) as
      Record<string, unknown> | undefined;
    return {
      customerId,
      name: text(record?.legalName),
      paused: (await session.stores.reminders.paused()).get(customerId),
    };
  };
  const lockState = async (period: string) => (await session.runLocks()).find((l) => l.period === period);
  const actions = consoleActions(target, {
    document: documentState,
    customer: customerState,
    lock: lockState,
  });
  return {
    // On AWS the console offers actions only to a caller whose role may take them.
    ...(session.supportRoleNames ? { role: callerRole(session.operator, session.supportRoleNames) } : {}),
    csrfToken: randomBytes(24).toString('base64url'),
    place:
      session.place.kind === 'aws'
        ? describePlace(session.place)
        : `local stack of ${describePlace(session.place)}`,
    runLocks: async () =>
      (await session.runLocks()).map((lock) => ({ ...lock, actions: actions.lockSpecs(lock) })),
    listRuns: async () => (await session.listRuns()).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    async runView(runId) {
      const record = (await session.listRuns()).find((r) => r.runId === runId) ?? (await startingRun(runId));
      if (!record) return undefined;
      const operatorLog = await session.operatorLog.entries({ kind: 'run', runId });
      if (record.summaryKey === undefined) {
        const progress = record.manifestKey ? await session.getRunProgress(runId) : { issuedSoFar: 0 };
        return {
          record,
          failures: [],
          failed: 0,
          notices: [],
          issuedSoFar: progress.issuedSoFar,
          redrivable: await redrivable(runId),
          operatorLog,
        };
      }
      const summary = await session.getRunSummary(runId);
      return {
        record,
        failures: summary.failures.map(withRetries),
        failed: summary.failed,
        notices: summary.notices,
        redrivable: await redrivable(runId),
        operatorLog,
      };
    },
    rerunFailed: (runId, reason) =>
      asConflict(async () => {
        const summary = await session.getRunSummary(runId);
        const customers = await failedCustomersOf(session, runId);
        if (customers.length === 0) throw new Error(`run ${runId} has no failed customers`);
        return startRerun(target, {
          period: summary.period,
          customers,
          failedOf: runId,
          ...(reason ? { reason } : {}),
        });
      }),
    redrive: (runId) => asConflict(() => redriveRun(target, runId)),
    async customerView(customerId) {
      const invoices = await session.listInvoices({ customerId });
      const deliveries = await Promise.all(
        invoices
          .filter((r) => r.status === INVOICE_STATUS.notified)
          .map(async (r) => {
            const log = await session.operatorLog.entries({
              kind: 'invoice',
              invoiceNumber: r.invoiceNumber,
            });
            return documentEmails(session.stores.deliveries, r, resendsIn(log));
          }),
      );
      // What subscribers received is visible only on the local stack (its inbox queue and mail dir).
      const local = session.deliveries;
      const messages = local
        ? (await local.readInbox(customerId)).map((m) => ({
            ...(m.invoiceNumber ? { invoiceNumber: m.invoiceNumber } : {}),
            eventType: m.eventType,
            ...(m.receivedAt ? { receivedAt: m.receivedAt } : {}),
            resend: typeof m.event.resendOf === 'string',
          }))
        : undefined;
      const emails = local
        ? (await local.readMail(customerId)).map((e) => ({ subject: e.subject, sentAt: e.sentAt, to: e.to }))
        : undefined;
      const record = (await session.stores.records.getCustomer(customerId)) as
        Record<string, unknown> | undefined;
      const logs = await Promise.all([
        session.operatorLog.entries({ kind: 'customer', customerId }),
        ...invoices.map((r) =>
          session.operatorLog.entries({ kind: 'invoice', invoiceNumber: r.invoiceNumber }),
        ),
      ]);
      return {
        customerId,
        record,
        operatorLog: logs.flat().sort(byTime),
        actions: actions.customerSpecs(await customerState(customerId)),
        invoices,
        messages,
        emails,
        deliveries: deliveries.flat(),
        receivables: {
          payments: await session.stores.receivables.payments(customerId),
          reminders: (
            await Promise.all(invoices.map((r) => session.stores.reminders.sentOf(r.invoiceNumber)))
          ).flat(),
          ...((paused) => (paused ? { remindersPaused: paused } : {}))(
            (await session.stores.reminders.paused()).get(customerId),
          ),
        },
        ...(await eventsOf(customerId, invoices)),
      };
    },
    async documentView(number) {
      const state = await documentState(number);
      if (!state) return undefined;
      const rows = await session.stores.invoices.query({ invoiceNumber: number });
      const related =
        state.row.documentType === 'credit_note'
          ? await session.stores.invoices.query({ invoiceNumber: state.row.corrects ?? '' })
          : (await session.listInvoices({ customerId: state.row.customerId })).filter(
              (r) => r.corrects === number,
            );
      const operatorLog = await session.operatorLog.entries({ kind: 'invoice', invoiceNumber: number });
      return {
        ...state,
        related: related.filter((r) => !rows.includes(r)),
        emails:
          state.row.status === INVOICE_STATUS.notified
            ? await documentEmails(session.stores.deliveries, state.row, resendsIn(operatorLog))
            : [],
        operatorLog,
        actions: actions.documentSpecs(state),
      } satisfies DocumentView;
    },
    uploads: consoleUploads(session),
    search: (text) => search({ invoices: session.stores.invoices, search: session.stores.search }, text),
    actions: {
      spec: (id, subjectId) => actions.spec(id, subjectId),
      preview: (spec, subjectId, values) => asConflict(() => actions.preview(spec, subjectId, values)),
      execute: (spec, subjectId, values) => asConflict(() => actions.execute(spec, subjectId, values)),
    },
    unmatchedCredits: () => session.stores.receivables.unmatched(),
    assignCredit: (entryId, invoiceNumber, reason) =>
      asConflict(async () => {
        const assigned = await assignCredit(paymentDeps(session), {
          entryId,
          invoiceNumber,
          by: session.operator,
        });
        await logAction(session, {
          action: OPERATOR_ACTION.assignCredit,
          reason,
          subject: { kind: 'invoice', invoiceNumber },
          details: {
            via: 'console',
            entryId,
            paymentId: assigned.payment.paymentId,
            outcome: assigned.outcome,
          },
        });
      }),
    async pdfUrl(number) {
      const row = (await session.stores.invoices.query({ invoiceNumber: number })).find((r) =>
        ISSUED_STATUSES.includes(r.status),
      );
      return row ? documentUrl(row.pdfKey, `${number}.pdf`, 'inline') : undefined;
    },
  };
}
