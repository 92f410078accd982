/**
 * What the read API and the hosted pages serve of an issued document is the file issued: each
 * file is checked against the SHA-256 its row recorded at issue before its bytes are used or a
 * download link to it is given (a download: the checksum S3 keeps, read with a HEAD; bytes read
 * anyway: hashed in memory). A file that does not match is never served: the caller gets a 409
 * `document_altered`, and the operator log of the document says which file, when, and both hashes.
 * Documents issued before hashes were recorded are served as stored (`invoices record-hashes`).
 */
import { sha256Hex } from '../shared/contracts/document-hashes.js';
import {
  checkFile,
  FAILS_S3_CHECKSUM,
  recordedHashOf,
  type VerifyStore,
} from '../shared/operations/verify-documents.js';
import { StoredDocumentError } from '../shared/store/documents.js';
import type { InvoiceRow } from '../shared/store/invoice-index.js';
import { OPERATOR_ACTION, type OperatorLog } from '../shared/store/operator-log.js';
import { API_ERROR, ApiError } from './errors.js';

export interface DocumentGuardDeps {
  documents: VerifyStore;
  operatorLog: Pick<OperatorLog, 'record'>;
  /** Who writes the alert into the operator log (the read API's function, or the local server). */
  by: string;
  now(): Date;
}

export interface DocumentGuard {
  /** The file's bytes, refused unless they are the file issued (a missing file is refused too). */
  read(row: InvoiceRow, key: string): Promise<Buffer>;
  /** The same, but undefined when there is no such file (one a caller can derive otherwise). */
  find(row: InvoiceRow, key: string): Promise<Buffer | undefined>;
  /** Refuses unless the stored file is the one issued (before a link to it is handed out). */
  check(row: InvoiceRow, key: string): Promise<void>;
}

export function documentGuard(deps: DocumentGuardDeps): DocumentGuard {
  async function refuse(
    row: InvoiceRow,
    key: string,
    recorded: string,
    state: string,
    stored?: string,
  ): Promise<never> {
    await deps.operatorLog.record({
      at: deps.now().toISOString(),
      by: deps.by,
      action: OPERATOR_ACTION.integrityAlert,
      subject: { kind: 'invoice', invoiceNumber: row.invoiceNumber },
      details: { key, state, recorded, ...(stored === undefined ? {} : { stored }) },
    });
    throw new ApiError(
      API_ERROR.documentAltered,
      `${row.invoiceNumber}: the stored ${key.split('.').slice(1).join('.')} file is not the one issued; it is not served (support has been told)`,
    );
  }

  async function find(row: InvoiceRow, key: string): Promise<Buffer | undefined> {
    const recorded = recordedHashOf(row, key);
    let bytes: Buffer | undefined;
    try {
      bytes = await deps.documents.find(key);
    } catch (error) {
      if (!(error instanceof StoredDocumentError)) throw error;
      return refuse(row, key, recorded?.hash ?? 'none', 'changed', FAILS_S3_CHECKSUM);
    }
    if (bytes !== undefined && recorded !== undefined) {
      const stored = sha256Hex(bytes);
      if (stored !== recorded.hash) await refuse(row, key, recorded.hash, 'changed', stored);
    }
    return bytes;
  }

  return {
    find,
    async read(row, key) {
      const bytes = await find(row, key);
      if (bytes === undefined) return refuse(row, key, recordedHashOf(row, key)?.hash ?? 'none', 'missing');
      return bytes;
    },
    async check(row, key) {
      const recorded = recordedHashOf(row, key);
      if (recorded === undefined) return;
      const result = await checkFile(deps.documents, key, recorded.hash, 'checksum');
      if (result.state !== 'ok') await refuse(row, key, recorded.hash, result.state, result.stored);
    },
  };
}
