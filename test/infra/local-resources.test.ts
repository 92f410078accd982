import { TABLES } from '../../lambdas/shared/contracts/tables.js';
import { storageResourcesByName, synthStorageResources } from '../../infra/local-resources.js';

// Prepare: one synth for the file (storage only: no bundling, about a second).
const resources = synthStorageResources();
const byName = storageResourcesByName(resources);

const keySchema = (partitionKey: string, sortKey?: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
];

describe('synthStorageResources', () => {
  it('marks exactly the tables, buckets and topics the local stack creates', () => {
    expect(Object.keys(byName).sort()).toEqual(
      [
        ...TABLES.map((t) => t.id),
        'AccessLogs',
        'CustomerNotifications',
        'Documents',
        'DomainEvents',
        'OpsSummary',
      ].sort(),
    );
    expect(byName.Documents?.Type).toBe('AWS::S3::Bucket');
    expect(byName.CustomerNotifications?.Type).toBe('AWS::SNS::Topic');
    expect(byName.OpsSummary?.Type).toBe('AWS::SNS::Topic');
  });

  it.each(TABLES.map((t) => [t.id, t] as const))('builds table %s from contracts/tables.ts', (_id, model) => {
    const table = byName[model.id];
    expect(table?.Type).toBe('AWS::DynamoDB::Table');
    expect(table?.Properties.KeySchema).toEqual(keySchema(model.partitionKey, model.sortKey));
    expect(table?.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const indexes = (table?.Properties.GlobalSecondaryIndexes ?? []) as {
      IndexName: string;
      KeySchema: unknown;
    }[];
    expect(indexes.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema }))).toEqual(
      model.indexes.map((i) => ({ IndexName: i.indexName, KeySchema: keySchema(i.partitionKey, i.sortKey) })),
    );
    const attributes = (table?.Properties.AttributeDefinitions as { AttributeType: string }[]) ?? [];
    expect(attributes.length).toBeGreaterThan(0);
    expect(attributes.every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('turns on deletion protection for the invoice index only and retains the records on stack deletion', () => {
    expect(byName.Invoices?.Properties.DeletionProtectionEnabled).toBe(true);
    expect(byName.Runs?.Properties.DeletionProtectionEnabled).toBe(false);
    expect((byName.Invoices as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    expect((byName.Documents as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
  });

  it('versions the documents bucket, expires noncurrent versions after 7 days, object lock off', () => {
    const bucket = byName.Documents?.Properties;
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 7 }, Status: 'Enabled' }),
      ]),
    );
    expect(bucket.ObjectLockEnabled).toBeUndefined();
  });

  it('takes the retention settings as props', () => {
    const custom = storageResourcesByName(
      synthStorageResources({ noncurrentVersionRetentionDays: 30, objectLockRetentionDays: 3650 }),
    );
    const bucket = custom.Documents?.Properties;
    expect(bucket.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({
      NoncurrentDays: 30,
    });
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } },
    });
  });

  it('rejects a retention that is not a whole number of days, naming the setting', () => {
    expect(() => synthStorageResources({ noncurrentVersionRetentionDays: 0 })).toThrow(
      /noncurrentVersionRetentionDays=0 must be a whole number >= 1/,
    );
    expect(() => synthStorageResources({ objectLockRetentionDays: 1.5 })).toThrow(
      /objectLockRetentionDays=1.5/,
    );
  });
});
