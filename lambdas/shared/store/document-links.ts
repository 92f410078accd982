/**
 * Short-lived download links to stored documents: S3 presigned GETs. They die with the signing
 * credentials (hours, when a Lambda role signs), so they are made when someone asks, never stored.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** How long a download link works. */
export const DOCUMENT_LINK_SECONDS = 300;

/** inline: the browser shows it; attachment: the browser saves it. */
export type Disposition = 'inline' | 'attachment';

export type DocumentUrl = (key: string, fileName: string, disposition?: Disposition) => Promise<string>;

export function presignedDocumentLinks(s3: S3Client, bucket: string): DocumentUrl {
  return (key, fileName, disposition = 'inline') =>
    getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: `${disposition}; filename="${fileName.replace(/["\\]/g, '')}"`,
      }),
      { expiresIn: DOCUMENT_LINK_SECONDS },
    );
}
