/**
 * The import routes for the owner's systems: `POST /v1/imports/{customers|plans|usage}` with a
 * JSON Lines or CSV body (the formats of `invoicer import`, docs/cli.md "Importing records"), every row
 * validated, the changed ones written, a summary answered: `{kind, rows, written, unchanged,
 * rejected, errors}` (200 even when rows were rejected: the valid rows are written; `rejected`
 * says how many were not). Each import is recorded in the operator log as the caller.
 */
import { Readable } from 'node:stream';
import type { Context, Hono } from 'hono';
import { importPath } from '../shared/contracts/api-paths.js';
import { IMPORT_KINDS, type ImportKind } from '../shared/contracts/tables.js';
import { importRecords } from '../shared/operations/import-records.js';
import { IMPORT_FORMATS, type ImportFormat } from '../shared/operations/import-rows.js';
import { importRows } from '../shared/operations/import-rows.js';
import { OPERATOR_ACTION, type OperatorLog } from '../shared/store/operator-log.js';
import type { RecordWriter } from '../shared/store/record-writer.js';
import type { RecordTables } from '../shared/store/records.js';
import { API_ERROR, ApiError } from './errors.js';
import { addPaymentRoutes, type PaymentRouteDeps } from './payment-routes.js';

/** A Lambda invocation's request payload limit (6 MB) less headroom: larger imports go in parts. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportDeps {
  writer: RecordWriter;
  tables: RecordTables & { search: string };
  operatorLog: Pick<OperatorLog, 'record'>;
  /** Who is calling: the IAM principal on AWS; throws (403) when the request carries none. */
  callerOf(c: Context): string;
  now(): Date;
  /** The payment routes' stores (./payment-routes.ts); absent: no payment routes. */
  payments?: Omit<PaymentRouteDeps, 'operatorLog' | 'callerOf' | 'now'>;
}

const MEDIA_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

function formatOf(c: Context): ImportFormat {
  const asked = c.req.query('format');
  if (asked !== undefined) {
    if (!(IMPORT_FORMATS as readonly string[]).includes(asked))
      throw new ApiError(API_ERROR.badRequest, `format must be one of ${IMPORT_FORMATS.join(', ')}`);
    return asked as ImportFormat;
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format = MEDIA_TYPES[type];
  if (!format)
    throw new ApiError(
      API_ERROR.unsupportedMediaType,
      `send JSON Lines (${Object.keys(MEDIA_TYPES).slice(1).join(', ')}) or CSV (text/csv), or say ?format=jsonl|csv; got "${type}"`,
    );
  return format;
}

export function addImportRoutes(app: Hono, deps: ImportDeps): void {
  // First: `POST /v1/imports/statements` is theirs, not a record kind's.
  if (deps.payments)
    addPaymentRoutes(app, {
      ...deps.payments,
      operatorLog: deps.operatorLog,
      callerOf: deps.callerOf,
      now: deps.now,
    });
  app.post(importPath(':kind'), async (c) => {
    const kind = c.req.param('kind') ?? '';
    if (!(IMPORT_KINDS as readonly string[]).includes(kind))
      throw new ApiError(API_ERROR.notFound, `nothing to import as "${kind}": ${IMPORT_KINDS.join(', ')}`);
    const by = deps.callerOf(c);
    const format = formatOf(c);
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > MAX_IMPORT_BYTES)
      throw new ApiError(
        API_ERROR.payloadTooLarge,
        `the body has ${body.length} bytes; send at most ${MAX_IMPORT_BYTES} per request (split the file: rows are independent)`,
      );
    if (body.toString('utf8').trim() === '')
      throw new ApiError(API_ERROR.badRequest, 'the body holds no rows');
    const reason = c.req.query('reason');
    const summary = await importRecords(
      { writer: deps.writer, tables: deps.tables },
      kind as ImportKind,
      importRows(Readable.from([body]), format),
    );
    await deps.operatorLog.record({
      at: deps.now().toISOString(),
      by,
      action: OPERATOR_ACTION.import,
      ...(reason ? { reason } : {}),
      subject: { kind: 'records', table: kind },
      details: {
        via: 'api',
        rows: summary.rows,
        written: summary.written,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
      },
    });
    return c.json(summary);
  });
}
