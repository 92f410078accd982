/**
 * `invoicer links show|revoke NUMBER`: the hosted-invoice link of an issued invoice or credit note,
 * and revoking it (optionally with a new link at once), recorded with who and why.
 */
import { Command } from 'commander';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { revokeLinkWithLog } from './desk-operations.js';
import { print } from './output.js';
import { withSession } from './target.js';

export function linksCommand(): Command {
  const links = new Command('links').description('hosted invoice links customers open: show, revoke');
  links
    .command('show')
    .description('print the hosted link of an issued invoice or credit note (what its notification says)')
    .argument('<number>', 'invoice or credit note number')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const url = await withSession(opts, (s) => s.hostedLink(number));
      print(opts.json, { invoiceNumber: number, url }, () => url);
    });
  links
    .command('revoke')
    .description(
      'revoke the hosted link of a document (it then opens "not found"); --reissue gives it a new one',
    )
    .argument('<number>', 'invoice or credit note number')
    .requiredOption('--reason <text>', 'why (kept on the link)')
    .option('--reissue', 'give the document a new link at once (resends state the new one)')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const result = await withSession(opts, (s) =>
        revokeLinkWithLog(s, {
          invoiceNumber: number,
          reason: opts.reason,
          reissue: Boolean(opts.reissue),
          via: 'cli',
        }),
      );
      print(opts.json, result, () =>
        [
          `${result.invoiceNumber}: link ${result.revoked ? 'revoked' : 'was revoked already'}`,
          ...(result.newUrl ? [`new link: ${result.newUrl}`] : []),
        ].join('\n'),
      );
    });
  return links;
}
