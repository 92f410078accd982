/**
 * Proving that an issued document's files are the ones issued: each file's SHA-256 against the
 * hash its row recorded at issue. `read` hashes the stored bytes (the auditor's check, `invoices
 * verify`); `checksum` first asks S3 for the SHA-256 it keeps with the object (a HEAD, no body) and
 * reads the bytes only when S3 keeps none (the read API's check before a download).
 */
import {
  DOCUMENT_KINDS,
  documentKey,
  recordedHashes,
  sha256Hex,
  type DocumentHashes,
  type DocumentKind,
} from '../contracts/document-hashes.js';
import { StoredDocumentError, type DocumentStore } from '../store/documents.js';
import type { InvoiceRow } from '../store/invoice-index.js';

export type FileState = 'ok' | 'missing' | 'changed';

/** What `stored` says of a file whose bytes fail the checksum S3 keeps (no hash of them to give). */
export const FAILS_S3_CHECKSUM = 'bytes failing the checksum S3 keeps';

export interface FileCheck {
  kind: DocumentKind;
  key: string;
  state: FileState;
  /** The hash recorded at issue, and (when changed) the stored file's. */
  recorded: string;
  stored?: string;
}

export interface DocumentCheck {
  invoiceNumber: string;
  customerId: string;
  period: string;
  /** False for rows issued before hashes were recorded (`invoices record-hashes` records them). */
  recorded: boolean;
  files: FileCheck[];
}

export type VerifyStore = Pick<DocumentStore, 'find' | 'storedChecksum'>;

/** One file against its recorded hash. */
export async function checkFile(
  documents: VerifyStore,
  key: string,
  recorded: string,
  mode: 'read' | 'checksum',
): Promise<{ state: FileState; stored?: string }> {
  if (mode === 'checksum') {
    const kept = await documents.storedChecksum(key);
    if (!kept.exists) return { state: 'missing' };
    if (kept.sha256 !== undefined)
      return kept.sha256 === recorded ? { state: 'ok' } : { state: 'changed', stored: kept.sha256 };
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await documents.find(key);
  } catch (error) {
    // Bytes that fail the checksum S3 keeps were changed behind S3's back: not the file issued.
    if (error instanceof StoredDocumentError) return { state: 'changed', stored: FAILS_S3_CHECKSUM };
    throw error;
  }
  if (bytes === undefined) return { state: 'missing' };
  const stored = sha256Hex(bytes);
  return stored === recorded ? { state: 'ok' } : { state: 'changed', stored };
}

/** Every recorded file of one issued document. */
export async function verifyDocument(
  documents: VerifyStore,
  row: InvoiceRow,
  mode: 'read' | 'checksum' = 'read',
): Promise<DocumentCheck> {
  const hashes = recordedHashes(row.documentHashes);
  const base = { invoiceNumber: row.invoiceNumber, customerId: row.customerId, period: row.period };
  if (hashes === undefined) return { ...base, recorded: false, files: [] };
  const files = await Promise.all(
    DOCUMENT_KINDS.filter((kind) => hashes[kind] !== undefined).map(async (kind): Promise<FileCheck> => {
      const key = documentKey(kind, row);
      const recorded = hashes[kind]!;
      return { kind, key, recorded, ...(await checkFile(documents, key, recorded, mode)) };
    }),
  );
  return { ...base, recorded: true, files };
}

/** The recorded hash of the file at `key` of a row, if the row recorded one. */
export function recordedHashOf(
  row: InvoiceRow,
  key: string,
): { kind: DocumentKind; hash: string } | undefined {
  const hashes: DocumentHashes | undefined = recordedHashes(row.documentHashes);
  if (hashes === undefined) return undefined;
  const kind = DOCUMENT_KINDS.find((k) => documentKey(k, row) === key);
  const hash = kind === undefined ? undefined : hashes[kind];
  return kind === undefined || hash === undefined ? undefined : { kind, hash };
}

/** A stored file that is not the one issued (its hash differs from the one recorded at issue). */
export class AlteredDocumentError extends Error {
  override readonly name = 'AlteredDocumentError';
}

/**
 * The bytes of an issued document's file, refused unless they have the hash recorded at issue
 * (files of documents issued before hashes were recorded are read as stored): what an operation
 * builds on (a credit note on an invoice's detail) is what was issued.
 */
export async function readIssuedFile(
  documents: Pick<DocumentStore, 'getBytes' | 'bucket'>,
  row: InvoiceRow,
  key: string,
): Promise<Buffer> {
  const bytes = await documents.getBytes(key);
  const recorded = recordedHashOf(row, key);
  if (recorded !== undefined && sha256Hex(bytes) !== recorded.hash)
    throw new AlteredDocumentError(
      `s3://${documents.bucket}/${key} of ${row.invoiceNumber} is not the file issued: sha256 recorded at issue ${recorded.hash}, stored ${sha256Hex(bytes)}`,
    );
  return bytes;
}
