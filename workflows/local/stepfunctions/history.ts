/**
 * GetExecutionHistory for the local Step Functions API: the interpreter's event log turned into
 * the history events AWS returns (TaskStateEntered, TaskFailed, MapRunStarted, ExecutionFailed ...),
 * numbered from 1 with previousEventId, and where a redrive resumed the execution.
 */
import type { ExecutionEvent } from '../executor.js';
import type { StoredExecution } from './execution-store.js';

/** One history event in the JSON shape of the Step Functions API (timestamps in epoch seconds). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** A local-only event written when an execution is redriven (not from the interpreter). */
export const REDRIVEN_EVENT = 'ExecutionRedriven';

const json = (value: unknown): string => JSON.stringify(value ?? null);
const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/** The history of an execution, oldest first; `stateTypes` names each top-level state's ASL Type. */
export function historyOf(
  execution: StoredExecution,
  events: ExecutionEvent[],
  stateTypes: Record<string, string>,
): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const push = (timestamp: number, type: string, details: Record<string, unknown> = {}): void => {
    const id = out.length + 1;
    out.push({ id, previousEventId: id - 1, timestamp: timestamp / 1000, type, ...details });
  };
  const mapRuns = [...execution.mapRuns];
  for (const event of events) {
    // Inline Map / Parallel iterations: AWS shows them as iteration events, not their inner states.
    if (event.index !== undefined || event.parentState) continue;
    const name = event.state?.name ?? '';
    const stateType = stateTypes[name] ?? event.state?.type ?? 'Task';
    switch (event.type) {
      case 'ExecutionStarted':
        // A redriven attempt starts again in the interpreter; AWS shows ExecutionRedriven only.
        if (out.length > 0) break;
        push(event.timestamp, 'ExecutionStarted', {
          executionStartedEventDetails: {
            input: json(event.input),
            roleArn: 'arn:aws:iam::000000000000:role/local',
          },
        });
        break;
      case REDRIVEN_EVENT:
        push(event.timestamp, 'ExecutionRedriven', {
          executionRedrivenEventDetails: { redriveCount: (event as { redriveCount?: number }).redriveCount },
        });
        break;
      case 'StateEntered':
        push(event.timestamp, `${stateType}StateEntered`, {
          stateEnteredEventDetails: { name, input: json(event.state?.input) },
        });
        if (stateType === 'Map' && mapRuns[0]?.stateName === name) {
          push(event.timestamp, 'MapRunStarted', {
            mapRunStartedEventDetails: { mapRunArn: mapRuns.shift()?.mapRunArn },
          });
        }
        break;
      case 'StateExited':
        push(event.timestamp, `${stateType}StateExited`, {
          stateExitedEventDetails: { name, output: json(event.state?.output) },
        });
        break;
      case 'StateFailed':
      case 'StateRetried':
        if (stateType === 'Map') {
          push(event.timestamp, 'MapRunFailed', {
            mapRunFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
          });
        } else if (stateType === 'Task') {
          push(event.timestamp, 'TaskFailed', {
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: name,
              error: event.Error,
              cause: text(event.Cause),
            },
          });
        }
        break;
      case 'ExecutionSucceeded':
        push(event.timestamp, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: json(event.output) },
        });
        break;
      case 'ExecutionFailed':
        push(event.timestamp, 'ExecutionFailed', {
          executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
        });
        break;
      case 'ExecutionAborted':
        push(event.timestamp, 'ExecutionAborted', { executionAbortedEventDetails: {} });
        break;
      case 'ExecutionTimeout':
        push(event.timestamp, 'ExecutionTimedOut', { executionTimedOutEventDetails: {} });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Where a redrive resumes: the last top-level state entered and not exited in the latest
 * attempt, with the input it had; undefined when the execution never entered a state.
 */
export function unsuccessfulState(
  events: ExecutionEvent[],
): { stateName: string; input: unknown } | undefined {
  // Attempts are separated by redrive markers; one that entered no state (it failed at once)
  // leaves the resume point of the attempt before it.
  const attempts: ExecutionEvent[][] = [[]];
  for (const event of events) {
    if (event.type === REDRIVEN_EVENT) attempts.push([]);
    else attempts.at(-1)?.push(event);
  }
  for (const attempt of attempts.reverse()) {
    const open = new Map<string, unknown>();
    for (const event of attempt) {
      if (event.index !== undefined || event.parentState || !event.state) continue;
      if (event.type === 'StateEntered') open.set(event.state.name, event.state.input);
      else if (event.type === 'StateExited' || event.type === 'StateCaught') open.delete(event.state.name);
    }
    const name = [...open.keys()].at(-1);
    if (name !== undefined) return { stateName: name, input: open.get(name) };
  }
  return undefined;
}
