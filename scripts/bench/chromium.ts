/**
 * The same invoice as HTML printed to PDF by headless Chromium (Debian's `chromium`, driven by
 * playwright-core), the usual alternative to drawing with pdfkit: one browser and one page kept
 * warm, so each timing is `setContent` + `page.pdf()` alone. The HTML carries the same content
 * (seller, buyer, facts, lines, totals, notes) with the same Noto fonts and the same formatting.
 */
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { fontPath } from '../../lambdas/shared/documents/fonts.js';
import {
  formatDate,
  formatDateRange,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
} from '../../lambdas/shared/documents/format.js';
import { labelsFor } from '../../lambdas/shared/documents/labels.js';
import type { InvoiceDetail, Party } from '../../lambdas/shared/domain/types.js';
import { percentile } from '../../workflows/local/instrumentation.js';
import { ensureChromium } from '../local-stack/chromium.js';
import type { RenderTimings } from './pdf.js';

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function party(p: Party): string {
  const a = p.address;
  const lines = [p.name, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.country];
  if (p.vatId) lines.push(p.vatId);
  return lines
    .filter(Boolean)
    .map((l) => escape(String(l)))
    .join('<br>');
}

export function invoiceHtml(d: InvoiceDetail): string {
  const L = labelsFor(d.locale);
  const money = (minor: number) => escape(formatMoney(minor, d.currency, d.exponent, d.locale));
  const face = (family: string, file: string, weight: number) =>
    `@font-face{font-family:"${family}";src:url("${pathToFileURL(file).href}");font-weight:${weight}}`;
  const rows = d.lines
    .map(
      (l) =>
        `<tr><td>${escape(l.description)}</td><td class="n">${escape(formatQuantity(l.quantity, d.locale))}</td>` +
        `<td class="n">${escape(formatUnitPrice(l.unitPrice, d.currency, d.exponent, d.locale))}</td>` +
        `<td class="n">${money(l.amountMinor)}</td></tr>`,
    )
    .join('');
  const taxes = d.taxes
    .map(
      (t) =>
        `<tr><td colspan="3">${escape(L.taxOn(L.tax, formatPercent(t.rate, d.locale), formatMoney(t.taxableMinor, d.currency, d.exponent, d.locale)))}</td><td class="n">${money(t.taxMinor)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="${escape(d.locale)}"><head><meta charset="utf-8"><style>
${face('Noto', fontPath('latin'), 400)}${face('Noto', fontPath('latinBold'), 700)}${face('NotoJP', fontPath('jp'), 400)}${face('NotoJP', fontPath('jpBold'), 700)}
@page{size:A4;margin:50px}body{font:9px Noto,NotoJP;color:#1a1a1a}h1{color:#1f4e79;font-size:22px;text-align:right}
table{width:100%;border-collapse:collapse}th{background:#f1f3f4;text-align:left}td,th{padding:3px;border-bottom:1px solid #c8c8c8}
.n{text-align:right}.grey{color:#5f6368}</style></head><body>
<div class="grey" style="float:left">${party(d.seller)}</div><h1>${escape(L.invoice)}</h1>
<p style="text-align:right">${escape(L.invoiceNumber)} ${escape(d.invoiceNumber)}<br>${escape(L.issueDate)} ${escape(formatDate(d.issueDate, d.locale))}<br>
${escape(L.dueDate)} ${escape(formatDate(d.dueDate, d.locale))}<br>${escape(L.billingPeriod)} ${escape(formatDateRange(d.period.start, d.period.end, d.locale))}<br>
${escape(L.customerId)} ${escape(d.buyer.customerId)}<br>${escape(L.plan)} ${escape(d.plan.name)}</p>
<p><b>${escape(L.billTo)}</b><br>${party(d.buyer)}</p>
<table><thead><tr><th>${escape(L.description)}</th><th class="n">${escape(L.quantity)}</th><th class="n">${escape(L.unitPrice)}</th><th class="n">${escape(L.amount)}</th></tr></thead>
<tbody>${rows}<tr><td colspan="3">${escape(L.subtotal)}</td><td class="n">${money(d.subtotalMinor)}</td></tr>${taxes}
<tr><td colspan="3"><b>${escape(L.total)}</b></td><td class="n"><b>${money(d.totalMinor)}</b></td></tr></tbody></table>
<p>${escape(L.paymentTerms(d.paymentTermsDays, formatDate(d.dueDate, d.locale)))}</p>${d.notes.map((n) => `<p class="grey">${escape(n)}</p>`).join('')}
</body></html>`;
}

/** Prints `detailFor(i)` for i = 0 .. runs (0 is the cold print); undefined when Chromium is missing. */
export async function timeChromium(
  detailFor: (i: number) => InvoiceDetail,
  runs: number,
): Promise<(RenderTimings & { executable: string }) | { unavailable: string }> {
  const found = ensureChromium();
  if ('unavailable' in found) return found;
  const browser = await chromium.launch({ executablePath: found.path, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const times: number[] = [];
    let coldMs = 0;
    let bytes = 0;
    for (let i = 0; i <= runs; i++) {
      const html = invoiceHtml(detailFor(i));
      const start = performance.now();
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4' });
      const ms = performance.now() - start;
      if (i === 0) coldMs = ms;
      else times.push(ms);
      bytes = pdf.length;
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Number(ms.toFixed(2));
    return {
      executable: found.path,
      renders: runs,
      coldMs: round(coldMs),
      medianMs: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      pdfBytes: bytes,
    };
  } finally {
    await browser.close();
  }
}
