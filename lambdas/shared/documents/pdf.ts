/**
 * The invoice PDF, rendered with pdfkit from the JSON detail alone: A4, seller and buyer blocks
 * (with VAT ids), number, dates and billing period, a line table (tier rows under tiered lines) that
 * breaks across pages with its header repeated, totals with the tax summary, payment terms, legal
 * notes (the reverse-charge wording in the reader's language and the canonical English one), and
 * "page X of Y" on every page. Words and amounts follow the customer's locale.
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
import type { InvoiceDetail, InvoiceLine } from '../domain/types.js';
import { embedFacturX, FACTUR_X_PDF_OPTIONS } from './factur-x.js';
import { directionOf, visualPieces, type Direction } from './bidi.js';
import {
  documentFont,
  familyOrder,
  fontRuns,
  type FontFace,
  type FontFamily,
  type FontRun,
} from './fonts.js';
import { formatMoney, formatQuantity, formatUnitPrice } from './format.js';
import { labelsFor } from './labels.js';
import {
  addressLines,
  documentFacts,
  nationalVatNotes,
  paymentAndLegalNotes,
  totalsRows,
} from './wording.js';

type Doc = PDFKit.PDFDocument;

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const RIGHT = A4.width - MARGIN;
const FOOTER_Y = A4.height - MARGIN + 8;
/** Lowest y a table row may reach; the footer sits below. */
const BOTTOM = A4.height - MARGIN - 20;
const INK = '#1a1a1a';
const GREY = '#5f6368';
const RULE = '#c8c8c8';
const BAND = '#f1f3f4';
const ACCENT = '#1f4e79';

/** Table columns: description from the left margin, the three numbers right-aligned. */
const COL = {
  description: { x: MARGIN + 4, width: 236 },
  quantity: { right: 378, width: 84 },
  unitPrice: { right: 462, width: 78 },
  amount: { right: RIGHT - 4, width: 80 },
};

interface Style {
  size?: number;
  bold?: boolean;
  color?: string;
}

class Writer {
  private readonly order: readonly FontFamily[];
  private readonly registered = new Set<FontFace>();

  constructor(
    readonly doc: Doc,
    locale: string,
  ) {
    this.order = familyOrder(locale);
  }

  /** Select a face, giving the document its own view of the font the first time (fonts.ts). */
  private use(face: FontFace, size: number): void {
    if (!this.registered.has(face)) {
      // pdfkit 0.20 takes a parsed fontkit font (PDFFontFactory.open checks for `layout`); its
      // type definitions list only paths and bytes.
      this.doc.registerFont(face, documentFont(face) as unknown as Uint8Array);
      this.registered.add(face);
    }
    this.doc.font(face).fontSize(size);
  }

  /** The font runs of one line in visual order, left to right (bidi.ts); right-to-left runs stay logical for the shaper. */
  private runs(text: string, bold: boolean, direction?: Direction): FontRun[] {
    return visualPieces(text, direction).flatMap((piece) => {
      const runs = fontRuns(piece.text, bold, this.order);
      return piece.rtl ? runs.reverse() : runs;
    });
  }

  width(text: string, { size = 9, bold = false }: Style = {}): number {
    let width = 0;
    for (const run of this.runs(text, bold)) {
      this.use(run.face, size);
      width += this.doc.widthOfString(run.text);
    }
    return width;
  }

  /** One line at (x, y) in as many font runs as it needs; `right` right-aligns it at that x. */
  line(
    text: string,
    x: number,
    y: number,
    style: Style & { right?: boolean; direction?: Direction } = {},
  ): void {
    const size = style.size ?? 9;
    const runs = this.runs(text, style.bold ?? false, style.direction);
    let cursor = x;
    if (style.right === true) {
      for (const run of runs) {
        this.use(run.face, size);
        cursor -= this.doc.widthOfString(run.text);
      }
    }
    this.doc.fillColor(style.color ?? INK);
    for (const run of runs) {
      this.use(run.face, size);
      // Shaped scripts reorder, split and merge glyphs, so the font's glyph-to-character map cannot
      // give the text back: ActualText tells text extraction, search and screen readers what it says.
      const actual = SHAPED_SCRIPT.test(run.text);
      if (actual) this.doc.markContent('Span', { actual: run.text });
      this.doc.text(run.text, cursor, y, { lineBreak: false });
      if (actual) this.doc.endMarkedContent();
      cursor += this.doc.widthOfString(run.text);
    }
  }

  /**
   * Break text into lines no wider than `width`: at spaces, between CJK characters (which need no
   * space), and inside a word only when the word alone is too wide. Each line is the longest run
   * of pieces that fits, found by bisection (a line is never narrower with more pieces), so a long
   * paragraph costs a few measurements per line rather than one per word.
   */
  wrap(text: string, width: number, style: Style = {}): string[] {
    if (this.width(text, style) <= width) return [text.trimEnd()];
    const pieces = breakPieces(text);
    const lines: string[] = [];
    // The line being built; it may start with the tail of a word broken on the line before.
    let current = '';
    let at = 0;
    const fits = (to: number): boolean =>
      this.width((current + pieces.slice(at, to).join('')).trimEnd(), style) <= width;
    while (at < pieces.length) {
      // The most pieces from `at` that still fit after `current`.
      let low = at;
      let high = pieces.length;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (fits(mid)) low = mid;
        else high = mid - 1;
      }
      if (low > at) {
        current += pieces.slice(at, low).join('');
        at = low;
        if (at === pieces.length) break;
      }
      // The next piece does not fit: the line ends, and the piece starts the next one, broken
      // between characters if it is wider than a line.
      if (current.trim() !== '') lines.push(current.trimEnd());
      current = '';
      for (const { segment: char } of GRAPHEMES.segment((pieces[at] as string).trimStart())) {
        if (current !== '' && this.width(current + char, style) > width) {
          lines.push(current);
          current = '';
        }
        current += char;
      }
      at++;
    }
    if (current.trim() !== '' || lines.length === 0) lines.push(current.trimEnd());
    return lines;
  }

  rule(x1: number, x2: number, y: number, color = RULE, width = 0.6): void {
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
  }

  band(x: number, y: number, width: number, height: number, color = BAND): void {
    this.doc.rect(x, y, width, height).fillColor(color).fill();
  }
}

/**
 * Left-to-right scripts whose shaping maps characters to glyphs other than one to one (Thai SARA AM
 * splits in two, Devanagari reorders vowel signs). Right-to-left runs are left to the extractors'
 * own reordering, which ActualText (logical order) would undo.
 */
const SHAPED_SCRIPT =
  /[\p{Script=Thai}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Thai (and Lao, Khmer, Myanmar) write words without spaces: a dictionary finds where lines may break. */
const NO_SPACE_SCRIPTS = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/u;
const WORDS = new Intl.Segmenter('th', { granularity: 'word' });
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Where a line may break: after a word and its spaces, between CJK characters (which need no
 * space), and between Thai words as Intl.Segmenter's dictionary finds them.
 */
function breakPieces(text: string): string[] {
  if (NO_SPACE_SCRIPTS.test(text)) {
    const pieces: string[] = [];
    for (const { segment } of WORDS.segment(text)) {
      if (/^\s+$/u.test(segment) && pieces.length > 0) pieces[pieces.length - 1] += segment;
      else pieces.push(segment);
    }
    return pieces;
  }
  return (
    text.match(
      /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/gu,
    ) ?? []
  );
}

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
  const price = (unitPrice: string): string => formatUnitPrice(unitPrice, currency, exponent, locale);
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
  const sellerLines = addressLines(detail.seller, locale);
  if (detail.seller.email) sellerLines.push(detail.seller.email);
  for (const line of sellerLines) {
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
  for (const line of w.wrap(detail.buyer.name, 300, { size: 11, bold: true })) {
    w.line(line, MARGIN, y, { size: 11, bold: true });
    y += 14.5;
  }
  for (const line of [...addressLines(detail.buyer, locale), `${L.email}: ${detail.buyer.email}`]) {
    w.line(line, MARGIN, y, { size: 9 });
    y += 12;
  }

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
    w.line(`${title} ${detail.invoiceNumber} (${L.continued})`, MARGIN, MARGIN, {
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
  const quantityText = (line: InvoiceLine): string => {
    if (line.kind === 'discount') return '';
    const quantity = formatQuantity(line.quantity, locale);
    return line.unit ? `${quantity} ${line.unit}` : quantity;
  };

  y = header(y + 18);
  detail.lines.forEach((line, index) => {
    if (index > 0) w.rule(MARGIN, RIGHT, y - 4, '#e6e6e6', 0.4);
    const hasTiers = (line.tiers?.length ?? 0) > 0;
    row(
      [
        { text: line.description, x: COL.description.x, width: COL.description.width },
        ...numberCells(
          quantityText(line),
          line.kind === 'discount' ? '' : price(line.unitPrice),
          money(line.amountMinor),
        ),
      ],
      { size: 9 },
      12,
      hasTiers ? 2 : 8,
    );
    for (const tier of line.tiers ?? []) {
      row(
        [
          { text: tier.description, x: COL.description.x + 12, width: COL.description.width - 12 },
          ...numberCells(
            formatQuantity(tier.quantity, locale),
            price(tier.unitPrice),
            money(tier.amountMinor),
          ),
        ],
        { size: 7.5, color: GREY },
        10,
        1,
      );
    }
    if (hasTiers) y += 6;
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

  // --- Payment terms and legal notes, full width.
  for (const note of paymentAndLegalNotes(detail)) paragraph(note, MARGIN, 4);

  // --- Footer on every page: who and which invoice, and "page X of Y".
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    w.rule(MARGIN, RIGHT, FOOTER_Y - 6, RULE, 0.5);
    w.line(`${detail.seller.name} · ${title} ${detail.invoiceNumber}`, MARGIN, FOOTER_Y, {
      size: 7.5,
      color: GREY,
    });
    w.line(L.page(i - pages.start + 1, pages.count), RIGHT, FOOTER_Y, {
      size: 7.5,
      color: GREY,
      right: true,
    });
  }
  if (options.facturX !== undefined) embedFacturX(doc, detail, options.facturX, issued);
  doc.end();
  return finished;
}
