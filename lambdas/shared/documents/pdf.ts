/**
 * The invoice PDF, rendered with pdfkit from the JSON detail alone. A4, seller and buyer blocks,
 * number and dates, a line table that breaks across pages with its header repeated, tax summary,
 * totals, legal notes, "page X of Y" on every page. Deterministic: the document dates are the
 * issue date and pdfkit derives the file ID and font subset tags from them and the font order,
 * so the same detail always gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { InvoiceDetail, Party } from '../domain/types.js';
import { fontPaths, fontRuns, type FontFace } from './fonts.js';
import { formatDate, formatMoney, formatPercent, formatQuantity, formatUnitPrice } from './format.js';
import { labelsFor } from './labels.js';

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const BOTTOM = PAGE.height - PAGE.margin - 30; // room for the footer
const COLUMNS = { description: 50, quantity: 300, unitPrice: 385, amount: 475, right: 545 };
const GREY = '#555555';

type Doc = PDFKit.PDFDocument;

interface TextOptions {
  size?: number;
  bold?: boolean;
  color?: string;
  /** Right edge for right-aligned text; otherwise the text starts at x. */
  alignRightAt?: number;
  /** Longest width; longer text is cut with an ellipsis (one line per call). */
  maxWidth?: number;
}

/** One line of text in as many font runs as it needs; returns the width drawn. */
function drawLine(doc: Doc, text: string, x: number, y: number, o: TextOptions = {}): number {
  const size = o.size ?? 9;
  const fonts = fontPaths();
  let runs = fontRuns(text, o.bold ?? false);
  const widthOf = (rs: typeof runs) =>
    rs.reduce((w, r) => w + doc.font(fonts[r.face]).fontSize(size).widthOfString(r.text), 0);
  if (o.maxWidth !== undefined && widthOf(runs) > o.maxWidth) {
    let chars = [...text];
    while (chars.length > 1 && widthOf(fontRuns(`${chars.join('')}…`, o.bold ?? false)) > o.maxWidth)
      chars = chars.slice(0, -1);
    runs = fontRuns(`${chars.join('')}…`, o.bold ?? false);
  }
  const width = widthOf(runs);
  let cursor = o.alignRightAt !== undefined ? o.alignRightAt - width : x;
  doc.fillColor(o.color ?? 'black');
  for (const run of runs) {
    doc.font(fonts[run.face as FontFace]).fontSize(size);
    doc.text(run.text, cursor, y, { lineBreak: false });
    cursor += doc.widthOfString(run.text);
  }
  return width;
}

function partyLines(party: Party, vatLabel: string): string[] {
  const a = party.address;
  return [
    a.line1,
    ...(a.line2 ? [a.line2] : []),
    [a.postalCode, a.city].filter(Boolean).join(' '),
    ...(a.region ? [a.region] : []),
    a.country,
    ...(party.vatId ? [`${vatLabel}: ${party.vatId}`] : []),
  ];
}

export async function renderInvoicePdf(detail: InvoiceDetail): Promise<Buffer> {
  const L = labelsFor(detail.locale);
  const locale = detail.locale;
  const money = (minor: number) => formatMoney(minor, detail.currency, detail.exponent, locale);
  const issued = new Date(`${detail.issueDate}T00:00:00Z`);
  const fonts = fontPaths();
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    autoFirstPage: true,
    font: fonts.latin,
    info: {
      Title: `${L.invoice} ${detail.invoiceNumber}`,
      Author: detail.seller.name,
      Subject: `${L.billingPeriod} ${detail.period.id}`,
      Creator: 'invoicer',
      Producer: 'invoicer (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Seller (left) and the invoice's identity (right).
  let y = PAGE.margin;
  drawLine(doc, detail.seller.name, 50, y, { size: 14, bold: true, maxWidth: 280 });
  y += 20;
  for (const line of partyLines(detail.seller, L.vatId)) {
    drawLine(doc, line, 50, y, { color: GREY, maxWidth: 280 });
    y += 12;
  }
  drawLine(doc, L.invoice, 0, PAGE.margin, { size: 20, bold: true, alignRightAt: COLUMNS.right });
  const facts: [string, string][] = [
    [L.invoiceNumber, detail.invoiceNumber],
    [L.issueDate, formatDate(detail.issueDate, locale)],
    [L.dueDate, formatDate(detail.dueDate, locale)],
    [
      L.billingPeriod,
      `${formatDate(detail.period.start, locale)} – ${formatDate(detail.period.end, locale)}`,
    ],
    [L.customerId, detail.buyer.customerId],
    [L.plan, detail.plan.name],
  ];
  let fy = PAGE.margin + 30;
  for (const [label, value] of facts) {
    drawLine(doc, label, 340, fy, { color: GREY, size: 8.5 });
    drawLine(doc, value, 0, fy, { alignRightAt: COLUMNS.right, size: 8.5, bold: label === L.invoiceNumber });
    fy += 13;
  }

  // Buyer.
  y = Math.max(y, fy) + 20;
  drawLine(doc, L.billTo, 50, y, { color: GREY, size: 8.5 });
  y += 13;
  drawLine(doc, detail.buyer.name, 50, y, { size: 11, bold: true, maxWidth: 400 });
  y += 15;
  for (const line of partyLines(detail.buyer, L.vatId)) {
    drawLine(doc, line, 50, y, { maxWidth: 400 });
    y += 12;
  }

  // Line items, header repeated on every page the table reaches.
  const header = (top: number): number => {
    drawLine(doc, L.description, COLUMNS.description, top, { bold: true });
    drawLine(doc, L.quantity, 0, top, { bold: true, alignRightAt: COLUMNS.unitPrice - 15 });
    drawLine(doc, L.unitPrice, 0, top, { bold: true, alignRightAt: COLUMNS.amount - 10 });
    drawLine(doc, L.amount, 0, top, { bold: true, alignRightAt: COLUMNS.right });
    doc
      .moveTo(50, top + 14)
      .lineTo(COLUMNS.right, top + 14)
      .lineWidth(0.7)
      .strokeColor('#999999')
      .stroke();
    return top + 20;
  };
  const ensureRoom = (height: number): void => {
    if (y + height > BOTTOM) {
      doc.addPage();
      y = header(PAGE.margin);
    }
  };
  y = header(y + 20);
  for (const line of detail.lines) {
    ensureRoom(14);
    const quantity =
      line.kind === 'base_fee' || line.kind === 'discount' ? '' : formatQuantity(line.quantity, locale);
    const unit = line.unit && quantity ? ` ${line.unit}` : '';
    drawLine(doc, line.description, COLUMNS.description, y, { maxWidth: 230 });
    drawLine(doc, `${quantity}${unit}`, 0, y, { alignRightAt: COLUMNS.unitPrice - 15, maxWidth: 110 });
    if (line.kind === 'usage') {
      drawLine(doc, formatUnitPrice(line.unitPrice, detail.currency, detail.exponent, locale), 0, y, {
        alignRightAt: COLUMNS.amount - 10,
      });
    }
    drawLine(doc, money(line.amountMinor), 0, y, { alignRightAt: COLUMNS.right });
    y += 14;
    for (const tier of line.tiers ?? []) {
      ensureRoom(12);
      drawLine(doc, tier.description, COLUMNS.description + 12, y, { size: 7.5, color: GREY, maxWidth: 218 });
      drawLine(doc, formatQuantity(tier.quantity, locale), 0, y, {
        size: 7.5,
        color: GREY,
        alignRightAt: COLUMNS.unitPrice - 15,
      });
      drawLine(doc, formatUnitPrice(tier.unitPrice, detail.currency, detail.exponent, locale), 0, y, {
        size: 7.5,
        color: GREY,
        alignRightAt: COLUMNS.amount - 10,
      });
      drawLine(doc, money(tier.amountMinor), 0, y, { size: 7.5, color: GREY, alignRightAt: COLUMNS.right });
      y += 12;
    }
  }

  // Totals and tax summary.
  ensureRoom(30 + 14 * (3 + detail.taxes.length));
  doc
    .moveTo(240, y + 2)
    .lineTo(COLUMNS.right, y + 2)
    .lineWidth(0.7)
    .strokeColor('#999999')
    .stroke();
  y += 10;
  const totalRow = (label: string, value: string, bold = false, size = 9): void => {
    drawLine(doc, label, 240, y, { bold, size, maxWidth: 215 });
    drawLine(doc, value, 0, y, { bold, size, alignRightAt: COLUMNS.right });
    y += size + 5;
  };
  totalRow(L.subtotal, money(detail.subtotalMinor));
  if (detail.discountMinor !== 0) totalRow(L.discount, money(-detail.discountMinor));
  for (const tax of detail.taxes) {
    const label = detail.reverseCharge
      ? `${L.tax} ${formatPercent(tax.rate, locale)} (${L.reverseCharge})`
      : `${L.tax} ${formatPercent(tax.rate, locale)} ${L.taxOn} ${money(tax.taxableMinor)}`;
    totalRow(label, money(tax.taxMinor));
  }
  totalRow(L.total, money(detail.totalMinor), true, 11);

  // Legal notes (reverse charge wording and the like).
  y += 10;
  for (const note of detail.notes) {
    ensureRoom(24);
    doc.font(fontPaths().latin).fontSize(8).fillColor(GREY);
    const height = doc.heightOfString(note, { width: COLUMNS.right - 50 });
    doc.text(note, 50, y, { width: COLUMNS.right - 50 });
    y += height + 4;
  }

  // Footer on every page: number and "page X of Y".
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const footerY = PAGE.height - PAGE.margin - 12;
    drawLine(doc, `${detail.seller.name} · ${detail.invoiceNumber}`, 50, footerY, {
      size: 7.5,
      color: GREY,
      maxWidth: 330,
    });
    drawLine(doc, L.page(i + 1, range.count), 0, footerY, {
      size: 7.5,
      color: GREY,
      alignRightAt: COLUMNS.right,
    });
  }
  doc.end();
  return finished;
}
