import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  EU_MEMBER_STATES,
  REVERSE_CHARGE_NOTE,
  standardRateFor,
  taxTreatment,
  validateVatId,
} from '../../../lambdas/shared/domain/tax.js';

describe('rates', () => {
  it('covers the 27 EU member states with the 2026 standard rates', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(
      Object.fromEntries(
        ['AT', 'DE', 'FR', 'FI', 'EE', 'SK', 'RO', 'HU', 'LU', 'GR', 'IE', 'MT', 'CY'].map((c) => [
          c,
          standardRateFor(c),
        ]),
      ),
    ).toEqual({
      AT: '20',
      DE: '19',
      FR: '20',
      FI: '25.5',
      EE: '24',
      SK: '23',
      RO: '21',
      HU: '27',
      LU: '17',
      GR: '24',
      IE: '23',
      MT: '18',
      CY: '19',
    });
  });

  it('UK 20, CH 8.1, NO 25, US 0, others 0', () => {
    expect(['GB', 'CH', 'NO', 'US', 'JP', 'BR'].map(standardRateFor)).toEqual([
      '20',
      '8.1',
      '25',
      '0',
      '0',
      '0',
    ]);
  });
});

describe('validateVatId', () => {
  it.each([
    ['DE', 'DE123456789', 'DE123456789'],
    ['DE', 'de 123 456 789', 'DE123456789'],
    ['AT', 'ATU12345678', 'ATU12345678'],
    ['FR', 'FRXX123456789', 'FRXX123456789'],
    ['NL', 'NL123456789B01', 'NL123456789B01'],
    ['GR', 'EL123456789', 'EL123456789'],
    ['ES', 'ESX1234567X', 'ESX1234567X'],
    ['ES', 'ES12345678Z', 'ES12345678Z'],
    ['IE', 'IE1234567WA', 'IE1234567WA'],
    ['SE', 'SE123456789001', 'SE123456789001'],
    ['BE', 'BE0123456789', 'BE0123456789'],
    ['GB', 'GB123456789', 'GB123456789'],
    ['GB', 'XI123456789', 'XI123456789'],
    ['CH', 'CHE-123.456.789 MWST', 'CHE-123.456.789 MWST'],
    ['CH', 'CHE123456789TVA', 'CHE-123.456.789 TVA'],
    ['NO', 'NO123456789MVA', 'NO123456789MVA'],
    ['NO', 'NO 123 456 789 MVA', 'NO123456789MVA'],
  ])('%s accepts %j as %j', (country, id, normalized) => {
    expect(validateVatId(id, country, 'x').normalized).toBe(normalized);
  });

  it.each([
    ['DE', 'DE12345678'],
    ['DE', '123456789'],
    ['DE', 'FR12345678901'],
    ['AT', 'AT12345678'],
    ['GR', 'GR123456789'],
    ['NL', 'NL123456789'],
    ['SE', 'SE1234567890'],
    ['GB', 'GB12345'],
    ['CH', 'CHE-123.456.78 MWST'],
    ['CH', 'CH123456789'],
    ['NO', 'NO123456789'],
    ['US', '!'],
  ])('%s rejects %j naming the field', (country, id) => {
    expect(() => validateVatId(id, country, 'customer cus_7.vatId')).toThrow(InvalidInputError);
    expect(() => validateVatId(id, country, 'customer cus_7.vatId')).toThrow(/^customer cus_7\.vatId: /);
  });

  it('explains the Greek EL prefix', () => {
    expect(() => validateVatId('GR123456789', 'GR', 'v')).toThrow('prefix EL');
  });
});

describe('taxTreatment', () => {
  const where = 'customer c.vatId';
  it('reverse charge for an EU business in another member state', () => {
    expect(
      taxTreatment({ sellerCountry: 'DE', buyerCountry: 'AT', buyerVatId: 'ATU12345678', vatIdWhere: where }),
    ).toEqual({
      rate: '0',
      label: 'VAT 0 % (reverse charge)',
      reverseCharge: true,
      notes: [REVERSE_CHARGE_NOTE],
      buyerVatId: 'ATU12345678',
    });
  });

  it('domestic B2B pays VAT', () => {
    const t = taxTreatment({
      sellerCountry: 'DE',
      buyerCountry: 'DE',
      buyerVatId: 'DE123456789',
      vatIdWhere: where,
    });
    expect([t.rate, t.reverseCharge, t.notes]).toEqual(['19', false, []]);
  });

  it('EU consumers pay their own country rate', () => {
    expect(taxTreatment({ sellerCountry: 'DE', buyerCountry: 'FI', vatIdWhere: where }).rate).toBe('25.5');
    expect(
      taxTreatment({ sellerCountry: 'DE', buyerCountry: 'FI', buyerVatId: '  ', vatIdWhere: where }).rate,
    ).toBe('25.5');
  });

  it('non-EU buyers: their rate, no reverse charge', () => {
    const gb = taxTreatment({
      sellerCountry: 'DE',
      buyerCountry: 'GB',
      buyerVatId: 'GB123456789',
      vatIdWhere: where,
    });
    expect([gb.rate, gb.reverseCharge]).toEqual(['20', false]);
    const us = taxTreatment({
      sellerCountry: 'DE',
      buyerCountry: 'US',
      buyerVatId: '12-3456789',
      vatIdWhere: where,
    });
    expect([us.rate, us.label, us.reverseCharge]).toEqual(['0', 'Sales tax not charged (0 %)', false]);
  });

  it('a malformed VAT id is an error, never a silent VAT charge', () => {
    expect(() =>
      taxTreatment({ sellerCountry: 'DE', buyerCountry: 'FR', buyerVatId: 'FR1', vatIdWhere: where }),
    ).toThrow(/^customer c\.vatId: /);
  });
});
