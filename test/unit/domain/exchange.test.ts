import { nationalCurrencyOf, nationalVatOf } from '../../../lambdas/shared/domain/exchange.js';
import { s3ExchangeRates } from '../../../lambdas/shared/store/exchange-rates.js';

describe('national currencies (Art. 230)', () => {
  it('is EUR in the euro area, the own currency elsewhere in the EU, none outside it', () => {
    expect(nationalCurrencyOf('DE', '2026-01-31')).toBe('EUR');
    expect(nationalCurrencyOf('PL', '2026-01-31')).toBe('PLN');
    expect(nationalCurrencyOf('BG', '2025-12-31')).toBe('BGN');
    expect(nationalCurrencyOf('BG', '2026-01-01')).toBe('EUR');
    expect(nationalCurrencyOf('GB', '2026-01-31')).toBeUndefined();
  });

  it('needs no conversion when the invoice is in the national currency, or taxes no member state', () => {
    const rates = { source: 'x', rates: {} };
    const none = { taxMinor: 100, supplyDate: '2026-01-31', rates };
    expect(nationalVatOf({ ...none, invoiceCurrency: 'EUR', taxCountry: 'DE' })).toBeUndefined();
    expect(nationalVatOf({ ...none, invoiceCurrency: 'USD', taxCountry: undefined })).toBeUndefined();
    expect(nationalVatOf({ ...none, invoiceCurrency: 'USD', taxCountry: 'GB' })).toBeUndefined();
  });

  it('names the missing input when a conversion is needed', () => {
    expect(() =>
      nationalVatOf({
        taxMinor: 100,
        invoiceCurrency: 'USD',
        taxCountry: 'DE',
        supplyDate: '2026-01-31',
        rates: undefined,
      }),
    ).toThrow(
      'exchange rates: the VAT of a USD invoice taxed in DE must also be stated in EUR (Art. 230), and no ECB rates were given',
    );
  });
});

describe('the ECB rates in the documents bucket', () => {
  const good = JSON.stringify({ source: 'ECB', rates: { '2026-01-30': { USD: '1.0412' } } });
  const MISSING = Symbol('no such object');
  const store = (body: string | Error | typeof MISSING, now: () => number = () => 0) => {
    let reads = 0;
    const rates = s3ExchangeRates(
      {
        bucket: 'docs',
        find: async () => {
          reads++;
          if (body === MISSING) return undefined;
          if (body instanceof Error) throw body;
          return Buffer.from(body);
        },
      },
      now,
    );
    return { rates, reads: () => reads };
  };

  it('reads them once per 10 minutes', async () => {
    let clock = 0;
    const s = store(good, () => clock);
    expect((await s.rates.load())?.rates['2026-01-30']).toEqual({ USD: '1.0412' });
    await s.rates.load();
    expect(s.reads()).toBe(1);
    clock = 10 * 60 * 1000;
    await s.rates.load();
    expect(s.reads()).toBe(2);
  });

  it('treats a missing object as no rates, and refuses a malformed one naming it', async () => {
    await expect(store(MISSING).rates.load()).resolves.toBeUndefined();
    await expect(store('{"source":"x","rates":{"30.01.2026":{}}}').rates.load()).rejects.toThrow(
      's3://docs/reference/ecb-rates.json must be { "source": string, "rates"',
    );
    await expect(store('not json').rates.load()).rejects.toThrow(
      's3://docs/reference/ecb-rates.json is not JSON',
    );
  });
});
