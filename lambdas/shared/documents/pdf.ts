/**
 * The invoice PDF, rendered with pdfkit from the JSON detail alone: A4, the seller with its ids,
 * registrations and register entry, the buyer's block in its country's postal format, number,
 * dates and billing period, a line table (tier rows under tiered lines) that breaks across pages
 * with its header repeated and the customer and number on every continuation page, totals with
 * the tax summary, how to pay (account, creditor reference, EPC QR code or Swiss QR-bill), the
 * payment terms and legal notes, and "page X of Y" on every page. Words and amounts follow the
 * customer's locale, in every script (pdf-writer.ts).
 *
 * Deterministic, byte for byte, in any process (checked against pdfkit 0.20's source):
 * - Info CreationDate/ModDate are the issue date (pdfkit would use `new Date()`), written in UTC;
 * - the trailer /ID is pdfkit's MD5 of the Info dictionary, so it follows from the fixed Info;
 * - font subset tags derive from the font ids (F1, F2 ... in order of first use), not randomness;
 * - no XMP metadata, no encryption (whose keys would be random), no attachments (which stamp now),
 *   except in a Factur-X PDF (factur-x.ts), whose XMP and attachment carry the issue date;
 * - streams are deflated by the same zlib, and layout uses no clock, no Map/Set iteration of
 *   unordered input, no locale of the host (every Intl call gets the detail's locale).
 */
import PDFDocument from 'pdfkit';
import type { InvoiceDetail } from '../domain/types.js';
import { embedFacturX, FACTUR_X_PDF_OPTIONS } from './factur-x.js';
import { formatMoney } from './format.js';
import { labelsFor } from './labels.js';
import { drawEpcQr, drawSwissQrBill, EPC_QR_SIZE } from './pdf-payment.js';
import { directionOf, RULE, Writer, type Style } from './pdf-writer.js';
import { paymentFacts } from './payment.js';
import {
  buyerBlock,
  documentFacts,
  nationalVatNotes,
  paymentAndLegalNotes,
  sellerLines,
  tableRows,
  totalsRows,
} from './wording.js';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = A4.width - MARGIN;
const FOOTER_Y = A4.height - MARGIN + 8;
/** Lowest y a table row may reach; the footer sits below. */
const BOTTOM = A4.height - MARGIN - 20;
const GREY = '#5f6368';
const ACCENT = '#1f4e79';

/** Table columns: description from the left margin, the three numbers right-aligned. */
const COL = {
  description: { x: MARGIN + 4, width: 236 },
  quantity: { right: 378, width: 84 },
  unitPrice: { right: 462, width: 78 },
  amount: { right: RIGHT - 4, width: 80 },
};

interface Cell {
  text: string;
  x: number;
  width: number;
  right?: boolean;
}

export interface PdfOptions {
  /** The CII e-invoice to embed: the PDF becomes a Factur-X PDF/A-3b (factur-x.ts). */
  facturX?: string;
}

/** The PDF of one invoice, from its detail alone. Same detail in, same bytes out. */
export async function renderInvoicePdf(detail: InvoiceDetail, options: PdfOptions = {}): Promise<Buffer> {
  const { locale, currency, exponent } = detail;
  const L = labelsFor(locale);
  // A credit note: its own title, the invoice it corrects in place of a due date, and why.
  const credit = detail.documentType === 'credit_note' ? detail.corrects : undefined;
  const title = credit ? L.creditNote : L.invoice;
  const money = (minor: number): string => formatMoney(minor, currency, exponent, locale);
  const issued = new Date(`${detail.issueDate}T00:00:00Z`);

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true, // the footer needs the page count, known only at the end
    // No default font: pdfkit would load Helvetica; every text run below picks its Noto face.
    font: '',
    info: {
      Title: `${title} ${detail.invoiceNumber}`,
      Author: detail.seller.name,
      Subject: `${title} ${detail.invoiceNumber}, ${detail.buyer.name}, ${detail.period.id}`,
      Creator: 'invoicer',
      Producer: 'invoicer (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
    ...(options.facturX === undefined ? {} : FACTUR_X_PDF_OPTIONS),
  });
  // Per-document fonts over the process-wide parsed tables and shaping (fonts.ts documentFont),
  // registered as the text first needs them (Writer.use): no render depends on what was rendered
  // before it (the PDF tests compare bytes across orders and processes).
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc, locale);

  // --- Seller (left) and title with the invoice's facts (right).
  let y = MARGIN;
  for (const line of w.wrap(detail.seller.name, 270, { size: 13, bold: true })) {
    w.line(line, MARGIN, y, { size: 13, bold: true, color: ACCENT });
    y += 17;
  }
  y += 2;
  for (const line of sellerLines(detail.seller, locale)) {
    w.line(line, MARGIN, y, { size: 8.5, color: GREY });
    y += 11.5;
  }

  w.line(title, RIGHT, MARGIN - 4, { size: 22, bold: true, right: true, color: ACCENT });
  const facts = documentFacts(detail);
  let fy = MARGIN + 34;
  for (const [label, value, bold] of facts) {
    w.line(label, 345, fy, { size: 8.5, color: GREY });
    w.line(value, RIGHT, fy, { size: 8.5, bold, right: true });
    fy += 13;
  }

  // --- Buyer.
  y = Math.max(y, fy) + 22;
  w.line(L.billTo.toUpperCase(), MARGIN, y, { size: 7.5, bold: true, color: GREY });
  y += 12;
  // The name where the buyer's postal format puts it (first in most, last in Japan's), in bold.
  const buyer = buyerBlock(detail.buyer, locale);
  buyer.lines.forEach((text, n) => {
    if (n === buyer.nameLine) {
      for (const line of w.wrap(text, 300, { size: 11, bold: true })) {
        w.line(line, MARGIN, y, { size: 11, bold: true });
        y += 14.5;
      }
    } else {
      w.line(text, MARGIN, y, { size: 9 });
      y += 12;
    }
  });

  // --- Line items.
  const header = (top: number): number => {
    w.band(MARGIN, top, RIGHT - MARGIN, 18);
    const style = { size: 8.5, bold: true, color: GREY };
    w.line(L.description, COL.description.x, top + 4.5, style);
    w.line(L.quantity, COL.quantity.right, top + 4.5, { ...style, right: true });
    w.line(L.unitPrice, COL.unitPrice.right, top + 4.5, { ...style, right: true });
    w.line(L.amount, COL.amount.right, top + 4.5, { ...style, right: true });
    return top + 24;
  };
  const newPage = (): void => {
    doc.addPage();
    // A continuation page names whose invoice it continues.
    w.line(`${title} ${detail.invoiceNumber} · ${detail.buyer.name} (${L.continued})`, MARGIN, MARGIN, {
      size: 8.5,
      color: GREY,
    });
    y = header(MARGIN + 16);
  };
  /** Draw one table row of wrapped cells, starting a new page first when it does not fit. */
  const row = (cells: Cell[], style: Style, lineHeight: number, gapAfter: number): void => {
    const wrapped = cells.map((cell) => (cell.text === '' ? [] : w.wrap(cell.text, cell.width, style)));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length)) * lineHeight;
    if (y + height > BOTTOM) newPage();
    cells.forEach((cell, i) => {
      const direction = directionOf(cell.text);
      wrapped[i]!.forEach((text, n) => {
        w.line(text, cell.right === true ? cell.x + cell.width : cell.x, y + n * lineHeight, {
          ...style,
          right: cell.right === true,
          direction,
        });
      });
    });
    y += height + gapAfter;
  };
  const numberCells = (quantity: string, unitPrice: string, amount: string): Cell[] => [
    { text: quantity, x: COL.quantity.right - COL.quantity.width, width: COL.quantity.width, right: true },
    {
      text: unitPrice,
      x: COL.unitPrice.right - COL.unitPrice.width,
      width: COL.unitPrice.width,
      right: true,
    },
    { text: amount, x: COL.amount.right - COL.amount.width, width: COL.amount.width, right: true },
  ];

  y = header(y + 18);
  tableRows(detail).forEach((r, index, rows) => {
    if (!r.tier && index > 0) w.rule(MARGIN, RIGHT, y - 4, '#e6e6e6', 0.4);
    const indent = r.tier ? 12 : 0;
    const next = rows[index + 1];
    row(
      [
        { text: r.description, x: COL.description.x + indent, width: COL.description.width - indent },
        ...numberCells(r.quantity, r.unitPrice, r.amount),
      ],
      r.tier ? { size: 7.5, color: GREY } : { size: 9 },
      r.tier ? 10 : 12,
      // Tier rows sit close under their line; the last one leaves the gap a line would.
      next?.tier === true ? (r.tier ? 1 : 2) : r.tier ? 7 : 8,
    );
  });

  // --- Totals with the tax summary (rate, taxable base, tax), right half.
  const labelX = 300;
  const labelWidth = COL.amount.right - COL.amount.width - labelX - 8;
  const totalRows = totalsRows(detail);
  const totalsHeight =
    totalRows.reduce((h, r) => h + 13 * w.wrap(r.label, labelWidth, { size: 9 }).length, 0) + 40;
  if (y + totalsHeight > BOTTOM) newPage();
  w.rule(labelX, RIGHT, y, RULE, 0.8);
  y += 8;
  for (const r of totalRows) {
    const lines = w.wrap(r.label, labelWidth, { size: 9 });
    lines.forEach((text, n) => w.line(text, labelX, y + n * 12, { size: 9, color: GREY }));
    w.line(r.value, COL.amount.right, y, { size: 9, right: true });
    y += 12 * lines.length + 3;
  }
  y += 2;
  w.band(labelX - 6, y - 4, RIGHT - labelX + 6, 22, '#e8eef5');
  w.line(L.total, labelX, y + 1, { size: 11, bold: true, color: ACCENT });
  w.line(money(detail.totalMinor), COL.amount.right, y + 1, {
    size: 11,
    bold: true,
    right: true,
    color: ACCENT,
  });
  y += 34;

  /** Small grey text from x to the right margin, on a new page if it does not fit. */
  const paragraph = (text: string, x: number, gapAfter: number): void => {
    const lines = w.wrap(text, RIGHT - x, { size: 8.5 });
    if (y + lines.length * 11 > BOTTOM) newPage();
    const direction = directionOf(text);
    for (const line of lines) {
      w.line(line, x, y, { size: 8.5, color: GREY, direction });
      y += 11;
    }
    y += gapAfter;
  };

  // --- The VAT in the taxing member state's currency (Art. 230), with the ECB rates used.
  for (const note of nationalVatNotes(detail)) paragraph(note, labelX, 8);

  // --- How to pay: account, holder and creditor reference, with the EPC QR code beside them.
  const payment = paymentFacts(detail, L);
  if (payment.length > 0) {
    const qr = detail.paymentCode === 'EPC_QR';
    const height = Math.max(payment.length * 12, qr ? EPC_QR_SIZE + 12 : 0);
    if (y + height > BOTTOM) newPage();
    const top = y;
    for (const [label, value] of payment) {
      w.line(label, MARGIN, y, { size: 8.5, color: GREY });
      w.line(value, MARGIN + 110, y, { size: 8.5, bold: label === L.paymentReference });
      y += 12;
    }
    if (qr) {
      drawEpcQr(doc, detail, RIGHT - EPC_QR_SIZE, top);
      w.line(L.scanToPay, RIGHT, top + EPC_QR_SIZE + 2, { size: 7, color: GREY, right: true });
    }
    y = top + height + 10;
  }

  // --- Payment terms and legal notes, full width.
  for (const note of paymentAndLegalNotes(detail)) paragraph(note, MARGIN, 4);

  // --- The Swiss QR-bill's payment part, at the foot of the last page (or on a page of its own).
  const qrBill =
    detail.paymentCode === 'SWISS_QR_BILL' && payment.length > 0
      ? drawSwissQrBill(doc, detail, y)
      : undefined;

  // --- Footer on every page: who and which invoice, and "page X of Y".
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    // Above the QR-bill's payment part on its page, at the foot of every other.
    const footerY = qrBill?.page === i ? qrBill.top - 14 : FOOTER_Y;
    w.rule(MARGIN, RIGHT, footerY - 6, RULE, 0.5);
    w.line(`${detail.seller.name} · ${title} ${detail.invoiceNumber}`, MARGIN, footerY, {
      size: 7.5,
      color: GREY,
    });
    w.line(L.page(i - pages.start + 1, pages.count), RIGHT, footerY, {
      size: 7.5,
      color: GREY,
      right: true,
    });
  }
  if (options.facturX !== undefined) embedFacturX(doc, detail, options.facturX, issued);
  doc.end();
  return finished;
}
