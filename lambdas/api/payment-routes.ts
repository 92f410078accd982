/**
 * The payment routes for the owner's systems, beside the record imports (the same function on
 * AWS, IAM-signed callers; docs/payments.md):
 *   POST /v1/imports/statements                       a camt.053/054 (XML) or CSV statement body
 *   POST /v1/payments                                 record a payment {invoiceNumber, amount, date, reason, ...}
 *   POST /v1/payments/{id}/reversal                   {invoiceNumber, reason}
 *   POST /v1/payments/write-offs                      {invoiceNumber, reason}
 *   POST /v1/payments/unmatched/{entryId}/assignment  {invoiceNumber, reason}
 * Each answers what it did (a repeat answers the same with `outcome: "repeated"`), refuses bad
 * input with a 400 naming it, and is recorded in the operator log as the caller.
 */
import type { Context, Hono } from 'hono';
import { importPath, paymentsPath, STATEMENTS_IMPORT } from '../shared/contracts/api-paths.js';
import { parseJsonBytes } from '../shared/edge/safe-json.js';
import { InvalidInputError } from '../shared/errors.js';
import {
  importStatement,
  readStatement,
  type StatementImportDeps,
} from '../shared/operations/import-statement.js';
import { STATEMENT_FORMATS, type StatementFormat } from '../shared/statements/statement-format.js';
import {
  assignCredit,
  recordPayment,
  reversePayment,
  writeOffInvoice,
  type PaymentDeps,
} from '../shared/operations/payments.js';
import { OPERATOR_ACTION, type OperatorLog, type OperatorLogEntry } from '../shared/store/operator-log.js';
import type { InvoiceIndex } from '../shared/store/invoice-index.js';
import { InvoiceNotPayableError } from '../shared/store/receivables.js';
import { API_ERROR, ApiError } from './errors.js';
import { MAX_IMPORT_BYTES } from './import-routes.js';

export interface PaymentRouteDeps
  extends Omit<PaymentDeps, 'invoices'>, Omit<StatementImportDeps, 'invoices'> {
  invoices: Pick<InvoiceIndex, 'query' | 'scan'>;
  operatorLog: Pick<OperatorLog, 'record'>;
  callerOf(c: Context): string;
}

const STATEMENT_MEDIA_TYPES: Record<string, StatementFormat> = {
  'application/xml': 'camt',
  'text/xml': 'camt',
  'text/csv': 'csv',
};

const badRequest = (message: string) => new ApiError(API_ERROR.badRequest, message);

/** The operations' refusals as 400s; anything else is left to the error mapper. */
async function refusalsAs400<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof InvoiceNotPayableError)
      throw badRequest(error.message);
    throw error;
  }
}

/** A small JSON body of string fields; anything else is refused by name. */
async function jsonFields(
  c: Context,
  required: string[],
  optional: string[],
): Promise<Record<string, string>> {
  const value = parseJsonBytes(new Uint8Array(await c.req.arrayBuffer()), 'the request body', {
    maxBytes: 16 * 1024,
    maxDepth: 2,
  });
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badRequest('the request body must be a JSON object');
  const fields = value as Record<string, unknown>;
  const out: Record<string, string> = Object.create(null);
  for (const [key, field] of Object.entries(fields)) {
    if (!required.includes(key) && !optional.includes(key))
      throw badRequest(
        `the request body has an unknown field "${key}" (known: ${[...required, ...optional].join(', ')})`,
      );
    if (typeof field !== 'string') throw badRequest(`${key} must be a string`);
    out[key] = field;
  }
  const missing = required.filter((key) => out[key] === undefined);
  if (missing.length > 0) throw badRequest(`the request body needs ${missing.join(', ')}`);
  return out;
}

export function addPaymentRoutes(app: Hono, deps: PaymentRouteDeps): void {
  const log = (c: Context, entry: Omit<OperatorLogEntry, 'at' | 'by'>) =>
    deps.operatorLog.record({ at: deps.now().toISOString(), by: deps.callerOf(c), ...entry });

  app.post(importPath(STATEMENTS_IMPORT), async (c) => {
    deps.callerOf(c);
    const asked = c.req.query('format');
    if (asked !== undefined && !(STATEMENT_FORMATS as readonly string[]).includes(asked))
      throw badRequest(`format must be one of ${STATEMENT_FORMATS.join(', ')}`);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const format = (asked as StatementFormat | undefined) ?? STATEMENT_MEDIA_TYPES[type];
    if (format === undefined)
      throw new ApiError(
        API_ERROR.unsupportedMediaType,
        `send camt.053/054 as application/xml or a CSV statement as text/csv, or say ?format=camt|csv; got "${type}"`,
      );
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength > MAX_IMPORT_BYTES)
      throw new ApiError(
        API_ERROR.payloadTooLarge,
        `the body has ${body.byteLength} bytes; send at most ${MAX_IMPORT_BYTES}`,
      );
    const by = deps.callerOf(c);
    const report = await importStatement(deps, readStatement(body, 'the request body', format), by);
    await log(c, {
      action: OPERATOR_ACTION.importStatement,
      subject: { kind: 'records', table: 'payments' },
      details: {
        via: 'api',
        credits: report.credits,
        matched: report.matched,
        unmatched: report.unmatched,
        alreadyImported: report.alreadyImported,
        errors: report.errors.length,
      },
    });
    return c.json(report);
  });

  app.post(paymentsPath, async (c) => {
    const f = await jsonFields(
      c,
      ['invoiceNumber', 'amount', 'date', 'reason'],
      ['currency', 'method', 'reference', 'idempotencyKey'],
    );
    const result = await refusalsAs400(() =>
      recordPayment(deps, {
        invoiceNumber: f.invoiceNumber!,
        amount: f.amount!,
        date: f.date!,
        reason: f.reason!,
        by: deps.callerOf(c),
        ...(f.currency === undefined ? {} : { currency: f.currency }),
        ...(f.method === undefined ? {} : { method: f.method }),
        ...(f.reference === undefined ? {} : { reference: f.reference }),
        ...(f.idempotencyKey === undefined ? {} : { idempotencyKey: f.idempotencyKey }),
      }),
    );
    await log(c, {
      action: OPERATOR_ACTION.recordPayment,
      reason: f.reason!,
      subject: { kind: 'invoice', invoiceNumber: result.invoiceNumber },
      details: {
        via: 'api',
        paymentId: result.payment.paymentId,
        amountMinor: result.payment.amountMinor,
        outcome: result.outcome,
      },
    });
    return c.json(result, result.outcome === 'recorded' ? 201 : 200);
  });

  app.post(`${paymentsPath}/write-offs`, async (c) => {
    const f = await jsonFields(c, ['invoiceNumber', 'reason'], []);
    const result = await refusalsAs400(() =>
      writeOffInvoice(deps, { invoiceNumber: f.invoiceNumber!, reason: f.reason!, by: deps.callerOf(c) }),
    );
    if (result.writtenOff)
      await log(c, {
        action: OPERATOR_ACTION.writeOff,
        reason: f.reason!,
        subject: { kind: 'invoice', invoiceNumber: result.invoiceNumber },
        details: { via: 'api', openMinor: result.openMinor },
      });
    return c.json(result);
  });

  app.post(`${paymentsPath}/unmatched/:entryId/assignment`, async (c) => {
    const f = await jsonFields(c, ['invoiceNumber', 'reason'], []);
    const entryId = c.req.param('entryId');
    const result = await refusalsAs400(() =>
      assignCredit(deps, { entryId, invoiceNumber: f.invoiceNumber!, by: deps.callerOf(c) }),
    );
    await log(c, {
      action: OPERATOR_ACTION.assignCredit,
      reason: f.reason!,
      subject: { kind: 'invoice', invoiceNumber: result.invoiceNumber },
      details: { via: 'api', entryId, paymentId: result.payment.paymentId, outcome: result.outcome },
    });
    return c.json(result);
  });

  app.post(`${paymentsPath}/:paymentId/reversal`, async (c) => {
    const f = await jsonFields(c, ['invoiceNumber', 'reason'], []);
    const paymentId = c.req.param('paymentId');
    const result = await refusalsAs400(() =>
      reversePayment(deps, {
        invoiceNumber: f.invoiceNumber!,
        paymentId,
        reason: f.reason!,
        by: deps.callerOf(c),
      }),
    );
    await log(c, {
      action: OPERATOR_ACTION.reversePayment,
      reason: f.reason!,
      subject: { kind: 'invoice', invoiceNumber: result.invoiceNumber },
      details: {
        via: 'api',
        paymentId: result.payment.paymentId,
        reverses: paymentId,
        outcome: result.outcome,
      },
    });
    return c.json(result, result.outcome === 'recorded' ? 201 : 200);
  });
}
