/**
 * Is the run that holds a period's lock still going? On AWS the holder is a Step Functions
 * execution (DescribeExecution). A local run's holder id is `local:<host>:<pid>:<name>`: alive
 * while that process lives and, in this process, while the execution is registered as running.
 */
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';

const runningHere = new Set<string>();

/** The local executor registers its executions for the lifetime of each run. */
export function markLocalExecution(executionId: string, running: boolean): void {
  if (running) runningHere.add(executionId);
  else runningHere.delete(executionId);
}

export function localExecutionId(name: string, host: string, pid: number = process.pid): string {
  return `local:${host}:${pid}:${name}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let sfn: SFNClient | undefined;

export async function isExecutionActive(executionId: string, host: string): Promise<boolean> {
  const local = /^local:([^:]+):(\d+):(.+)$/.exec(executionId);
  if (local) {
    const [, holderHost, pid] = local;
    // A lock taken on another machine cannot be checked from here: treat it as live.
    if (holderHost !== host) return true;
    if (Number(pid) === process.pid) return runningHere.has(executionId);
    return processAlive(Number(pid));
  }
  sfn ??= new SFNClient({});
  const out = await sfn.send(new DescribeExecutionCommand({ executionArn: executionId }));
  return out.status === 'RUNNING';
}
