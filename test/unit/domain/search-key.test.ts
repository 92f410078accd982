/**
 * The console's search keys: case-, accent- and script-aware folding, the keys of a customer, and
 * which typed queries find it; the RF reference read back as its invoice number; the query check.
 */
import fc from 'fast-check';
import { creditorReference } from '../../../lambdas/shared/documents/payment.js';
import {
  customerSearchKeys,
  foldText,
  keysMatch,
  lookupWord,
  parseSearchQuery,
  referenceKeyOf,
} from '../../../lambdas/shared/domain/search-key.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { checkQuery, invoiceNumberOfReference } from '../../../lambdas/shared/operations/search.js';

const finds = (customer: { legalName: string; email: string }, typed: string): boolean => {
  const query = parseSearchQuery(typed);
  return query !== undefined && keysMatch(customerSearchKeys(customer), query);
};

describe('search keys', () => {
  const mueller = { legalName: 'Müller & Søn GmbH', email: 'Anna.Keller@Müller.example' };
  const sample = { legalName: '株式会社サンプル', email: 'keiri@sample.co.jp' };
  const strasse = { legalName: 'Große Straße AG', email: 'ap@grosse.example' };

  it('folds case, accents and letters that do not decompose', () => {
    expect(foldText('MÜLLER')).toBe('muller');
    expect(foldText('Søn Œuvre Łódź Straße')).toBe('son oeuvre lodz strasse');
    expect(foldText('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
  });

  it('finds a customer by a fragment of any word of its name or e-mail, whatever the case and accents', () => {
    for (const typed of ['mül', 'MUELL'.slice(0, 3), 'muller', 'SØN', 'son gm', 'gmbh müller', 'anna', 'kel'])
      expect([typed, finds(mueller, typed)]).toEqual([typed, true]);
    for (const typed of ['stras', 'straße', 'gross', 'GROSSE STR']) expect(finds(strasse, typed)).toBe(true);
    expect(finds(mueller, 'üller')).toBe(false); // a fragment begins a word
    expect(finds(mueller, 'müller xyz')).toBe(false); // every word must match
  });

  it('finds a name written without spaces by any fragment of it', () => {
    for (const typed of ['サンプル', 'サン', '会社', '株式会社サンプル'])
      expect(finds(sample, typed)).toBe(true);
    expect(finds(sample, 'プルサ')).toBe(false);
  });

  it('finds a customer by its e-mail address, typed in part', () => {
    expect(finds(mueller, 'anna.keller@mü')).toBe(true);
    expect(finds(mueller, 'ANNA.KELLER@MULLER.EXAMPLE')).toBe(true);
    expect(finds(mueller, 'anna.kellerx@')).toBe(false);
    expect(parseSearchQuery('@')).toBeUndefined();
  });

  it('looks up the longest word of a query (the fewest candidates)', () => {
    expect(lookupWord(parseSearchQuery('ab müller c')!)).toBe('muller');
  });

  it('never makes a key with the key separator, and every key is found by itself (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (legalName, email) => {
        const keys = customerSearchKeys({ legalName, email });
        for (const key of keys) {
          expect(key.includes('#')).toBe(false);
          expect(key.length).toBeGreaterThan(0);
        }
        for (const word of foldText(legalName).match(/[\p{L}\p{N}]+/gu) ?? [])
          expect(finds({ legalName, email }, word.slice(0, 3))).toBe(true);
      }),
    );
  });

  it('reads any text as a query without throwing (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const query = parseSearchQuery(text);
        if (query !== undefined) expect(typeof lookupWord(query)).toBe('string');
      }),
    );
  });
});

describe('references and queries', () => {
  it('reads an RF reference of ours back as its invoice number, spaces and case as typed', () => {
    const reference = creditorReference('INV-2026-000101');
    expect(invoiceNumberOfReference(reference)).toBe('INV-2026-000101');
    expect(invoiceNumberOfReference(reference.toLowerCase().replace(/(.{4})/g, '$1 '))).toBe(
      'INV-2026-000101',
    );
    expect(invoiceNumberOfReference('RF00INV2026000101')).toBeUndefined();
    expect(invoiceNumberOfReference('RF18539007547034')).toBeUndefined();
    fc.assert(
      fc.property(
        fc.constantFrom('INV', 'CN', 'X'),
        fc.integer({ min: 2000, max: 2999 }),
        fc.integer({ min: 1, max: 999_999 }),
        (prefix, year, sequence) => {
          const number = `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
          expect(invoiceNumberOfReference(creditorReference(number))).toBe(number);
        },
      ),
    );
  });

  it('keeps references comparable however they were typed', () => {
    expect(referenceKeyOf(' rf18 5390 0754\t7034 ')).toBe('RF18539007547034');
  });

  it('refuses an empty, overlong, control-character or malformed query, naming it', () => {
    for (const bad of ['   ', 'x'.repeat(201), 'a\u0000b', 'a\ud800b']) {
      expect(() => checkQuery(bad)).toThrow(InvalidInputError);
      expect(() => checkQuery(bad)).toThrow(/^search query: /);
    }
    expect(checkQuery('  Müller ')).toBe('Müller');
  });
});
