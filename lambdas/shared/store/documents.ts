/** The document store: invoices, manifests and run files in the documents bucket (S3). */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface DocumentStore {
  readonly bucket: string;
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  getBytes(key: string): Promise<Buffer>;
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
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const out = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of out.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
  };
}
