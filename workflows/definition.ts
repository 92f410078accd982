/**
 * The billing-run state machine definition: one ASL file, deployed by CDK
 * (DefinitionBody.fromFile + definitionSubstitutions) and executed unchanged by the local stack.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BILLING_RUN_ASL_PATH = fileURLToPath(new URL('./billing-run.asl.json', import.meta.url));

/** Every `${Name}` placeholder in the ASL; CDK and the local stack must provide each one. */
export const BILLING_RUN_SUBSTITUTION_KEYS = [
  'PlanRunFunctionArn',
  'ComputeInvoiceFunctionArn',
  'ReserveNumberFunctionArn',
  'RenderDocumentsFunctionArn',
  'CompensateFunctionArn',
  'FinalizeRunFunctionArn',
  'InvoicesTableName',
  'RunsTableName',
  'DocumentsBucketName',
  'CustomerTopicArn',
  'OpsTopicArn',
] as const;

export type BillingRunSubstitutions = Record<(typeof BILLING_RUN_SUBSTITUTION_KEYS)[number], string>;

/** The Lambda functions the definition invokes, keyed by their placeholder. */
export const BILLING_RUN_FUNCTIONS = {
  PlanRunFunctionArn: 'plan-run',
  ComputeInvoiceFunctionArn: 'compute-invoice',
  ReserveNumberFunctionArn: 'reserve-number',
  RenderDocumentsFunctionArn: 'render-documents',
  CompensateFunctionArn: 'compensate',
  FinalizeRunFunctionArn: 'finalize-run',
} as const;

/** Substitutes `${Name}` placeholders exactly as CDK's definitionSubstitutions does; a missing one is an error. */
export function substituteDefinition(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`ASL placeholder \${${name}} has no substitution`);
    return value;
  });
}

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  ItemProcessor?: { States: Record<string, AslState> };
}

/**
 * Read from the ASL itself: which Task state invokes which function (a function may serve several
 * states: ComputeBatch and ComputeInvoice), and which states run inside the Distributed Map's
 * children (the cost model prices those as Express).
 */
export function billingRunStates(): {
  /** The Lambda function each Task state invokes, by state name. */
  functionOfState: Record<string, string>;
  childStates: string[];
} {
  const definition = JSON.parse(readFileSync(BILLING_RUN_ASL_PATH, 'utf8')) as {
    States: Record<string, AslState>;
  };
  const functionOfState: Record<string, string> = {};
  const childStates: string[] = [];
  const walk = (states: Record<string, AslState>, inChild: boolean) => {
    for (const [name, state] of Object.entries(states)) {
      if (inChild) childStates.push(name);
      const placeholder = /^\$\{(\w+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
      if (placeholder && placeholder in BILLING_RUN_FUNCTIONS) {
        functionOfState[name] = BILLING_RUN_FUNCTIONS[placeholder as keyof typeof BILLING_RUN_FUNCTIONS];
      }
      if (state.ItemProcessor) walk(state.ItemProcessor.States, true);
    }
  };
  walk(definition.States, false);
  return { functionOfState, childStates };
}
