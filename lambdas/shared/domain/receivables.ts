/**
 * Who has paid: an invoice's payment status, apart from its document status, and what follows
 * from it (overdue, reminders, aging). Pure: every figure comes from the invoice row's running
 * sums (`creditedMinor` from its credit notes, `paidMinor` from its payment entries), so the open
 * amount is total − credit notes − payments by construction, never stored on its own.
 */
import { ENV } from '../contracts/env.js';
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import { InvalidInputError } from '../errors.js';
import { addDays, parseIsoDate } from './periods.js';

export const PAYMENT_STATUS = {
  unpaid: 'unpaid',
  partiallyPaid: 'partially_paid',
  /** Nothing is open: paid in full, or credited (in part) and the rest paid. */
  paid: 'paid',
  /** Payments exceed what is owed: the difference is the customer's to get back. */
  overpaid: 'overpaid',
  /** Support gave up on the open amount (`invoicer invoices write-off`). */
  writtenOff: 'written_off',
} as const;
export type PaymentStatus = (typeof PAYMENT_STATUS)[keyof typeof PAYMENT_STATUS];

/** The row fields the payment status is a function of. */
export interface ReceivableFacts {
  totalMinor: number;
  creditedMinor?: number;
  /** Payments less reversals. */
  paidMinor?: number;
  writtenOffAt?: string;
  dueDate?: string;
}

/** The row fields that say whether a document is an invoice that stands (is owed). */
export interface DocumentState {
  status: string;
  documentType?: string;
  replacedAt?: string;
}

/** An issued invoice (not a credit note, reservation or VOID number): it has a payment status. */
export const isIssuedInvoice = (r: DocumentState): boolean =>
  r.documentType === undefined && (ISSUED_STATUSES as readonly string[]).includes(r.status);

/** An issued invoice not set aside for a replacement: what is owed, reminded of and aged. */
export const isStandingInvoice = (r: DocumentState): boolean =>
  isIssuedInvoice(r) && r.replacedAt === undefined;

/** What the customer still owes: total − credit notes − payments (negative: overpaid). */
export const openAmountOf = (r: ReceivableFacts): number =>
  r.totalMinor - (r.creditedMinor ?? 0) - (r.paidMinor ?? 0);

export function paymentStatusOf(r: ReceivableFacts): PaymentStatus {
  const open = openAmountOf(r);
  if (open < 0) return PAYMENT_STATUS.overpaid;
  if (open === 0) return PAYMENT_STATUS.paid;
  if (r.writtenOffAt !== undefined) return PAYMENT_STATUS.writtenOff;
  return (r.paidMinor ?? 0) > 0 ? PAYMENT_STATUS.partiallyPaid : PAYMENT_STATUS.unpaid;
}

/** Whether something is still to be collected: open, and not written off. */
export const isCollectible = (r: ReceivableFacts): boolean =>
  openAmountOf(r) > 0 && r.writtenOffAt === undefined;

/** Overdue once the due date has passed (on `today`, a date in the billing time zone). */
export const isOverdue = (r: ReceivableFacts, today: string): boolean =>
  isCollectible(r) && r.dueDate !== undefined && today > r.dueDate;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  const a = parseIsoDate(from, 'from');
  const b = parseIsoDate(to, 'to');
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/** The reminder steps when none are configured: 3 days before the due date, 7 and 21 days after. */
export const DEFAULT_REMINDER_STEPS: readonly number[] = [-3, 7, 21];

/** Reminder steps from configuration (`-3,7,21`): distinct whole days from the due date, ascending. */
export function parseReminderSteps(text: string, where: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const steps = parts.map((p) => {
    if (!/^[+-]?\d{1,3}$/.test(p))
      throw new InvalidInputError(`"${p}" is not a whole number of days (-999 to 999)`, where);
    return Number(p);
  });
  if (steps.length === 0 || steps.length > 10) throw new InvalidInputError('needs from 1 to 10 steps', where);
  if (new Set(steps).size !== steps.length) throw new InvalidInputError('names a step twice', where);
  return steps.sort((a, b) => a - b);
}

/** The steps configured in REMINDER_STEPS (contracts/env.ts), or the default ones. */
export function reminderStepsOf(env: Record<string, string | undefined>): readonly number[] {
  const text = env[ENV.reminderSteps];
  return text === undefined || text.trim() === ''
    ? DEFAULT_REMINDER_STEPS
    : parseReminderSteps(text, `environment variable ${ENV.reminderSteps}`);
}

/**
 * The reminder an invoice is due for on `today`: the latest step whose day has come, unless that
 * step or a later one was sent. After days without a run, only the latest step goes out (never a
 * backlog of three). Undefined when nothing is to be collected or nothing is due yet.
 */
export function reminderStepDue(
  r: ReceivableFacts,
  today: string,
  steps: readonly number[],
  sent: readonly number[],
): number | undefined {
  if (r.dueDate === undefined || !isCollectible(r)) return undefined;
  const due = r.dueDate;
  const reached = steps.filter((step) => addDays(due, step) <= today);
  const latest = reached[reached.length - 1];
  if (latest === undefined || sent.some((s) => s >= latest)) return undefined;
  return latest;
}

/** The aging buckets of receivables: not yet due, then days past the due date. */
export const AGING_BUCKETS = ['not_due', '0-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The bucket of an open amount on `today`: `0-30` holds the first 30 days after the due date. */
export function agingBucketOf(dueDate: string, today: string): AgingBucket {
  const late = daysBetween(dueDate, today);
  if (late <= 0) return 'not_due';
  if (late <= 30) return '0-30';
  if (late <= 60) return '31-60';
  if (late <= 90) return '61-90';
  return '90+';
}
