/** Is the run that holds a period's lock still going? On AWS the holder is a Step Functions execution. */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { LockHolderCheck, LockHolderLiveness } from '../shared/store/runs.js';

export function executionLiveness(sfn: Pick<SFNClient, 'send'>): LockHolderLiveness {
  return async (executionArn) => {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return out.status === 'RUNNING';
  };
}

/**
 * The state of a lock's holder for support (`invoicer runs locks`): an execution ARN is asked with
 * DescribeExecution (gone: stopped); anything else is not an execution of this stack.
 */
export function executionHolderState(sfn: Pick<SFNClient, 'send'>): LockHolderCheck {
  return async (holder) => {
    if (!holder.startsWith('arn:')) return 'unverifiable';
    try {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn: holder }));
      return out.status === 'RUNNING' ? 'running' : 'stopped';
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return 'stopped';
      throw error;
    }
  };
}
