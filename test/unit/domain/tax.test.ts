import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  EU_MEMBER_STATES,
  REVERSE_CHARGE_NOTE,
  standardRateOn,
  taxTreatment,
  validateVatId,
  vatLocationOf,
  type TaxParties,
} from '../../../lambdas/shared/domain/index.js';

describe('dated standard rates', () => {
  it('covers the 27 EU member states', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
  });

  it.each([
    // country, the day before a change, its rate, the day of the change, the new rate
    ['EE', '2023-12-31', '20', '2024-01-01', '22'],
    ['EE', '2025-06-30', '22', '2025-07-01', '24'],
    ['FI', '2024-08-31', '24', '2024-09-01', '25.5'],
    ['SK', '2024-12-31', '20', '2025-01-01', '23'],
    ['RO', '2025-07-31', '19', '2025-08-01', '21'],
    ['LU', '2023-12-31', '16', '2024-01-01', '17'],
    ['CH', '2023-12-31', '7.7', '2024-01-01', '8.1'],
  ])('%s: %s is %s %%, %s is %s %%', (country, before, oldRate, from, newRate) => {
    expect(standardRateOn(country, before)).toBe(oldRate);
    expect(standardRateOn(country, from)).toBe(newRate);
  });

  it('refuses a date before the table and a country without a rate, naming them', () => {
    expect(() => standardRateOn('DE', '2022-12-31', 'x')).toThrow(
      'x: no VAT rate on file for DE on 2022-12-31 (rates are on file from 2023-01-01)',
    );
    expect(() => standardRateOn('US', '2026-01-31', 'x')).toThrow('x: no standard VAT rate on file for US');
  });
});

describe('VAT locations', () => {
  it.each([
    ['ES', '35001', 'Canary Islands'],
    ['ES', '38 400', 'Canary Islands'],
    ['ES', '51001', 'Ceuta'],
    ['ES', '52001', 'Melilla'],
    ['FI', '22100', 'Åland Islands'],
    ['GR', '63086', 'Mount Athos'],
    ['DE', '78266', 'Büsingen am Hochrhein'],
    ['DE', '27498', 'Heligoland'],
    ['IT', '23041', 'Livigno'],
    ['FR', '97400', 'French overseas departments'],
  ])('%s %s is in %s, outside the EU VAT area', (country, postalCode, name) => {
    expect(vatLocationOf({ country, postalCode }).territory?.name).toBe(name);
  });

  it('the rest of those countries is inside; Monaco is in the French VAT area', () => {
    expect(vatLocationOf({ country: 'ES', postalCode: '28001' })).toEqual({ country: 'ES' });
    expect(vatLocationOf({ country: 'DE' })).toEqual({ country: 'DE' });
    expect(vatLocationOf({ country: 'MC', postalCode: '98000' })).toEqual({ country: 'FR' });
  });
});

describe('validateVatId', () => {
  it.each([
    ['DE', 'DE123456788', 'DE123456788'],
    ['DE', 'de 123 456 788', 'DE123456788'],
    ['AT', 'ATU12345675', 'ATU12345675'],
    ['FR', 'FR32123456789', 'FR32123456789'],
    ['NL', 'NL123456782B01', 'NL123456782B01'],
    ['GR', 'EL123456783', 'EL123456783'],
    ['ES', 'ESX1234567L', 'ESX1234567L'],
    ['ES', 'ES12345678Z', 'ES12345678Z'],
    ['IE', 'IE1234567FA', 'IE1234567FA'],
    ['BE', 'BE0123456749', 'BE0123456749'],
    ['GB', 'GB123456727', 'GB123456727'],
    ['GB', 'XI123456789', 'XI123456789'],
    ['CH', 'CHE-123.456.788 MWST', 'CHE-123.456.788 MWST'],
    ['CH', 'CHE123456788TVA', 'CHE-123.456.788 TVA'],
    ['NO', 'NO 123 456 785 MVA', 'NO123456785MVA'],
  ])('%s accepts %j as %j', (country, id, normalized) => {
    expect(validateVatId(id, country, 'x').normalized).toBe(normalized);
  });

  it.each([
    ['DE', 'DE12345678', 'it does not match the DE format'],
    ['DE', '123456789', 'it must start with the country prefix DE'],
    ['DE', 'FR12345678901', 'it must start with the country prefix DE'],
    ['AT', 'AT12345678', 'it does not match the AT format'],
    ['GR', 'GR123456789', 'prefix EL'],
    ['NL', 'NL123456789', 'it does not match the NL format'],
    ['GB', 'GB12345', 'expected e.g. GB123456727'],
    ['CH', 'CH123456789', 'expected e.g. CHE-123.456.788 MWST'],
    ['NO', 'NO123456789', 'expected e.g. NO123456785MVA'],
    ['US', '!', 'expected 4-20 letters or digits'],
    // Right format, wrong check digits: the national algorithms catch them.
    ['FR', 'FR00000000000', 'its check digits are wrong'],
    ['DE', 'DE123456789', 'its check digits are wrong'],
    ['NL', 'NL123456789B01', 'its check digits are wrong'],
    ['GR', 'EL123456789', 'its check digits are wrong'],
    ['GB', 'GB123456789', 'its check digits are wrong'],
    ['CH', 'CHE-123.456.789 MWST', 'its check digits are wrong'],
    ['NO', 'NO123456789MVA', 'its check digits are wrong'],
  ])('%s rejects %j: %s, naming the field', (country, id, why) => {
    expect(() => validateVatId(id, country, 'customer cus_7.vatId')).toThrow(InvalidInputError);
    expect(() => validateVatId(id, country, 'customer cus_7.vatId')).toThrow(
      new RegExp(`^customer cus_7\\.vatId: .*${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });
});

describe('taxTreatment', () => {
  const seller = {
    address: { line1: 'Friedrichstr. 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
    vatId: 'DE123456788',
  };
  const treat = (country: string, more: Partial<TaxParties> & { postalCode?: string } = {}) =>
    taxTreatment({
      seller,
      buyerAddress: {
        line1: 'x',
        city: 'y',
        country,
        ...(more.postalCode ? { postalCode: more.postalCode } : {}),
      },
      supplyDate: '2026-01-31',
      vatIdWhere: 'customer c.vatId',
      ...more,
    });

  it('AE, reverse charge, for a business in another member state (Art. 196)', () => {
    expect(treat('AT', { buyerVatId: 'ATU12345675' })).toEqual({
      category: 'AE',
      rate: '0',
      label: 'VAT 0 % (reverse charge)',
      reverseCharge: true,
      reason: 'reverseCharge',
      placeOfSupply: 'AT',
      exemptionReasonCode: 'VATEX-EU-AE',
      exemptionReason: 'Reverse charge',
      notes: [REVERSE_CHARGE_NOTE],
      buyerVatId: 'ATU12345675',
    });
  });

  it('refuses reverse charge without the seller VAT id (Art. 226(3))', () => {
    expect(() => treat('AT', { buyerVatId: 'ATU12345675', seller: { address: seller.address } })).toThrow(
      /^seller\.vatId: a reverse-charge invoice must show the seller's VAT id/,
    );
  });

  it('S at the domestic rate for a domestic business', () => {
    expect(treat('DE', { buyerVatId: 'DE987654328' })).toMatchObject({
      category: 'S',
      rate: '19',
      taxCountry: 'DE',
    });
  });

  it.each([
    ['GB', 'GB123456727'],
    ['CH', 'CHE-123.456.788 MWST'],
    ['NO', 'NO123456785MVA'],
  ])('O, outside scope, for a %s business: the customer accounts for the tax (Art. 44)', (country, vatId) => {
    const t = treat(country, { buyerVatId: vatId });
    expect(t).toMatchObject({
      category: 'O',
      rate: '0',
      reverseCharge: false,
      exemptionReasonCode: 'VATEX-EU-O',
    });
    expect(t.notes[0]).toContain('Art. 44');
  });

  it('S at the consumer rate of the day for EU and UK/CH/NO consumers (Art. 58)', () => {
    expect(treat('FI').rate).toBe('25.5');
    expect(treat('EE', { supplyDate: '2025-06-30' }).rate).toBe('22');
    expect(treat('EE', { supplyDate: '2025-07-31' }).rate).toBe('24');
    const registered = {
      seller: { ...seller, registrations: { GB: 'GB123456789', CH: 'CHE-123.456.789 MWST' } },
    };
    expect(treat('GB', registered)).toMatchObject({
      category: 'S',
      rate: '20',
      registration: { country: 'GB', id: 'GB123456789' },
    });
    expect(treat('CH', registered).rate).toBe('8.1');
    // Liechtenstein is in the Swiss VAT area: the Swiss registration covers it.
    expect(treat('LI', registered)).toMatchObject({ category: 'S', registration: { country: 'CH' } });
  });

  it('O for UK/CH/NO consumers where the seller has no registration there: that VAT is not charged', () => {
    for (const country of ['GB', 'CH', 'LI', 'NO']) {
      expect(treat(country)).toMatchObject({
        category: 'O',
        rate: '0',
        reason: 'notRegistered',
        exemptionReasonCode: 'VATEX-EU-O',
      });
    }
  });

  it('O for consumers outside the EU VAT area, special territories included, and says why', () => {
    const canary = treat('ES', { postalCode: '35001' });
    expect(canary).toMatchObject({ category: 'O', rate: '0' });
    expect(canary.notes[0]).toContain('Canary Islands is outside the EU VAT area (Art. 6(1)');
    const canaryBusiness = treat('ES', { postalCode: '38001', buyerVatId: 'ESX1234567L' });
    expect(canaryBusiness.category).toBe('O');
    const us = treat('US');
    expect(us).toMatchObject({
      category: 'O',
      exemptionReason: 'Not subject to VAT; US sales tax not charged',
    });
    expect(treat('KW').category).toBe('O');
  });

  it('an invalid VAT id is an error, never a silent VAT charge', () => {
    expect(() => treat('FR', { buyerVatId: 'FR00000000000' })).toThrow(/^customer c\.vatId: .*check digits/);
  });
});
