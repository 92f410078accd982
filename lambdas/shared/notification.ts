/**
 * The customer notification for an issued invoice, as an SNS message with MessageStructure
 * "json": a human-readable `default` (email, SMS) and a machine-readable JSON form for queues
 * and functions. Built from index-row fields only, so a notification resent for an ISSUED
 * invoice is the same message as the first one. No personal data beyond ids.
 */

export interface InvoiceNotificationFields {
  customerId: string;
  invoiceNumber: string;
  period: string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  pdfKey: string;
  jsonKey: string;
}

export const INVOICE_ISSUED_EVENT = 'invoice.issued';

/** Minor units as a plain decimal string with the currency's ISO exponent (JPY 0, EUR 2, KWD 3). */
export function minorToDecimalString(amountMinor: number, currency: string): string {
  const exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits as number;
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${whole}` : whole;
}

export function invoiceNotificationMessage(f: InvoiceNotificationFields): string {
  const total = `${f.currency} ${minorToDecimalString(f.totalMinor, f.currency)}`;
  const text =
    `Your invoice ${f.invoiceNumber} for ${f.period} has been issued on ${f.issueDate}. ` +
    `Total: ${total}. Document: ${f.pdfKey}`;
  const event = JSON.stringify({
    type: INVOICE_ISSUED_EVENT,
    customerId: f.customerId,
    invoiceNumber: f.invoiceNumber,
    period: f.period,
    issueDate: f.issueDate,
    totalMinor: f.totalMinor,
    currency: f.currency,
    total: minorToDecimalString(f.totalMinor, f.currency),
    documents: { pdf: f.pdfKey, json: f.jsonKey },
  });
  return JSON.stringify({ default: text, email: text, sqs: event, lambda: event, https: event });
}
