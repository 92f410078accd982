/**
 * Which write is which domain event: each status transition of a document once (a repeated write
 * of the same status makes none), bookkeeping items never, ids the same for the same change and
 * different for any other, and a record that claims to be a document but is not one refused
 * with its key, whatever the images hold.
 */
import fc from 'fast-check';
import { DOMAIN_EVENT_TYPE } from '../../../lambdas/shared/contracts/domain-events.js';
import { eventsOfChange, type Image, type ItemChange } from '../../../lambdas/shared/domain/change-events.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';

const AT = '2026-11-01T10:00:00.000Z';
const row = (status: string, version: number, extra: Image = {}): Image => ({
  invoiceKey: 'cus_1#2026-10',
  customerId: 'cus_1',
  period: '2026-10',
  invoiceNumber: 'INV-2026-000042',
  status,
  totalMinor: 11_900,
  currency: 'EUR',
  issueDate: '2026-11-01',
  version,
  ...extra,
});
const change = (key: string, oldImage: Image | undefined, newImage: Image | undefined): ItemChange => ({
  table: 'invoices',
  key,
  at: AT,
  ...(oldImage ? { oldImage } : {}),
  ...(newImage ? { newImage } : {}),
});
const types = (c: ItemChange) => eventsOfChange(c).map((e) => e.type);

describe('eventsOfChange', () => {
  it('tells issue, notification and e-mail outcomes of an invoice row, each once', () => {
    const key = 'cus_1#2026-10';
    expect(types(change(key, undefined, row('PENDING', 1)))).toEqual([]);
    const issued = eventsOfChange(
      change(key, row('PENDING', 1), row('ISSUED', 2, { issuedAt: '2026-11-01T10:00:01.500Z' })),
    );
    expect(issued.map((e) => [e.type, e.sequence, e.timestamp])).toEqual([
      [DOMAIN_EVENT_TYPE.invoiceIssued, 2, '2026-11-01T10:00:01.500Z'],
    ]);
    // A retried commit writes ISSUED again: no second event.
    expect(types(change(key, row('ISSUED', 2), row('ISSUED', 3)))).toEqual([]);
    expect(types(change(key, row('ISSUED', 3), row('NOTIFIED', 4)))).toEqual([DOMAIN_EVENT_TYPE.invoiceSent]);
    expect(types(change(key, row('NOTIFIED', 4), row('NOTIFIED', 5)))).toEqual([]);
    expect(types(change(key, row('NOTIFIED', 5), row('NOTIFIED', 6, { emailStatus: 'bounced' })))).toEqual([
      DOMAIN_EVENT_TYPE.invoiceEmailBounced,
    ]);
    expect(
      types(
        change(
          key,
          row('NOTIFIED', 6, { emailStatus: 'bounced' }),
          row('NOTIFIED', 7, { emailStatus: 'bounced' }),
        ),
      ),
    ).toEqual([]);
    // A complaint is recorded but is no event of its own.
    expect(types(change(key, row('NOTIFIED', 5), row('NOTIFIED', 6, { emailStatus: 'complained' })))).toEqual(
      [],
    );
  });

  it('tells VOID and REPLACED items by the item the row moved to, the removal itself by nothing', () => {
    expect(
      types(change('VOID#INV-2026-000042', undefined, row('VOID', 2, { voidReason: 'render failed' }))),
    ).toEqual([DOMAIN_EVENT_TYPE.invoiceNumberVoided]);
    expect(types(change('cus_1#2026-10', row('PENDING', 1), undefined))).toEqual([]);
    const replaced = eventsOfChange(
      change('REPLACED#INV-2026-000042', undefined, row('NOTIFIED', 9, { replacedReason: 'wrong address' })),
    );
    expect(replaced.map((e) => [e.type, e.sequence, (e.data as { reason?: string }).reason])).toEqual([
      [DOMAIN_EVENT_TYPE.invoiceReplaced, 9, 'wrong address'],
    ]);
  });

  it('tells credit notes by their own types, naming the invoice they correct', () => {
    const note = (status: string, version: number) =>
      row(status, version, {
        invoiceNumber: 'CN-2026-000001',
        documentType: 'credit_note',
        corrects: 'INV-2026-000042',
      });
    const key = 'CREDIT#INV-2026-000042#abc';
    const [issued] = eventsOfChange(change(key, note('PENDING', 1), note('ISSUED', 2)));
    expect(issued).toMatchObject({
      type: DOMAIN_EVENT_TYPE.creditNoteIssued,
      subject: { kind: 'credit_note', id: 'CN-2026-000001' },
      data: { corrects: 'INV-2026-000042' },
    });
    expect(types(change(key, note('ISSUED', 2), note('NOTIFIED', 3)))).toEqual([
      DOMAIN_EVENT_TYPE.creditNoteSent,
    ]);
  });

  it('makes nothing of bookkeeping items', () => {
    for (const key of [
      'SERIES#INV-2026',
      'NUMBER#INV-2026-000042',
      'LINK#abc',
      'EMAIL#evt',
      'AUDIT#INV-2026',
    ])
      expect(types(change(key, undefined, { invoiceKey: key, status: 'sent', lastSequence: 3 }))).toEqual([]);
  });

  it('tells a run started and finished', () => {
    const run = (status: string, version: number, extra: Image = {}): Image => ({
      runId: 'run-1',
      period: '2026-10',
      status,
      startedAt: '2026-11-01T09:00:00.000Z',
      version,
      ...extra,
    });
    const runChange = (o: Image | undefined, n: Image): ItemChange => ({
      table: 'runs',
      key: 'run-1',
      at: AT,
      ...(o ? { oldImage: o } : {}),
      newImage: n,
    });
    expect(types(runChange(undefined, run('RUNNING', 1)))).toEqual([DOMAIN_EVENT_TYPE.runStarted]);
    const [finished] = eventsOfChange(
      runChange(
        run('RUNNING', 1),
        run('SUCCEEDED', 2, { finishedAt: '2026-11-01T09:05:00.000Z', issued: 40 }),
      ),
    );
    expect(finished).toMatchObject({
      type: DOMAIN_EVENT_TYPE.runFinished,
      sequence: 2,
      data: { issued: 40 },
    });
    // The period lock lives in the same table and makes nothing.
    expect(
      eventsOfChange({
        table: 'runs',
        key: 'LOCK#2026-10',
        at: AT,
        newImage: { runId: 'LOCK#2026-10', period: '2026-10' },
      }),
    ).toEqual([]);
  });

  it('gives the same change the same id, and any other change another', () => {
    const key = 'cus_1#2026-10';
    const a = eventsOfChange(change(key, row('PENDING', 1), row('ISSUED', 2)))[0]!;
    const again = eventsOfChange({
      ...change(key, row('PENDING', 1), row('ISSUED', 2)),
      at: '2026-11-02T00:00:00.000Z',
    })[0]!;
    expect(again.id).toBe(a.id);
    const sent = eventsOfChange(change(key, row('ISSUED', 2), row('NOTIFIED', 3)))[0]!;
    expect(new Set([a.id, sent.id]).size).toBe(2);
    expect(a.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('refuses a document record that is no document, naming its key, and never throws anything else', () => {
    expect(() => eventsOfChange(change('cus_1#2026-10', row('PENDING', 1), { status: 'ISSUED' }))).toThrow(
      /stream record of cus_1#2026-10/,
    );
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const image = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'status',
          'invoiceNumber',
          'totalMinor',
          'version',
          'emailStatus',
          '__proto__',
          'constructor',
        ),
        fc.string(),
      ),
      value,
    );
    const key = fc.oneof(
      fc.constantFrom('c#2026-10', 'VOID#X', 'REPLACED#X', 'CREDIT#X#y', 'SERIES#x', 'run-1'),
      fc.string(),
    );
    fc.assert(
      fc.property(
        key,
        fc.option(image, { nil: undefined }),
        fc.option(image, { nil: undefined }),
        fc.boolean(),
        (k, o, n, runs) => {
          const c = {
            table: runs ? 'runs' : 'invoices',
            key: k,
            at: AT,
            ...(o ? { oldImage: o } : {}),
            ...(n ? { newImage: n } : {}),
          } as ItemChange;
          try {
            for (const event of eventsOfChange(c)) {
              expect(Number.isSafeInteger(event.sequence)).toBe(true);
              expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidInputError);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
    );
  });
});
