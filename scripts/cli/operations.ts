/**
 * The operator actions the CLI commands and the console share, each recorded in the operator log
 * with who and why: a re-run of some customers, a redrive, a resend.
 */
import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import type { ResendResult } from '../../lambdas/shared/operations/resend-notification.js';
import {
  OPERATOR_ACTION,
  resendsIn,
  type OperatorLogEntry,
} from '../../lambdas/shared/store/operator-log.js';
import type { OperatorSession } from '../../workflows/operator/session-types.js';
import { executionNameFor, startExecution } from './executions.js';
import type { Target } from './target.js';

/** Records an action in the operator log, now, as this operator. */
export const logAction = (
  session: Pick<OperatorSession, 'operatorLog' | 'operator'>,
  entry: Omit<OperatorLogEntry, 'at' | 'by'>,
): Promise<void> =>
  session.operatorLog.record({ at: new Date().toISOString(), by: session.operator, ...entry });

export const executionArnOf = (target: Pick<Target, 'stateMachineArn'>, runId: string): string =>
  `${target.stateMachineArn.replace(':stateMachine:', ':execution:')}:${runId}`;

/** Starts a run of `period` for `customers` (e.g. those `failedOf` failed); returns its run id. */
export async function startRerun(
  target: Target,
  request: { period: string; customers: string[]; failedOf?: string; reason?: string },
): Promise<string> {
  const { period, customers, failedOf, reason } = request;
  const name = executionNameFor('rerun', period);
  const why = reason ? { reason } : {};
  // Recorded before it starts: a re-run that then fails is an action taken all the same.
  await logAction(target.session, {
    ...why,
    action: OPERATOR_ACTION.rerun,
    subject: { kind: 'run', runId: name },
    details: { period, customers, ...(failedOf ? { failedOf } : {}) },
  });
  if (failedOf)
    await logAction(target.session, {
      ...why,
      action: OPERATOR_ACTION.rerunFailed,
      subject: { kind: 'run', runId: failedOf },
      details: { rerun: name, customers: customers.length },
    });
  await startExecution(target, name, { period, customers });
  return name;
}

/** RedriveExecution of a run that stopped (it continues where it stopped). */
export async function redriveRun(target: Target, runId: string, reason?: string): Promise<void> {
  await target.sfn.send(new RedriveExecutionCommand({ executionArn: executionArnOf(target, runId) }));
  await logAction(target.session, {
    action: OPERATOR_ACTION.redrive,
    ...(reason ? { reason } : {}),
    subject: { kind: 'run', runId },
  });
}

/** Resends a NOTIFIED document's notification (numbered after the earlier resends) and e-mails it. */
export async function resendWithLog(
  session: OperatorSession,
  invoiceNumber: string,
  reason: string,
): Promise<ResendResult> {
  const subject = { kind: 'invoice' as const, invoiceNumber };
  const earlier = resendsIn(await session.operatorLog.entries(subject));
  const sent = await session.resendNotification(invoiceNumber, earlier + 1);
  await logAction(session, {
    action: OPERATOR_ACTION.resend,
    reason,
    subject,
    details: { eventId: sent.eventId, resend: sent.resend },
  });
  // The e-mail subscriber's turn, as after a run.
  await session.deliverEmails();
  return sent;
}
