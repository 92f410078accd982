/**
 * The invoice e-mail of a customer event: subject and body in the customer's language (the
 * notification's own sentence, with the hosted link), the PDF attached, and the SES tags that
 * bring bounces and complaints back to this delivery. Pure: the handler fetches the PDF and the
 * address, this only composes.
 */
import { EMAIL_TAG, EVENT_TYPE } from '../contracts/events.js';
import { labelsFor } from '../documents/labels.js';
import { languageOf, RIGHT_TO_LEFT } from '../i18n/languages.js';
import { escapeHtml } from '../html.js';
import { catalogueFor } from '../i18n/catalogue.js';
import { notificationText, reminderText } from '../notification-text.js';
import type { CustomerEvent } from '../notification.js';

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
  /** SES message tags (name -> value). */
  tags: Record<string, string>;
}

export function invoiceEmail(event: CustomerEvent, to: string, pdf: Buffer): OutgoingEmail {
  const locale = event.locale ?? 'en';
  const L = labelsFor(locale);
  const reminder = event.type === EVENT_TYPE.paymentReminder ? event.reminder : undefined;
  const title =
    reminder !== undefined
      ? catalogueFor(locale).notification.reminder
      : event.type === EVENT_TYPE.creditNoteIssued
        ? L.creditNote
        : L.invoice;
  const text =
    reminder !== undefined ? reminderText({ ...event, reminder }, locale) : notificationText(event, locale);
  const [sentence = '', ...rest] = text.split('\n');
  const html = [
    `<!doctype html><html lang="${escapeHtml(locale)}"${RIGHT_TO_LEFT.has(languageOf(locale)) ? ' dir="rtl"' : ''}><body>`,
    `<p>${escapeHtml(sentence)}</p>`,
    ...rest.map(
      (line) =>
        `<p>${escapeHtml(line).replace(escapeHtml(event.hostedUrl), `<a href="${escapeHtml(event.hostedUrl)}">${escapeHtml(event.hostedUrl)}</a>`)}</p>`,
    ),
    '</body></html>',
  ].join('\n');
  return {
    to,
    subject: `${title} ${event.invoiceNumber}`,
    text,
    html,
    attachments: [{ fileName: `${event.invoiceNumber}.pdf`, contentType: 'application/pdf', content: pdf }],
    tags: { [EMAIL_TAG.eventId]: event.eventId, [EMAIL_TAG.invoiceNumber]: event.invoiceNumber },
  };
}
