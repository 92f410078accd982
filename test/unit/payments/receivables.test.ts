/**
 * Payment status, open amount, overdue, reminder steps and aging (domain/receivables.ts): golden
 * cases (partial payments, overpayment, a credit note after a partial payment, reversal, write-off)
 * and properties: the open amount is always total − credit notes − payments, and a reminder step
 * is never due twice nor for an invoice with nothing to collect.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { addDays } from '../../../lambdas/shared/domain/periods.js';
import {
  agingBucketOf,
  isCollectible,
  isOverdue,
  openAmountOf,
  parseReminderSteps,
  paymentStatusOf,
  reminderStepDue,
  type ReceivableFacts,
} from '../../../lambdas/shared/domain/receivables.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';

interface GoldenCase {
  name: string;
  invoice: { totalMinor: number; dueDate: string };
  events: ({ pay: number } | { credit: number } | { writeOff: true })[];
  today: string;
  expect: { status: string; openMinor: number; overdue: boolean; bucket: string | null };
}

const GOLDEN = JSON.parse(
  readFileSync(new URL('./golden-receivables.json', import.meta.url), 'utf8'),
) as GoldenCase[];

const apply = (c: GoldenCase): ReceivableFacts =>
  c.events.reduce<ReceivableFacts>(
    (row, e) =>
      'pay' in e
        ? { ...row, paidMinor: (row.paidMinor ?? 0) + e.pay }
        : 'credit' in e
          ? { ...row, creditedMinor: (row.creditedMinor ?? 0) + e.credit }
          : { ...row, writtenOffAt: '2026-11-30T00:00:00Z' },
    { ...c.invoice },
  );

describe('payment status (golden cases)', () => {
  it.each(GOLDEN.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const row = apply(c);
    expect({
      status: paymentStatusOf(row),
      openMinor: openAmountOf(row),
      overdue: isOverdue(row, c.today),
      bucket: isCollectible(row) ? agingBucketOf(c.invoice.dueDate, c.today) : null,
    }).toEqual(c.expect);
  });
});

describe('properties', () => {
  const facts = fc.record({
    totalMinor: fc.integer({ min: 1, max: 10_000_000 }),
    creditedMinor: fc.integer({ min: 0, max: 10_000_000 }),
    paidMinor: fc.integer({ min: -1_000_000, max: 20_000_000 }),
    dueDate: fc.constantFrom('2026-11-15', '2026-12-01', '2027-01-31'),
  });

  it('the open amount is total − credit notes − payments, and the status agrees with it', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const open = openAmountOf(f);
        expect(open).toBe(f.totalMinor - f.creditedMinor - f.paidMinor);
        const status = paymentStatusOf(f);
        if (open < 0) expect(status).toBe('overpaid');
        else if (open === 0) expect(status).toBe('paid');
        else expect(['unpaid', 'partially_paid']).toContain(status);
      }),
    );
  });

  it('a reminder step is due at most once, never before its day, never with nothing to collect', () => {
    const steps = [-3, 7, 21];
    fc.assert(
      fc.property(facts, fc.integer({ min: -10, max: 60 }), (f, offset) => {
        const today = addDays(f.dueDate, offset);
        const step = reminderStepDue(f, today, steps, []);
        if (!isCollectible(f)) return expect(step).toBeUndefined();
        if (step === undefined) return expect(offset).toBeLessThan(-3);
        expect(addDays(f.dueDate, step) <= today).toBe(true);
        expect(reminderStepDue(f, today, steps, [step])).toBeUndefined();
      }),
    );
  });
});

describe('reminder steps', () => {
  it('after days without a run only the latest step goes out', () => {
    const row = { totalMinor: 100, dueDate: '2026-11-01' };
    expect(reminderStepDue(row, '2026-11-25', [-3, 7, 21], [])).toBe(21);
    expect(reminderStepDue(row, '2026-11-25', [-3, 7, 21], [-3])).toBe(21);
    expect(reminderStepDue(row, '2026-11-08', [-3, 7, 21], [-3])).toBe(7);
    expect(reminderStepDue(row, '2026-10-29', [-3, 7, 21], [])).toBe(-3);
    expect(reminderStepDue(row, '2026-10-28', [-3, 7, 21], [])).toBeUndefined();
  });

  it('parses configured steps and refuses broken ones by name', () => {
    expect(parseReminderSteps(' 7, -3 ,21', 'REMINDER_STEPS')).toEqual([-3, 7, 21]);
    for (const bad of ['', '7,7', 'x', '1.5', '10000', '1,2,3,4,5,6,7,8,9,10,11'])
      expect(() => parseReminderSteps(bad, 'REMINDER_STEPS')).toThrow(InvalidInputError);
  });
});
