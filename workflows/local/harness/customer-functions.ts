/**
 * The per-customer functions of the billing run, built from their factories: the harness builds
 * them in-thread (./handlers.ts) and each worker of the Lambda pool builds its own
 * (./lambda-worker.ts), from the same list.
 */
import { createHandler as compensate } from '../../../lambdas/compensate/handler.js';
import {
  createHandler as computeInvoice,
  type ComputeDeps,
} from '../../../lambdas/compute-invoice/handler.js';
import { createHandler as renderDocuments } from '../../../lambdas/render-documents/handler.js';
import { createHandler as reserveNumber } from '../../../lambdas/reserve-number/handler.js';
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import type { Observability } from '../../../lambdas/shared/handler.js';
import type { Stores } from '../../../lambdas/shared/store/index.js';
import { localHostedLinks, type LocalLinkSettings } from '../hosted-links.js';

export const CUSTOMER_FUNCTIONS = [
  'compute-invoice',
  'reserve-number',
  'render-documents',
  'compensate',
] as const;
export type CustomerFunction = (typeof CUSTOMER_FUNCTIONS)[number];

export type CustomerFunctionDeps = Stores & {
  observability: Observability;
  now: () => Date;
  seller: SellerConfig;
  linkSettings: LocalLinkSettings;
};

export function customerFunctions(
  deps: CustomerFunctionDeps,
  aroundCustomer?: ComputeDeps['aroundCustomer'],
): Record<CustomerFunction, (event: never) => Promise<unknown>> {
  const hostedLinks = localHostedLinks(deps.links, deps.linkSettings, deps.now);
  return {
    'compute-invoice': computeInvoice({
      ...deps,
      hostedLinks,
      ...(aroundCustomer ? { aroundCustomer } : {}),
    }) as never,
    'reserve-number': reserveNumber(deps) as never,
    'render-documents': renderDocuments({ ...deps, hostedLinks }) as never,
    compensate: compensate(deps) as never,
  };
}
