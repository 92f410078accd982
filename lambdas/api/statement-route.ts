/**
 * `GET /v1/customers/{id}/statement`: a customer's account as an accountant reads it: the open
 * items (issued invoices with something open, overpaid ones too), every payment and reversal, and
 * the balance per currency. From the invoice index (one Query) and the customer's payments (one
 * Query); no document is read.
 */
import type { Hono } from 'hono';
import { API_PREFIX } from '../shared/contracts/api-paths.js';
import { isStandingInvoice, openAmountOf } from '../shared/domain/receivables.js';
import type { InvoiceIndex } from '../shared/store/invoice-index.js';
import type { PaymentEntry, ReceivablesStore } from '../shared/store/receivables.js';
import { API_ERROR, ApiError } from './errors.js';
import { invoiceView, money, type Money } from './views.js';

export interface StatementDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  receivables: Pick<ReceivablesStore, 'payments'>;
}

export const statementPath = (customerId: string): string =>
  `${API_PREFIX}/customers/${encodeURIComponent(customerId)}/statement`;

const paymentEntryView = (p: PaymentEntry) => ({
  id: p.paymentId,
  invoiceNumber: p.invoiceNumber,
  amount: money(p.amountMinor, p.currency),
  date: p.date,
  method: p.method,
  source: p.source,
  ...(p.reference === undefined ? {} : { reference: p.reference }),
  ...(p.reverses === undefined ? {} : { reverses: p.reverses }),
  recordedAt: p.recordedAt,
});

export function addStatementRoute(app: Hono, deps: StatementDeps, isId: (text: string) => boolean): void {
  app.get(`${API_PREFIX}/customers/:customerId/statement`, async (c) => {
    const customerId = c.req.param('customerId');
    if (!isId(customerId)) throw new ApiError(API_ERROR.badRequest, `"${customerId}" is not a customer id`);
    const [rows, payments] = await Promise.all([
      deps.invoices.query({ customerId }),
      deps.receivables.payments(customerId),
    ]);
    const invoices = rows.filter(isStandingInvoice);
    if (invoices.length === 0 && payments.length === 0)
      throw new ApiError(API_ERROR.notFound, `customer ${customerId} has no issued invoices`);
    const open = invoices.filter((r) => openAmountOf(r) !== 0 && r.writtenOffAt === undefined);
    const balances = new Map<string, number>();
    for (const r of open) balances.set(r.currency, (balances.get(r.currency) ?? 0) + openAmountOf(r));
    const balance: Money[] = [...balances.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => money(minor, currency));
    return c.json({
      customerId,
      asOf: new Date().toISOString(),
      balance,
      openItems: open.sort((a, b) => a.issueDate.localeCompare(b.issueDate)).map((r) => invoiceView(r)),
      payments: payments.map(paymentEntryView),
    });
  });
}
