/**
 * What an issued document's row records of its files, at issue: the SHA-256 (lowercase hex) of
 * each stored object's bytes, by kind. The same digests go to S3 as each object's
 * `x-amz-checksum-sha256` (base64), so S3 keeps them too. Anyone holding the row can prove later
 * that a file is (or is not) the one issued. `xml` is absent when the document has no e-invoice.
 * The row attribute is `documentHashes`, a DynamoDB map; the ASL (CommitInvoice) sets it from
 * RenderDocuments' `documentHashesItem`, built by documentHashesAttribute.
 */
import { createHash } from 'node:crypto';
import { s3Keys } from './keys.js';

export const DOCUMENT_KINDS = ['json', 'pdf', 'summary', 'xml'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export type DocumentHashes = { [K in Exclude<DocumentKind, 'xml'>]: string } & { xml?: string };

/** The row attribute holding them. */
export const DOCUMENT_HASHES_ATTRIBUTE = 'documentHashes';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The hex digest as S3's `ChecksumSHA256` (base64) and back. */
export const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
export const base64ToHex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');

/** The S3 key of each kind of file of a document. */
export function documentKey(
  kind: DocumentKind,
  row: { period: string; customerId: string; invoiceNumber: string },
): string {
  const at = [row.period, row.customerId, row.invoiceNumber] as const;
  switch (kind) {
    case 'json':
      return s3Keys.invoiceJson(...at);
    case 'pdf':
      return s3Keys.invoicePdf(...at);
    case 'summary':
      return s3Keys.invoiceSummary(...at);
    case 'xml':
      return s3Keys.invoiceXml(...at);
  }
}

/** The hashes as a DynamoDB AttributeValue (the low-level form the ASL's UpdateItem passes on). */
export function documentHashesAttribute(hashes: DocumentHashes): { M: Record<string, { S: string }> } {
  const M: Record<string, { S: string }> = {};
  for (const kind of DOCUMENT_KINDS) {
    const hash = hashes[kind];
    if (hash !== undefined) M[kind] = { S: hash };
  }
  return { M };
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A row's recorded hashes, checked; undefined for rows issued before hashes were recorded. */
export function recordedHashes(value: unknown): DocumentHashes | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const out = Object.create(null) as Record<string, string>;
  for (const kind of DOCUMENT_KINDS) {
    const hash = record[kind];
    if (typeof hash === 'string' && HEX_SHA256.test(hash)) out[kind] = hash;
    else if (kind !== 'xml' || hash !== undefined) return undefined;
  }
  return out as DocumentHashes;
}
