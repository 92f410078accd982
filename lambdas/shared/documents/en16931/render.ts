/**
 * The EN 16931 e-invoice of a canonical record as XML, written by `@e-invoice-eu/core`: UBL 2.1
 * (an Invoice, or a CreditNote for document type 381) or UN/CEFACT CII D16B. The same record gives
 * the same bytes: nothing in it depends on the clock.
 */
import { InvoiceService, type Logger } from '@e-invoice-eu/core';
import type { EInvoiceSyntax, InvoiceDetail } from '../../domain/types.js';
import { eInvoiceRefusal, toEn16931 } from './mapping.js';

export const DEFAULT_E_INVOICE_SYNTAX: EInvoiceSyntax = 'UBL';

/** The library's own warnings are about its input; ours is checked by toEn16931 and the tests. */
const quiet: Logger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const service = new InvoiceService(quiet);

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
  const xml = await service.generate(toEn16931(detail), {
    format: syntax,
    lang: detail.locale,
    noWarnings: true,
  });
  return { syntax, xml: typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8') };
}
