/**
 * cdk-nag finding ids name resources as the template renders them: a region or account that is
 * not known at synth time prints as `<AWS::Region>` / `<AWS::AccountId>`, a known one literally
 * (`cdk synth` with a default region). Acknowledgements must be written the same way.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** An ARN of `service` in the stack's region and account, as a finding id names it. */
export function nagArn(scope: IConstruct, service: string, resource: string): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
}

export const nagStatesArn = (scope: IConstruct, resource: string): string =>
  nagArn(scope, 'states', resource);
