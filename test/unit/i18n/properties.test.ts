/** Properties of the new parsers and layouts, over generated input (fast-check). */
import fc from 'fast-check';
import { visualPieces } from '../../../lambdas/shared/documents/bidi.js';
import { unprintableCharacters } from '../../../lambdas/shared/documents/glyph-coverage.js';
import { creditorReference, isValidCreditorReference } from '../../../lambdas/shared/documents/payment.js';
import { parsePricePlan } from '../../../lambdas/shared/domain/records.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { catalogueLanguageOf, LANGUAGES } from '../../../lambdas/shared/i18n/languages.js';

const MIRRORED: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[' };
const mixed = fc.string({
  unit: fc.constantFrom(...'شركة النور ACME 2 (مصر) חברת [א] 12.5 -'.split('')),
  maxLength: 40,
});

describe('properties', () => {
  it('a creditor reference always checks out, and a changed character never does', () => {
    // ISO 7064 mod 97-10 catches every substitution of a digit by a digit or a letter by a letter
    // (a change below 97 in one position); a letter for a digit changes the length, which it may not.
    const other = (c: string): string =>
      /\d/.test(c) ? String((Number(c) + 1) % 10) : String.fromCharCode(((c.charCodeAt(0) - 64) % 26) + 65);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,21}$/), fc.nat(), (reference, at) => {
        const rf = creditorReference(reference);
        expect(isValidCreditorReference(rf)).toBe(true);
        const i = 4 + (at % (rf.length - 4));
        const changed = rf.slice(0, i) + other(rf[i]!) + rf.slice(i + 1);
        expect(isValidCreditorReference(changed)).toBe(false);
      }),
    );
  });

  it('matches the example of ISO 11649', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
  });

  it('bidi layout keeps every character exactly once, mirrored brackets aside', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const out = visualPieces(text)
          .map((p) => p.text)
          .join('');
        const sorted = (s: string) =>
          [...s]
            .map((c) => (MIRRORED[c] ? '()' : c))
            .sort()
            .join('');
        expect(sorted(out)).toBe(sorted(text));
        for (const piece of visualPieces(text))
          if (piece.rtl) expect(piece.text).toMatch(/^[\p{Script=Arabic}\p{Script=Hebrew}\p{M}]+$/u);
      }),
    );
  });

  it('telling a locale’s catalogue never throws, and finds one only for catalogue languages', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (locale) => {
        const language = catalogueLanguageOf(locale);
        if (language !== undefined) expect(LANGUAGES).toContain(language);
      }),
    );
  });

  it('a plan’s translations take catalogue languages only, and never touch a prototype', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'de', 'xx', 'zh-Hant'),
            fc.string({ maxLength: 5 }),
          ),
          fc.string({ minLength: 1, maxLength: 10 }),
        ),
        (names) => {
          const plan = {
            planId: 'p',
            name: 'Pro',
            names,
            currency: 'EUR',
            baseFeeMinor: 100,
            components: [],
          };
          try {
            const parsed = parsePricePlan(JSON.parse(JSON.stringify(plan)));
            for (const key of Object.keys(parsed.names ?? {})) expect(LANGUAGES).toContain(key);
            if (parsed.names !== undefined) expect(Object.getPrototypeOf(parsed.names)).toBeNull();
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidInputError);
            expect((error as InvalidInputError).where).toMatch(/^plan p\.names/);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
    );
  });

  it('every character of the catalogue scripts prints', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'aÄßЖΩشحאבกขคア漢字한글ไทยनमस्ते'.split('')) }),
        (text) => {
          expect(unprintableCharacters(text)).toEqual([]);
        },
      ),
    );
  });
});
