/**
 * The read API's paths (lambdas/api), one owner: the API routes on them, its JSON links to them,
 * and the customer notifications name them, so a subscriber can fetch what it is told about.
 */
export const API_PREFIX = '/v1';
/** The hosted invoice pages customers open from their notification: unauthenticated, by token. */
export const HOSTED_PREFIX = '/i';

export const hostedInvoicePath = (token: string): string => `${HOSTED_PREFIX}/${token}`;
/** A hosted page's download of the document's PDF or JSON detail. */
export const hostedDownloadPath = (token: string, kind: 'pdf' | 'json'): string =>
  `${hostedInvoicePath(token)}/${kind}`;
export const hostedInvoiceUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}${hostedInvoicePath(token)}`;

export const invoicePath = (number: string): string => `${API_PREFIX}/invoices/${encodeURIComponent(number)}`;

export interface InvoiceLinks {
  self: string;
  detail: string;
  lines: string;
  pdf: string;
  /** The canonical JSON detail, as stored (a download). */
  json: string;
  eInvoice: string;
  /** The e-mail delivery of its notification. */
  email: string;
}

export function invoiceLinks(number: string): InvoiceLinks {
  const self = invoicePath(number);
  return {
    self,
    detail: `${self}/detail`,
    lines: `${self}/detail/lines`,
    pdf: `${self}/pdf`,
    json: `${self}/json`,
    eInvoice: `${self}/e-invoice`,
    email: `${self}/email`,
  };
}

/** Where the owner's systems post records to import (`customers`, `plans`, `usage`). */
export const importPath = (kind: string): string => `${API_PREFIX}/imports/${kind}`;

/** Where the owner's systems record payments (lambdas/api/payment-routes.ts). */
export const paymentsPath = `${API_PREFIX}/payments`;
/** The import of a bank statement: beside the record kinds, not one of them. */
export const STATEMENTS_IMPORT = 'statements';
