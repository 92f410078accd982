/**
 * What the statement readers (camt.ts, statement-csv.ts) share: a credit's checked fields, its
 * stable id, and the shape of what a read gives back. A credit that cannot be read is an error of
 * that entry alone, named by where it stands; the rest of the statement is read on.
 */
import { createHash } from 'node:crypto';
import { currencyOf, majorToMinorExact, parseDecimal } from '../domain/money.js';
import { parseIsoDate } from '../domain/periods.js';
import { InvalidInputError } from '../errors.js';
import type { BankCredit } from '../store/receivables.js';

/** A statement at most: camt.053 files of a busy month stay well below it. */
export const MAX_STATEMENT_BYTES = 64 * 1024 * 1024;
/** Free text kept of a credit (remittance, payer name): camt's own limit is 140 per line. */
const MAX_TEXT = 1000;

export interface EntryError {
  where: string;
  message: string;
}

export interface StatementRead {
  credits: BankCredit[];
  errors: EntryError[];
  /** Entries that are not incoming money to match: debits, pending (not booked), reversals. */
  skipped: { debits: number; notBooked: number; reversals: number };
}

/** The id of a bank entry: the same on every import of the same statement (and across camt.054/053
 * where the bank gives its own reference), different for two entries. */
export const bankCreditId = (account: string, reference: string): string =>
  `bc_${createHash('sha256').update(`${account}|${reference}`).digest('hex').slice(0, 24)}`;

const cleanText = (text: string | undefined): string | undefined => {
  // Control characters are never part of a name or a reference; they are dropped, not shown.
  // eslint-disable-next-line no-control-regex
  const clean = text?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean === undefined || clean === '' ? undefined : [...clean].slice(0, MAX_TEXT).join('');
};

/** A credit from its raw fields; throws InvalidInputError naming the field that is wrong. */
export function checkedCredit(raw: {
  entryId: string;
  amount: string | undefined;
  currency: string | undefined;
  bookingDate: string | undefined;
  reference?: string;
  remittance?: string;
  payerName?: string;
  payerIban?: string;
  source: string;
}): BankCredit {
  if (raw.currency === undefined) throw new InvalidInputError('has no currency', 'currency');
  const currency = currencyOf(raw.currency, 'currency');
  const amountMinor = majorToMinorExact(parseDecimal(raw.amount?.trim(), 'amount'), currency, 'amount');
  if (amountMinor <= 0) throw new InvalidInputError('must be more than zero', 'amount');
  const bookingDate = raw.bookingDate?.trim().slice(0, 10);
  parseIsoDate(bookingDate, 'booking date');
  const reference = cleanText(raw.reference)?.replace(/\s+/g, '').toUpperCase();
  const remittance = cleanText(raw.remittance);
  const payerName = cleanText(raw.payerName);
  const payerIban = cleanText(raw.payerIban)?.replace(/\s+/g, '').toUpperCase();
  return {
    entryId: raw.entryId,
    amountMinor,
    currency: currency.code,
    bookingDate: bookingDate as string,
    ...(reference === undefined ? {} : { reference }),
    ...(remittance === undefined ? {} : { remittance }),
    ...(payerName === undefined ? {} : { payerName }),
    ...(payerIban === undefined ? {} : { payerIban }),
    source: raw.source,
  };
}

/** `checkedCredit`, an error of its entry instead of a throw. */
export function readCredit(
  into: StatementRead,
  where: string,
  raw: Parameters<typeof checkedCredit>[0],
): void {
  try {
    into.credits.push(checkedCredit(raw));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    into.errors.push({ where, message: error.message });
  }
}
