/**
 * The daily reminder job (lambdas/send-reminders on AWS, `invoicer reminders run` and the local
 * stack's timer here). For each issued invoice with something to collect: mark it overdue once
 * its due date has passed (the `invoice.overdue` event), and publish the reminder of the step it
 * reached (domain/receivables.ts) to the customer topic, which e-mails it like the invoice.
 *
 * Once per (invoice, step): the claim is taken before publishing and marked after. A job killed in
 * between leaves an unpublished claim, which the next run publishes again; the reminder's event id
 * is the same both times, so the e-mail subscriber sends one e-mail. Never for a paid, credited,
 * written-off, replaced or voided invoice, nor for a customer support paused reminders for.
 */
import { EVENT_TYPE, MESSAGE_ATTRIBUTE } from '../contracts/events.js';
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import { localDateOf } from '../domain/periods.js';
import { isCollectible, isOverdue, openAmountOf, reminderStepDue } from '../domain/receivables.js';
import type { HostedLinkIssuer } from '../hosted-links/issuer.js';
import { mapLimited } from '../map-limited.js';
import { reminderNotificationMessage } from '../notification.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import type { ReminderStore } from '../store/reminders.js';

/** Invoices worked on at once (each is a few small writes and at most one publish). */
const CONCURRENCY = 16;

export interface ReminderJobDeps {
  invoices: Pick<InvoiceIndex, 'scan'>;
  reminders: ReminderStore;
  hostedLinks: Pick<HostedLinkIssuer, 'linkFor'>;
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
  /** Reminders published, by step. */
  sent: Record<string, number>;
  /** Claims a killed run left unpublished, published now. */
  resumed: number;
  /** Reminders not sent because support paused the customer's. */
  paused: number;
}

/** An invoice the job looks at: issued, not a credit note, not set aside for a replacement. */
const isReceivable = (row: InvoiceRow): boolean =>
  ISSUED_STATUSES.includes(row.status) &&
  row.documentType === undefined &&
  row.replacedAt === undefined &&
  row.dueDate !== undefined;

export async function sendReminders(
  deps: ReminderJobDeps,
  input: { date?: string },
): Promise<ReminderJobResult> {
  const nowIso = deps.now().toISOString();
  const date = input.date ?? localDateOf(nowIso, deps.timeZone);
  const [rows, claims, paused] = await Promise.all([
    deps.invoices.scan(),
    deps.reminders.claims(),
    deps.reminders.paused(),
  ]);
  const result: ReminderJobResult = {
    date,
    collectible: 0,
    markedOverdue: 0,
    sent: {},
    resumed: 0,
    paused: 0,
  };
  const open = rows.filter((row) => isReceivable(row) && isCollectible(row));
  result.collectible = open.length;

  const publish = async (row: InvoiceRow, step: number) => {
    await deps.publish(
      reminderNotificationMessage({
        ...row,
        step,
        openMinor: openAmountOf(row),
        overdue: isOverdue(row, date),
        hostedUrl: await deps.hostedLinks.linkFor(row),
      }),
      {
        [MESSAGE_ATTRIBUTE.eventType]: EVENT_TYPE.paymentReminder,
        [MESSAGE_ATTRIBUTE.customerId]: row.customerId,
        [MESSAGE_ATTRIBUTE.invoiceNumber]: row.invoiceNumber,
        [MESSAGE_ATTRIBUTE.currency]: row.currency,
      },
    );
    await deps.reminders.markPublished(row.invoiceNumber, step, deps.now().toISOString());
  };

  await mapLimited(open, CONCURRENCY, async (row) => {
    if (
      isOverdue(row, date) &&
      row.overdueAt === undefined &&
      (await deps.reminders.markOverdue(row, nowIso))
    )
      result.markedOverdue++;
    if (paused.has(row.customerId)) {
      if (
        reminderStepDue(
          row,
          date,
          deps.steps,
          (claims.get(row.invoiceNumber) ?? []).map((c) => c.step),
        ) !== undefined
      )
        result.paused++;
      return;
    }
    const mine = claims.get(row.invoiceNumber) ?? [];
    for (const claim of mine.filter((c) => c.publishedAt === undefined)) {
      await publish(row, claim.step);
      result.resumed++;
    }
    const step = reminderStepDue(
      row,
      date,
      deps.steps,
      mine.map((c) => c.step),
    );
    if (step === undefined) return;
    const claim = await deps.reminders.claim({
      invoiceNumber: row.invoiceNumber,
      customerId: row.customerId,
      step,
      claimedAt: nowIso,
    });
    // Another job took it: it publishes it (or, if it died, the next run does).
    if (!claim.taken) return;
    await publish(row, step);
    result.sent[String(step)] = (result.sent[String(step)] ?? 0) + 1;
  });
  return result;
}
