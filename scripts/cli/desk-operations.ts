/**
 * Support actions shared by the CLI commands and the console (./console-actions.ts): each does the
 * operation over a session and records it in the operator log with who and why, the same way
 * from either place (the log's `details.via` says which).
 */
import type { CreditInvoiceResult } from '../../lambdas/shared/operations/credit-invoice.js';
import type { RevokeResult } from '../../lambdas/shared/operations/hosted-link-admin.js';
import type {
  PaymentDeps,
  PaymentResult,
  RecordPaymentRequest,
} from '../../lambdas/shared/operations/payments.js';
import type { HeldLock } from '../../lambdas/shared/operations/run-locks.js';
import type { ImportKind, ImportRow, ImportSummary } from '../../lambdas/shared/operations/import-records.js';
import type { StatementImportReport } from '../../lambdas/shared/operations/import-statement.js';
import type { StatementRead } from '../../lambdas/shared/statements/bank-credit.js';
import type { RegenerateResult } from '../../lambdas/shared/operations/regenerate-documents.js';
import { OPERATOR_ACTION } from '../../lambdas/shared/store/operator-log.js';
import type { OperatorSession } from '../../workflows/operator/session-types.js';
import { executionNameFor } from './executions.js';
import { logAction } from './operations.js';
import type { Target } from './target.js';

export type Via = 'cli' | 'console';

// Loaded on use, so that a query (which imports this module through its command) starts fast.
const payments = () => import('../../lambdas/shared/operations/payments.js');

export const paymentDeps = (s: Pick<OperatorSession, 'stores'>): PaymentDeps => ({
  invoices: s.stores.invoices,
  receivables: s.stores.receivables,
  now: () => new Date(),
});

const invoice = (invoiceNumber: string) => ({ kind: 'invoice' as const, invoiceNumber });
const from = (via: Via) => (via === 'console' ? { via } : {});

export async function creditWithLog(
  s: OperatorSession,
  r: { invoiceNumber: string; reason: string; amount?: string; via: Via },
): Promise<CreditInvoiceResult> {
  const credited = await s.creditInvoice({
    invoiceNumber: r.invoiceNumber,
    reason: r.reason,
    ...(r.amount === undefined ? {} : { amount: r.amount }),
    by: s.operator,
  });
  await logAction(s, {
    action: OPERATOR_ACTION.credit,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: {
      ...from(r.via),
      creditNote: credited.creditNote.invoiceNumber,
      totalMinor: credited.creditNote.totalMinor,
      repeated: credited.repeated,
    },
  });
  await s.deliverEmails();
  return credited;
}

export async function revokeLinkWithLog(
  s: OperatorSession,
  r: { invoiceNumber: string; reason: string; reissue: boolean; via: Via },
): Promise<RevokeResult> {
  const revoked = await s.revokeHostedLink({
    invoiceNumber: r.invoiceNumber,
    reason: r.reason,
    by: s.operator,
    reissue: r.reissue,
  });
  await logAction(s, {
    action: OPERATOR_ACTION.revokeLink,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: { ...from(r.via), revoked: revoked.revoked, reissued: Boolean(revoked.newUrl) },
  });
  return revoked;
}

export async function regenerateWithLog(
  s: OperatorSession,
  r: { invoiceNumber: string; reason: string; via: Via },
): Promise<RegenerateResult> {
  const regenerated = await s.regenerateDocuments(r.invoiceNumber);
  await logAction(s, {
    action: OPERATOR_ACTION.regenerate,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: { ...from(r.via), documents: regenerated.documents },
  });
  return regenerated;
}

export async function recordPaymentWithLog(
  s: OperatorSession,
  r: Omit<RecordPaymentRequest, 'by'> & { via: Via },
): Promise<PaymentResult> {
  const { via, ...request } = r;
  const recorded = await (await payments()).recordPayment(paymentDeps(s), { ...request, by: s.operator });
  await logAction(s, {
    action: OPERATOR_ACTION.recordPayment,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: {
      ...from(via),
      paymentId: recorded.payment.paymentId,
      amountMinor: recorded.payment.amountMinor,
      outcome: recorded.outcome,
    },
  });
  return recorded;
}

export async function reversePaymentWithLog(
  s: OperatorSession,
  r: { invoiceNumber: string; paymentId: string; reason: string; via: Via },
): Promise<PaymentResult> {
  const reversed = await (
    await payments()
  ).reversePayment(paymentDeps(s), {
    invoiceNumber: r.invoiceNumber,
    paymentId: r.paymentId,
    reason: r.reason,
    by: s.operator,
  });
  await logAction(s, {
    action: OPERATOR_ACTION.reversePayment,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: {
      ...from(r.via),
      paymentId: reversed.payment.paymentId,
      reverses: r.paymentId,
      outcome: reversed.outcome,
    },
  });
  return reversed;
}

export async function writeOffWithLog(
  s: OperatorSession,
  r: { invoiceNumber: string; reason: string; via: Via },
): Promise<{ invoiceNumber: string; writtenOff: boolean; openMinor: number }> {
  const done = await (
    await payments()
  ).writeOffInvoice(paymentDeps(s), {
    invoiceNumber: r.invoiceNumber,
    reason: r.reason,
    by: s.operator,
  });
  if (done.writtenOff)
    await logAction(s, {
      action: OPERATOR_ACTION.writeOff,
      reason: r.reason,
      subject: invoice(r.invoiceNumber),
      details: { ...from(r.via), openMinor: done.openMinor },
    });
  return done;
}

/** Pauses or resumes a customer's reminders; `changed` false when resuming a customer not paused. */
export async function setRemindersPaused(
  s: OperatorSession,
  r: { customerId: string; pause: boolean; reason: string; via: Via },
): Promise<{ customerId: string; paused: boolean; changed: boolean }> {
  let changed = true;
  if (r.pause)
    await s.stores.reminders.pause({
      customerId: r.customerId,
      reason: r.reason,
      by: s.operator,
      at: new Date().toISOString(),
    });
  else changed = await s.stores.reminders.resume(r.customerId);
  await logAction(s, {
    action: r.pause ? OPERATOR_ACTION.pauseReminders : OPERATOR_ACTION.resumeReminders,
    reason: r.reason,
    subject: { kind: 'customer', customerId: r.customerId },
    ...(r.via === 'console' ? { details: { via: r.via } } : {}),
  });
  return { customerId: r.customerId, paused: r.pause, changed };
}

/**
 * Void and replace: credit what is left, set the invoice aside, run its period again (which issues
 * the customer a new invoice with a new number), and log it; `replacement` is the new invoice.
 */
export async function replaceWithLog(target: Target, r: { invoiceNumber: string; reason: string; via: Via }) {
  const s = target.session;
  const replaced = await s.replaceInvoice({
    invoiceNumber: r.invoiceNumber,
    reason: r.reason,
    by: s.operator,
  });
  const period = replaced.replaced.period;
  const { executeRun } = await import('./run.js');
  const run = await executeRun(target, {
    name: executionNameFor('run', period),
    input: { period },
    quiet: true,
  });
  await logAction(s, {
    action: OPERATOR_ACTION.replace,
    reason: r.reason,
    subject: invoice(r.invoiceNumber),
    details: {
      ...from(r.via),
      ...(replaced.creditNote ? { creditNote: replaced.creditNote.creditNote.invoiceNumber } : {}),
      run: run.runId,
    },
  });
  await s.deliverEmails();
  const [replacement] = (
    await s.listInvoices({ customerId: replaced.replaced.customerId, period: run.period })
  ).filter(
    (row) => row.documentType !== 'credit_note' && row.replacedAt === undefined && row.status !== 'VOID',
  );
  return { ...replaced, replacement, run };
}

/** Releases a period's stuck run lock (operations/run-locks.ts), logged on the run that held it. */
export async function releaseLockWithLog(
  s: OperatorSession,
  r: { period: string; reason: string; force: boolean; via: Via },
): Promise<HeldLock> {
  const released = await s.releaseRunLock({ period: r.period, force: r.force });
  await logAction(s, {
    action: OPERATOR_ACTION.releaseLock,
    reason: r.reason,
    subject: { kind: 'run', runId: released.holderRunId },
    details: {
      ...from(r.via),
      period: released.period,
      holder: released.holderExecution,
      holderState: released.holder,
      acquiredAt: released.acquiredAt,
      force: r.force,
    },
  });
  return released;
}

/** Imports records (or, with `dryRun`, counts what an import would write), logged when written. */
export async function importRecordsWithLog(
  s: OperatorSession,
  r: {
    kind: ImportKind;
    file: string;
    rows: AsyncIterable<ImportRow>;
    via: Via;
    reason?: string;
    dryRun?: boolean;
    onProgress?: (rows: number) => void;
  },
): Promise<ImportSummary> {
  // Loaded on use: the record parsers compile their schemas.
  const { importRecords } = await import('../../lambdas/shared/operations/import-records.js');
  const { dynamoRecordWriter } = await import('../../lambdas/shared/store/record-writer.js');
  const done = await importRecords(
    { writer: dynamoRecordWriter(s.clients.dynamodb), tables: s.storage.tables },
    r.kind,
    r.rows,
    r.onProgress,
    { dryRun: Boolean(r.dryRun) },
  );
  if (!r.dryRun)
    await logAction(s, {
      action: OPERATOR_ACTION.import,
      ...(r.reason ? { reason: r.reason } : {}),
      subject: { kind: 'records', table: r.kind },
      details: {
        ...from(r.via),
        file: r.file,
        written: done.written,
        unchanged: done.unchanged,
        rejected: done.rejected,
      },
    });
  return done;
}

/** Imports a bank statement already read (matched and recorded: docs/payments.md), logged. */
export async function importStatementWithLog(
  s: OperatorSession,
  r: { file: string; read: StatementRead; via: Via; reason?: string },
): Promise<StatementImportReport> {
  const { importStatement } = await import('../../lambdas/shared/operations/import-statement.js');
  const imported = await importStatement(
    {
      invoices: s.stores.invoices,
      records: s.stores.records,
      receivables: s.stores.receivables,
      now: () => new Date(),
    },
    r.read,
    s.operator,
  );
  await logAction(s, {
    action: OPERATOR_ACTION.importStatement,
    ...(r.reason ? { reason: r.reason } : {}),
    subject: { kind: 'records', table: 'payments' },
    details: {
      ...from(r.via),
      file: r.file,
      credits: imported.credits,
      matched: imported.matched,
      unmatched: imported.unmatched,
      alreadyImported: imported.alreadyImported,
      errors: imported.errors.length,
    },
  });
  return imported;
}
