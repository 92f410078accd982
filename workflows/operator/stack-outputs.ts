/** A deployed billing stack's outputs (DescribeStacks), checked for what the operator tools need. */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { REQUIRED_OPERATOR_OUTPUTS, type StackOutputKey } from '../../infra/stack-outputs.js';

export type StackOutputs = Partial<Record<StackOutputKey, string>> &
  Record<(typeof REQUIRED_OPERATOR_OUTPUTS)[number], string>;

export async function readStackOutputs(
  cloudFormation: Pick<CloudFormationClient, 'send'>,
  stackName: string,
): Promise<StackOutputs> {
  let stack;
  try {
    [stack] = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
  } catch (error) {
    throw new Error(`cannot read the outputs of stack ${stackName}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!stack) throw new Error(`no stack ${stackName}`);
  const outputs = Object.fromEntries(
    (stack.Outputs ?? []).flatMap((o) =>
      o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
    ),
  ) as Record<string, string>;
  const missing = REQUIRED_OPERATOR_OUTPUTS.filter((key) => !outputs[key]);
  if (missing.length > 0)
    throw new Error(
      `stack ${stackName} has no output ${missing.join(', ')}: is it an invoicer billing stack deployed by this version (npm run deploy)?`,
    );
  return outputs as StackOutputs;
}
