/**
 * Hosted-invoice links on AWS: the secret that signs their tokens (lambdas/shared/hosted-links/
 * token.ts) in Secrets Manager, and the grants of who makes links and who opens them. Links are
 * `LINK#` items of the Invoices table; each role may touch those items only (LeadingKeys).
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HEX_KEY_32_BYTES } from './secret-key.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { linkKey } from '../../lambdas/shared/contracts/keys.js';
import type { InvoicerFunction } from './function.js';
import type { BillingStorage } from './storage.js';

/** The Invoices table keys a link grant covers. */
const LINK_KEYS = linkKey('*');

export class HostedLinks extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { storage: BillingStorage; secretName: string },
  ) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'LinkSecret', {
      secretName: props.secretName,
      description: 'Signs hosted-invoice link tokens (invoicer). Changing it breaks every link sent.',
      generateSecretString: HEX_KEY_32_BYTES,
      // Links already sent must keep working after the stack is gone and redeployed.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link secret would break every invoice link customers were sent; a compromised link is revoked and reissued instead (docs/cli.md).',
    });
  }

  /** A function that makes links: the secret, the base URL, and PutItem on `LINK#` items only. */
  grantIssue(fn: InvoicerFunction, publicBaseUrl: string): void {
    fn.function.addEnvironment(ENV.linkSecretArn, this.secret.secretArn);
    fn.function.addEnvironment(ENV.publicBaseUrl, publicBaseUrl);
    // GetSecretValue alone (grantRead adds DescribeSecret, which the handler never calls).
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadLinkSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
    fn.role.addToPrincipalPolicy(this.linkItems('WriteHostedLinks', ['dynamodb:PutItem']));
  }

  /** A function that opens links: GetItem on `LINK#` items only. */
  grantResolve(fn: InvoicerFunction): void {
    fn.role.addToPrincipalPolicy(this.linkItems('ReadHostedLinks', ['dynamodb:GetItem']));
  }

  private linkItems(sid: string, actions: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid,
      actions,
      resources: [this.props.storage.tables.Invoices.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [LINK_KEYS] } },
    });
  }
}
