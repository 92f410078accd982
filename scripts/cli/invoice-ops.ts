/**
 * Support staff's actions on one invoice or credit note: `invoices show` (the invoice, its link,
 * what the customer was sent, and the operator log), `invoices regenerate`, and
 * `notify --resend`. Each action is recorded in the operator log with who, when and why.
 */
import { Command } from 'commander';
import { invoiceView } from '../../lambdas/api/views.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { formatInvoices, formatOperatorLog } from './format.js';
import { documentEmails, type DocumentEmail } from '../../workflows/operator/invoice-deliveries.js';
import { resendsIn } from '../../lambdas/shared/store/operator-log.js';
import { resendWithLog } from './operations.js';
import { regenerateWithLog } from './desk-operations.js';
import { print } from './output.js';
import { withSession } from './target.js';

const reasonOption = ['--reason <text>', 'why (kept in the operator log)'] as const;

const formatNotifications = (n: { receivedAt?: string; resendOf?: unknown }[] | null): string =>
  n === null
    ? "not visible from here on AWS (they go to the customer topic's subscribers; see e-mails)"
    : n.length === 0
      ? 'none'
      : n.map((m) => `${m.receivedAt ?? '?'}${m.resendOf ? ' (resend)' : ''}`).join(', ');

const formatDocumentEmail = (e: DocumentEmail): string =>
  `${e.resend === 0 ? 'first' : `resend ${e.resend}`} ${e.status}${e.to ? ` to ${e.to}` : ''}${e.sentAt ? ` at ${e.sentAt}` : ''}${e.detail ? ` (${e.detail})` : ''}`;

export function showInvoiceCommand(): Command {
  return new Command('show')
    .description(
      'show an invoice or credit note: its row, hosted link, the messages its customer got, the operator log',
    )
    .argument('<number>', 'invoice or credit note number')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {invoice, hostedLink, notifications, emails, operatorLog}')
    .action(async (number: string, opts) => {
      const shown = await withSession(opts, async (s) => {
        const rows = (await s.stores.invoices.query({ invoiceNumber: number })).sort((a, b) =>
          a.status === 'VOID' ? 1 : b.status === 'VOID' ? -1 : 0,
        );
        const row = rows[0];
        if (!row) throw new Error(`no invoice or credit note ${number} (see: invoicer invoices list)`);
        const operatorLog = await s.operatorLog.entries({ kind: 'invoice', invoiceNumber: number });
        const resends = resendsIn(operatorLog);
        // What the customer topic's subscribers got is visible only on the local stack (its inbox queue).
        const received = s.deliveries && (await s.deliveries.readInbox(row.customerId));
        return {
          row,
          invoice: invoiceView(row),
          hostedLink: row.status === 'VOID' ? null : await s.hostedLink(number),
          notifications:
            received
              ?.filter((m) => m.invoiceNumber === number)
              .map((m) => ({
                eventType: m.eventType,
                receivedAt: m.receivedAt,
                eventId: m.event.eventId,
                ...(m.event.resendOf ? { resendOf: m.event.resendOf } : {}),
              })) ?? null,
          emails: await documentEmails(s.stores.deliveries, row, resends),
          operatorLog,
        };
      });
      const { row, ...document } = shown;
      print(opts.json, document, () =>
        [
          formatInvoices([row]),
          ...(shown.hostedLink ? [`hosted link: ${shown.hostedLink}`] : []),
          `notifications: ${formatNotifications(shown.notifications)}`,
          `e-mails: ${shown.emails.length === 0 ? 'none' : shown.emails.map(formatDocumentEmail).join('; ')}`,
          formatOperatorLog(shown.operatorLog),
        ].join('\n'),
      );
    });
}

export function regenerateCommand(): Command {
  return new Command('regenerate')
    .description(
      'render an issued document again from its canonical JSON: every file identical, or restored byte for byte if missing; an error, writing nothing, if the renderer no longer gives the stored bytes',
    )
    .argument('<number>', 'invoice or credit note number')
    .requiredOption(...reasonOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {invoiceNumber, documents: {<key>: identical|restored}}')
    .action(async (number: string, opts) => {
      const result = await withSession(opts, (s) =>
        regenerateWithLog(s, { invoiceNumber: number, reason: opts.reason, via: 'cli' }),
      );
      print(opts.json, result, () =>
        [
          `${number}: documents regenerated from its JSON detail`,
          ...Object.entries(result.documents).map(([k, v]) => `  ${v.padEnd(9)} ${k}`),
        ].join('\n'),
      );
    });
}

export function notifyCommand(): Command {
  return new Command('notify')
    .description(
      "send a customer's notification again (e.g. the e-mail was lost): a new event, delivered again",
    )
    .requiredOption('--resend <number>', 'the NOTIFIED invoice or credit note whose notification to resend')
    .requiredOption(...reasonOption)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print {invoiceNumber, customerId, eventId, resendOf, resend}')
    .action(async (opts) => {
      const number = opts.resend as string;
      const result = await withSession(opts, (s) => resendWithLog(s, number, opts.reason as string));
      print(
        opts.json,
        result,
        () =>
          `${number}: notification resent to ${result.customerId} (resend ${result.resend}, event ${result.eventId})`,
      );
    });
}
