/**
 * `invoicer links show|revoke NUMBER`: the hosted-invoice link of an issued invoice or credit note,
 * and revoking it (optionally with a new link at once), recorded with who and why.
 */
import { Command, type Option } from 'commander';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { operatorIdentity } from './common.js';
import { OPERATOR_ACTION } from '../../lambdas/shared/store/operator-log.js';
import { logAction } from './operations.js';
import { print } from './output.js';

type WithSession = <T>(dataDir: string, fn: (session: LocalSession) => Promise<T>) => Promise<T>;

export function linksCommand(dataDirOption: () => Option, withSession: WithSession): Command {
  const links = new Command('links').description('hosted invoice links customers open: show, revoke');
  links
    .command('show')
    .description('print the hosted link of an issued invoice or credit note (what its notification says)')
    .argument('<number>', 'invoice or credit note number')
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const url = await withSession(opts.dataDir, (s) => s.hostedLink(number));
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
    .option('--json', 'print JSON')
    .action(async (number: string, opts) => {
      const result = await withSession(opts.dataDir, async (s) => {
        const revoked = await s.revokeHostedLink({
          invoiceNumber: number,
          reason: opts.reason,
          by: operatorIdentity(),
          reissue: Boolean(opts.reissue),
        });
        await logAction(s, {
          action: OPERATOR_ACTION.revokeLink,
          reason: opts.reason,
          subject: { kind: 'invoice', invoiceNumber: number },
          details: { revoked: revoked.revoked, reissued: Boolean(revoked.newUrl) },
        });
        return revoked;
      });
      print(opts.json, result, () =>
        [
          `${result.invoiceNumber}: link ${result.revoked ? 'revoked' : 'was revoked already'}`,
          ...(result.newUrl ? [`new link: ${result.newUrl}`] : []),
        ].join('\n'),
      );
    });
  return links;
}
