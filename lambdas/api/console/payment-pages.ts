/**
 * The console's payment views: a customer's payments and reminders (on the customer page), and
 * the unmatched bank credits with a form to assign each to an invoice.
 */
import { decimalAmount } from '../../shared/domain/money.js';
import { isIssuedInvoice, openAmountOf, paymentStatusOf } from '../../shared/domain/receivables.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { InvoiceRow } from '../../shared/store/invoice-index.js';
import type { PaymentEntry, UnmatchedCredit } from '../../shared/store/receivables.js';
import type { SentReminder, ReminderPause } from '../../shared/store/reminders.js';
import { consolePage, frameOptions, scrollTable, type PageFrame } from './console-layout.js';

export const UNMATCHED_PATH = '/console/payments/unmatched';
export const assignPath = (entryId: string): string =>
  `${UNMATCHED_PATH}/${encodeURIComponent(entryId)}/assign`;

const amount = (minor: number, currency: string) => `${h(decimalAmount(minor, currency))} ${h(currency)}`;

/** An invoice row's payment cell: status and open amount (issued invoices only). */
export function paymentCell(row: InvoiceRow): string {
  if (!isIssuedInvoice(row)) return '';
  const status = paymentStatusOf(row);
  return `<span class="status ${h(status)}">${h(status)}</span> · open ${amount(openAmountOf(row), row.currency)}${row.overdueAt ? ' · <b>overdue</b>' : ''}`;
}

export interface CustomerPayments {
  payments: PaymentEntry[];
  reminders: SentReminder[];
  remindersPaused?: ReminderPause;
}

export function customerPaymentSections(view: CustomerPayments): string {
  const payments = view.payments
    .map(
      (p) =>
        `<tr><td><code>${h(p.paymentId)}</code></td><td>${h(p.invoiceNumber)}</td><td>${h(p.date)}</td><td class="num">${amount(p.amountMinor, p.currency)}</td><td>${h(p.method)}</td><td>${h(p.source)}</td><td>${h(p.reference ?? '')}${p.reverses ? ` reverses ${h(p.reverses)}` : ''}</td></tr>`,
    )
    .join('\n');
  const reminders = view.reminders
    .map(
      (r) =>
        `<tr><td>${h(r.invoiceNumber)}</td><td class="num">${r.step > 0 ? '+' : ''}${r.step} days</td><td>${h(r.publishedAt)}</td></tr>`,
    )
    .join('\n');
  const paused = view.remindersPaused
    ? `<p class="notice">Reminders paused by ${h(view.remindersPaused.by)} at ${h(view.remindersPaused.at)}: ${h(view.remindersPaused.reason)}</p>`
    : '';
  return `<h2>Payments</h2>${scrollTable(['Id', 'Invoice', 'Date', '#Amount', 'Method', 'Source', 'Reference'], payments, 'None.', 'payments')}
<h2>Reminders</h2>${paused}${scrollTable(['Invoice', '#Step', 'Sent'], reminders, 'None.', 'reminders')}`;
}

export function unmatchedPage(credits: UnmatchedCredit[], frame: PageFrame, notice?: string): string {
  const rows = credits
    .map((c, i) => {
      const id = `assign-${i}`;
      return `<tr><td>${h(c.bookingDate)}</td><td class="num">${amount(c.amountMinor, c.currency)}</td><td>${h(c.payerName ?? '')}</td><td>${h(c.reference ?? '')} ${h(c.remittance ?? '')}</td><td>${h(c.reason)}${c.candidates ? `<br><span class="muted">candidates: ${h(c.candidates.join(', '))}</span>` : ''}</td>
<td>${
        frame.mayAct === false
          ? `<span class="muted">Operators assign credits (your role: ${h(frame.role ?? 'read-only')}).</span>`
          : `<form method="post" action="${h(assignPath(c.entryId))}"><input type="hidden" name="csrf" value="${h(frame.csrf)}">
<label for="${id}-invoice">Invoice</label> <input type="text" id="${id}-invoice" name="invoiceNumber" required value="${h(c.candidates?.length === 1 ? c.candidates[0]! : '')}">
<label for="${id}-reason">Why</label> <input type="text" id="${id}-reason" name="reason" required>
<button type="submit">Assign</button></form>`
      }</td></tr>`;
    })
    .join('\n');
  return consolePage(
    'Unmatched credits',
    `<h1>Unmatched bank credits</h1>
<p class="muted">Credits from imported statements that no rule matched to exactly one invoice. Assign each to the invoice it pays.</p>
${notice ? `<p class="notice" role="status">${h(notice)}</p>` : ''}
${scrollTable(['Booked', '#Amount', 'Payer', 'Reference / text', 'Why unmatched', 'Assign'], rows, 'No unmatched credits.', 'unmatched')}`,
    frameOptions(frame),
  );
}
