/**
 * Regenerating an issued invoice's (or credit note's) documents from its canonical JSON detail:
 * the same renderer gives the same bytes, so a regeneration either finds every stored document
 * identical, or restores the ones that are missing, byte for byte. If the renderer no longer
 * gives the stored bytes (it changed since the invoice was issued, or an object was altered),
 * nothing is written and the error says which document differs: the stored documents stay the
 * documents of record.
 */
import { createHash } from 'node:crypto';
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import { serializeInvoiceDetail, validateInvoiceDetail } from '../documents/schema.js';
import type { DocumentStore } from '../store/documents.js';
import type { InvoiceIndex } from '../store/invoice-index.js';
import { writeInvoiceDocuments } from './write-documents.js';

export interface RegenerateDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  documents: Pick<DocumentStore, 'find' | 'put' | 'bucket'>;
}

export type DocumentState = 'identical' | 'restored';

export interface RegenerateResult {
  invoiceNumber: string;
  /** Each document by its key: identical to the render, or restored (it was missing). */
  documents: Record<string, DocumentState>;
}

export class RegenerateError extends Error {
  override readonly name = 'RegenerateError';
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

export async function regenerateDocuments(
  deps: RegenerateDeps,
  invoiceNumber: string,
): Promise<RegenerateResult> {
  const [row] = (await deps.invoices.query({ invoiceNumber })).filter((r) =>
    ISSUED_STATUSES.includes(r.status),
  );
  if (!row) throw new RegenerateError(`no issued invoice or credit note ${invoiceNumber}`);
  const stored = await deps.documents.find(row.jsonKey);
  if (!stored) {
    throw new RegenerateError(
      `the canonical JSON detail of ${invoiceNumber} is missing (s3://${deps.documents.bucket}/${row.jsonKey}): restore it from an earlier version of the object first`,
    );
  }
  const detail = validateInvoiceDetail(JSON.parse(stored.toString('utf8')) as unknown);
  if (!serializeInvoiceDetail(detail).equals(stored)) {
    throw new RegenerateError(
      `the JSON detail of ${invoiceNumber} is not in canonical form (it was altered): nothing was written`,
    );
  }
  // Render into memory first: nothing is written unless every stored document is reproduced.
  const rendered = new Map<string, { body: Buffer; contentType: string }>();
  await writeInvoiceDocuments(
    {
      put: async (key, body, contentType) =>
        void rendered.set(key, { body: typeof body === 'string' ? Buffer.from(body) : body, contentType }),
    },
    detail,
    row,
  );
  const states: Record<string, DocumentState> = {};
  const missing: string[] = [];
  for (const [key, { body }] of rendered) {
    const current = await deps.documents.find(key);
    if (current === undefined) missing.push(key);
    else if (!current.equals(body)) {
      throw new RegenerateError(
        `the renderer no longer reproduces ${key} of ${invoiceNumber} (stored sha256 ${sha256(current)}, rendered ${sha256(body)}): it changed since the document was issued, or the stored object was altered; nothing was written, the stored documents stay the documents of record`,
      );
    } else states[key] = 'identical';
  }
  for (const key of missing) {
    const { body, contentType } = rendered.get(key)!;
    await deps.documents.put(key, body, contentType);
    states[key] = 'restored';
  }
  return { invoiceNumber, documents: states };
}
