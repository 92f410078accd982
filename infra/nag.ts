/**
 * cdk-nag finding ids name resources as the template renders them: a region or account that is
 * not known at synth time prints as `<AWS::Region>` / `<AWS::AccountId>`, a known one literally
 * (`cdk synth` with a default region). Acknowledgements must be written the same way.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function nagStatesArn(scope: IConstruct, resource: string): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:states:${region}:${account}:${resource}`;
}
