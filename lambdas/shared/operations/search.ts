/**
 * What support staff find from the search box (the console's, and `invoicer search`): one text,
 * tried as everything it could be at once, each lookup a GetItem or Query (never a scan):
 *   - a customer id (GetItem), an invoice or credit-note number (the byNumber index, any case),
 *   - an RF payment reference printed on an invoice (it encodes the invoice number),
 *   - a payer's reference on a recorded payment or unmatched bank credit (Receivables byReference),
 *   - a fragment of a customer's name or e-mail (the Search table, domain/search-key.ts).
 */
import { ID_PATTERN } from '../contracts/keys.js';
import { isValidCreditorReference, creditorReference } from '../documents/payment.js';
import { customerSearchKeys, keysMatch, parseSearchQuery, referenceKeyOf } from '../domain/search-key.js';
import { InvalidInputError } from '../errors.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import type { PaymentEntry, UnmatchedCredit } from '../store/receivables.js';
import type { SearchIndex } from '../store/search.js';

/** Longest query taken (a name, an address, a reference: all far shorter). */
export const MAX_QUERY_LENGTH = 200;
/** Most customers listed for a name or e-mail fragment. */
export const MAX_CUSTOMER_HITS = 25;
/** Candidates read from the index before checking them against their records. */
const CANDIDATES = 100;

export interface CustomerHit {
  customerId: string;
  legalName: string;
  email: string;
  status: string;
  /** How it was found: its id, or a name / e-mail fragment. */
  matchedBy: 'id' | 'name_or_email';
}

export interface SearchResults {
  query: string;
  customers: CustomerHit[];
  /** Invoices and credit notes of that number (or of the RF reference's number). */
  documents: InvoiceRow[];
  payments: PaymentEntry[];
  unmatched: UnmatchedCredit[];
  /** True when more customers matched than are listed. */
  moreCustomers: boolean;
}

export interface SearchDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  search: SearchIndex;
}

const hitOf = (record: Record<string, unknown>, matchedBy: CustomerHit['matchedBy']): CustomerHit => ({
  customerId: String(record.customerId),
  legalName: typeof record.legalName === 'string' ? record.legalName : '',
  email: typeof record.email === 'string' ? record.email : '',
  status: typeof record.status === 'string' ? record.status : '',
  matchedBy,
});

/** The invoice number an RF reference of ours encodes ("RF46INV2026000101" -> "INV-2026-000101"). */
export function invoiceNumberOfReference(reference: string): string | undefined {
  const key = referenceKeyOf(reference);
  if (!isValidCreditorReference(key)) return undefined;
  const parts = /^([A-Z]+)(\d{4})(\d+)$/.exec(key.slice(4));
  if (!parts) return undefined;
  const number = `${parts[1]}-${parts[2]}-${parts[3]}`;
  return creditorReference(number) === key ? number : undefined;
}

/** A query as typed: trimmed, at most MAX_QUERY_LENGTH characters, well-formed text. */
export function checkQuery(text: string): string {
  const query = text.trim();
  if (/\p{Cs}/u.test(query)) throw new InvalidInputError('is not well-formed text', 'search query');
  if (query.length === 0)
    throw new InvalidInputError('is empty: type a name, e-mail, number or reference', 'search query');
  if (query.length > MAX_QUERY_LENGTH)
    throw new InvalidInputError(
      `has ${query.length} characters; at most ${MAX_QUERY_LENGTH}`,
      'search query',
    );
  if (/\p{Cc}/u.test(query)) throw new InvalidInputError('contains control characters', 'search query');
  return query;
}

export async function search(deps: SearchDeps, text: string): Promise<SearchResults> {
  const query = checkQuery(text);
  const compact = query.replace(/\s+/gu, '');
  const asId = ID_PATTERN.test(query) ? query : undefined;
  const numbers = [...new Set([asId?.toUpperCase(), invoiceNumberOfReference(compact)])].filter(
    (n): n is string => n !== undefined,
  );
  const words = parseSearchQuery(query);
  const [byId, documents, references, candidates] = await Promise.all([
    asId ? deps.search.customers([asId]) : new Map<string, Record<string, unknown>>(),
    Promise.all(numbers.map((invoiceNumber) => deps.invoices.query({ invoiceNumber }))),
    compact.length >= 3 ? deps.search.byReference(compact) : { payments: [], unmatched: [] },
    words ? deps.search.candidates(words, CANDIDATES) : [],
  ]);
  const records = await deps.search.customers(candidates.filter((id) => !byId.has(id)));
  const byName = [...records.values()]
    .filter((r) => words && keysMatch(customerSearchKeys(r), words))
    .map((r) => hitOf(r, 'name_or_email'))
    .sort((a, b) => a.legalName.localeCompare(b.legalName) || a.customerId.localeCompare(b.customerId));
  const customers = [...[...byId.values()].map((r) => hitOf(r, 'id')), ...byName];
  return {
    query,
    customers: customers.slice(0, MAX_CUSTOMER_HITS),
    moreCustomers: customers.length > MAX_CUSTOMER_HITS || candidates.length >= CANDIDATES,
    documents: documents.flat(),
    payments: references.payments,
    unmatched: references.unmatched,
  };
}
