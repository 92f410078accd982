/**
 * The search keys of a customer: what support staff type (a fragment of a name in any script, an
 * e-mail address or part of it) and what is stored (store/customer-search.ts) are normalized the
 * same way here, so "muller", "Müller" and "MÜLLER" find "Müller GmbH", and "サンプル" finds
 * "株式会社サンプル". A stored key is a word of the name or e-mail; a query matches a customer when
 * each of its words begins one of the customer's keys (a prefix search, answered by a DynamoDB
 * Query with begins_with). Scripts written without spaces (Chinese, Japanese, Korean, Thai) have
 * every suffix of a run stored as a key, so any fragment of such a name is found.
 */

/** Letters that Unicode does not decompose into a base letter and a mark. */
const FOLDED: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    ß: 'ss',
    ẞ: 'ss',
    æ: 'ae',
    œ: 'oe',
    ø: 'o',
    ł: 'l',
    đ: 'd',
    ð: 'd',
    þ: 'th',
    ı: 'i',
  }),
);

/** Runs of a script written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}ー]/u;

/** Longest key kept (DynamoDB sort keys allow 1 KiB; nobody types more). */
export const MAX_KEY_LENGTH = 40;
/** Most suffixes kept of one unspaced run (a name of 12 characters: all of them). */
const MAX_SUFFIXES = 12;

/** Case- and accent-insensitive form of a text: NFKD, marks removed, lower case, a few letters folded. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßẞæœøłđðþı]/g, (c) => FOLDED[c] ?? c)
    .normalize('NFKC');
}

/** The words of a folded text: runs of letters and digits. */
const wordsOf = (folded: string): string[] => folded.match(/[\p{L}\p{N}]+/gu) ?? [];

const clip = (key: string): string => [...key].slice(0, MAX_KEY_LENGTH).join('');

/** A word's keys: the word, and for unspaced scripts each suffix (so a fragment is a prefix). */
function keysOfWord(word: string): string[] {
  if (!UNSPACED.test(word)) return [clip(word)];
  const chars = [...word];
  const count = Math.min(chars.length, MAX_SUFFIXES);
  return Array.from({ length: count }, (_, i) => clip(chars.slice(i).join('')));
}

/** German umlauts as they are typed without them ("Mueller" for "Müller"): kept as extra keys. */
const UMLAUTS: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };
const transliterated = (text: string): string =>
  text.normalize('NFC').replace(/[äöüÄÖÜ]/g, (c) => UMLAUTS[c] ?? c);

/** Every search key of a customer: its name's and e-mail's words, and the whole e-mail address. */
export function customerSearchKeys(customer: { legalName?: unknown; email?: unknown }): string[] {
  const keys = new Set<string>();
  for (const text of [customer.legalName, customer.email])
    if (typeof text === 'string')
      for (const variant of new Set([text, transliterated(text)]))
        for (const word of wordsOf(foldText(variant))) for (const k of keysOfWord(word)) keys.add(k);
  if (typeof customer.email === 'string') {
    const email = foldText(customer.email).replace(/[^\p{L}\p{N}@._+-]/gu, '');
    if (email.includes('@')) keys.add(clip(email));
  }
  return [...keys].sort();
}

/** A payment reference as stored for lookup and as typed: upper case, no spaces ("rf18 5390 0754" -> "RF1853900754"). */
export const referenceKeyOf = (reference: string): string =>
  reference.normalize('NFKC').replace(/\s+/gu, '').toUpperCase().slice(0, 140);

/** What a typed query asks for: an e-mail address (prefix), or words each beginning a key. */
export type SearchQuery = { kind: 'email'; prefix: string } | { kind: 'words'; words: string[] };

/** A query as typed, folded; undefined when nothing searchable is left. */
export function parseSearchQuery(text: string): SearchQuery | undefined {
  const folded = foldText(text.trim());
  if (folded.includes('@')) {
    const prefix = clip(folded.replace(/[^\p{L}\p{N}@._+-]/gu, ''));
    return prefix.length > 1 ? { kind: 'email', prefix } : undefined;
  }
  const words = [...new Set(wordsOf(folded).map(clip))];
  return words.length === 0 ? undefined : { kind: 'words', words };
}

/** Whether a customer with these keys answers the query (each word begins one of its keys). */
export function keysMatch(keys: readonly string[], query: SearchQuery): boolean {
  if (query.kind === 'email') return keys.some((k) => k.startsWith(query.prefix));
  return query.words.every((w) => keys.some((k) => k.startsWith(w)));
}

/** The word of a query to look up in the index: the longest (the fewest candidates). */
export const lookupWord = (query: SearchQuery): string =>
  query.kind === 'email'
    ? query.prefix
    : query.words.reduce((a, b) => ([...b].length > [...a].length ? b : a));
