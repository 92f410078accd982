/**
 * One document's page (an invoice or a credit note): its row (status, totals, what was credited
 * and paid, the open amount), its files, its hosted link's state, its payments and e-mails, its
 * operator log, and every action that applies to it now (credit, resend, revoke or reissue its
 * link, regenerate, verify, record or reverse a payment, write off, void and replace).
 */
import { decimalAmount } from '../../shared/domain/money.js';
import { isIssuedInvoice, openAmountOf, paymentStatusOf } from '../../shared/domain/receivables.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { HostedLinkStatus } from '../../shared/operations/hosted-link-admin.js';
import type { InvoiceRow } from '../../shared/store/invoice-index.js';
import type { OperatorLogEntry } from '../../shared/store/operator-log.js';
import type { PaymentEntry } from '../../shared/store/receivables.js';
import { actionsSection, subjectPath, type ActionSpec } from './action-pages.js';
import { consolePage, frameOptions, scrollTable, statusBadge, type PageFrame } from './console-layout.js';
import { operatorLogSection } from './console-pages.js';
import { documentHref } from './customer-page.js';

export interface DocumentView {
  row: InvoiceRow;
  customerName: string;
  /** The credit notes of an invoice (or the invoice a credit note corrects). */
  related: InvoiceRow[];
  /** Undefined for a document not issued (PENDING, VOID): it has no link. */
  link: HostedLinkStatus | undefined;
  payments: PaymentEntry[];
  emails: { resend: number; status: string; to?: string; sentAt?: string; detail?: string }[];
  operatorLog: OperatorLogEntry[];
  actions: ActionSpec[];
}

const money = (minor: number, currency: string) => `${decimalAmount(minor, currency)} ${currency}`;

function linkFacts(link: HostedLinkStatus | undefined): string {
  if (link === undefined) return 'none (not issued)';
  if (link.state === 'none') return 'not made yet (made when the document is first sent)';
  if (link.state === 'revoked')
    return `revoked ${link.revokedAt} by ${link.revokedBy}: ${link.revokedReason} (the page says "not found")`;
  return `active since ${link.createdAt}`;
}

export function documentPage(view: DocumentView, frame: PageFrame): string {
  const r = view.row;
  const invoice = isIssuedInvoice(r);
  const facts: [string, string][] = [
    ['Customer', `${view.customerName} (${r.customerId})`],
    ['Type', r.documentType === 'credit_note' ? `credit note, corrects ${r.corrects ?? ''}` : 'invoice'],
    ['Period', r.period],
    ['Issued', `${r.issueDate}${r.issuedByRun ? ` by run ${r.issuedByRun}` : ''}`],
    ['Total', money(r.totalMinor, r.currency)],
    ...(invoice
      ? ([
          ['Credited', money(r.creditedMinor ?? 0, r.currency)],
          ['Paid', money(r.paidMinor ?? 0, r.currency)],
          [
            'Open',
            `${money(openAmountOf(r), r.currency)} · ${paymentStatusOf(r)}${r.overdueAt ? ' · overdue' : ''}`,
          ],
          ['Due', r.dueDate ?? ''],
        ] as [string, string][])
      : []),
    ['Hosted link', linkFacts(view.link)],
    ...(r.replacedAt
      ? ([['Replaced', `${r.replacedAt}: ${r.replacedReason ?? ''}`]] as [string, string][])
      : []),
    ...(r.writtenOffAt
      ? ([['Written off', `${r.writtenOffAt} by ${r.writtenOffBy ?? ''}: ${r.writtenOffReason ?? ''}`]] as [
          string,
          string,
        ][])
      : []),
    ...(r.voidReason ? ([['Void', r.voidReason]] as [string, string][]) : []),
  ];
  const files =
    r.status === 'ISSUED' || r.status === 'NOTIFIED'
      ? `<p><a href="/console/invoices/${encodeURIComponent(r.invoiceNumber)}/pdf">Open the PDF</a>${view.link?.state === 'active' ? ` · <a href="${h(view.link.url)}" rel="noreferrer">Open the customer's page</a>` : ''}</p>`
      : '';
  const related = view.related
    .map(
      (d) =>
        `<tr><td><a href="${h(documentHref(d.invoiceNumber))}">${h(d.invoiceNumber)}</a></td><td>${statusBadge(d.status)}</td><td class="num">${h(money(d.totalMinor, d.currency))}</td><td>${h(d.creditReason ?? '')}</td></tr>`,
    )
    .join('\n');
  const payments = view.payments
    .map(
      (p) =>
        `<tr><td><code>${h(p.paymentId)}</code></td><td>${h(p.date)}</td><td class="num">${h(money(p.amountMinor, p.currency))}</td><td>${h(p.method)}</td><td>${h(p.source)}</td><td>${h(p.reference ?? '')}${p.reverses ? ` reverses ${h(p.reverses)}` : ''}</td></tr>`,
    )
    .join('\n');
  const emails = view.emails
    .map(
      (d) =>
        `<tr><td>${d.resend === 0 ? 'first' : `resend ${d.resend}`}</td><td>${statusBadge(d.status)}</td><td>${h(d.to ?? '')}</td><td>${h(d.sentAt ?? '')}</td><td>${h(d.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  return consolePage(
    r.invoiceNumber,
    `<h1>${h(r.invoiceNumber)} · ${statusBadge(r.status)}</h1>
<p><a href="${h(subjectPath('customer', r.customerId))}">← ${h(view.customerName || r.customerId)}</a></p>
<dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`).join('')}</dl>
${files}
<h2>${r.documentType === 'credit_note' ? 'Corrected invoice' : 'Credit notes'}</h2>${scrollTable(['Number', 'Status', '#Total', 'Reason'], related, 'None.', 'related')}
${r.documentType === 'credit_note' ? '' : `<h2>Payments</h2>${scrollTable(['Id', 'Date', '#Amount', 'Method', 'Source', 'Reference'], payments, 'None.', 'payments')}`}
<h2>E-mails</h2>${scrollTable(['Message', 'Status', 'To', 'Sent', 'Detail'], emails, 'None.', 'emails')}
${actionsSection(view.actions, r.invoiceNumber, frame)}
${operatorLogSection(view.operatorLog)}`,
    frameOptions(frame),
  );
}
