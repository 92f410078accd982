/**
 * The daily reminder job (lambdas/send-reminders on AWS, `invoicer reminders run` and the local
 * stack's timer here). For each issued invoice with something to collect: mark it overdue once
 * its due date has passed (the `invoice.overdue` event), and publish the reminder of the step it
 * reached (domain/receivables.ts) to the customer topic, which e-mails it like the invoice.
 *
 * Once per (invoice, step): a reminder is recorded once published. A job killed in between
 * publishes it again on its next run with the same event id, so the e-mail subscriber (its claim
 * per event id) sends one e-mail. Never for a paid, credited, written-off, replaced or voided
 * invoice, nor for a customer support paused reminders for. Its writes go in transactions of up to
 * 100 items and its links are checked in batches: at 10,000 invoices it is bound by its publishes.
 */
import { EVENT_TYPE, MESSAGE_ATTRIBUTE } from '../contracts/events.js';
import { localDateOf } from '../domain/periods.js';
import {
  isCollectible,
  isOverdue,
  isStandingInvoice,
  openAmountOf,
  reminderStepDue,
} from '../domain/receivables.js';
import type { HostedLinkIssuer } from '../hosted-links/issuer.js';
import { mapLimited } from '../map-limited.js';
import { reminderNotificationMessage } from '../notification.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import type { ReminderStore } from '../store/reminders.js';

/** Reminders published at once. */
const CONCURRENCY = 16;

export interface ReminderJobDeps {
  invoices: Pick<InvoiceIndex, 'scan'>;
  reminders: ReminderStore;
  hostedLinks: Pick<HostedLinkIssuer, 'linksFor'>;
  /** Publishes to the customer topic (MessageStructure json). */
  publish(message: string, attributes: Record<string, string>): Promise<void>;
  steps: readonly number[];
  timeZone: string;
  now: () => Date;
}

export interface ReminderJobResult {
  /** The day the job ran for, in the billing time zone. */
  date: string;
  /** Invoices with something to collect. */
  collectible: number;
  /** Invoices found overdue for the first time (each an `invoice.overdue` event). */
  markedOverdue: number;
  /** Reminders published, by step (a reminder a killed run published and could not record, again). */
  sent: Record<string, number>;
  /** Reminders not sent because support paused the customer's. */
  paused: number;
}

export async function sendReminders(
  deps: ReminderJobDeps,
  input: { date?: string },
): Promise<ReminderJobResult> {
  const nowIso = deps.now().toISOString();
  const date = input.date ?? localDateOf(nowIso, deps.timeZone);
  const [rows, sent, paused] = await Promise.all([
    deps.invoices.scan(),
    deps.reminders.sentByInvoice(),
    deps.reminders.paused(),
  ]);
  const open = rows.filter(
    (row) => isStandingInvoice(row) && row.dueDate !== undefined && isCollectible(row),
  );
  const result: ReminderJobResult = { date, collectible: open.length, markedOverdue: 0, sent: {}, paused: 0 };
  result.markedOverdue = await deps.reminders.markOverdue(
    open.filter((row) => isOverdue(row, date) && row.overdueAt === undefined),
    nowIso,
  );
  const due: { row: InvoiceRow; step: number }[] = [];
  for (const row of open) {
    const step = reminderStepDue(
      row,
      date,
      deps.steps,
      (sent.get(row.invoiceNumber) ?? []).map((c) => c.step),
    );
    if (step === undefined) continue;
    if (paused.has(row.customerId)) result.paused++;
    else due.push({ row, step });
  }
  const urls = await deps.hostedLinks.linksFor(due.map((d) => d.row));
  await mapLimited(
    due.map((d, i) => ({ ...d, url: urls[i]! })),
    CONCURRENCY,
    async ({ row, step, url }) => {
      await deps.publish(
        reminderNotificationMessage({
          ...row,
          step,
          openMinor: openAmountOf(row),
          overdue: isOverdue(row, date),
          hostedUrl: url,
        }),
        {
          [MESSAGE_ATTRIBUTE.eventType]: EVENT_TYPE.paymentReminder,
          [MESSAGE_ATTRIBUTE.customerId]: row.customerId,
          [MESSAGE_ATTRIBUTE.invoiceNumber]: row.invoiceNumber,
          [MESSAGE_ATTRIBUTE.currency]: row.currency,
        },
      );
      result.sent[String(step)] = (result.sent[String(step)] ?? 0) + 1;
    },
  );
  await deps.reminders.recordSent(
    due.map(({ row, step }) => ({
      invoiceNumber: row.invoiceNumber,
      customerId: row.customerId,
      step,
      publishedAt: deps.now().toISOString(),
    })),
  );
  return result;
}
