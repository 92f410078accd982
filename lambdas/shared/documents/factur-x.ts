/**
 * Factur-X / ZUGFeRD: the invoice PDF as a PDF/A-3b that carries its EN 16931 e-invoice (CII) as
 * the attachment `factur-x.xml`, so that one file is both the readable and the machine-readable
 * invoice (Factur-X 1.0, profile EN 16931, which is the one ZUGFeRD 2 calls "COMFORT").
 *
 * Reproducible like every PDF here: the attachment's dates and the XMP dates are the issue date,
 * the XMP packet is written by us (pdfkit 0.20's own copies Info values into XML unescaped, and
 * leaves out the ModifyDate PDF/A wants to match the Info dictionary).
 */
import type { InvoiceDetail } from '../domain/types.js';

type Doc = PDFKit.PDFDocument;

export const FACTUR_X_FILE_NAME = 'factur-x.xml';
/** Factur-X 1.0 conformance level of an EN 16931 (CII) invoice. */
export const FACTUR_X_CONFORMANCE = 'EN 16931';
const FX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

/** The pdfkit constructor options of a Factur-X PDF. */
export const FACTUR_X_PDF_OPTIONS = { pdfVersion: '1.7', subset: 'PDF/A-3b' } as const;

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const xmpDate = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

const fxProperty = (name: string, description: string): string => `
              <rdf:li rdf:parseType="Resource">
                <pdfaProperty:name>${name}</pdfaProperty:name>
                <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                <pdfaProperty:category>external</pdfaProperty:category>
                <pdfaProperty:description>${description}</pdfaProperty:description>
              </rdf:li>`;

/** The XMP of a Factur-X PDF: the Info dictionary's values, and the Factur-X extension schema. */
function facturXMetadata(info: PDFKit.DocumentInfo, created: Date): string {
  const text = (value: string | undefined): string => escapeXml(value ?? '');
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(created)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(created)}</xmp:ModifyDate>
            <xmp:CreatorTool>${text(info.Creator)}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${text(info.Title)}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${text(info.Author)}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${text(info.Subject)}</rdf:li></rdf:Alt></dc:description>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${text(info.Producer)}</pdf:Producer>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
            xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>${FX_NAMESPACE}</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${fxProperty('DocumentFileName', 'name of the embedded XML invoice file')}${fxProperty(
                    'DocumentType',
                    'INVOICE',
                  )}${fxProperty('Version', 'The actual version of the Factur-X XML schema')}${fxProperty(
                    'ConformanceLevel',
                    'The conformance level of the embedded Factur-X data',
                  )}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:fx="${FX_NAMESPACE}">
            <fx:DocumentType>INVOICE</fx:DocumentType>
            <fx:DocumentFileName>${FACTUR_X_FILE_NAME}</fx:DocumentFileName>
            <fx:Version>1.0</fx:Version>
            <fx:ConformanceLevel>${FACTUR_X_CONFORMANCE}</fx:ConformanceLevel>
        </rdf:Description>
        `;
}

/**
 * Attach the CII e-invoice to a document made with FACTUR_X_PDF_OPTIONS, and give it the
 * Factur-X XMP. Call before `doc.end()`.
 */
export function embedFacturX(doc: Doc, detail: InvoiceDetail, ciiXml: string, issued: Date): void {
  // pdfkit 0.20 writes `relationship` as the file spec's AFRelationship; its types predate it.
  const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: 'Alternative' } = {
    name: FACTUR_X_FILE_NAME,
    type: 'text/xml',
    relationship: 'Alternative',
    description: `EN 16931 e-invoice ${detail.invoiceNumber} (Factur-X ${FACTUR_X_CONFORMANCE})`,
    creationDate: issued,
    modifiedDate: issued,
  };
  doc.file(Buffer.from(ciiXml, 'utf8'), options);
  // pdfkit's metadata writer calls `_addInfo` at the end; ours writes the same facts, escaped.
  const writable = doc as unknown as {
    _addInfo: () => void;
    appendXML: (xml: string) => void;
    info: PDFKit.DocumentInfo;
  };
  writable._addInfo = () => writable.appendXML(facturXMetadata(writable.info, issued));
}
