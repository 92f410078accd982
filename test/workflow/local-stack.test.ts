/**
 * The local stack itself: resources created from the CloudFormation template (key schemas and
 * GSIs exactly as templated, idempotent), state that persists across a restart, no orphan java.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { INVOICES_TABLE } from '../../lambdas/shared/contracts/tables.js';
import { synthStorageResources } from '../../infra/local-resources.js';
import { ensureLocalResources, planLocalResources } from '../../workflows/local/resources.js';
import { DEFAULT_DYNAMODB_LOCAL_DIR, startLocalStack, type LocalStack } from '../../workflows/local/stack.js';
import { startDynamoDbLocal } from '../../workflows/local/dynamodb-local.js';
import { createServer } from 'node:net';
import { fixtureResources } from './local-stack-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'invoicer-stack-'));
let stack: LocalStack | undefined;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  stack = await startLocalStack({ dataDir, resources: fixtureResources() });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('resources from the CloudFormation template', () => {
  it('creates each table with exactly the template’s key schema, GSIs and billing', async () => {
    const s = stack as LocalStack;
    expect(s.names.tables).toEqual({
      Customers: 'invoicer-Customers',
      Plans: 'invoicer-Plans',
      Usage: 'invoicer-Usage',
      Invoices: 'invoicer-Invoices',
      Runs: 'invoicer-Runs',
      Webhooks: 'invoicer-Webhooks',
      Receivables: 'invoicer-Receivables',
      Search: 'invoicer-Search',
    });
    const { Table: invoices } = await s.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: s.names.tables.Invoices }),
    );
    expect(invoices?.KeySchema).toEqual([{ AttributeName: 'invoiceKey', KeyType: 'HASH' }]);
    // The change stream (lambdas/publish-events) reads both images of every write.
    expect(invoices?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const gsis = (invoices?.GlobalSecondaryIndexes ?? [])
      .map((g) => ({ name: g.IndexName, keys: g.KeySchema, projection: g.Projection?.ProjectionType }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(gsis).toEqual([
      {
        name: 'byCustomer',
        keys: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'period', KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      },
      {
        name: 'byNumber',
        keys: [{ AttributeName: 'invoiceNumber', KeyType: 'HASH' }],
        projection: 'KEYS_ONLY',
      },
    ]);
    const { Table: usage } = await s.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: s.names.tables.Usage }),
    );
    expect(usage?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
    expect(s.names.documentsBucket).toBe('invoicer-documents');
    expect(s.names.customerTopicArn).toBe(
      'arn:aws:sns:us-east-1:000000000000:invoicer-CustomerNotifications',
    );
    expect(s.names.opsTopicArn).toBe('arn:aws:sns:us-east-1:000000000000:invoicer-OpsSummary');
  });

  it('accepts existing resources that match and names the table that does not', async () => {
    const s = stack as LocalStack;
    await expect(
      ensureLocalResources(planLocalResources(fixtureResources()), s.clients),
    ).resolves.toMatchObject({
      documentsBucket: 'invoicer-documents',
    });

    const changed = fixtureResources();
    const props = changed.InvoicesTable0A1B2C3D!.Properties;
    props.GlobalSecondaryIndexes.pop();
    props.AttributeDefinitions = props.AttributeDefinitions.filter(
      (a: { AttributeName: string }) => a.AttributeName !== 'invoiceNumber',
    );
    await expect(ensureLocalResources(planLocalResources(changed), s.clients)).rejects.toThrow(
      /local table invoicer-Invoices \(InvoicesTable0A1B2C3D\) exists but differs from the template: GSI byNumber is not in the template/,
    );
  });

  it('plans the deployed storage stack’s tables with the data model’s indexes', () => {
    const plan = planLocalResources(synthStorageResources());
    const invoices = plan.tables.find((t) => t.marker === 'Invoices');
    expect(invoices?.request.KeySchema).toEqual([
      { AttributeName: INVOICES_TABLE.partitionKey, KeyType: 'HASH' },
    ]);
    expect(invoices?.request.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(invoices?.request.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(
      INVOICES_TABLE.indexes.map((i) => i.indexName).sort(),
    );
    expect(plan.tables.map((t) => t.marker).sort()).toEqual([
      'Customers',
      'Invoices',
      'Plans',
      'Receivables',
      'Runs',
      'Search',
      'Usage',
      'Webhooks',
    ]);
    expect(plan.buckets.find((b) => b.marker === 'Documents')?.localName).toBe('invoicer-documents');
    expect(plan.topics.map((t) => t.marker).sort()).toEqual([
      'CustomerNotifications',
      'DomainEvents',
      'OpsSummary',
    ]);
  });
});

describe('persistence and process lifecycle', () => {
  it('keeps items, objects and inbox messages across a restart and leaves no java process behind', async () => {
    // Prepare
    const first = stack as LocalStack;
    await first.clients.dynamodb.send(
      new PutItemCommand({ TableName: first.names.tables.Runs, Item: { runId: { S: 'run-1' } } }),
    );
    await first.clients.s3.send(
      new PutObjectCommand({
        Bucket: first.names.documentsBucket,
        Key: 'invoices/2026-01/cus_1/INV-1.json',
        Body: '{}',
      }),
    );
    await first.clients.sns.send(
      new PublishCommand({
        TopicArn: first.names.customerTopicArn,
        Message: 'hello',
        MessageAttributes: { customerId: { DataType: 'String', StringValue: 'cus_1' } },
      }),
    );
    const javaPid = first.dynamoDbPid as number;
    expect(isAlive(javaPid)).toBe(true);

    // Act
    await first.stop();
    const javaGone = !isAlive(javaPid);
    stack = await startLocalStack({ dataDir, resources: fixtureResources() });
    const second = stack;

    // Assess
    expect(javaGone).toBe(true);
    const { Item } = await second.clients.dynamodb.send(
      new GetItemCommand({ TableName: second.names.tables.Runs, Key: { runId: { S: 'run-1' } } }),
    );
    expect(Item?.runId?.S).toBe('run-1');
    const object = await second.clients.s3.send(
      new GetObjectCommand({
        Bucket: second.names.documentsBucket,
        Key: 'invoices/2026-01/cus_1/INV-1.json',
      }),
    );
    expect(await object.Body?.transformToString()).toBe('{}');
    // Objects are plain files a person can open.
    expect(
      existsSync(
        join(
          dataDir,
          's3',
          'buckets',
          'invoicer-documents',
          'objects',
          'invoices',
          '2026-01',
          'cus_1',
          'INV-1.json.data',
        ),
      ),
    ).toBe(true);
    expect((await second.customerInbox()).map((m) => [m.message, m.attributes.customerId])).toEqual([
      ['hello', 'cus_1'],
    ]);
    // The subscription was not duplicated by the restart: one publish, one message.
    await second.clients.sns.send(
      new PublishCommand({ TopicArn: second.names.customerTopicArn, Message: 'again' }),
    );
    expect((await second.customerInbox()).map((m) => m.message)).toEqual(['hello', 'again']);
  });
});

describe('DynamoDB Local start', () => {
  it('gives up at once, saying so, when its port is taken (the stack then tries another)', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '0.0.0.0', () => resolve((holder.address() as { port: number }).port)),
    );
    const dir = mkdtempSync(join(tmpdir(), 'invoicer-port-'));
    try {
      await expect(
        startDynamoDbLocal({
          jarDir: DEFAULT_DYNAMODB_LOCAL_DIR,
          dbPath: dir,
          port,
          region: 'us-east-1',
          timeoutMs: 120_000,
        }),
      ).rejects.toThrow(`DynamoDB Local could not bind http://127.0.0.1:${port}: Address already in use`);
    } finally {
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
