/**
 * The console's payment actions: on an invoice, record or reverse a payment and write off what is
 * open; on a customer, pause or resume its payment reminders (docs/payments.md). Each through the
 * CLI's own operation (./desk-operations.ts), logged.
 */
import { DEFAULT_BILLING_TIME_ZONE } from '../../lambdas/shared/config.js';
import {
  currencyOf,
  decimalAmount,
  majorToMinorExact,
  parseDecimal,
} from '../../lambdas/shared/domain/money.js';
import { localDateOf } from '../../lambdas/shared/domain/periods.js';
import { isIssuedInvoice, openAmountOf } from '../../lambdas/shared/domain/receivables.js';
import { PAYMENT_METHODS } from '../../lambdas/shared/operations/payments.js';
import type { PaymentEntry } from '../../lambdas/shared/store/receivables.js';
import { money, type ActionDef, type CustomerState, type DocumentState } from './console-action-kit.js';
import {
  recordPaymentWithLog,
  reversePaymentWithLog,
  setRemindersPaused,
  writeOffWithLog,
} from './desk-operations.js';
import type { Target } from './target.js';

const minorOf = (amount: string, currency: string, where: string) =>
  majorToMinorExact(parseDecimal(amount, where), currencyOf(currency), where);
/** Payments that can still be reversed: received, and not reversed yet. */
const reversible = (payments: PaymentEntry[]) =>
  payments.filter((p) => p.amountMinor > 0 && !payments.some((q) => q.reverses === p.paymentId));

export function paymentActions(target: Target): ActionDef<DocumentState>[] {
  const s = target.session;
  return [
    {
      id: 'record-payment',
      label: 'Record a payment',
      fields: ({ row }) =>
        isIssuedInvoice(row) && row.replacedAt === undefined && row.writtenOffAt === undefined
          ? [
              {
                name: 'amount',
                label: `Amount (${row.currency})`,
                kind: 'amount',
                required: true,
                value: openAmountOf(row) > 0 ? decimalAmount(openAmountOf(row), row.currency) : '',
              },
              {
                name: 'date',
                label: 'Received on',
                kind: 'date',
                required: true,
                value: localDateOf(new Date().toISOString(), DEFAULT_BILLING_TIME_ZONE),
              },
              {
                name: 'method',
                label: 'Method',
                kind: 'select',
                required: true,
                value: 'bank_transfer',
                options: PAYMENT_METHODS.map((m) => ({ value: m, label: m.replace(/_/g, ' ') })),
              },
              { name: 'reference', label: "Payer's reference (optional)", kind: 'text' },
            ]
          : undefined,
      async preview({ row }, v) {
        const amount = minorOf(v.amount!, row.currency, 'Amount');
        return {
          title: `Record a payment on ${row.invoiceNumber}`,
          lines: [
            `${money(amount, row.currency)} received on ${v.date} by ${v.method}${v.reference ? `, reference ${v.reference}` : ''}.`,
            `Open now ${money(openAmountOf(row), row.currency)}; after: ${money(openAmountOf(row) - amount, row.currency)}.`,
          ],
          confirmLabel: `Record ${money(amount, row.currency)}`,
        };
      },
      async execute({ row }, v) {
        const done = await recordPaymentWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          amount: v.amount!,
          date: v.date!,
          method: v.method as (typeof PAYMENT_METHODS)[number],
          reason: v.reason!,
          ...(v.reference ? { reference: v.reference } : {}),
          via: 'console',
        });
        return {
          lines: [
            `${done.outcome === 'recorded' ? 'Recorded' : 'Already recorded'} ${done.payment.paymentId}: ${money(done.payment.amountMinor, done.payment.currency)}; now ${done.paymentStatus}, open ${money(done.openMinor, done.payment.currency)}.`,
          ],
        };
      },
    },
    {
      id: 'reverse-payment',
      label: 'Reverse a payment',
      weighty: true,
      fields: ({ payments }) => {
        const open = reversible(payments);
        return open.length === 0
          ? undefined
          : [
              {
                name: 'payment',
                label: 'Payment',
                kind: 'select',
                required: true,
                options: open.map((p) => ({
                  value: p.paymentId,
                  label: `${p.date} ${money(p.amountMinor, p.currency)} (${p.paymentId})`,
                })),
              },
            ];
      },
      async preview({ row, payments }, v) {
        const p = payments.find((x) => x.paymentId === v.payment)!;
        return {
          title: `Reverse ${p.paymentId}`,
          lines: [
            `Records a reversal of ${money(-p.amountMinor, p.currency)} for the payment of ${p.date} (the payment itself stays on record).`,
            `Open on ${row.invoiceNumber} after: ${money(openAmountOf(row) + p.amountMinor, row.currency)}.`,
          ],
          confirmLabel: 'Reverse the payment',
        };
      },
      async execute({ row }, v) {
        const done = await reversePaymentWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          paymentId: v.payment!,
          reason: v.reason!,
          via: 'console',
        });
        return {
          lines: [`Reversed: now ${done.paymentStatus}, open ${money(done.openMinor, row.currency)}.`],
        };
      },
    },
    {
      id: 'write-off',
      label: 'Write off what is open',
      weighty: true,
      fields: ({ row }) =>
        isIssuedInvoice(row) && row.writtenOffAt === undefined && openAmountOf(row) > 0 ? [] : undefined,
      async preview({ row }) {
        return {
          title: `Write off ${row.invoiceNumber}`,
          lines: [
            `Gives up on the open ${money(openAmountOf(row), row.currency)}: reminders stop.`,
            'The invoice stays open in the books (the aging report and statements show it as written off).',
          ],
          confirmLabel: 'Write off',
        };
      },
      async execute({ row }, v) {
        const done = await writeOffWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          via: 'console',
        });
        return {
          lines: [
            done.writtenOff
              ? `Written off: ${money(done.openMinor, row.currency)}.`
              : `${row.invoiceNumber} was written off already.`,
          ],
        };
      },
    },
  ];
}

export function customerActions(target: Target): ActionDef<CustomerState>[] {
  const s = target.session;
  const toggle = (pause: boolean): ActionDef<CustomerState> => ({
    id: pause ? 'pause-reminders' : 'resume-reminders',
    label: pause ? 'Pause payment reminders' : 'Resume payment reminders',
    fields: ({ paused }) => ((paused === undefined) === pause ? [] : undefined),
    async preview({ customerId, name, paused }) {
      return {
        title: `${pause ? 'Pause' : 'Resume'} the reminders of ${name || customerId}`,
        lines: pause
          ? [
              'No payment reminder is sent to this customer until resumed; invoices stay open and are still marked overdue.',
            ]
          : [
              `Paused by ${paused?.by ?? ''} at ${paused?.at ?? ''}: ${paused?.reason ?? ''}.`,
              'The next daily reminder job sends what is due.',
            ],
        confirmLabel: pause ? 'Pause reminders' : 'Resume reminders',
      };
    },
    async execute({ customerId }, v) {
      const done = await setRemindersPaused(s, { customerId, pause, reason: v.reason!, via: 'console' });
      return { lines: [`Reminders ${pause ? 'paused' : done.changed ? 'resumed' : 'were not paused'}.`] };
    },
  });
  return [toggle(true), toggle(false)];
}
