/**
 * Evaluates ASL payload templates (`"key.$": "$.path"`, `$$` context paths, intrinsic functions)
 * with aws-local-stepfunctions itself, so the Distributed Map emulator applies exactly the
 * interpreter's rules: a one-state machine whose Pass state has the template as Parameters.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// The interpreter overwrites $$.Execution.Input/StartTime with the helper run's own; route the
// template's $$.Execution paths to an untouched copy instead.
const EXECUTION_ALIAS = '__Execution';

function aliasExecutionPaths(template: unknown): unknown {
  if (Array.isArray(template)) return template.map(aliasExecutionPaths);
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      out[key] =
        key.endsWith('.$') && typeof value === 'string'
          ? value.replaceAll('$$.Execution', `$$.${EXECUTION_ALIAS}`)
          : aliasExecutionPaths(value);
    }
    return out;
  }
  return template;
}

const machines = new WeakMap<object, StateMachine>();

function machineFor(template: object): StateMachine {
  let machine = machines.get(template);
  if (!machine) {
    const definition = {
      StartAt: 'Evaluate',
      States: { Evaluate: { Type: 'Pass', Parameters: aliasExecutionPaths(template), End: true } },
    } as unknown as StateMachineDefinition;
    machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    machines.set(template, machine);
  }
  return machine;
}

/** Applies a payload template to `input` with the given context object (`$$`). */
export async function evaluatePayload(
  template: object,
  input: unknown,
  context: Record<string, unknown>,
): Promise<unknown> {
  const execution = machineFor(template).run(input as never, {
    context: { ...context, [EXECUTION_ALIAS]: context.Execution },
  });
  try {
    return await execution.result;
  } catch (error) {
    // ExecutionError wraps the interpreter's error (e.g. States.Runtime for a path that points nowhere).
    throw (error as Error & { cause?: unknown }).cause ?? error;
  }
}

/** Reads one JSONPath (`$.x` or `$$.x`) from input/context. */
export async function evaluatePath(
  path: string,
  input: unknown,
  context: Record<string, unknown>,
): Promise<unknown> {
  const result = (await evaluatePayload({ 'value.$': path }, input, context)) as { value: unknown };
  return result.value;
}
