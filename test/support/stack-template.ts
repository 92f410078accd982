/**
 * The synthesized BillingStack template and readers of its IAM policies, shared by the stack
 * assertions and the IAM contract test (policies rendered as `action resource` strings, e.g.
 * `s3:PutObject <DocumentsBucket...>/runs/*\/summary.json`).
 */
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { BillingStack } from '../../infra/billing-stack.js';
import { DEFAULT_CONFIG, type BillingConfig } from '../../infra/config.js';
import { FEATURE_FLAGS } from '../../infra/feature-flags.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const TEST_CONFIG: BillingConfig = {
  ...DEFAULT_CONFIG,
  stage: 'test',
  opsEmail: 'ops@example.com',
  emailFrom: 'billing@invoicer.example',
  sesIdentity: 'invoicer.example',
};

export function buildApp() {
  // 'aws:cdk:bundling-stacks': [] skips esbuild: the template is the same apart from asset hashes.
  const app = new App({ context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] } });
  const stack = new BillingStack(app, 'Invoicer-test', { config: TEST_CONFIG });
  return { app, stack };
}

/** Resolves Ref / GetAtt to the logical id, for matching policy resources against resources. */
export const refId = (value: Json): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];
export const actionsOf = (s: Json): string[] => [s.Action].flat();
export const resourcesOf = (s: Json): Json[] => [s.Resource].flat();

export function templateReader(template: Template) {
  const resources = template.toJSON().Resources as Record<string, Json>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  return {
    resources,
    ofType,
    /** A role's inline policy statements, found by the role's construct path segment (e.g. 'PlanRun'). */
    statementsOf(pathPart: string): Json[] {
      const policies = ofType('AWS::IAM::Policy').filter(([id]) => id.includes(pathPart));
      if (policies.length !== 1) throw new Error(`${policies.length} policies match ${pathPart}`);
      return policies[0]![1].Properties.PolicyDocument.Statement as Json[];
    },
    logicalIdOfTable: (tableId: string) =>
      ofType('AWS::DynamoDB::Table').find(([id]) => id.includes(`${tableId}Table`))![0],
    documentsBucketId: ofType('AWS::S3::Bucket').find(([id]) => id.includes('DocumentsBucket'))![0],
  };
}

/**
 * Every (action, resource) pair a policy allows, with resources rendered as short strings. With
 * `leadingKeys`, each DynamoDB grant ends in ` key=<pattern>`: the partition keys its
 * `dynamodb:LeadingKeys` condition allows, `*` when it has none.
 */
export function grants(statements: Json[], options: { leadingKeys?: boolean } = {}): Set<string> {
  const render = (r: Json): string => {
    if (typeof r === 'string') return r;
    if (refId(r)) return `<${refId(r)}>`;
    const join = r['Fn::Join'];
    if (join)
      return (join[1] as Json[])
        .map((p) => (typeof p === 'string' ? p : refId(p) ? `<${refId(p)}>` : `<${Object.keys(p)[0]}>`))
        .join('');
    return JSON.stringify(r);
  };
  const out = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') throw new Error(`statement ${JSON.stringify(s)} is not Allow`);
    const leading: string[] | undefined = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    for (const a of actionsOf(s))
      for (const r of resourcesOf(s)) {
        if (!options.leadingKeys || !a.startsWith('dynamodb:')) out.add(`${a} ${render(r)}`);
        else for (const key of leading ?? ['*']) out.add(`${a} ${render(r)} key=${key}`);
      }
  }
  return out;
}
