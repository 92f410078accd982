/** The document store: invoices, manifests and run files in the documents bucket (S3). */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface DocumentStore {
  readonly bucket: string;
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  getBytes(key: string): Promise<Buffer>;
  /** The object's non-blank lines, streamed (a JSON Lines file of any size in flat memory). */
  lines(key: string): AsyncIterable<string>;
  delete(key: string): Promise<void>;
  /** Every key under the prefix (all pages). */
  list(prefix: string): Promise<string[]>;
}

export function s3DocumentStore(s3: S3Client, bucket: string): DocumentStore {
  return {
    bucket,
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async getBytes(key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return Buffer.from(await out.Body.transformToByteArray());
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
