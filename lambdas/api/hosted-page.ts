/**
 * The hosted invoice page: plain server-rendered HTML in the invoice's language, no script, no
 * external resource. It says what the PDF says (documents/wording.ts) and offers the PDF and the
 * JSON detail as downloads. Every value is escaped; the page sends no Referer (its URL is the key).
 */
import type { InvoiceDetail } from '../shared/domain/types.js';
import { formatMoney } from '../shared/documents/format.js';
import { paymentFacts } from '../shared/documents/payment.js';
import { RIGHT_TO_LEFT } from '../shared/i18n/languages.js';
import { labelsFor, languageOf, type Language } from '../shared/documents/labels.js';
import {
  buyerBlock,
  documentFacts,
  nationalVatNotes,
  paymentAndLegalNotes,
  sellerLines,
  tableRows,
  totalsRows,
} from '../shared/documents/wording.js';
import { escapeHtml } from '../shared/html.js';
import { pageLabelsFor } from './page-labels.js';
import type { PaymentView } from './views.js';

/** Headers of every hosted page: no scripts or outside resources, not cached, not indexed, no Referer. */
export const HOSTED_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
  'x-robots-tag': 'noindex, nofollow',
  'x-content-type-options': 'nosniff',
};

const STYLE = `
body{margin:0;background:#f1f3f4;color:#1a1a1a;font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans JP",sans-serif}
main{max-width:860px;margin:24px auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{color:#1f4e79;margin:0 0 4px;font-size:26px}h2{font-size:15px;color:#5f6368;text-transform:uppercase;margin:28px 0 8px}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;gap:24px}.muted{color:#5f6368}
dl{display:grid;grid-template-columns:auto auto;gap:2px 16px;margin:0}dt{color:#5f6368}dd{margin:0;text-align:right}
.actions{margin:24px 0;display:flex;flex-wrap:wrap;gap:12px}
.payment-status{margin:12px 0;padding:10px 14px;border-radius:6px;background:#eef3f8}
.payment-status.paid{background:#e6f4ea}.payment-status.overdue{background:#fdecea}
.badge{font-weight:700;margin-inline-end:8px}
.button{display:inline-block;padding:10px 18px;border-radius:6px;background:#1f4e79;color:#fff;text-decoration:none;font-weight:600}
.button.secondary{background:#e8eef5;color:#1f4e79}
table{width:100%;border-collapse:collapse}th{background:#f1f3f4;color:#5f6368;font-size:13px;text-align:left;padding:6px}
td{padding:6px;border-bottom:1px solid #e0e0e0;vertical-align:top}.num{text-align:right;white-space:nowrap}
tr.tier td{color:#5f6368;font-size:13px;border-bottom:none}tr.tier td:first-child{padding-left:22px}
.totals{width:auto;margin-left:auto;margin-top:16px}.totals td{border:none}
.totals tr.total td{font-weight:700;font-size:18px;color:#1f4e79;border-top:2px solid #1f4e79}
.notes p{font-size:13px;color:#5f6368;margin:6px 0}
@media (max-width:600px){main{margin:0;border-radius:0;padding:18px}}`;

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"${RIGHT_TO_LEFT.has(lang as Language) ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const lines = (items: string[]): string => items.map((l) => escapeHtml(l)).join('<br>');

function lineRows(detail: InvoiceDetail): string {
  return tableRows(detail)
    .map(
      (r) =>
        `<tr${r.tier ? ' class="tier"' : ' class="line"'}><td>${escapeHtml(r.description)}</td><td class="num">${escapeHtml(
          r.quantity,
        )}</td><td class="num">${escapeHtml(r.unitPrice)}</td><td class="num">${escapeHtml(r.amount)}</td></tr>`,
    )
    .join('\n');
}

/** Where the page's buttons point (relative to the page). */
export interface HostedPageLinks {
  pdf: string;
  json: string;
}

const fileName = (detail: InvoiceDetail, kind: 'pdf' | 'json') =>
  escapeHtml(`${detail.invoiceNumber}.${kind}`);

/** Whether it was paid or is overdue, and what is open: the invoice row's payment view (./views.ts). */
function paymentStatusBanner(
  payment: PaymentView,
  P: ReturnType<typeof pageLabelsFor>,
  money: (minor: number) => string,
): string {
  const settled = payment.open.minor <= 0;
  const state = settled ? 'paid' : payment.overdue ? 'overdue' : 'open';
  const label = settled ? P.paid : payment.overdue ? P.overdue : '';
  const open = settled
    ? ''
    : `${escapeHtml(P.openAmount)}: <strong id="open-amount">${escapeHtml(money(payment.open.minor))}</strong>`;
  return `<p class="payment-status ${state}" id="payment-status" data-status="${state}">${label === '' ? '' : `<span class="badge">${escapeHtml(label)}</span> `}${open}</p>`;
}

export function hostedInvoicePage(
  detail: InvoiceDetail,
  links: HostedPageLinks,
  paymentState?: PaymentView,
): string {
  const { locale } = detail;
  const L = labelsFor(locale);
  const P = pageLabelsFor(locale);
  const money = (minor: number) => formatMoney(minor, detail.currency, detail.exponent, locale);
  const title = `${detail.documentType === 'credit_note' ? L.creditNote : L.invoice} ${detail.invoiceNumber}`;
  const facts = documentFacts(detail)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const seller = sellerLines(detail.seller, locale);
  const buyerLines = buyerBlock(detail.buyer, locale);
  // The name in bold where the buyer's postal format puts it.
  const buyer = buyerLines.lines
    .map((line, n) => (n === buyerLines.nameLine ? `<strong>${escapeHtml(line)}</strong>` : escapeHtml(line)))
    .join('<br>');
  const payment = paymentFacts(detail, L)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const totals = totalsRows(detail)
    .map((r) => `<tr><td>${escapeHtml(r.label)}</td><td class="num">${escapeHtml(r.value)}</td></tr>`)
    .join('\n');
  const notes = [...nationalVatNotes(detail), ...paymentAndLegalNotes(detail)]
    .map((n) => `<p>${escapeHtml(n)}</p>`)
    .join('\n');
  const body = `<div class="top">
<section class="seller"><h1 id="title">${escapeHtml(title)}</h1>
<p><strong>${escapeHtml(detail.seller.name)}</strong><br><span class="muted">${lines(seller)}</span></p></section>
<section class="facts"><dl>${facts}</dl></section>
</div>
${paymentState === undefined ? '' : paymentStatusBanner(paymentState, P, money)}
<section class="buyer"><h2>${escapeHtml(L.billTo)}</h2><p>${buyer}</p></section>
<p class="actions"><a class="button" id="download-pdf" href="${escapeHtml(links.pdf)}" download="${fileName(detail, 'pdf')}">${escapeHtml(P.downloadPdf)}</a>
<a class="button secondary" id="download-json" href="${escapeHtml(links.json)}" download="${fileName(detail, 'json')}">${escapeHtml(P.downloadJson)}</a></p>
<h2>${escapeHtml(P.lines)}</h2>
<table class="lines"><thead><tr><th>${escapeHtml(L.description)}</th><th class="num">${escapeHtml(
    L.quantity,
  )}</th><th class="num">${escapeHtml(L.unitPrice)}</th><th class="num">${escapeHtml(L.amount)}</th></tr></thead>
<tbody>
${lineRows(detail)}
</tbody></table>
<table class="totals"><tbody>
${totals}
<tr class="total"><td>${escapeHtml(L.total)}</td><td class="num" id="total">${escapeHtml(money(detail.totalMinor))}</td></tr>
</tbody></table>
${payment === '' ? '' : `<section class="payment"><dl>${payment}</dl></section>`}
<section class="notes">${notes}</section>`;
  return page(languageOf(locale), title, body);
}

/** A page that says one thing: a title and a sentence. */
const messagePage = (locale: string, title: string, text: string): string =>
  page(languageOf(locale), title, `<h1 id="title">${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);

/** The page of a document whose stored file is not the one issued (it is not shown). */
export function documentUnavailablePage(locale: string): string {
  const P = pageLabelsFor(locale);
  return messagePage(locale, P.unavailableTitle, P.unavailableText);
}

/** The page of a link that opens nothing: unknown, forged, revoked, or its invoice gone. */
export function linkNotFoundPage(locale: string): string {
  const P = pageLabelsFor(locale);
  return messagePage(locale, P.notFoundTitle, P.notFoundText);
}
