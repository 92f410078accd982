/** The search box's answer (lambdas/shared/operations/search.ts): customers, documents, payments, credits. */
import { decimalAmount } from '../../shared/domain/money.js';
import { escapeHtml as h } from '../../shared/html.js';
import type { SearchResults } from '../../shared/operations/search.js';
import { consolePage, frameOptions, scrollTable, statusBadge, type PageFrame } from './console-layout.js';
import { subjectPath } from './action-pages.js';
import { documentHref } from './customer-page.js';
import { UNMATCHED_PATH } from './payment-pages.js';

const money = (minor: number, currency: string) => `${decimalAmount(minor, currency)} ${currency}`;
const customerHref = (id: string) => subjectPath('customer', id);

export function searchPage(results: SearchResults, frame: PageFrame): string {
  const customers = results.customers
    .map(
      (c) =>
        `<tr><td><a href="${h(customerHref(c.customerId))}">${h(c.legalName || c.customerId)}</a></td><td>${h(c.customerId)}</td><td>${h(c.email)}</td><td>${statusBadge(c.status)}</td></tr>`,
    )
    .join('\n');
  const documents = results.documents
    .map(
      (d) =>
        `<tr><td><a href="${h(documentHref(d.invoiceNumber))}">${h(d.invoiceNumber)}</a></td><td><a href="${h(customerHref(d.customerId))}">${h(d.customerId)}</a></td><td>${h(d.period)}</td><td>${statusBadge(d.status)}</td><td class="num">${h(money(d.totalMinor, d.currency))}</td></tr>`,
    )
    .join('\n');
  const payments = results.payments
    .map(
      (p) =>
        `<tr><td><a href="${h(documentHref(p.invoiceNumber))}">${h(p.invoiceNumber)}</a></td><td><a href="${h(customerHref(p.customerId))}">${h(p.customerId)}</a></td><td>${h(p.date)}</td><td class="num">${h(money(p.amountMinor, p.currency))}</td><td>${h(p.reference ?? '')}</td></tr>`,
    )
    .join('\n');
  const unmatched = results.unmatched
    .map(
      (c) =>
        `<tr><td><a href="${UNMATCHED_PATH}">${h(c.bookingDate)}</a></td><td class="num">${h(money(c.amountMinor, c.currency))}</td><td>${h(c.payerName ?? '')}</td><td>${h(c.reference ?? '')}</td></tr>`,
    )
    .join('\n');
  const found =
    results.customers.length + results.documents.length + results.payments.length + results.unmatched.length;
  const sections = [
    results.customers.length
      ? `<h2>Customers</h2>${scrollTable(['Name', 'Id', 'E-mail', 'Status'], customers, '')}${results.moreCustomers ? '<p class="muted">More customers match: type more of the name.</p>' : ''}`
      : '',
    results.documents.length
      ? `<h2>Documents</h2>${scrollTable(['Number', 'Customer', 'Period', 'Status', '#Total'], documents, '')}`
      : '',
    results.payments.length
      ? `<h2>Payments</h2>${scrollTable(['Invoice', 'Customer', 'Date', '#Amount', 'Reference'], payments, '')}`
      : '',
    results.unmatched.length
      ? `<h2>Unmatched bank credits</h2>${scrollTable(['Booked', '#Amount', 'Payer', 'Reference'], unmatched, '')}`
      : '',
  ].join('\n');
  return consolePage(
    `Search: ${results.query}`,
    `<h1>Search: ${h(results.query)}</h1>
<p role="status">${found === 0 ? `Nothing found for “${h(results.query)}”. Try a fragment of the name or e-mail, a customer id, an invoice number or a payment reference.` : `${found} found.`}</p>
${sections}`,
    { ...frameOptions(frame), query: results.query },
  );
}
