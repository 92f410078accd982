/** The document store: invoices, manifests and run files in the documents bucket (S3). */
import { base64ToHex, hexToBase64, sha256Hex } from '../contracts/document-hashes.js';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface DocumentStore {
  readonly bucket: string;
  /**
   * Writes an object with its SHA-256 as S3's checksum (S3 refuses a body that does not match it
   * and keeps it with the object); `sha256` (hex) when the caller computed it already.
   */
  put(key: string, body: Buffer | string, contentType: string, sha256?: string): Promise<void>;
  /**
   * The SHA-256 (hex) S3 keeps for the object (HeadObject, checksum mode), undefined when it keeps
   * none (written without one) or there is no object (`exists` tells which).
   */
  storedChecksum(key: string): Promise<{ exists: boolean; sha256?: string }>;
  getBytes(key: string): Promise<Buffer>;
  /** The object's bytes, or undefined when there is no such object (other errors are thrown). */
  find(key: string): Promise<Buffer | undefined>;
  /** The object's non-blank lines, streamed (a JSON Lines file of any size in flat memory). */
  lines(key: string): AsyncIterable<string>;
  delete(key: string): Promise<void>;
  /** Every key under the prefix (all pages). */
  list(prefix: string): Promise<string[]>;
}

/** S3's answer for a key that does not exist (NoSuchKey; a bare 404 where the body is not parsed). */
const isMissingObject = (error: unknown): boolean =>
  (error as { name?: string } | null)?.name === 'NoSuchKey' ||
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 404;

/** A stored object that cannot be what was written: its bytes fail the checksum S3 keeps with it. */
export class StoredDocumentError extends Error {
  override readonly name = 'StoredDocumentError';
}

/** The SDK's response checksum validation failing (a plain Error, told by its message). */
const isChecksumMismatch = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('Checksum mismatch');

export function s3DocumentStore(s3: S3Client, bucket: string): DocumentStore {
  const getBytes = async (key: string): Promise<Buffer> => {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      if (!out.Body) throw new StoredDocumentError(`s3://${bucket}/${key} has no body`);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (!isChecksumMismatch(error)) throw error;
      throw new StoredDocumentError(
        `s3://${bucket}/${key}: its bytes do not match the checksum S3 keeps with it (the object was altered or damaged)`,
        { cause: error },
      );
    }
  };
  return {
    bucket,
    async put(key, body, contentType, sha256) {
      // A Buffer: the SDK takes an empty string for a stream of unknown length (and warns).
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ChecksumSHA256: hexToBase64(sha256 ?? sha256Hex(bytes)),
        }),
      );
    },
    async storedChecksum(key) {
      try {
        const out = await s3.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
        );
        // A multipart object's checksum is of its parts (`...-N`): not comparable, so none.
        const value = out.ChecksumSHA256;
        return value === undefined || value.includes('-')
          ? { exists: true }
          : { exists: true, sha256: base64ToHex(value) };
      } catch (error) {
        if (isMissingObject(error)) return { exists: false };
        throw error;
      }
    },
    getBytes,
    async find(key) {
      try {
        return await getBytes(key);
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw error;
      }
    },
    async *lines(key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      const lines = createInterface({ input: out.Body as Readable, crlfDelay: Infinity });
      try {
        for await (const line of lines) if (line.trim()) yield line;
      } finally {
        lines.close();
      }
    },
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix }))
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      return keys;
    },
  };
}
