/**
 * The EN 16931 e-invoice of a canonical record as XML, written by `@e-invoice-eu/core`: UBL 2.1
 * (an Invoice, or a CreditNote for document type 381) or UN/CEFACT CII D16B. The same record gives
 * the same bytes: nothing in it depends on the clock.
 */
import {
  FormatFactoryService,
  invoiceSchema,
  type EInvoiceFormat,
  type Invoice,
  type Logger,
} from '@e-invoice-eu/core';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { InvalidInputError } from '../../errors.js';
import type { EInvoiceProfile, EInvoiceSyntax, InvoiceDetail } from '../../domain/types.js';
import { toEn16931 } from './mapping.js';
import { eInvoiceRefusal } from './refusal.js';

export const DEFAULT_E_INVOICE_SYNTAX: EInvoiceSyntax = 'UBL';

/** The library's own warnings are about its input; ours is checked by toEn16931 and the tests. */
const quiet: Logger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const factory = new FormatFactoryService();

interface Writer {
  format: string;
  service: EInvoiceFormat;
  validate: ValidateFunction<Invoice>;
}
/** The library's format name: `UBL`, `CII`, `XRECHNUNG-UBL`, `XRECHNUNG-CII`. */
type FormatName = EInvoiceSyntax | `${EInvoiceProfile}-${EInvoiceSyntax}`;
const writers = new Map<FormatName, Writer>();

/**
 * The library's writer of one syntax and its input schema, compiled once. (Its InvoiceService
 * compiles the schema with Ajv on every call: 150 ms an invoice; this does what it does, once.)
 */
function writerOf(name: FormatName): Writer {
  let writer = writers.get(name);
  if (writer === undefined) {
    const service = factory.createFormatService(name, quiet);
    const schema = structuredClone(invoiceSchema);
    service.patchSchema(schema);
    const ajv = new Ajv2019({ strict: true, allErrors: true, useDefaults: true });
    writer = { format: factory.normalizeFormat(name), service, validate: ajv.compile(schema) };
    writers.set(name, writer);
  }
  return writer;
}

export type EInvoiceResult = { syntax: EInvoiceSyntax; xml: string } | { refused: string };

/**
 * The e-invoice of `detail` in `syntax` (the buyer's by default), or why none can be made (a
 * 3-decimal currency, a seller setting missing).
 */
export async function renderEInvoice(
  detail: InvoiceDetail,
  syntax: EInvoiceSyntax = detail.buyer.eInvoiceSyntax ?? DEFAULT_E_INVOICE_SYNTAX,
): Promise<EInvoiceResult> {
  const refused = eInvoiceRefusal(detail);
  if (refused !== undefined) return { refused };
  const profile = detail.buyer.eInvoiceProfile;
  const { format, service, validate } = writerOf(profile === undefined ? syntax : `${profile}-${syntax}`);
  const invoice = toEn16931(detail);
  if (!validate(invoice)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim());
    throw new InvalidInputError(problems.join('; '), `e-invoice of ${detail.invoiceNumber}`);
  }
  service.fillInvoiceDefaults(invoice);
  const xml = await service.generate(invoice, { format, lang: detail.locale, noWarnings: true });
  return { syntax, xml: typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8') };
}
