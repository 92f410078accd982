/**
 * The golden set: hand-checked invoices in test/golden/*.json. Each file holds raw input records
 * (as they come from storage), and either the expected lines and totals or the expected error.
 * Read by the golden test (the arithmetic and the tax rules) and the e-invoice test (EN 16931).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addDays,
  billingSeriesOf,
  computeInvoice,
  creditNoteDraft,
  finalizeInvoice,
  parseInvoiceInputs,
  type EcbRates,
} from '../../lambdas/shared/domain/index.js';
import type { InvoiceDetail, InvoiceDraft, SellerConfig } from '../../lambdas/shared/domain/types.js';

export interface ExpectedLine {
  lineId: string;
  quantity: string;
  amountMinor: number;
  tiers?: number[];
}

export interface GoldenCase {
  why: string;
  /** The article or rule a tax case proves. */
  rule?: string;
  period: string;
  seller: SellerConfig;
  customer: unknown;
  plan: unknown;
  usage: unknown[];
  exchangeRates?: EcbRates;
  expected?: {
    lines: ExpectedLine[];
    subtotalMinor: number;
    discountMinor: number;
    taxableMinor: number;
    taxes: {
      category: string;
      rate: string;
      taxMinor: number;
      national?: { currency: string; taxMinor: number; rateDate: string };
    }[];
    totalMinor: number;
    reverseCharge: boolean;
    notes: string[];
  };
  expectedError?: { name: string; where: string };
  /**
   * Credit notes issued, in order, on the invoice (numbered INV-<year>-000001 the day after its
   * period): what each requests, and what it credits, or the error it gets.
   */
  creditNotes?: {
    request: { reason: string; amountMinor?: number };
    expected?: { lines: number[]; taxableMinor: number; taxMinor: number; totalMinor: number };
    expectedError?: { where: string; message: string };
  }[];
}

const dir = join(process.cwd(), 'test/golden');

export const goldenCases: (readonly [string, GoldenCase])[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoldenCase] as const);

/** The draft a golden case computes (throws its expected error, if it has one). */
export function computeGoldenDraft(
  c: GoldenCase,
  customerChanges: Record<string, unknown> = {},
): InvoiceDraft {
  const inputs = parseInvoiceInputs({
    customerRecord: { ...(c.customer as object), ...customerChanges },
    planRecord: c.plan,
    usageRecords: c.usage,
    period: c.period,
  });
  return computeInvoice({
    ...inputs,
    period: c.period,
    seller: c.seller,
    ...(c.exchangeRates ? { exchangeRates: c.exchangeRates } : {}),
  });
}

/** The draft issued as the first invoice of its year, the day after its period. */
export function issueGolden(draft: InvoiceDraft): InvoiceDetail {
  const issueDate = addDays(draft.period.end, 1);
  const { series, numberFor } = billingSeriesOf(issueDate);
  return finalizeInvoice(draft, { invoiceNumber: numberFor(1), series, issueDate });
}

/** The credit notes a golden case issues on `invoice` (those it expects to succeed), numbered CN-1, CN-2, ... */
export function goldenCreditNotes(c: GoldenCase, invoice: InvoiceDetail): InvoiceDetail[] {
  const notes: InvoiceDetail[] = [];
  let credited = 0;
  for (const note of c.creditNotes ?? []) {
    if (note.expectedError !== undefined) continue;
    const credit = creditNoteDraft(invoice, note.request, credited);
    credited += credit.totalMinor;
    const sequence = String(notes.length + 1).padStart(6, '0');
    const series = `CN-${invoice.issueDate.slice(0, 4)}`;
    notes.push(
      finalizeInvoice(credit, {
        invoiceNumber: `${series}-${sequence}`,
        series,
        issueDate: invoice.issueDate,
      }),
    );
  }
  return notes;
}
