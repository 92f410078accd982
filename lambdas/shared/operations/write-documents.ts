/**
 * The documents of one issued invoice or credit note, all rendered from its canonical record and
 * written under keys of its number: the JSON detail and its summary (the detail without lines,
 * which the read API serves first), the PDF (a Factur-X PDF for customers who asked for one) and
 * the EN 16931 e-invoice (XML).
 * The same record gives the same bytes, so a retried write rewrites identical objects.
 */
import { sha256Hex, type DocumentHashes, type DocumentKind } from '../contracts/document-hashes.js';
import { s3Keys } from '../contracts/keys.js';
import type { EInvoiceSyntax, InvoiceDetail } from '../domain/types.js';
import type { DocumentStore } from '../store/documents.js';
import { renderEInvoice } from '../documents/en16931/render.js';
import { renderInvoicePdf } from '../documents/pdf.js';
import { serializeInvoiceDetail, serializeInvoiceSummary } from '../documents/schema.js';

export interface WrittenDocuments {
  /** Where the e-invoice went, or why none was made (the PDF and JSON are written either way). */
  eInvoice: { key: string; syntax: EInvoiceSyntax } | { refused: string };
  /** The SHA-256 of every file written, to be recorded on the document's row at issue. */
  hashes: DocumentHashes;
}

export async function writeInvoiceDocuments(
  documents: Pick<DocumentStore, 'put'>,
  detail: InvoiceDetail,
  keys: { pdfKey: string; jsonKey: string },
): Promise<WrittenDocuments> {
  const eInvoice = await renderEInvoice(detail);
  // A Factur-X PDF carries the e-invoice in CII, profile EN 16931, whatever the separate XML is.
  const { eInvoiceProfile, ...plainBuyer } = detail.buyer;
  const facturX =
    detail.buyer.facturX === true && 'xml' in eInvoice
      ? eInvoice.syntax === 'CII' && eInvoiceProfile === undefined
        ? eInvoice
        : await renderEInvoice({ ...detail, buyer: plainBuyer }, 'CII')
      : undefined;
  const pdf = await renderInvoicePdf(
    detail,
    facturX !== undefined && 'xml' in facturX ? { facturX: facturX.xml } : {},
  );
  const at = [detail.period.id, detail.customerId, detail.invoiceNumber] as const;
  const xmlKey = s3Keys.invoiceXml(...at);
  const summaryKey = s3Keys.invoiceSummary(...at);
  const files: { kind: DocumentKind; key: string; body: Buffer; contentType: string }[] = [
    {
      kind: 'json',
      key: keys.jsonKey,
      body: serializeInvoiceDetail(detail),
      contentType: 'application/json',
    },
    { kind: 'pdf', key: keys.pdfKey, body: pdf, contentType: 'application/pdf' },
    {
      kind: 'summary',
      key: summaryKey,
      body: serializeInvoiceSummary(detail),
      contentType: 'application/json',
    },
    ...('xml' in eInvoice
      ? [
          {
            kind: 'xml' as const,
            key: xmlKey,
            body: Buffer.from(eInvoice.xml, 'utf8'),
            contentType: 'application/xml',
          },
        ]
      : []),
  ];
  const hashes = Object.fromEntries(files.map((file) => [file.kind, sha256Hex(file.body)])) as DocumentHashes;
  // Every write settles before a failure is thrown: Compensate, which deletes what this step
  // wrote, must not run while a PUT is still in flight (it would leave that object behind).
  const writes = await Promise.allSettled(
    files.map((file) => documents.put(file.key, file.body, file.contentType, hashes[file.kind])),
  );
  const failed = writes.find((write) => write.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return { eInvoice: 'xml' in eInvoice ? { key: xmlKey, syntax: eInvoice.syntax } : eInvoice, hashes };
}
