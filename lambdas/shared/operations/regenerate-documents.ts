/**
 * Regenerating an issued invoice's (or credit note's) documents from its canonical JSON detail:
 * the same renderer gives the same bytes, so a regeneration either finds every stored document
 * identical, or restores the ones that are missing, byte for byte. If the renderer no longer
 * gives the stored bytes (it changed since the invoice was issued, or an object was altered),
 * nothing is written and the error says which document differs: the stored documents stay the
 * documents of record.
 *
 * With the hashes recorded at issue, the canonical JSON is checked against its hash before
 * anything is rendered (an altered JSON would otherwise "restore" a PDF that was never issued),
 * and every file restored must have the recorded hash of its kind.
 */
import { recordedHashes, sha256Hex, type DocumentHashes } from '../contracts/document-hashes.js';
import { parseStoredJson } from '../edge/safe-json.js';
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import { serializeInvoiceDetail, validateInvoiceDetail } from '../documents/schema.js';
import type { DocumentStore } from '../store/documents.js';
import type { InvoiceIndex } from '../store/invoice-index.js';
import { recordedHashOf } from './verify-documents.js';
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
  /** The SHA-256 of every file, as stored now (each one identical to its render). */
  hashes: DocumentHashes;
}

export class RegenerateError extends Error {
  override readonly name = 'RegenerateError';
}

/**
 * `checkOnly`: write nothing, and refuse when a file is missing (what `invoices record-hashes`
 * asks before it records the hashes of a document issued without them).
 */
export async function regenerateDocuments(
  deps: RegenerateDeps,
  invoiceNumber: string,
  options: { checkOnly?: boolean } = {},
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
  const where = (key: string) => `s3://${deps.documents.bucket}/${key}`;
  const hashes = recordedHashes(row.documentHashes);
  if (hashes !== undefined && sha256Hex(stored) !== hashes.json) {
    throw new RegenerateError(
      `${where(row.jsonKey)}, the canonical JSON detail of ${invoiceNumber}, is not the file issued: sha256 recorded at issue ${hashes.json}, stored ${sha256Hex(stored)}; nothing was rendered or written (restore the issued version of the object first)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parseStoredJson(stored, where(row.jsonKey));
  } catch (error) {
    throw new RegenerateError(
      `the JSON detail of ${invoiceNumber} cannot be read: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const detail = validateInvoiceDetail(parsed);
  if (!serializeInvoiceDetail(detail).equals(stored)) {
    throw new RegenerateError(
      `the JSON detail of ${invoiceNumber} is not in canonical form (it was altered): nothing was written`,
    );
  }
  // Render into memory first: nothing is written unless every stored document is reproduced.
  const rendered = new Map<string, { body: Buffer; contentType: string }>();
  const { hashes: renderedHashes } = await writeInvoiceDocuments(
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
        `the renderer no longer reproduces ${where(key)} of ${invoiceNumber} (stored sha256 ${sha256Hex(current)}, rendered ${sha256Hex(body)}): it changed since the document was issued, or the stored object was altered; nothing was written, the stored documents stay the documents of record`,
      );
    } else states[key] = 'identical';
  }
  if (options.checkOnly && missing.length > 0)
    throw new RegenerateError(
      `${missing.map(where).join(', ')} of ${invoiceNumber} ${missing.length === 1 ? 'is' : 'are'} missing (invoicer invoices regenerate restores them)`,
    );
  // A restored file must be the one issued, byte for byte.
  for (const key of missing) {
    const recorded = recordedHashOf(row, key)?.hash;
    const renderedHash = sha256Hex(rendered.get(key)!.body);
    if (hashes !== undefined && recorded !== renderedHash)
      throw new RegenerateError(
        `${where(key)} of ${invoiceNumber} is missing and the render is not the file issued (sha256 recorded at issue ${recorded ?? 'none'}, rendered ${renderedHash}): nothing was written`,
      );
  }
  for (const key of missing) {
    const { body, contentType } = rendered.get(key)!;
    await deps.documents.put(key, body, contentType);
    states[key] = 'restored';
  }
  // Every stored file is now identical to its render.
  return { invoiceNumber, documents: states, hashes: renderedHashes };
}
