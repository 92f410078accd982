/**
 * Configuration from the environment, read once when a handler module loads. A missing or
 * malformed variable fails the cold start with its name, not the first customer.
 */
import type { SellerConfig } from './domain/types.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

export function intEnv(
  name: string,
  fallback: number,
  range: [number, number],
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
    throw new ConfigError(
      `environment variable ${name}=${raw} must be an integer from ${range[0]} to ${range[1]}`,
    );
  }
  return value;
}

export const tableNames = (env: NodeJS.ProcessEnv = process.env) => ({
  customers: requireEnv('CUSTOMERS_TABLE', env),
  plans: requireEnv('PLANS_TABLE', env),
  usage: requireEnv('USAGE_TABLE', env),
  invoices: requireEnv('INVOICES_TABLE', env),
  runs: requireEnv('RUNS_TABLE', env),
});

export const documentsBucket = (env: NodeJS.ProcessEnv = process.env): string =>
  requireEnv('DOCUMENTS_BUCKET', env);

/** The seller printed on every invoice: JSON of a Party in SELLER_JSON. */
export function sellerConfig(env: NodeJS.ProcessEnv = process.env): SellerConfig {
  const raw = requireEnv('SELLER_JSON', env);
  let seller: unknown;
  try {
    seller = JSON.parse(raw);
  } catch {
    throw new ConfigError('environment variable SELLER_JSON is not valid JSON');
  }
  const s = seller as Partial<SellerConfig> | null;
  if (!s || typeof s.name !== 'string' || !s.address || typeof s.address.country !== 'string') {
    throw new ConfigError('environment variable SELLER_JSON needs name and address.country');
  }
  return s as SellerConfig;
}

/** The default seller, used by the demo data and as the CDK default. */
export const DEFAULT_SELLER: SellerConfig = {
  name: 'Invoicer Demo GmbH',
  address: { line1: 'Friedrichstraße 68', city: 'Berlin', postalCode: '10117', country: 'DE' },
  vatId: 'DE123456789',
  email: 'billing@invoicer.example',
};
