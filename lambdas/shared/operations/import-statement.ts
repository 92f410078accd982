/**
 * Import a bank statement (`invoicer payments import`, `POST /v1/import/statement`): read its
 * credits (camt.053/054 or the CSV layout), leave out the entries imported before, match the rest
 * against the invoices (domain/statement-matching.ts) and record each credit once: a payment on its
 * invoice, or an unmatched credit for support. Each credit is its own transaction, so a crash
 * half-way leaves every credit either recorded or not; importing the statement again records the
 * rest and changes nothing else.
 */
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { mapLimited } from '../map-limited.js';
import { openAmountOf } from '../domain/receivables.js';
import { statementMatcher, type MatchRule, type OpenItem } from '../domain/statement-matching.js';
import { readCamt } from '../statements/camt.js';
import { readStatementCsv } from '../statements/statement-csv.js';
import type { EntryError, StatementRead } from '../statements/bank-credit.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import { InvoiceNotPayableError, type BankCredit, type ReceivablesStore } from '../store/receivables.js';
import type { RecordStore } from '../store/records.js';
import { paymentIdOfEntry } from './payments.js';

export const STATEMENT_FORMATS = ['camt', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const statementFormatOfFile = (file: string): StatementFormat | undefined =>
  /\.xml$/i.test(file) ? 'camt' : /\.csv$/i.test(file) ? 'csv' : undefined;

export const readStatement = (bytes: Uint8Array, file: string, format: StatementFormat): StatementRead =>
  format === 'camt' ? readCamt(bytes, file) : readStatementCsv(bytes, file);

/** Transactions at once: DynamoDB takes them in parallel; the local emulator tops out near 16. */
const CONCURRENCY = 16;

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
  const entries = await mapLimited(planned, CONCURRENCY, async ({ credit, result }) => {
    const base = {
      entryId: credit.entryId,
      amountMinor: credit.amountMinor,
      currency: credit.currency,
      bookingDate: credit.bookingDate,
    };
    const keep = async (reason: string, candidates?: string[]) => {
      const outcome = await deps.receivables.recordUnmatched({
        ...credit,
        reason,
        ...(candidates === undefined ? {} : { candidates }),
        importedAt: now,
      });
      return {
        ...base,
        outcome: 'unmatched' as const,
        reason,
        ...(candidates ? { candidates } : {}),
        seen: outcome === 'seen',
      };
    };
    if (result.kind === 'unmatched') return keep(result.reason, result.candidates);
    const invoice = byNumber.get(result.invoiceNumber) as InvoiceRow;
    try {
      const outcome = await deps.receivables.recordPayment(
        invoice,
        paymentOf(credit, invoice, by, now),
        credit,
      );
      return {
        ...base,
        outcome: 'matched' as const,
        invoiceNumber: invoice.invoiceNumber,
        rule: result.rule,
        seen: outcome !== 'recorded',
      };
    } catch (error) {
      // Voided or replaced since the scan: the credit goes to support like any other it cannot place.
      if (error instanceof InvoiceNotPayableError) return keep(error.message);
      throw error;
    }
  });
  const recorded = entries.filter((e) => !e.seen).map(({ seen: _seen, ...entry }) => entry as ImportedCredit);
  return {
    credits: read.credits.length,
    matched: recorded.filter((e) => e.outcome === 'matched').length,
    unmatched: recorded.filter((e) => e.outcome === 'unmatched').length,
    alreadyImported: read.credits.length - recorded.length,
    errors: read.errors,
    skipped: read.skipped,
    entries: recorded,
  };
}

function paymentOf(credit: BankCredit, invoice: InvoiceRow, by: string, now: string) {
  return {
    paymentId: paymentIdOfEntry(credit.entryId),
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    amountMinor: credit.amountMinor,
    currency: credit.currency,
    date: credit.bookingDate,
    method: 'bank_transfer',
    ...(credit.reference === undefined ? {} : { reference: credit.reference }),
    source: 'statement' as const,
    entryId: credit.entryId,
    by,
    recordedAt: now,
  };
}
