/**
 * Memory of each Lambda function, in MB: what CDK deploys and what the cost model prices.
 * (No CDK import here, so the benchmark can read it without loading aws-cdk-lib.)
 */
import type { BILLING_RUN_FUNCTIONS } from '../workflows/definition.js';

export const DEFAULT_FUNCTION_MEMORY_MB = 512;

type FunctionName = (typeof BILLING_RUN_FUNCTIONS)[keyof typeof BILLING_RUN_FUNCTIONS];

export const FUNCTION_MEMORY_MB: Record<FunctionName, number> = {
  'plan-run': DEFAULT_FUNCTION_MEMORY_MB,
  'compute-invoice': DEFAULT_FUNCTION_MEMORY_MB,
  'reserve-number': DEFAULT_FUNCTION_MEMORY_MB,
  // pdfkit with embedded CJK fonts: more memory is also more CPU, which the render needs.
  'render-documents': 1024,
  compensate: DEFAULT_FUNCTION_MEMORY_MB,
  'finalize-run': DEFAULT_FUNCTION_MEMORY_MB,
};
