/**
 * The support console's run pages: the list of runs and one run with its failures (a running
 * run's page refreshes itself with a meta refresh). Actions are forms that POST to the console's
 * own routes with the page's CSRF token. The frame of every page: ./console-layout.ts.
 */
import type { RunFailure } from '../../shared/contracts/payloads.js';
import { decimalAmount } from '../../shared/domain/money.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { InvoiceRow } from '../../shared/store/invoice-index.js';
import type { OperatorLogEntry } from '../../shared/store/operator-log.js';
import type { RunRecord } from '../../shared/store/runs.js';
import { customerPaymentSections, paymentCell, type CustomerPayments } from './payment-pages.js';
import { consolePage, statusBadge, type PageFrame } from './console-layout.js';

export { CONSOLE_PAGE_HEADERS, consolePage, type PageFrame } from './console-layout.js';

const status = statusBadge;
const count = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function runsPage(runs: RunRecord[], frame: PageFrame): string {
  const rows = runs
    .map(
      (
        r,
      ) => `<tr><td><a href="/console/runs/${encodeURIComponent(r.runId)}">${h(r.runId)}</a></td><td>${h(r.period)}</td>
<td>${status(r.status)}</td><td>${h(r.startedAt)}</td><td class="num">${r.customerCount}</td>
<td class="num">${count(r.issued)}</td><td class="num">${count(r.skipped)}</td><td class="num">${count(r.failed)}</td></tr>`,
    )
    .join('\n');
  return consolePage(
    'Runs',
    `<h1>Runs</h1>
<table><thead><tr><th>Run</th><th>Period</th><th>Status</th><th>Started</th><th class="num">Customers</th><th class="num">Issued</th><th class="num">Skipped</th><th class="num">Failed</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8" class="muted">No runs yet.</td></tr>'}</tbody></table>`,
    { place: frame.place },
  );
}

export function operatorLogSection(entries: OperatorLogEntry[]): string {
  if (entries.length === 0) return '';
  return `<h2>Operator log</h2><table><thead><tr><th>When</th><th>Action</th><th>By</th><th>Why</th><th>Details</th></tr></thead><tbody>
${entries
  .map(
    (e) =>
      `<tr><td>${h(e.at)}</td><td>${h(e.action)}</td><td>${h(e.by)}</td><td>${h(e.reason ?? '')}</td><td class="muted">${h(JSON.stringify(e.details ?? {}))}</td></tr>`,
  )
  .join('\n')}</tbody></table>`;
}

export interface RunView {
  record: RunRecord;
  /** `retries`: how often the step was retried before it failed (known from the run's ASL). */
  failures: (RunFailure & { retries?: number })[];
  failed: number;
  notices: string[];
  /** Customers issued so far (a running run). */
  issuedSoFar?: number;
  redrivable: boolean;
  operatorLog: OperatorLogEntry[];
}

const form = (action: string, csrf: string, label: string, extra = ''): string =>
  `<form class="inline" method="post" action="${h(action)}"><input type="hidden" name="csrf" value="${h(csrf)}">${extra}<button type="submit">${h(label)}</button></form>`;

export function runPage(view: RunView, frame: PageFrame): string {
  const { csrf } = frame;
  const r = view.record;
  const running = r.status === 'RUNNING';
  const base = `/console/runs/${encodeURIComponent(r.runId)}`;
  const failures = view.failures
    .map(
      (f) =>
        `<tr><td><a href="/console/customers/${encodeURIComponent(f.customerId)}">${h(f.customerId)}</a></td><td>${h(f.step ?? '')}</td><td>${h(f.error)}</td><td class="num">${f.retries ?? ''}</td><td>${h(f.cause.slice(0, 300))}</td></tr>`,
    )
    .join('\n');
  const actions = [
    ...(view.failed > 0 && !running
      ? [
          form(
            `${base}/rerun`,
            csrf,
            `Re-run the ${view.failed} failed customers`,
            '<label for="rerun-reason">Why (optional)</label> <input type="text" id="rerun-reason" name="reason"> ',
          ),
        ]
      : []),
    ...(view.redrivable ? [form(`${base}/redrive`, csrf, 'Redrive (continue where it stopped)')] : []),
  ];
  return consolePage(
    `Run ${r.runId}`,
    `<h1>Run ${h(r.runId)}</h1>
<p>Period ${h(r.period)} · ${status(r.status)} · started ${h(r.startedAt)}${r.finishedAt ? ` · finished ${h(r.finishedAt)}` : ''}</p>
<p>Customers ${r.customerCount}${running ? ` · issued so far ${view.issuedSoFar ?? 0}` : ` · issued <b>${count(r.issued)}</b> · skipped ${count(r.skipped)} · failed <b>${count(r.failed)}</b>`}</p>
${view.notices.map((n) => `<p class="notice">${h(n)}</p>`).join('')}
${actions.length ? `<p>${actions.join(' ')}</p>` : ''}
${view.failed > 0 ? `<h2>Failed customers</h2><table><thead><tr><th>Customer</th><th>Step</th><th>Error</th><th class="num">Retries</th><th>Cause</th></tr></thead><tbody>${failures}</tbody></table>${view.failed > view.failures.length ? `<p class="muted">and ${view.failed - view.failures.length} more (see the run's failures list)</p>` : ''}` : ''}
${operatorLogSection(view.operatorLog)}`,
    { place: frame.place, ...(running ? { refreshSeconds: 1 } : {}) },
  );
}

export interface CustomerView {
  customerId: string;
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
}

/** How far back a customer page reads the event archive. */
export const CONSOLE_EVENT_DAYS = 31;

const NOTIFICATIONS_NOT_VISIBLE =
  "Not visible from here on AWS: they go to the customer topic's subscribers. See the e-mail deliveries.";
const EMAILS_NOT_VISIBLE =
  'Not visible from here on AWS: SES sent them to the customer. See the e-mail deliveries.';

const EVENTS_NOT_DEPLOYED = 'This stack has no events or webhooks (deploy this version).';

export function customerPage(view: CustomerView, frame: PageFrame): string {
  const { csrf } = frame;
  const invoices = view.invoices
    .map((r) => {
      const issued = r.status === 'ISSUED' || r.status === 'NOTIFIED';
      const pdf = issued
        ? `<a href="/console/invoices/${encodeURIComponent(r.invoiceNumber)}/pdf">PDF</a>`
        : '';
      const resend =
        r.status === 'NOTIFIED'
          ? form(
              `/console/invoices/${encodeURIComponent(r.invoiceNumber)}/resend`,
              csrf,
              'Resend',
              `<input type="hidden" name="customerId" value="${h(r.customerId)}"><input type="text" name="reason" placeholder="why (required)" required> `,
            )
          : '';
      return `<tr><td>${h(r.invoiceNumber)}</td><td>${h(r.period)}</td><td>${status(r.status)}</td>
<td class="num">${h(decimalAmount(r.totalMinor, r.currency))} ${h(r.currency)}</td><td>${paymentCell(r)}</td><td>${pdf}</td><td>${h(r.voidReason ?? '')}</td><td>${resend}</td></tr>`;
    })
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
  const none = (columns: number, shown: unknown, notVisible = NOTIFICATIONS_NOT_VISIBLE) =>
    `<tr><td colspan="${columns}" class="muted">${shown === undefined ? notVisible : 'None.'}</td></tr>`;
  return consolePage(
    `Customer ${view.customerId}`,
    `<h1>Customer ${h(view.customerId)}</h1>
<h2>Invoices</h2><table><thead><tr><th>Number</th><th>Period</th><th>Status</th><th class="num">Total</th><th>Payment</th><th>Document</th><th>Void reason</th><th></th></tr></thead>
<tbody>${invoices || '<tr><td colspan="8" class="muted">No invoices.</td></tr>'}</tbody></table>
${customerPaymentSections(view.receivables)}
<h2>Notifications</h2><table><thead><tr><th>Received</th><th>Event</th><th>Number</th><th></th></tr></thead><tbody>${messages || none(4, view.messages)}</tbody></table>
<h2>E-mail deliveries</h2><table><thead><tr><th>Number</th><th>Message</th><th>Status</th><th>To</th><th>Sent</th><th>Detail</th></tr></thead><tbody>${deliveries || '<tr><td colspan="6" class="muted">None.</td></tr>'}</tbody></table>
<h2>E-mails</h2><table><thead><tr><th>Sent</th><th>Subject</th><th>To</th></tr></thead><tbody>${emails || none(3, view.emails, EMAILS_NOT_VISIBLE)}</tbody></table>
<h2>Events (last ${CONSOLE_EVENT_DAYS} days)</h2><table><thead><tr><th>When</th><th>Type</th><th>Document</th><th class="num">Sequence</th><th>Id</th></tr></thead><tbody>${events || none(5, view.events, EVENTS_NOT_DEPLOYED)}</tbody></table>
<h2>Webhook deliveries</h2><table><thead><tr><th>When</th><th>Endpoint</th><th>Event</th><th class="num">Attempt</th><th>Result</th><th>Answer</th><th class="num">Time</th></tr></thead><tbody>${hooks || none(7, view.webhookDeliveries, EVENTS_NOT_DEPLOYED)}</tbody></table>`,
    { place: frame.place },
  );
}
