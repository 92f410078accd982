/**
 * The change stream carries who has paid: a payment, a reversal, a credit note or a write-off that
 * changes an invoice's payment status is `invoice.payment_status_changed` (with the status before
 * and after and the sums the open amount comes from); the reminder job's first overdue mark is
 * `invoice.overdue`; a write that changes neither is no event.
 */
import { DOMAIN_EVENT_TYPE } from '../../../lambdas/shared/contracts/domain-events.js';
import { eventsOfChange, type Image } from '../../../lambdas/shared/domain/change-events.js';

const key = 'cus_1#2026-10';
const row = (version: number, extra: Image = {}): Image => ({
  invoiceKey: key,
  customerId: 'cus_1',
  period: '2026-10',
  invoiceNumber: 'INV-2026-000042',
  status: 'NOTIFIED',
  totalMinor: 11_900,
  currency: 'EUR',
  issueDate: '2026-11-01',
  dueDate: '2026-11-15',
  version,
  ...extra,
});
const events = (before: Image, after: Image) =>
  eventsOfChange({
    table: 'invoices',
    key,
    oldImage: before,
    newImage: after,
    at: '2026-11-20T08:00:00.000Z',
  });

describe('payment events', () => {
  it('a partial payment, then the rest: two status changes', () => {
    const partial = events(row(5), row(6, { paidMinor: 5000 }));
    expect(partial.map((e) => e.type)).toEqual([DOMAIN_EVENT_TYPE.invoicePaymentStatusChanged]);
    expect(partial[0]!.data).toMatchObject({
      payment: { status: 'partially_paid', previousStatus: 'unpaid', openMinor: 6900, paidMinor: 5000 },
    });
    const rest = events(row(6, { paidMinor: 5000 }), row(7, { paidMinor: 11_900 }));
    expect(rest[0]!.data).toMatchObject({
      payment: { status: 'paid', previousStatus: 'partially_paid', openMinor: 0 },
    });
  });

  it('a second partial payment that leaves it partially paid is no event', () => {
    expect(events(row(6, { paidMinor: 1000 }), row(7, { paidMinor: 2000 }))).toEqual([]);
  });

  it('a credit note after a full payment makes it overpaid', () => {
    const out = events(row(7, { paidMinor: 11_900 }), row(8, { paidMinor: 11_900, creditedMinor: 5950 }));
    expect(out[0]!.data).toMatchObject({ payment: { status: 'overpaid', openMinor: -5950 } });
  });

  it('the overdue mark is one event, once', () => {
    const out = events(row(5), row(6, { overdueAt: '2026-11-20T08:00:00.000Z' }));
    expect(out.map((e) => [e.type, e.timestamp])).toEqual([
      [DOMAIN_EVENT_TYPE.invoiceOverdue, '2026-11-20T08:00:00.000Z'],
    ]);
    const again = { overdueAt: '2026-11-20T08:00:00.000Z' };
    expect(events(row(6, again), row(7, { ...again, paidMinor: 100 })).map((e) => e.type)).toEqual([
      DOMAIN_EVENT_TYPE.invoicePaymentStatusChanged,
    ]);
  });

  it('a write-off is a status change', () => {
    const out = events(row(5), row(6, { writtenOffAt: '2026-12-01T00:00:00.000Z' }));
    expect(out[0]!.data).toMatchObject({ payment: { status: 'written_off', previousStatus: 'unpaid' } });
  });
});
