/**
 * Every catalogue is complete (the type says which keys; this says none is empty, every text
 * function uses its arguments, and no catalogue is English left untranslated), every text prints
 * in the embedded fonts, and locales find their catalogue.
 */
import { CATALOGUES, LANGUAGES } from '../../../lambdas/shared/i18n/catalogue.js';
import { catalogueLanguageOf, languageOf } from '../../../lambdas/shared/i18n/languages.js';
import { unprintableCharacters } from '../../../lambdas/shared/documents/glyph-coverage.js';

type Entry = [path: string, text: string];

/** Every text of a catalogue, functions called with marked arguments. */
function entries(value: unknown, path = ''): Entry[] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const args = ['«1»', '«2»', '«3»', '«4»'];
    const fn = value as (...a: unknown[]) => string;
    // packageUnit takes a count first.
    return [
      [
        path,
        path.endsWith('packageUnit')
          ? fn(3, '«2»', '«3»')
          : path.endsWith('paymentTerms')
            ? fn(14, '«2»')
            : path.endsWith('.page')
              ? fn(1, 2)
              : fn(...args),
      ],
    ];
  }
  return Object.entries(value as object).flatMap(([key, v]) => entries(v, path ? `${path}.${key}` : key));
}

const english = new Map(entries(CATALOGUES.en));

describe('catalogues', () => {
  it('exist for the five languages before and the thirteen asked for, Traditional Chinese besides', () => {
    expect([...LANGUAGES].sort()).toEqual(
      [
        'en',
        'de',
        'fr',
        'es',
        'ja',
        'it',
        'nl',
        'pl',
        'pt',
        'sv',
        'da',
        'nb',
        'fi',
        'ko',
        'zh',
        'zh-Hant',
        'ar',
        'he',
        'th',
      ].sort(),
    );
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each([...LANGUAGES])('%s: every text is there, uses its arguments and prints', (language) => {
    const texts = entries(CATALOGUES[language]);
    expect(texts.map(([path]) => path)).toEqual([...english.keys()]);
    for (const [path, text] of texts) {
      expect({ path, empty: text.trim() === '' }).toEqual({ path, empty: false });
      const wanted = english.get(path)!.match(/«\d»/g) ?? [];
      for (const arg of wanted)
        expect({ path, arg, used: text.includes(arg) }).toEqual({ path, arg, used: true });
      expect({ path, unprintable: unprintableCharacters(text) }).toEqual({ path, unprintable: [] });
    }
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s: is translated, not English', (language) => {
    const same = entries(CATALOGUES[language]).filter(([path, text]) => english.get(path) === text);
    // A few words are the same in both (Total, Plan, Subtotal, E-mail ...): never the sentences.
    expect(same.length).toBeLessThan(6);
    expect(same.filter(([, text]) => text.split(' ').length > 3)).toEqual([]);
  });

  it.each([
    ['de-AT', 'de'],
    ['nn-NO', 'nb'],
    ['no', 'nb'],
    ['zh-CN', 'zh'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-Hant-SG', 'zh-Hant'],
    ['ar-EG', 'ar'],
    ['iw', 'he'],
    ['th-TH-u-nu-thai', 'th'],
  ])('%s reads the %s catalogue', (locale, language) => {
    expect(catalogueLanguageOf(locale)).toBe(language);
  });

  it('has no catalogue for languages it does not write, and pages fall back to English', () => {
    expect(catalogueLanguageOf('hi-IN')).toBeUndefined();
    expect(catalogueLanguageOf('__proto__')).toBeUndefined();
    expect(languageOf('el-GR')).toBe('en');
  });
});
