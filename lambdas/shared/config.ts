/**
 * Configuration read from the environment by the handlers' `fromEnv()` (variable names:
 * ./contracts/env.ts). A missing or malformed variable fails with its name, not the first customer.
 */
import { ENV } from './contracts/env.js';
import type { SellerConfig } from './domain/types.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

export function intEnv(
  name: string,
  fallback: number,
  range: [number, number],
  env: NodeJS.ProcessEnv,
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

/** Where the data lives: table names and the documents bucket. */
export interface StorageConfig {
  tables: {
    customers: string;
    plans: string;
    usage: string;
    invoices: string;
    runs: string;
    receivables: string;
    search: string;
  };
  documentsBucket: string;
}

export function storageConfig(env: NodeJS.ProcessEnv): StorageConfig {
  return {
    tables: {
      customers: requireEnv(ENV.customersTable, env),
      plans: requireEnv(ENV.plansTable, env),
      usage: requireEnv(ENV.usageTable, env),
      invoices: requireEnv(ENV.invoicesTable, env),
      runs: requireEnv(ENV.runsTable, env),
      receivables: requireEnv(ENV.receivablesTable, env),
      search: requireEnv(ENV.searchTable, env),
    },
    documentsBucket: requireEnv(ENV.documentsBucket, env),
  };
}

/** The seller printed on every invoice: JSON of a Party in SELLER_JSON. */
export function sellerConfig(env: NodeJS.ProcessEnv): SellerConfig {
  const raw = requireEnv(ENV.sellerJson, env);
  let seller: unknown;
  try {
    seller = JSON.parse(raw);
  } catch {
    throw new ConfigError(`environment variable ${ENV.sellerJson} is not valid JSON`);
  }
  const s = seller as Partial<SellerConfig> | null;
  if (!s || typeof s.name !== 'string' || !s.address || typeof s.address.country !== 'string') {
    throw new ConfigError(`environment variable ${ENV.sellerJson} needs name and address.country`);
  }
  return s as SellerConfig;
}

/** The run settings a scheduled run uses unless the request overrides them. */
export interface RunDefaults {
  timeZone: string;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  batchSize: number;
}

export const MAX_CONCURRENCY_RANGE: [number, number] = [1, 10000];
export const TOLERATED_FAILURE_RANGE: [number, number] = [0, 100];
export const DEFAULT_MAX_CONCURRENCY = 50;
export const DEFAULT_TOLERATED_FAILURE_PERCENTAGE = 10;
/** Customers per map child: a batch's drafts travel in one payload (256 KiB), hence the cap. */
export const BATCH_SIZE_RANGE: [number, number] = [1, 100];
/** Chosen from `npm run bench` (docs/benchmarks.md): past 25 the saving per invoice is under 1 %. */
export const DEFAULT_BATCH_SIZE = 25;
/** The billing time zone when none is configured (CDK's default and the local run's). */
export const DEFAULT_BILLING_TIME_ZONE = 'Europe/Berlin';

export function runDefaults(env: NodeJS.ProcessEnv): RunDefaults {
  return {
    timeZone: requireEnv(ENV.billingTimeZone, env),
    maxConcurrency: intEnv(ENV.maxConcurrency, DEFAULT_MAX_CONCURRENCY, MAX_CONCURRENCY_RANGE, env),
    toleratedFailurePercentage: intEnv(
      ENV.toleratedFailurePercentage,
      DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
      TOLERATED_FAILURE_RANGE,
      env,
    ),
    batchSize: intEnv(ENV.batchSize, DEFAULT_BATCH_SIZE, BATCH_SIZE_RANGE, env),
  };
}

/** The default seller, used by the demo data, the local run and as the CDK default. */
export const DEFAULT_SELLER: SellerConfig = {
  name: 'Invoicer Demo GmbH',
  address: { line1: 'Friedrichstraße 68', city: 'Berlin', postalCode: '10117', country: 'DE' },
  vatId: 'DE123456788',
  email: 'billing@invoicer.example',
  legalRegistrationId: 'HRB 123456 B',
  registerCourt: 'Amtsgericht Charlottenburg',
  managingDirectors: ['Erika Mustermann'],
  bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  // The demo seller is registered where its consumers are (its ids are examples, as are the others).
  registrations: { GB: 'GB123456789', CH: 'CHE-123.456.789 MWST', NO: 'VOEC 2012345' },
  bankAccounts: { CHF: { iban: 'CH9300762011623852957' } },
  paymentCodes: { epcQr: true, swissQrBill: true },
};

/** A public base URL (http or https origin, optional path), without its trailing slash. */
export function parsePublicBaseUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`${where}: "${value}" must be an http(s) URL`);
  if (url.search !== '' || url.hash !== '')
    throw new ConfigError(`${where}: "${value}" must have no query or fragment`);
  return value.replace(/\/+$/, '');
}

/** Where hosted-invoice links point and which secret signs them. */
export interface HostedLinkConfig {
  publicBaseUrl: string;
  linkSecretArn: string;
}

export function hostedLinkConfig(env: NodeJS.ProcessEnv): HostedLinkConfig {
  return {
    publicBaseUrl: parsePublicBaseUrl(
      requireEnv(ENV.publicBaseUrl, env),
      `environment variable ${ENV.publicBaseUrl}`,
    ),
    linkSecretArn: requireEnv(ENV.linkSecretArn, env),
  };
}
