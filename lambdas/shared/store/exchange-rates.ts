/**
 * The ECB reference rates (domain/exchange.ts EcbRates) as the operator keeps them: one JSON object
 * in the documents bucket (s3Keys.exchangeRates). Read at most once per 10 minutes per process; a
 * missing object is no rates (only invoices that need a conversion then fail, saying so), a
 * malformed one is an error naming the key.
 */
import { s3Keys } from '../contracts/keys.js';
import type { EcbRates } from '../domain/exchange.js';
import { hasIsoDateForm } from '../domain/periods.js';
import type { DocumentStore } from './documents.js';

export interface ExchangeRateStore {
  load(): Promise<EcbRates | undefined>;
}

const CACHE_MS = 10 * 60 * 1000;

function parseRates(text: string, where: string): EcbRates {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON`);
  }
  const v = value as Partial<EcbRates> | null;
  const datesOk =
    v !== null &&
    typeof v.rates === 'object' &&
    v.rates !== null &&
    Object.entries(v.rates).every(
      ([date, rates]) =>
        hasIsoDateForm(date) &&
        typeof rates === 'object' &&
        rates !== null &&
        Object.entries(rates).every(
          ([c, r]) => /^[A-Z]{3}$/.test(c) && typeof r === 'string' && /^\d+(\.\d+)?$/.test(r),
        ),
    );
  if (!datesOk || typeof v?.source !== 'string') {
    throw new Error(
      `${where} must be { "source": string, "rates": { "YYYY-MM-DD": { "USD": "1.0412", ... } } }`,
    );
  }
  return v as EcbRates;
}

export function s3ExchangeRates(
  documents: Pick<DocumentStore, 'bucket' | 'find'>,
  now: () => number = Date.now,
): ExchangeRateStore {
  let cached: { at: number; rates: EcbRates | undefined } | undefined;
  const key = s3Keys.exchangeRates;
  return {
    async load() {
      if (cached && now() - cached.at < CACHE_MS) return cached.rates;
      const bytes = await documents.find(key);
      const rates =
        bytes === undefined
          ? undefined
          : parseRates(bytes.toString('utf8'), `s3://${documents.bucket}/${key}`);
      cached = { at: now(), rates };
      return rates;
    },
  };
}
