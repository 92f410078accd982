/**
 * `invoicer reminders run|pause|resume|show`: the daily payment-reminder job by hand (for a day
 * with `--date`), and support's pause of one customer's reminders (docs/payments.md).
 */
import { Command } from 'commander';
import { parseIsoDate } from '../../lambdas/shared/domain/periods.js';
import type { ReminderJobResult } from '../../lambdas/shared/operations/send-reminders.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { setRemindersPaused } from './desk-operations.js';
import { print } from './output.js';
import { withSession } from './target.js';

const sessionOptions = (command: Command): Command =>
  command.addOption(dataDirOption()).addOption(targetOption()).addOption(stackOption());

const dateOption = (value: string): string => {
  parseIsoDate(value, '--date');
  return value;
};

export const formatReminderRun = (r: ReminderJobResult): string => {
  const sent = Object.entries(r.sent)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(
      ([step, n]) =>
        `${n} at ${Number(step) < 0 ? `${-Number(step)} days before` : `${step} days after`} the due date`,
    );
  return [
    `reminders for ${r.date}: ${r.collectible} invoices open, ${r.markedOverdue} newly overdue`,
    `  sent: ${sent.length === 0 ? 'none' : sent.join(', ')}${r.paused ? `; ${r.paused} held back (paused)` : ''}`,
  ].join('\n');
};

export function remindersCommand(): Command {
  const reminders = new Command('reminders').description(
    'payment reminders: run the daily job, pause or resume a customer, show an invoice',
  );
  sessionOptions(
    reminders
      .command('run')
      .description(
        "run the daily reminder job (the local stack's timer and AWS's schedule run it every day): mark overdue invoices, send the reminders due",
      )
      .option('--date <YYYY-MM-DD>', 'run for this day (default: today in the billing time zone)', dateOption)
      .option('--json', 'print one JSON object: {date, collectible, markedOverdue, sent, paused}'),
  ).action(async (opts) => {
    const result = await withSession(opts, async (s) => {
      const ran = await s.runReminders(opts.date ? { date: opts.date } : {});
      await s.deliverEmails();
      return ran;
    });
    print(opts.json, result, () => formatReminderRun(result));
  });
  for (const [name, pause] of [
    ['pause', true],
    ['resume', false],
  ] as const)
    sessionOptions(
      reminders
        .command(name)
        .description(
          pause ? "stop sending a customer's reminders (until resumed)" : "send a customer's reminders again",
        )
        .argument('<customer>', 'customer id')
        .requiredOption('--reason <text>', 'why (kept in the operator log)')
        .option('--json', 'print one JSON object: {customerId, paused, changed}'),
    ).action(async (customerId: string, opts) => {
      const result = await withSession(opts, (s) =>
        setRemindersPaused(s, { customerId, pause, reason: opts.reason, via: 'cli' }),
      );
      print(
        opts.json,
        result,
        () => `${customerId}: reminders ${pause ? 'paused' : result.changed ? 'resumed' : 'were not paused'}`,
      );
    });
  sessionOptions(
    reminders
      .command('show')
      .description("an invoice's reminders: each step and when it was sent")
      .argument('<number>', 'invoice number')
      .option('--json', 'print one JSON object: {reminders}'),
  ).action(async (number: string, opts) => {
    const sent = await withSession(opts, (s) => s.stores.reminders.sentOf(number));
    print(opts.json, { reminders: sent }, () =>
      sent.length === 0
        ? `${number}: no reminders`
        : sent
            .map((c) => `${number}  step ${c.step > 0 ? '+' : ''}${c.step}  sent ${c.publishedAt}`)
            .join('\n'),
    );
  });
  return reminders;
}
