/** Is the run that holds a period's lock still going? On AWS the holder is a Step Functions execution. */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { LockHolderLiveness } from '../shared/store/runs.js';

export function executionLiveness(sfn: Pick<SFNClient, 'send'>): LockHolderLiveness {
  return async (executionArn) => {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return out.status === 'RUNNING';
  };
}
