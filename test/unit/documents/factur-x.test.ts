/**
 * Factur-X: a PDF/A-3b that carries the invoice's CII e-invoice as `factur-x.xml`, with the
 * Factur-X XMP, reproducible byte for byte; the embedded XML breaks no EN 16931 rule.
 */
import SaxonJS from 'saxon-js';
import { getDocumentProxy } from 'unpdf';
import { FACTUR_X_FILE_NAME } from '../../../lambdas/shared/documents/factur-x.js';
import { renderEInvoice } from '../../../lambdas/shared/documents/en16931/render.js';
import { renderInvoicePdf } from '../../../lambdas/shared/documents/pdf.js';
import { writeInvoiceDocuments } from '../../../lambdas/shared/operations/write-documents.js';
import type { InvoiceDetail } from '../../../lambdas/shared/domain/types.js';
import { fatalRules, validateEn16931 } from '../../support/en16931.js';
import { loadFixture } from './support.js';

/** The German fixture: its buyer "Bäckerei Weiß & Söhne KG" puts an ampersand into the XMP. */
const fixture = loadFixture('eur-domestic-de');
const detail: InvoiceDetail = {
  ...fixture,
  buyer: { ...fixture.buyer, facturX: true },
  taxes: fixture.taxes.map((tax) => ({ ...tax, category: 'S' as const })),
};

async function ciiOf(d: InvoiceDetail): Promise<string> {
  const result = await renderEInvoice(d, 'CII');
  if ('refused' in result) throw new Error(result.refused);
  return result.xml;
}

async function attachments(pdf: Buffer): Promise<Record<string, { filename: string; content: Uint8Array }>> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  return ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
}

/** The XMP packet (pdfkit writes it uncompressed), parsed: fails on XML that is not well formed. */
function xmpValue(pdf: Buffer, xpath: string): string {
  const text = pdf.toString('latin1');
  const start = text.indexOf('<x:xmpmeta');
  const end = text.indexOf('</x:xmpmeta>') + '</x:xmpmeta>'.length;
  expect(start).toBeGreaterThan(0);
  const xmp = Buffer.from(text.slice(start, end), 'latin1').toString('utf8');
  return String(SaxonJS.XPath.evaluate(`string(parse-xml($xmp)${xpath})`, null, { params: { xmp } }));
}

describe('Factur-X PDF', () => {
  let pdf: Buffer;
  let cii: string;
  beforeAll(async () => {
    cii = await ciiOf(detail);
    pdf = await renderInvoicePdf(detail, { facturX: cii });
  });

  it('is a PDF/A-3b that carries the CII e-invoice as factur-x.xml, related as its alternative', async () => {
    expect(pdf.subarray(0, 8).toString()).toBe('%PDF-1.7');
    const files = await attachments(pdf);
    expect(Object.keys(files)).toEqual([FACTUR_X_FILE_NAME]);
    expect(Buffer.from(files[FACTUR_X_FILE_NAME]!.content).toString('utf8')).toBe(cii);
    const text = pdf.toString('latin1');
    expect(text).toContain('/AFRelationship /Alternative');
    expect(text).toContain('/Subtype /text#2Fxml');
    expect(text).toContain('/OutputIntents');
  });

  it('states Factur-X and PDF/A in well-formed XMP that matches the Info dictionary', () => {
    expect(xmpValue(pdf, '//*:ConformanceLevel')).toBe('EN 16931');
    expect(xmpValue(pdf, '//*:DocumentFileName')).toBe(FACTUR_X_FILE_NAME);
    expect(xmpValue(pdf, '//*:part')).toBe('3');
    expect(xmpValue(pdf, '//*:conformance')).toBe('B');
    expect(xmpValue(pdf, '//*:description//*:li')).toContain('Bäckerei Weiß & Söhne KG');
    expect(xmpValue(pdf, '//*:CreateDate')).toBe(`${detail.issueDate}T00:00:00Z`);
    expect(xmpValue(pdf, '//*:ModifyDate')).toBe(`${detail.issueDate}T00:00:00Z`);
  });

  it('embeds an e-invoice that breaks no EN 16931 rule', async () => {
    const files = await attachments(pdf);
    const xml = Buffer.from(files[FACTUR_X_FILE_NAME]!.content).toString('utf8');
    expect(fatalRules(validateEn16931(xml, 'CII'))).toEqual([]);
  });

  it('is reproducible byte for byte, and a plain PDF carries nothing', async () => {
    expect(
      (await renderInvoicePdf(structuredClone(detail), { facturX: await ciiOf(detail) })).equals(pdf),
    ).toBe(true);
    const plain = await renderInvoicePdf(detail);
    expect(plain.subarray(0, 8).toString()).toBe('%PDF-1.3');
    expect(await attachments(plain)).toEqual({});
  });

  it('is what the run writes for a customer who asked for it, next to the XML in its own syntax', async () => {
    const puts = new Map<string, Buffer | string>();
    const documents = { put: async (key: string, body: Buffer | string) => void puts.set(key, body) };
    const keys = { pdfKey: 'x.pdf', jsonKey: 'x.json' };
    const written = await writeInvoiceDocuments(
      documents,
      { ...detail, buyer: { ...detail.buyer, eInvoiceSyntax: 'UBL' } },
      keys,
    );
    expect(written.eInvoice).toMatchObject({ syntax: 'UBL' });
    expect(String(puts.get('key' in written.eInvoice ? written.eInvoice.key : ''))).toContain(
      '<Invoice xmlns=',
    );
    expect((puts.get(keys.pdfKey) as Buffer).equals(pdf)).toBe(true);
    const { facturX: _asked, ...plainBuyer } = detail.buyer;
    await writeInvoiceDocuments(documents, { ...detail, buyer: plainBuyer }, keys);
    expect(Object.keys(await attachments(puts.get(keys.pdfKey) as Buffer))).toEqual([]);
  });
});
