/**
 * A customer's page, the support desk's main screen: the record as the customer gave it (name in
 * its own script, address, VAT id, plan, locale, e-mail, status), every document with its status,
 * totals and payment, what it was sent (notifications, e-mails with bounces), its events and
 * webhook deliveries, payments and reminders, the operator log, and the actions on the customer.
 */
import { decimalAmount } from '../../shared/domain/money.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { InvoiceRow } from '../../shared/store/invoice-index.js';
import type { OperatorLogEntry } from '../../shared/store/operator-log.js';
import { actionsSection, subjectPath, type ActionSpec } from './action-pages.js';
import {
  consolePage,
  frameOptions,
  scrollTable,
  statusBadge as status,
  type PageFrame,
} from './console-layout.js';
import { operatorLogSection } from './console-pages.js';
import { customerPaymentSections, paymentCell, type CustomerPayments } from './payment-pages.js';

export interface CustomerView {
  customerId: string;
  /** The customer record as stored (undefined: no such record, e.g. deleted since it was billed). */
  record: Record<string, unknown> | undefined;
  invoices: InvoiceRow[];
  /** What the customer topic's subscribers received: undefined where it is not visible (AWS). */
  messages: { invoiceNumber?: string; eventType: string; receivedAt?: string; resend: boolean }[] | undefined;
  /** The e-mails as received (the local mail dir): undefined on AWS. */
  emails: { subject: string; sentAt: string; to: string[] }[] | undefined;
  /** The e-mail subscriber's delivery records of the invoices' notifications and resends. */
  deliveries: {
    invoiceNumber: string;
    resend: number;
    status: string;
    to?: string;
    sentAt?: string;
    detail?: string;
  }[];
  /** Its payments and reminders (./payment-pages.ts). */
  receivables: CustomerPayments;
  /** The domain events of its documents (the archive, CONSOLE_EVENT_DAYS back): undefined without events. */
  events?: { id: string; type: string; timestamp: string; document: string; sequence: number }[];
  /** Each attempt to deliver those events to a webhook endpoint. */
  webhookDeliveries?: {
    at: string;
    endpointId: string;
    eventType: string;
    attempt: number;
    ok: boolean;
    status?: number;
    error?: string;
    durationMs: number;
  }[];
  /** The operator log of the customer and of each of its documents, oldest first. */
  operatorLog: OperatorLogEntry[];
  /** The actions on the customer itself (pause or resume reminders). */
  actions: ActionSpec[];
}

/** How far back a customer page reads the event archive. */
export const CONSOLE_EVENT_DAYS = 31;

const NOTIFICATIONS_NOT_VISIBLE =
  "Not visible from here on AWS: they go to the customer topic's subscribers. See the e-mail deliveries.";
const EMAILS_NOT_VISIBLE =
  'Not visible from here on AWS: SES sent them to the customer. See the e-mail deliveries.';
const EVENTS_NOT_DEPLOYED = 'This stack has no events or webhooks (deploy this version).';

export const documentHref = (number: string): string => subjectPath('document', number);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The record's facts, as stored: strings only, anything else left out (a malformed record shows what it has). */
function recordFacts(record: Record<string, unknown>): string {
  const address =
    record.billingAddress !== null && typeof record.billingAddress === 'object'
      ? (record.billingAddress as Record<string, unknown>)
      : {};
  const addressLines = [
    text(address.line1),
    text(address.line2),
    [text(address.postalCode), text(address.city)].filter(Boolean).join(' '),
    text(address.region),
    text(address.country),
  ].filter(Boolean);
  const facts: [string, string][] = [
    ['Name', text(record.legalName)],
    ['E-mail', text(record.email)],
    ['Address', addressLines.join(', ')],
    ['VAT id', text(record.vatId)],
    ['Plan', text(record.planId)],
    ['Currency', text(record.currency)],
    ['Locale', text(record.locale)],
    ['Status', text(record.status)],
    ['Cancelled (last day)', text(record.cancelledAt)],
    ['Buyer reference', text(record.buyerReference)],
    ['E-invoice', [text(record.eInvoiceSyntax), text(record.eInvoiceProfile)].filter(Boolean).join(' ')],
  ];
  return `<dl class="facts">${facts
    .filter(([, v]) => v !== '')
    .map(
      ([k, v]) =>
        `<dt>${h(k)}</dt><dd${k === 'Name' ? ` lang="${h(text(record.locale))}"` : ''}>${h(v)}</dd>`,
    )
    .join('')}</dl>`;
}

export function customerPage(view: CustomerView, frame: PageFrame, done?: string): string {
  const name = text(view.record?.legalName);
  const invoices = view.invoices
    .map(
      (r) =>
        `<tr><td><a href="${h(documentHref(r.invoiceNumber))}">${h(r.invoiceNumber)}</a></td><td>${h(r.documentType === 'credit_note' ? 'credit note' : 'invoice')}</td><td>${h(r.period)}</td><td>${status(r.status)}${r.replacedAt ? ' · replaced' : ''}</td>
<td class="num">${h(decimalAmount(r.totalMinor, r.currency))} ${h(r.currency)}</td><td>${paymentCell(r)}</td><td>${h(r.voidReason ?? r.creditReason ?? '')}</td></tr>`,
    )
    .join('\n');
  const messages = (view.messages ?? [])
    .map(
      (m) =>
        `<tr><td>${h(m.receivedAt ?? '')}</td><td>${h(m.eventType)}</td><td>${h(m.invoiceNumber ?? '')}</td><td>${m.resend ? 'resend' : ''}</td></tr>`,
    )
    .join('\n');
  const emails = (view.emails ?? [])
    .map((e) => `<tr><td>${h(e.sentAt)}</td><td>${h(e.subject)}</td><td>${h(e.to.join(', '))}</td></tr>`)
    .join('\n');
  const deliveries = view.deliveries
    .map(
      (d) =>
        `<tr><td>${h(d.invoiceNumber)}</td><td>${d.resend === 0 ? 'first' : `resend ${d.resend}`}</td><td>${status(d.status)}</td><td>${h(d.to ?? '')}</td><td>${h(d.sentAt ?? '')}</td><td>${h(d.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  const events = (view.events ?? [])
    .map(
      (e) =>
        `<tr><td>${h(e.timestamp)}</td><td>${h(e.type)}</td><td>${h(e.document)}</td><td class="num">${e.sequence}</td><td><code>${h(e.id)}</code></td></tr>`,
    )
    .join('\n');
  const hooks = (view.webhookDeliveries ?? [])
    .map(
      (d) =>
        `<tr><td>${h(d.at)}</td><td>${h(d.endpointId)}</td><td>${h(d.eventType)}</td><td class="num">${d.attempt}</td><td>${d.ok ? 'ok' : 'failed'}</td><td>${h(String(d.status ?? d.error ?? ''))}</td><td class="num">${d.durationMs} ms</td></tr>`,
    )
    .join('\n');
  const unseen = (shown: unknown, notVisible: string) => (shown === undefined ? notVisible : 'None.');
  return consolePage(
    `Customer ${name || view.customerId}`,
    `<h1>${name ? `<span lang="${h(text(view.record?.locale))}">${h(name)}</span> · ` : ''}${h(view.customerId)}</h1>
${done ? `<p class="notice done" role="status">${h(done)}</p>` : ''}
${view.record ? recordFacts(view.record) : '<p class="notice">No customer record with this id (its documents are listed as issued).</p>'}
<h2>Documents</h2>${scrollTable(['Number', 'Type', 'Period', 'Status', '#Total', 'Payment', 'Reason'], invoices, 'No documents.', 'documents')}
${customerPaymentSections(view.receivables)}
<h2>Notifications</h2>${scrollTable(['Received', 'Event', 'Number', ''], messages, unseen(view.messages, NOTIFICATIONS_NOT_VISIBLE), 'notifications')}
<h2>E-mail deliveries</h2>${scrollTable(['Number', 'Message', 'Status', 'To', 'Sent', 'Detail'], deliveries, 'None.', 'deliveries')}
<h2>E-mails</h2>${scrollTable(['Sent', 'Subject', 'To'], emails, unseen(view.emails, EMAILS_NOT_VISIBLE), 'emails')}
<h2>Events (last ${CONSOLE_EVENT_DAYS} days)</h2>${scrollTable(['When', 'Type', 'Document', '#Sequence', 'Id'], events, unseen(view.events, EVENTS_NOT_DEPLOYED), 'events')}
<h2>Webhook deliveries</h2>${scrollTable(['When', 'Endpoint', 'Event', '#Attempt', 'Result', 'Answer', '#Time'], hooks, unseen(view.webhookDeliveries, EVENTS_NOT_DEPLOYED), 'webhooks')}
${actionsSection(view.actions, view.customerId, frame)}
${operatorLogSection(view.operatorLog)}`,
    frameOptions(frame),
  );
}
