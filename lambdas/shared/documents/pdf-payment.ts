/**
 * The payment codes drawn into the invoice PDF: the EPC QR code (GiroCode) as vector squares, and
 * the Swiss QR-bill's payment part, which swissqrbill draws into the pdfkit document at the foot
 * of a page. Both are functions of the detail alone: no clock, no randomness, the same bytes.
 */
import { SwissQRBill } from 'swissqrbill/pdf';
import type { InvoiceDetail } from '../domain/types.js';
import { documentFont } from './fonts.js';
import QRCode from 'qrcode';
import { epcQrPayload, qrBillLanguage, swissQrBillData } from './payment.js';

type Doc = PDFKit.PDFDocument;

/** The dark modules of a QR code (error correction M), row by row. */
function qrModules(payload: string): { size: number; dark: (row: number, column: number) => boolean } {
  const code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const { size } = code.modules;
  return { size, dark: (row, column) => code.modules.get(row, column) === 1 };
}

/** The EPC QR code's side in points: 28 mm, above the 2 cm the EPC guidelines ask for. */
export const EPC_QR_SIZE = 80;
/** The white border around a QR code, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/** Draw the invoice's EPC QR code with its top left corner at (x, y). */
export function drawEpcQr(doc: Doc, detail: InvoiceDetail, x: number, y: number): void {
  const { size, dark } = qrModules(epcQrPayload(detail));
  const module = EPC_QR_SIZE / (size + 2 * QUIET_ZONE);
  doc.save();
  for (let row = 0; row < size; row++) {
    // One rectangle per run of dark modules in a row: fewer operators, no hairlines between them.
    for (let column = 0; column < size;) {
      if (!dark(row, column)) {
        column++;
        continue;
      }
      let end = column;
      while (end < size && dark(row, end)) end++;
      doc.rect(
        x + (QUIET_ZONE + column) * module,
        y + (QUIET_ZONE + row) * module,
        (end - column) * module,
        module,
      );
      column = end;
    }
  }
  doc.fillColor('#000000').fill();
  doc.restore();
}

/** The Swiss QR-bill's height on the page (105 mm). */
export const SWISS_QR_BILL_HEIGHT = SwissQRBill.height;

/**
 * Draw the Swiss QR-bill at the foot of the current page, or of a new A4 page when the content
 * above reaches into it. Returns the page index and the top of the payment part, so the page
 * footer can sit above it. The payment part's text is set in Noto Sans, embedded, under the name
 * swissqrbill asks for: pdfkit's built-in Helvetica is not in the Lambda bundle, and a PDF/A
 * (Factur-X) may not reference a font it does not embed.
 */
export function drawSwissQrBill(
  doc: Doc,
  detail: InvoiceDetail,
  contentBottom: number,
): { page: number; top: number } {
  const pageHeight = doc.page.height;
  const top = pageHeight - SwissQRBill.height;
  if (contentBottom > top - 30) doc.addPage();
  doc.registerFont('Helvetica', documentFont('latin') as unknown as Uint8Array);
  doc.registerFont('Helvetica-Bold', documentFont('latinBold') as unknown as Uint8Array);
  // swissqrbill checks the text cursor too: the page's content ends above the payment part.
  doc.y = Math.min(doc.y, top);
  const bill = new SwissQRBill(swissQrBillData(detail), {
    language: qrBillLanguage(detail.locale),
    fontName: 'Helvetica',
    scissors: true,
    separate: false,
    outlines: true,
  });
  bill.attachTo(doc, 0, top);
  const range = doc.bufferedPageRange();
  return { page: range.start + range.count - 1, top };
}
