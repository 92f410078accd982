/**
 * `invoicer serve`: the read API of the local stack on 127.0.0.1 until Ctrl-C (SIGINT/SIGTERM),
 * the same Hono app that Lambda serves on AWS. `invoicer run --serve` (npm start) serves the same
 * way after its run.
 */
import { logDetails } from './errors.js';
import { Command, type Option } from 'commander';
import { importPath } from '../../lambdas/shared/contracts/api-paths.js';
import { ISSUED_STATUSES } from '../../lambdas/shared/contracts/statuses.js';
import type { LocalSession } from '../../workflows/local/harness/session.js';
import { LOCAL_API_PORT } from '../../workflows/local/hosted-links.js';
import { integerOption } from './options.js';
import { print } from './output.js';
import { localSessionOf, withTarget } from './target.js';

export const portOption = () => integerOption(0, 65535);

export interface Serving {
  url: string;
  /** One hosted invoice page to open in a browser (the newest invoice), when there is one. */
  hostedLink?: string;
}

/**
 * Serves the session's API on `port`, reports where, and resolves once Ctrl-C or SIGTERM stopped
 * it. `report(serving)` prints the address (the caller's format).
 */
export async function serveUntilStopped(
  session: LocalSession,
  options: { port: number; verbose: boolean; period?: string },
  report: (serving: Serving) => void,
): Promise<void> {
  // Every unexpected request error goes to the error log under the id its 500 answer names.
  const reportError = (error: unknown, errorId?: string) => {
    const id = logDetails(error, errorId);
    if (options.verbose) process.stderr.write(`invoicer serve: error ${id}: ${(error as Error).stack}\n`);
  };
  const { serveSessionApi } = await import('../../workflows/local/api-server.js');
  const server = await serveSessionApi(session, {
    port: options.port,
    reportError,
    importsBy: session.operator,
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new Error(`port ${options.port} is in use (another invoicer serve?); choose one with --port`)
      : error;
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    const issued = (await session.listInvoices(options.period ? { period: options.period } : {})).filter(
      (r) => ISSUED_STATUSES.includes(r.status),
    );
    const newest = issued.at(-1);
    // The link names the configured address; served elsewhere (--port), its path is what counts.
    const hostedLink = newest
      ? `${server.url}${new URL(await session.hostedLink(newest.invoiceNumber)).pathname}`
      : undefined;
    report({ url: server.url, ...(hostedLink ? { hostedLink } : {}) });
    await stopped;
  } finally {
    await server.close();
  }
}

export const servingText = (s: Serving): string =>
  [
    `read API on ${s.url} (Ctrl-C to stop)`,
    `  ${s.url}/v1/invoices?period=YYYY-MM`,
    `  ${s.url}/v1/customers/CUSTOMER/invoices`,
    `  POST ${s.url}${importPath('customers|plans|usage')} (JSON Lines or CSV)`,
    ...(s.hostedLink ? [`hosted invoice page: ${s.hostedLink}`] : []),
  ].join('\n');

export function serveCommand(dataDirOption: () => Option, verbose: () => boolean): Command {
  return new Command('serve')
    .description(
      'serve the read API and the hosted invoice pages of the local stack on 127.0.0.1 until Ctrl-C',
    )
    .option(
      '--port <n>',
      `port to listen on (0: a free one); hosted links in notifications name ${LOCAL_API_PORT}`,
      portOption(),
      LOCAL_API_PORT,
    )
    .addOption(dataDirOption())
    .option('--json', 'print the address (and a hosted link) as one JSON object')
    .option('--verbose', 'print unexpected request errors to stderr')
    .action(async (opts) => {
      await withTarget({ dataDir: opts.dataDir }, { dailyReminders: true }, (target) =>
        serveUntilStopped(
          localSessionOf(target, 'serve'),
          { port: opts.port, verbose: Boolean(opts.verbose) || verbose() },
          (s) => print(opts.json, s, () => servingText(s)),
        ),
      );
    });
}
