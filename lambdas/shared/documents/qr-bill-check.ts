/**
 * The Swiss QR-bill checked against the standard (swissqrbill's own validation) before a number is
 * reserved, so that a bill the renderer would refuse fails the customer in compute, not after issue.
 */
import { SwissQRBill } from 'swissqrbill/pdf';
import type { InvoiceDraft } from '../domain/types.js';
import { InvalidInputError } from '../errors.js';
import { swissQrBillData } from './payment.js';

/** Refuse, before a number is reserved, a QR-bill the standard would not accept (swissqrbill's checks). */
export function checkSwissQrBill(draft: InvoiceDraft, invoiceNumber: string, where: string): void {
  try {
    new SwissQRBill(swissQrBillData({ ...draft, invoiceNumber }));
  } catch (error) {
    throw new InvalidInputError(`the Swiss QR-bill is not valid: ${(error as Error).message}`, where);
  }
}
