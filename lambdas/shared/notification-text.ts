/**
 * The human text of a customer notification (the `default` and `email` forms of the SNS message)
 * in the customer's language (the catalogues, ./i18n/), with amounts and dates in its locale.
 */
import { DOCUMENT_NUMBERING_SYSTEM, formatDate, formatMoney } from './documents/format.js';
import { catalogueFor } from './i18n/catalogue.js';
import { currencyOf } from './domain/money.js';

export interface NotificationFacts {
  invoiceNumber: string;
  period: string;
  issueDate: string;
  dueDate?: string;
  totalMinor: number;
  currency: string;
  /** A credit note: the invoice it corrects. */
  corrects?: string;
  /** The document's hosted page (hosted-links/issuer.ts). */
  hostedUrl: string;
}

/** "October 2026", "Oktober 2026", "2026年10月" for a period `YYYY-MM`. */
function formatPeriod(period: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
    numberingSystem: DOCUMENT_NUMBERING_SYSTEM,
  }).format(new Date(`${period}-01T00:00:00Z`));
}

/** The notification's text in `locale` (English when absent: rows from before locales were kept). */
export function notificationText(f: NotificationFacts, locale = 'en'): string {
  const phrases = catalogueFor(locale).notification;
  const total = formatMoney(f.totalMinor, f.currency, currencyOf(f.currency).exponent, locale);
  const date = formatDate(f.issueDate, locale);
  const link = `\n${phrases.open}${f.hostedUrl}`;
  if (f.corrects !== undefined)
    return `${phrases.creditNote(f.invoiceNumber, f.corrects, date, total)}${link}`;
  const due = f.dueDate === undefined ? '' : phrases.due(formatDate(f.dueDate, locale));
  return `${phrases.invoice(f.invoiceNumber, formatPeriod(f.period, locale), date, total)}${due}${link}`;
}

/** A payment reminder's text: due soon, or overdue, with the open amount and the hosted link. */
export function reminderText(
  f: Pick<NotificationFacts, 'invoiceNumber' | 'currency' | 'hostedUrl'> & {
    dueDate?: string;
    reminder: { openMinor: number; overdue: boolean };
  },
  locale = 'en',
): string {
  const phrases = catalogueFor(locale).notification;
  const open = formatMoney(f.reminder.openMinor, f.currency, currencyOf(f.currency).exponent, locale);
  const due = f.dueDate === undefined ? '' : formatDate(f.dueDate, locale);
  const sentence = f.reminder.overdue ? phrases.reminderOverdue : phrases.reminderDue;
  return `${sentence(f.invoiceNumber, due, open)}\n${phrases.open}${f.hostedUrl}`;
}
