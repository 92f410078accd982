/**
 * The billing-run state machine definition: one ASL file, deployed by CDK
 * (DefinitionBody.fromFile + definitionSubstitutions) and executed unchanged by the local stack.
 */
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
