/**
 * `invoicer payments record|reverse|list|import|unmatched|assign` and `invoices write-off`: who has
 * paid (docs/payments.md). Every action is recorded in the operator log with who and why.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import { openAmountOf, paymentStatusOf } from '../../lambdas/shared/domain/receivables.js';
import type { StatementImportReport } from '../../lambdas/shared/operations/import-statement.js';
import {
  STATEMENT_FORMATS,
  statementFormatOfFile,
  type StatementFormat,
} from '../../lambdas/shared/statements/statement-format.js';
import {
  assignCredit,
  payableInvoice,
  PAYMENT_METHODS,
  type PaymentResult,
} from '../../lambdas/shared/operations/payments.js';
import { OPERATOR_ACTION } from '../../lambdas/shared/store/operator-log.js';
import type { PaymentEntry, UnmatchedCredit } from '../../lambdas/shared/store/receivables.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { logAction } from './operations.js';
import {
  importStatementWithLog,
  paymentDeps,
  recordPaymentWithLog,
  reversePaymentWithLog,
  writeOffWithLog,
} from './desk-operations.js';
import { print } from './output.js';
import { withSession } from './target.js';

const sessionOptions = (command: Command): Command =>
  command.addOption(dataDirOption()).addOption(targetOption()).addOption(stackOption());

const money = (minor: number, currency: string) => `${decimalAmount(minor, currency)} ${currency}`;

export const formatPayment = (p: PaymentEntry): string =>
  `${p.paymentId}  ${p.invoiceNumber}  ${p.date}  ${money(p.amountMinor, p.currency).padStart(16)}  ${p.method}  ${p.source}${p.reference ? `  ref ${p.reference}` : ''}${p.reverses ? `  reverses ${p.reverses}` : ''}${p.reason ? `  "${p.reason}"` : ''}`;

const formatResult = (r: PaymentResult): string =>
  `${r.invoiceNumber}: ${r.outcome === 'recorded' ? 'recorded' : 'already recorded'} ${r.payment.paymentId} ${money(r.payment.amountMinor, r.payment.currency)}; now ${r.paymentStatus}, open ${money(r.openMinor, r.payment.currency)}`;

export const formatUnmatched = (c: UnmatchedCredit): string =>
  `${c.entryId}  ${c.bookingDate}  ${money(c.amountMinor, c.currency).padStart(16)}  ${c.payerName ?? '(no payer)'}  ${c.reference ?? c.remittance ?? ''}\n    ${c.reason}${c.candidates ? ` (candidates: ${c.candidates.join(', ')})` : ''}`;

export const formatImport = (r: StatementImportReport): string =>
  [
    `${r.credits} credits: ${r.matched} matched, ${r.unmatched} unmatched, ${r.alreadyImported} imported before; ${r.errors.length} with errors; skipped ${r.skipped.debits} debits, ${r.skipped.notBooked} not booked, ${r.skipped.reversals} reversals`,
    ...r.entries.map((e) =>
      e.outcome === 'matched'
        ? `  matched    ${e.entryId}  ${money(e.amountMinor, e.currency)} -> ${e.invoiceNumber} (${e.rule})`
        : `  unmatched  ${e.entryId}  ${money(e.amountMinor, e.currency)}: ${e.reason}`,
    ),
    ...r.errors.map((e) => `  error      ${e.where}: ${e.message}`),
  ].join('\n');

export function paymentsCommand(): Command {
  const payments = new Command('payments').description(
    'who has paid: record, reverse, list, import bank statements, assign unmatched credits',
  );
  sessionOptions(
    payments
      .command('record')
      .description('record a payment received for an invoice (its own entry; never edits another)')
      .argument('<number>', 'invoice number')
      .requiredOption('--amount <amount>', "amount in the invoice's currency, e.g. 59.50")
      .requiredOption('--date <YYYY-MM-DD>', 'when the money arrived')
      .requiredOption('--reason <text>', 'why it is recorded by hand (kept with the payment)')
      .option('--currency <code>', "the payment's currency (must be the invoice's)")
      .option('--reference <text>', "the payer's reference")
      .addOption(
        new Option('--method <method>', 'how it was paid').choices(PAYMENT_METHODS).default('bank_transfer'),
      )
      .option(
        '--idempotency-key <key>',
        'the request identity (default: invoice, amount, date, method, reference)',
      )
      .option('--json', 'print one JSON object: {payment, outcome, invoiceNumber, paymentStatus, openMinor}'),
  ).action(async (number: string, opts) => {
    const result = await withSession(opts, (s) =>
      recordPaymentWithLog(s, {
        invoiceNumber: number,
        amount: opts.amount,
        date: opts.date,
        method: opts.method,
        reason: opts.reason,
        ...(opts.currency ? { currency: opts.currency } : {}),
        ...(opts.reference ? { reference: opts.reference } : {}),
        ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
        via: 'cli',
      }),
    );
    print(opts.json, result, () => formatResult(result));
  });
  sessionOptions(
    payments
      .command('reverse')
      .description('take a payment back (a bounced transfer, a mistake): a new entry of the opposite amount')
      .argument('<number>', 'invoice number')
      .requiredOption('--payment <id>', 'the payment to reverse (pay_...)')
      .requiredOption('--reason <text>', 'why')
      .option('--json', 'print one JSON object: {payment, outcome, invoiceNumber, paymentStatus, openMinor}'),
  ).action(async (number: string, opts) => {
    const result = await withSession(opts, (s) =>
      reversePaymentWithLog(s, {
        invoiceNumber: number,
        paymentId: opts.payment,
        reason: opts.reason,
        via: 'cli',
      }),
    );
    print(opts.json, result, () => formatResult(result));
  });
  sessionOptions(
    payments
      .command('list')
      .description("an invoice's payments and status, or a customer's payments")
      .option('--invoice <number>', 'this invoice')
      .option('--customer <id>', "this customer's")
      .option('--json', 'print one JSON object: {payments, invoice?: {paymentStatus, openMinor, ...}}'),
  ).action(async (opts) => {
    if (!opts.invoice === !opts.customer) throw new Error('give one of --invoice NUMBER or --customer ID');
    const listed = await withSession(opts, async (s) => {
      if (opts.customer) return { payments: await s.stores.receivables.payments(opts.customer) };
      const row = await payableInvoice(s.stores.invoices, opts.invoice, `payments of ${opts.invoice}`);
      return {
        payments: await s.stores.receivables.payments(row.customerId, row.invoiceNumber),
        invoice: {
          invoiceNumber: row.invoiceNumber,
          currency: row.currency,
          totalMinor: row.totalMinor,
          creditedMinor: row.creditedMinor ?? 0,
          paidMinor: row.paidMinor ?? 0,
          openMinor: openAmountOf(row),
          paymentStatus: paymentStatusOf(row),
        },
      };
    });
    print(opts.json, listed, () =>
      [
        ...(listed.invoice
          ? [
              `${listed.invoice.invoiceNumber}: ${listed.invoice.paymentStatus}; total ${money(listed.invoice.totalMinor, listed.invoice.currency)} − credited ${money(listed.invoice.creditedMinor, listed.invoice.currency)} − paid ${money(listed.invoice.paidMinor, listed.invoice.currency)} = open ${money(listed.invoice.openMinor, listed.invoice.currency)}`,
            ]
          : []),
        listed.payments.length === 0 ? 'no payments' : listed.payments.map(formatPayment).join('\n'),
      ].join('\n'),
    );
  });
  sessionOptions(
    payments
      .command('import')
      .description(
        'import a bank statement (camt.053/camt.054 XML or the CSV layout of docs/payments.md): match its credits to invoices and record them; importing it again changes nothing',
      )
      .argument('<file>', 'the statement (.xml: camt; .csv: CSV)')
      .addOption(
        new Option('--format <format>', 'the file format (default: by its extension)').choices(
          STATEMENT_FORMATS,
        ),
      )
      .option('--json', 'print one JSON object: the import report (docs/payments.md)'),
  ).action(async (file: string, opts) => {
    const format = (opts.format as StatementFormat | undefined) ?? statementFormatOfFile(file);
    if (format === undefined)
      throw new Error(`${file}: give --format camt or csv (the extension says neither)`);
    const bytes = await readFile(file);
    // The statement readers (XML and CSV parsers) load only for an import.
    const { readStatement } = await import('../../lambdas/shared/operations/import-statement.js');
    const read = readStatement(bytes, file, format);
    const report = await withSession(opts, (s) => importStatementWithLog(s, { file, read, via: 'cli' }));
    print(opts.json, report, () => formatImport(report));
    // Entries that could not be read are errors the operator must see; the others were imported.
    if (report.errors.length > 0) process.exitCode = 1;
  });
  sessionOptions(
    payments
      .command('unmatched')
      .description(
        'the bank credits no rule matched (or that fitted more than one invoice), for support to assign',
      )
      .option('--json', 'print one JSON object: {credits}'),
  ).action(async (opts) => {
    const credits = await withSession(opts, (s) => s.stores.receivables.unmatched());
    print(opts.json, { credits }, () =>
      credits.length === 0 ? 'no unmatched credits' : credits.map(formatUnmatched).join('\n'),
    );
  });
  sessionOptions(
    payments
      .command('assign')
      .description('apply an unmatched bank credit to an invoice')
      .argument('<entry>', 'the credit (bc_..., see: invoicer payments unmatched)')
      .argument('<number>', 'the invoice it pays')
      .requiredOption('--reason <text>', 'why this invoice (kept in the operator log)')
      .option('--json', 'print one JSON object: {payment, outcome, invoiceNumber, paymentStatus, openMinor}'),
  ).action(async (entry: string, number: string, opts) => {
    const result = await withSession(opts, async (s) => {
      const assigned = await assignCredit(paymentDeps(s), {
        entryId: entry,
        invoiceNumber: number,
        by: s.operator,
      });
      await logAction(s, {
        action: OPERATOR_ACTION.assignCredit,
        reason: opts.reason,
        subject: { kind: 'invoice', invoiceNumber: number },
        details: { entryId: entry, paymentId: assigned.payment.paymentId, outcome: assigned.outcome },
      });
      return assigned;
    });
    print(opts.json, result, () => formatResult(result));
  });
  return payments;
}

export function writeOffCommand(): Command {
  return sessionOptions(
    new Command('write-off')
      .description('give up on what is open on an invoice (it stays open in the books; reminders stop)')
      .argument('<number>', 'invoice number')
      .requiredOption('--reason <text>', 'why')
      .option('--json', 'print one JSON object: {invoiceNumber, writtenOff, openMinor}'),
  ).action(async (number: string, opts) => {
    const result = await withSession(opts, (s) =>
      writeOffWithLog(s, { invoiceNumber: number, reason: opts.reason, via: 'cli' }),
    );
    print(
      opts.json,
      result,
      () =>
        `${number}: ${result.writtenOff ? 'written off' : 'was written off already'} (open ${result.openMinor} minor units)`,
    );
  });
}
