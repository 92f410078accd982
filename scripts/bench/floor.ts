/**
 * The floor of a billing run on this machine: per invoice, only the work no design can skip, with
 * the same SDK calls the billing run makes for it, against the same local stack at the same
 * concurrency, with no workflow: one PDF and one e-invoice render, four S3 PUTs (PDF, JSON detail,
 * its summary, e-invoice XML), one two-item
 * DynamoDB transaction (number claim and index row), two UpdateItem (issued, notified) and one SNS
 * publish. Writes go under a `FLOOR#` key prefix and a `bench-floor/` S3 prefix.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { renderEInvoice } from '../../lambdas/shared/documents/en16931/render.js';
import { renderInvoicePdf } from '../../lambdas/shared/documents/pdf.js';
import { serializeInvoiceSummary } from '../../lambdas/shared/documents/schema.js';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { typicalInvoice } from './invoices.js';

export interface FloorResult {
  invoices: number;
  concurrency: number;
  wallSeconds: number;
  invoicesPerSecond: number;
}

export async function measureFloor(
  session: LocalSession,
  invoices: number,
  concurrency: number,
): Promise<FloorResult> {
  const { dynamodb, s3, sns } = session.clients;
  const table = session.storage.tables.invoices;
  const bucket = session.storage.documentsBucket;
  const topic = session.stack.resources.topics.customerNotifications;
  const oneInvoice = async (i: number) => {
    const detail = typicalInvoice(i);
    const key = `FLOOR#${i}`;
    const pdf = await renderInvoicePdf(detail);
    const eInvoice = await renderEInvoice(detail);
    if ('refused' in eInvoice) throw new Error(`the floor's invoice gets no e-invoice: ${eInvoice.refused}`);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `bench-floor/${i}.xml`, Body: eInvoice.xml }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `bench-floor/${i}.summary.json`,
        Body: serializeInvoiceSummary(detail),
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `bench-floor/${i}.pdf`, Body: pdf }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `bench-floor/${i}.json`, Body: JSON.stringify(detail) }),
    );
    await dynamodb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { invoiceKey: `${key}#NUMBER` },
              ConditionExpression: 'attribute_not_exists(invoiceKey)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { invoiceKey: key, status: 'PENDING' },
              ConditionExpression: 'attribute_not_exists(invoiceKey)',
            },
          },
        ],
      }),
    );
    for (const status of ['ISSUED', 'NOTIFIED']) {
      await dynamodb.send(
        new UpdateCommand({
          TableName: table,
          Key: { invoiceKey: key },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': status },
        }),
      );
    }
    await sns.send(new PublishCommand({ TopicArn: topic, Message: JSON.stringify({ floor: i }) }));
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, invoices) }, async () => {
      while (next < invoices) await oneInvoice(next++);
    }),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    invoices,
    concurrency,
    wallSeconds: Number(wallSeconds.toFixed(2)),
    invoicesPerSecond: Number((invoices / wallSeconds).toFixed(1)),
  };
}
