/**
 * The seller a deployed stack invoices as: the SELLER_JSON of its ComputeInvoice function
 * (infra/constructs/billing-functions.ts sets it), read with GetFunctionConfiguration.
 */
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { sellerConfig } from '../../lambdas/shared/config.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import type { SellerConfig } from '../../lambdas/shared/domain/types.js';
import { STACK_OUTPUT } from '../../infra/stack-outputs.js';
import type { StackOutputs } from './stack-outputs.js';

export async function deployedSeller(region: string, outputs: StackOutputs): Promise<SellerConfig> {
  const functionName = outputs[STACK_OUTPUT.computeInvoiceFunctionName];
  if (!functionName)
    throw new Error(
      `the stack has no output ${STACK_OUTPUT.computeInvoiceFunctionName} (deployed by an older version): deploy it again to preview on it`,
    );
  const lambda = new LambdaClient({ region });
  try {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return sellerConfig({ ...config.Environment?.Variables });
  } catch (error) {
    throw new Error(
      `cannot read the seller of ${functionName} (${ENV.sellerJson}): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    lambda.destroy();
  }
}
