/**
 * The golden set: hand-checked invoices in test/golden/*.json. Each file holds raw input records
 * (as they come from storage), and either the expected lines and totals or the expected error.
 */
import {
  addDays,
  billingSeriesOf,
  creditNoteDraft,
  finalizeInvoice,
} from '../../../lambdas/shared/domain/index.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { goldenCases as cases, computeGoldenDraft as run } from '../../support/golden.js';

describe('golden set', () => {
  it('has at least 30 cases, each with a reason and an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter(([, c]) => c.expected !== undefined).length).toBeGreaterThanOrEqual(30);
    for (const [, c] of cases) {
      expect(c.why.length).toBeGreaterThan(10);
      expect((c.expected === undefined) !== (c.expectedError === undefined)).toBe(true);
    }
  });

  it('cites the article or rule behind every case about VAT rules', () => {
    const cited = cases.filter(([, c]) => c.rule !== undefined);
    expect(cited.length).toBeGreaterThanOrEqual(20);
    for (const [, c] of cited) expect(c.rule).toMatch(/Art\. \d+|VAT|VOEC|EN 16931/);
  });

  it('explains every invoice without VAT: a category other than S carries its reason', () => {
    for (const [, c] of cases.filter(([, x]) => x.expected !== undefined)) {
      const draft = run(c);
      for (const tax of draft.taxes) {
        expect(tax.category).toBeDefined();
        if (tax.category !== 'S') expect(tax.exemptionReasonCode).toMatch(/^VATEX-EU-(AE|O)$/);
        if (tax.category !== 'S') expect(draft.notes.length).toBeGreaterThan(0);
      }
    }
  });

  const good = cases.filter(([, c]) => c.expected !== undefined);
  const bad = cases.filter(([, c]) => c.expectedError !== undefined);

  it.each(good)('%s', (_file, c) => {
    const expected = c.expected!;
    const draft = run(c);
    expect(
      draft.lines.map((l) => ({
        lineId: l.lineId,
        quantity: l.quantity,
        amountMinor: l.amountMinor,
        ...(l.tiers === undefined ? {} : { tiers: l.tiers.map((t) => t.amountMinor) }),
      })),
    ).toEqual(expected.lines);
    expect({
      subtotalMinor: draft.subtotalMinor,
      discountMinor: draft.discountMinor,
      taxableMinor: draft.taxableMinor,
      taxes: draft.taxes.map((t) => ({
        category: t.category,
        rate: t.rate,
        taxMinor: t.taxMinor,
        ...(t.national
          ? {
              national: {
                currency: t.national.currency,
                taxMinor: t.national.taxMinor,
                rateDate: t.national.rateDate,
              },
            }
          : {}),
      })),
      totalMinor: draft.totalMinor,
      reverseCharge: draft.reverseCharge,
      notes: draft.notes,
    }).toEqual({
      subtotalMinor: expected.subtotalMinor,
      discountMinor: expected.discountMinor,
      taxableMinor: expected.taxableMinor,
      taxes: expected.taxes,
      totalMinor: expected.totalMinor,
      reverseCharge: expected.reverseCharge,
      notes: expected.notes,
    });
    // Invariants every invoice must hold.
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(draft.lines.map((l) => l.amountMinor))).toBe(draft.taxableMinor);
    expect(draft.taxableMinor).toBe(draft.subtotalMinor - draft.discountMinor);
    expect(draft.totalMinor).toBe(draft.taxableMinor + draft.taxTotalMinor);
    expect(draft.totalMinor).toBeGreaterThanOrEqual(0);
    for (const line of draft.lines) {
      expect(Number.isSafeInteger(line.amountMinor)).toBe(true);
      if (line.tiers !== undefined) expect(sum(line.tiers.map((t) => t.amountMinor))).toBe(line.amountMinor);
    }
    // Deterministic: the same input gives the same document.
    expect(JSON.stringify(run(c))).toBe(JSON.stringify(draft));
    // Credit notes on it, each counting what the ones before credited.
    if (c.creditNotes === undefined) return;
    const issueDate = addDays(draft.period.end, 1);
    const { series, numberFor } = billingSeriesOf(issueDate);
    const invoice = finalizeInvoice(draft, { invoiceNumber: numberFor(1), series, issueDate });
    let credited = 0;
    for (const note of c.creditNotes) {
      if (note.expectedError) {
        expect(() => creditNoteDraft(invoice, note.request, credited)).toThrow(
          `${note.expectedError.where}: ${note.expectedError.message}`,
        );
        continue;
      }
      const credit = creditNoteDraft(invoice, note.request, credited);
      expect({
        lines: credit.lines.map((l) => l.amountMinor),
        taxableMinor: credit.taxableMinor,
        taxMinor: credit.taxTotalMinor,
        totalMinor: credit.totalMinor,
      }).toEqual(note.expected);
      expect(credit).toMatchObject({
        documentType: 'credit_note',
        corrects: { invoiceNumber: invoice.invoiceNumber, issueDate },
        creditReason: note.request.reason,
      });
      expect(credit.taxes.map((t) => [t.category, t.rate])).toEqual(
        invoice.taxes.map((t) => [t.category, t.rate]),
      );
      credited += credit.totalMinor;
    }
  });

  it.each(bad)('%s', (_file, c) => {
    let caught: unknown;
    try {
      run(c);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    const error = caught as InvalidInputError;
    expect({ name: error.name, where: error.where }).toEqual(c.expectedError);
    expect(error.message.startsWith(`${error.where}: `)).toBe(true);
  });
});
