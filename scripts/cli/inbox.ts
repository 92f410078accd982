/** `invoicer inbox`: what the local stack's customers received, notifications and e-mails. */
import { Command } from 'commander';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { formatInbox } from './format.js';
import { print } from './output.js';
import { localSessionOf, withTarget } from './target.js';

export function inboxCommand(): Command {
  return new Command('inbox')
    .description('show what customers received: the notifications and the e-mails')
    .option('--customer <id>', 'only this customer')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {notifications, emails, emailsDeadLettered}')
    .action(async (opts) => {
      const inbox = await withTarget(opts, {}, async (target) => {
        // On AWS, `invoices show NUMBER` tells what became of a document's e-mails.
        const s = localSessionOf(target, "inbox (what the local stack's subscribers received)");
        await s.deliverEmails();
        return {
          notifications: await s.readInbox(opts.customer),
          emails: await s.readMail(opts.customer),
          emailsDeadLettered: await s.emailDeadLetters(),
        };
      });
      print(opts.json, inbox, () => formatInbox(inbox.notifications, inbox.emails, inbox.emailsDeadLettered));
    });
}
