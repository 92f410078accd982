/**
 * Import a bank statement (`invoicer payments import`, `POST /v1/imports/statements`): read its
 * credits (camt.053/054 or the CSV layout), leave out the entries imported before, match the rest
 * against the invoices (domain/statement-matching.ts) and record each credit once: a payment on its
 * invoice, or an unmatched credit for support. Credits are written in transactions of up to 25
 * (each credit's items all or none), so a crash half-way leaves every credit either recorded or
 * not; importing the statement again records the rest and changes nothing else.
 */
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { mapLimited } from '../map-limited.js';
import { openAmountOf } from '../domain/receivables.js';
import { statementMatcher, type MatchRule, type OpenItem } from '../domain/statement-matching.js';
import { readCamt } from '../statements/camt.js';
import { readStatementCsv } from '../statements/statement-csv.js';
import type { EntryError, StatementRead } from '../statements/bank-credit.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import {
  InvoiceNotPayableError,
  MAX_CREDITS_PER_TRANSACTION,
  type BankCredit,
  type CreditWrite,
  type ReceivablesStore,
  type UnmatchedCredit,
} from '../store/receivables.js';
import type { RecordStore } from '../store/records.js';
import type { StatementFormat } from '../statements/statement-format.js';
import { bankPayment } from './payments.js';

export const readStatement = (bytes: Uint8Array, file: string, format: StatementFormat): StatementRead =>
  format === 'camt' ? readCamt(bytes, file) : readStatementCsv(bytes, file);

/** Transactions at once, each of up to MAX_CREDITS_PER_TRANSACTION credits. */
const TRANSACTIONS_AT_ONCE = 4;

/** Credits in transactions of at most MAX_CREDITS_PER_TRANSACTION, no invoice twice in one. */
function inTransactionChunks<T extends { write: CreditWrite }>(writes: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let invoices = new Set<string>();
  for (const w of writes) {
    const invoice = w.write.kind === 'payment' ? w.write.invoice.invoiceNumber : undefined;
    if (chunk.length === MAX_CREDITS_PER_TRANSACTION || (invoice !== undefined && invoices.has(invoice))) {
      chunks.push(chunk);
      chunk = [];
      invoices = new Set();
    }
    chunk.push(w);
    if (invoice !== undefined) invoices.add(invoice);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

const unmatchedOf = (
  credit: BankCredit,
  reason: string,
  importedAt: string,
  candidates?: string[],
): UnmatchedCredit => ({
  ...credit,
  reason,
  ...(candidates === undefined ? {} : { candidates }),
  importedAt,
});

export interface StatementImportDeps {
  invoices: Pick<InvoiceIndex, 'scan'>;
  records: Pick<RecordStore, 'listCustomerNames'>;
  receivables: ReceivablesStore;
  now: () => Date;
}

export interface ImportedCredit {
  entryId: string;
  amountMinor: number;
  currency: string;
  bookingDate: string;
  outcome: 'matched' | 'unmatched';
  invoiceNumber?: string;
  rule?: MatchRule;
  reason?: string;
  candidates?: string[];
}

export interface StatementImportReport {
  credits: number;
  matched: number;
  unmatched: number;
  /** Entries imported before (this statement, or another holding the same entries). */
  alreadyImported: number;
  errors: EntryError[];
  skipped: StatementRead['skipped'];
  entries: ImportedCredit[];
}

/** What a payment can be applied to: every invoice row, with why not where it cannot. */
function openItemOf(row: InvoiceRow, names: Map<string, string>): OpenItem | undefined {
  if (row.documentType === 'credit_note') return undefined;
  const notPayable =
    row.status === INVOICE_STATUS.void
      ? 'is VOID'
      : row.status === INVOICE_STATUS.pending
        ? 'was not issued'
        : row.replacedAt !== undefined
          ? `was replaced by a new invoice of ${row.period}`
          : undefined;
  const name = names.get(row.customerId);
  return {
    invoiceNumber: row.invoiceNumber,
    customerId: row.customerId,
    ...(name === undefined ? {} : { customerName: name }),
    currency: row.currency,
    // A written-off invoice is owed nothing more as far as amount matching goes.
    openMinor: row.writtenOffAt === undefined ? openAmountOf(row) : 0,
    ...(notPayable === undefined ? {} : { notPayable }),
  };
}

export async function importStatement(
  deps: StatementImportDeps,
  read: StatementRead,
  by: string,
): Promise<StatementImportReport> {
  const seen = await deps.receivables.seenEntries(read.credits);
  const fresh = read.credits.filter((c) => !seen.has(c.entryId));
  const [rows, names] = await Promise.all([deps.invoices.scan(), deps.records.listCustomerNames()]);
  // A number's row: the issued invoice where there is one (a VOID record may share its number).
  const byNumber = new Map<string, InvoiceRow>();
  for (const row of rows) {
    const held = byNumber.get(row.invoiceNumber);
    if (held === undefined || held.status === INVOICE_STATUS.void) byNumber.set(row.invoiceNumber, row);
  }
  const items = [...byNumber.values()]
    .map((row) => openItemOf(row, names))
    .filter((item): item is OpenItem => item !== undefined);
  const match = statementMatcher(items);
  // Matching is in statement order (its amounts depend on earlier credits); recording in parallel.
  const planned = fresh.map((credit) => ({ credit, result: match(credit) }));
  const now = deps.now().toISOString();
  const writes = planned.map(({ credit, result }): { write: CreditWrite; report: ImportedCredit } => {
    const base = {
      entryId: credit.entryId,
      amountMinor: credit.amountMinor,
      currency: credit.currency,
      bookingDate: credit.bookingDate,
    };
    if (result.kind === 'unmatched')
      return {
        write: { kind: 'unmatched', credit: unmatchedOf(credit, result.reason, now, result.candidates) },
        report: {
          ...base,
          outcome: 'unmatched',
          reason: result.reason,
          ...(result.candidates ? { candidates: result.candidates } : {}),
        },
      };
    const invoice = byNumber.get(result.invoiceNumber) as InvoiceRow;
    return {
      write: {
        kind: 'payment',
        invoice,
        payment: bankPayment(credit, invoice, 'statement', by, now),
        entry: credit,
      },
      report: { ...base, outcome: 'matched', invoiceNumber: invoice.invoiceNumber, rule: result.rule },
    };
  });
  const outcomes = (
    await mapLimited(inTransactionChunks(writes), TRANSACTIONS_AT_ONCE, async (chunk) => {
      const results = await deps.receivables.recordCredits(chunk.map((c) => c.write));
      return Promise.all(
        chunk.map(async ({ write, report }, i) => {
          const outcome = results[i]!;
          if (!(outcome instanceof InvoiceNotPayableError)) return { report, seen: outcome !== 'recorded' };
          // Voided or replaced since the scan: the credit goes to support like any other it cannot place.
          const credit = write.kind === 'payment' ? write.entry : write.credit;
          const kept = await deps.receivables.recordUnmatched(unmatchedOf(credit, outcome.message, now));
          const { invoiceNumber: _n, rule: _r, ...rest } = report;
          return {
            report: { ...rest, outcome: 'unmatched' as const, reason: outcome.message },
            seen: kept === 'seen',
          };
        }),
      );
    })
  ).flat();
  const entries = outcomes.filter((o) => !o.seen).map((o) => o.report);
  return {
    credits: read.credits.length,
    matched: entries.filter((e) => e.outcome === 'matched').length,
    unmatched: entries.filter((e) => e.outcome === 'unmatched').length,
    alreadyImported: read.credits.length - entries.length,
    errors: read.errors,
    skipped: read.skipped,
    entries,
  };
}
