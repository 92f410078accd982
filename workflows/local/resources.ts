/**
 * Creates the local stand-ins of the deployed storage resources from the synthesized CDK template
 * (infra/local-resources.ts), so tables, GSIs, buckets and topics are defined once, in CDK.
 *
 * CloudFormation properties map almost 1:1 to the API requests: AWS::DynamoDB::Table ->
 * CreateTable, AWS::S3::Bucket -> CreateBucket, AWS::SNS::Topic -> CreateTopic. Creation is
 * idempotent: an existing table is accepted only when its key schema and GSIs equal the template's.
 * Properties with no local meaning (encryption, PITR, lifecycle, logging, KMS keys, deletion
 * protection) are skipped on purpose.
 */
import {
  CreateTableCommand,
  UpdateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TABLES } from '../../lambdas/shared/contracts/tables.js';

/** Metadata key by which infra/constructs/storage.ts marks each storage resource with its role. */
export const RESOURCE_MARKER_KEY = 'invoicer:resource';

export interface CfnResource {
  Type: string;
  // CloudFormation properties: plain JSON plus intrinsic functions ({ Ref }, { 'Fn::GetAtt' }).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Properties?: any;
  Metadata?: Record<string, unknown>;
}

export type CfnResources = Record<string, CfnResource>;

/** The table ids of lambdas/shared/contracts/tables.ts TABLES (checked against it when planning). */
export type TableId =
  'Customers' | 'Plans' | 'Usage' | 'Invoices' | 'Runs' | 'Webhooks' | 'Receivables' | 'Search';

/** One resource to create locally: its template identity, its role marker and its local name. */
export interface LocalResourcePlanEntry<T> {
  logicalId: string;
  /** The `invoicer:resource` marker ('Invoices', 'Documents', 'CustomerNotifications', ...), if any. */
  marker?: string;
  localName: string;
  request: T;
}

export interface LocalResourcePlan {
  tables: LocalResourcePlanEntry<CreateTableCommandInput>[];
  buckets: LocalResourcePlanEntry<{ Bucket: string }>[];
  topics: LocalResourcePlanEntry<{ Name: string; Attributes?: Record<string, string> }>[];
}

/** The local names of the resources the workflow and the handlers use. */
export interface LocalResourceNames {
  /** Table name per table id of lambdas/shared/contracts/tables.ts TABLES. */
  tables: Record<TableId, string>;
  documentsBucket: string;
  customerTopicArn: string;
  opsTopicArn: string;
  eventsTopicArn: string;
  /** Every created resource by logical id (tables and buckets: name; topics: ARN). */
  byLogicalId: Record<string, string>;
}

const isLiteral = (value: unknown): value is string => typeof value === 'string';

/** `StorageInvoicesTableFB6D84A6` -> `StorageInvoicesTable`: CDK appends an 8-hex hash to logical ids. */
const withoutHash = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '');

/** Local names keep AWS's rules: bucket names lowercase with dashes, table/topic names [A-Za-z0-9_-]. */
function localName(prefix: string, base: string, kind: 'table' | 'bucket' | 'topic'): string {
  if (kind === 'bucket') {
    const kebab = base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    return `${prefix}-${kebab}`.toLowerCase().slice(0, 63);
  }
  return `${prefix}-${base}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

function markerOf(resource: CfnResource): string | undefined {
  const marker = resource.Metadata?.[RESOURCE_MARKER_KEY];
  return typeof marker === 'string' ? marker : undefined;
}

function where(logicalId: string, property: string): string {
  return `CloudFormation resource ${logicalId}.Properties.${property}`;
}

function keySchema(value: unknown, at: string): KeySchemaElement[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${at}: expected a non-empty KeySchema`);
  return value.map((element: { AttributeName?: unknown; KeyType?: unknown }, i) => {
    if (!isLiteral(element.AttributeName) || (element.KeyType !== 'HASH' && element.KeyType !== 'RANGE')) {
      throw new Error(`${at}[${i}]: expected { AttributeName, KeyType: HASH|RANGE }`);
    }
    return { AttributeName: element.AttributeName, KeyType: element.KeyType };
  });
}

/** Converts AWS::DynamoDB::Table properties to a CreateTable request. */
export function createTableRequest(
  logicalId: string,
  properties: unknown,
  tableName: string,
): CreateTableCommandInput {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const p = (properties ?? {}) as Record<string, any>;
  const onDemand = p.BillingMode === 'PAY_PER_REQUEST';
  const throughput = (
    value: unknown,
  ): { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined => {
    if (onDemand) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = value as any;
    return {
      ReadCapacityUnits: Number(t?.ReadCapacityUnits ?? 5),
      WriteCapacityUnits: Number(t?.WriteCapacityUnits ?? 5),
    };
  };
  const attributeDefinitions: AttributeDefinition[] = (p.AttributeDefinitions ?? []).map(
    (a: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }) => ({
      AttributeName: a.AttributeName,
      AttributeType: a.AttributeType,
    }),
  );
  const projection = (value: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pr = (value ?? {}) as any;
    return {
      ProjectionType: pr.ProjectionType ?? 'ALL',
      ...(Array.isArray(pr.NonKeyAttributes) ? { NonKeyAttributes: pr.NonKeyAttributes } : {}),
    };
  };
  const gsis: GlobalSecondaryIndex[] | undefined = Array.isArray(p.GlobalSecondaryIndexes)
    ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
      p.GlobalSecondaryIndexes.map((g: any, i: number) => ({
        IndexName: g.IndexName,
        KeySchema: keySchema(g.KeySchema, where(logicalId, `GlobalSecondaryIndexes[${i}].KeySchema`)),
        Projection: projection(g.Projection),
        ...(onDemand ? {} : { ProvisionedThroughput: throughput(g.ProvisionedThroughput) }),
      }))
    : undefined;
  const lsis: LocalSecondaryIndex[] | undefined = Array.isArray(p.LocalSecondaryIndexes)
    ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
      p.LocalSecondaryIndexes.map((l: any, i: number) => ({
        IndexName: l.IndexName,
        KeySchema: keySchema(l.KeySchema, where(logicalId, `LocalSecondaryIndexes[${i}].KeySchema`)),
        Projection: projection(l.Projection),
      }))
    : undefined;
  const stream = p.StreamSpecification?.StreamViewType;
  return {
    TableName: tableName,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema(p.KeySchema, where(logicalId, 'KeySchema')),
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(onDemand ? {} : { ProvisionedThroughput: throughput(p.ProvisionedThroughput) }),
    ...(gsis?.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis?.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(isLiteral(stream) ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } } : {}),
  } as CreateTableCommandInput;
}

/** Works out which table id of the data model a template table is: by marker, else by logical id. */
function tableIdOf(logicalId: string, resource: CfnResource): TableId {
  const ids = TABLES.map((t) => t.id);
  const marker = markerOf(resource);
  if (marker !== undefined) {
    if ((ids as string[]).includes(marker)) return marker as TableId;
    throw new Error(
      `CloudFormation resource ${logicalId}: marker '${marker}' is not a table id (${ids.join(', ')})`,
    );
  }
  const base = withoutHash(logicalId);
  const matches = ids.filter((id) => base.includes(id));
  if (matches.length === 1) return matches[0] as TableId;
  throw new Error(
    `CloudFormation resource ${logicalId}: cannot tell which table of the data model it is ` +
      `(no '${RESOURCE_MARKER_KEY}' metadata; logical id matches ${matches.length} of ${ids.join(', ')})`,
  );
}

/** Plans the local resources for a template: what to create, under which local names. */
export function planLocalResources(
  resources: CfnResources,
  options: { prefix?: string } = {},
): LocalResourcePlan {
  const prefix = options.prefix ?? 'invoicer';
  const plan: LocalResourcePlan = { tables: [], buckets: [], topics: [] };
  for (const [logicalId, resource] of Object.entries(resources)) {
    const marker = markerOf(resource);
    const base = marker ?? withoutHash(logicalId);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table': {
        const id = tableIdOf(logicalId, resource);
        const name = localName(prefix, id, 'table');
        plan.tables.push({
          logicalId,
          marker: id,
          localName: name,
          request: createTableRequest(logicalId, resource.Properties, name),
        });
        break;
      }
      case 'AWS::S3::Bucket': {
        const name = localName(prefix, base, 'bucket');
        plan.buckets.push({ logicalId, marker, localName: name, request: { Bucket: name } });
        break;
      }
      case 'AWS::SNS::Topic': {
        const fifo = resource.Properties?.FifoTopic === true || resource.Properties?.FifoTopic === 'true';
        const name = localName(prefix, base, 'topic') + (fifo ? '.fifo' : '');
        const attributes: Record<string, string> = {};
        if (isLiteral(resource.Properties?.DisplayName))
          attributes.DisplayName = resource.Properties.DisplayName;
        if (fifo) attributes.FifoTopic = 'true';
        if (resource.Properties?.ContentBasedDeduplication === true)
          attributes.ContentBasedDeduplication = 'true';
        plan.topics.push({
          logicalId,
          marker,
          localName: name,
          request: { Name: name, Attributes: attributes },
        });
        break;
      }
      default:
        break; // policies, KMS keys ...: nothing to emulate locally
    }
  }
  return plan;
}

function sameKeySchema(a: KeySchemaElement[] | undefined, b: KeySchemaElement[] | undefined): boolean {
  const norm = (k: KeySchemaElement[] | undefined) =>
    JSON.stringify((k ?? []).map((e) => [e.AttributeName, e.KeyType]).sort());
  return norm(a) === norm(b);
}

/** Why an existing table differs from the template's request, or undefined when it matches. */
export function tableMismatch(
  existing: TableDescription,
  wanted: CreateTableCommandInput,
): string | undefined {
  if (!sameKeySchema(existing.KeySchema, wanted.KeySchema)) {
    return `key schema ${JSON.stringify(existing.KeySchema)} != template ${JSON.stringify(wanted.KeySchema)}`;
  }
  const indexes = (list: { IndexName?: string; KeySchema?: KeySchemaElement[] }[] | undefined) =>
    new Map((list ?? []).map((i) => [i.IndexName ?? '', i.KeySchema]));
  const have = indexes(existing.GlobalSecondaryIndexes);
  const want = indexes(wanted.GlobalSecondaryIndexes);
  const names = new Set([...have.keys(), ...want.keys()]);
  for (const name of names) {
    if (!have.has(name)) return `GSI ${name} is missing`;
    if (!want.has(name)) return `GSI ${name} is not in the template`;
    if (!sameKeySchema(have.get(name), want.get(name))) return `GSI ${name} has a different key schema`;
  }
  return undefined;
}

export interface LocalResourceClients {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  sns: SNSClient;
}

/**
 * Creates every planned resource that does not exist yet and returns the local names.
 * An existing table that differs from the template fails with the table and the difference.
 */
export async function ensureLocalResources(
  plan: LocalResourcePlan,
  clients: LocalResourceClients,
): Promise<LocalResourceNames> {
  const byLogicalId: Record<string, string> = {};
  await Promise.all(
    plan.tables.map(async (entry) => {
      // Describe first: an existing table is compared with the template, a missing one created.
      let existing: TableDescription | undefined;
      try {
        existing = (await clients.dynamodb.send(new DescribeTableCommand({ TableName: entry.localName })))
          .Table;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      if (!existing) {
        await clients.dynamodb.send(new CreateTableCommand(entry.request));
      } else {
        const mismatch = tableMismatch(existing, entry.request);
        if (mismatch) {
          throw new Error(
            `local table ${entry.localName} (${entry.logicalId}) exists but differs from the template: ${mismatch}. ` +
              'Delete the data directory to recreate it.',
          );
        }
        // A data dir from before the change stream: its stream starts now.
        if (entry.request.StreamSpecification && !existing.StreamSpecification?.StreamEnabled) {
          await clients.dynamodb.send(
            new UpdateTableCommand({
              TableName: entry.localName,
              StreamSpecification: entry.request.StreamSpecification,
            }),
          );
        }
      }
      byLogicalId[entry.logicalId] = entry.localName;
    }),
  );
  for (const entry of plan.buckets) {
    try {
      await clients.s3.send(new CreateBucketCommand(entry.request));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    }
    byLogicalId[entry.logicalId] = entry.localName;
  }
  for (const entry of plan.topics) {
    // CreateTopic is idempotent for the same name and attributes.
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand(entry.request));
    if (!TopicArn) throw new Error(`CreateTopic ${entry.localName} returned no TopicArn`);
    byLogicalId[entry.logicalId] = TopicArn;
  }
  return namesOf(plan, byLogicalId);
}

function namesOf(plan: LocalResourcePlan, byLogicalId: Record<string, string>): LocalResourceNames {
  const tables = {} as Record<TableId, string>;
  for (const entry of plan.tables) tables[entry.marker as TableId] = entry.localName;
  const missing = TABLES.map((t) => t.id).filter((id) => !tables[id as TableId]);
  if (missing.length) throw new Error(`the template has no table for ${missing.join(', ')}`);
  const pick = <T extends { marker?: string; logicalId: string }>(
    entries: T[],
    marker: string,
    what: string,
  ): T => {
    const found =
      entries.find((e) => e.marker === marker) ?? entries.find((e) => e.logicalId.includes(marker));
    if (!found) throw new Error(`the template has no ${what} marked '${marker}'`);
    return found;
  };
  return {
    tables,
    documentsBucket: pick(plan.buckets, 'Documents', 'bucket').localName,
    customerTopicArn: byLogicalId[pick(plan.topics, 'CustomerNotifications', 'topic').logicalId] as string,
    opsTopicArn: byLogicalId[pick(plan.topics, 'OpsSummary', 'topic').logicalId] as string,
    eventsTopicArn: byLogicalId[pick(plan.topics, 'DomainEvents', 'topic').logicalId] as string,
    byLogicalId,
  };
}
