/**
 * The storage resources of the deployed stack, as CloudFormation, for the local stack to create
 * (tables -> CreateTable, bucket -> CreateBucket, topics -> CreateTopic) from the very same
 * definitions. Synthesizes a storage-only stack: no Lambda bundling, no assets, offline, ~1 s.
 *
 * Which resource is which: every resource the local stack needs carries
 * `Metadata[STORAGE_RESOURCE_METADATA_KEY]` (= 'invoicer:resource'), whose value is
 *   - a table id from lambdas/shared/contracts/tables.ts: 'Customers' | 'Plans' | 'Usage' | 'Invoices' | 'Runs' | 'Webhooks' | 'Receivables' | 'Search'
 *     (AWS::DynamoDB::Table: KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode),
 *   - 'Documents' (AWS::S3::Bucket, the documents bucket) or 'AccessLogs' (its access-log bucket),
 *   - 'CustomerNotifications' | 'OpsSummary' | 'DomainEvents' (AWS::SNS::Topic).
 * The logical ids equal the deployed stack's, because both put BillingStorage under the id 'Storage'.
 * Other resources (bucket/topic policies, the KMS key) have no marker; the local stack can ignore them.
 */
import { App, Stack } from 'aws-cdk-lib';
import { FEATURE_FLAGS } from './feature-flags.js';
import {
  BillingStorage,
  STORAGE_RESOURCE_METADATA_KEY,
  type BillingStorageProps,
} from './constructs/storage.js';

export { STORAGE_RESOURCE_METADATA_KEY };

/** The construct id of BillingStorage inside both the deployed and the storage-only stack. */
export const STORAGE_CONSTRUCT_ID = 'Storage';

export interface StorageResource {
  Type: string;
  // CloudFormation properties: plain JSON plus intrinsic functions ({ Ref }, { 'Fn::GetAtt' }).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Properties: any;
  Metadata?: Record<string, unknown>;
}

/** All Resources of the storage-only stack's template, keyed by logical id. */
export function synthStorageResources(props: BillingStorageProps = {}): Record<string, StorageResource> {
  // No CloudFormation validation here (1.4 s of wasm on every local start): this template only
  // names the local stand-ins; the deployed stack is validated by `cdk synth` and test/infra.
  const app = new App({ context: FEATURE_FLAGS, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'InvoicerStorage');
  new BillingStorage(stack, STORAGE_CONSTRUCT_ID, props);
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, StorageResource>;
  };
  return template.Resources;
}

/** The marked storage resources, keyed by their marker (e.g. 'Invoices', 'Documents', 'OpsSummary'). */
export function storageResourcesByName(
  resources: Record<string, StorageResource> = synthStorageResources(),
): Record<string, StorageResource & { logicalId: string }> {
  const byName: Record<string, StorageResource & { logicalId: string }> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const name = resource.Metadata?.[STORAGE_RESOURCE_METADATA_KEY];
    if (typeof name === 'string') byName[name] = { ...resource, logicalId };
  }
  return byName;
}
