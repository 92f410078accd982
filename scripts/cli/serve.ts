/**
 * `invoicer serve`: the read API of the local stack on 127.0.0.1 until Ctrl-C (SIGINT/SIGTERM),
 * the same Hono app that Lambda serves on AWS.
 */
import path from 'node:path';
import { Command, type Option } from 'commander';
import { serveSessionApi } from '../../workflows/local/api-server.js';
import { openLocalSession } from '../../workflows/local/harness/session.js';
import { integerOption } from './options.js';
import { print } from './output.js';

export function serveCommand(dataDirOption: () => Option, verbose: () => boolean): Command {
  return new Command('serve')
    .description('serve the read API of the local stack on 127.0.0.1 until Ctrl-C')
    .option('--port <n>', 'port to listen on (default: a free one)', integerOption(0, 65535), 0)
    .addOption(dataDirOption())
    .option('--json', 'print the address as one JSON object')
    .option('--verbose', 'print unexpected request errors to stderr')
    .action(async (opts) => {
      const session = await openLocalSession({ dataDir: path.resolve(opts.dataDir) });
      const report = (error: unknown) => {
        if (opts.verbose || verbose()) process.stderr.write(`invoicer serve: ${(error as Error).stack}\n`);
      };
      const server = await serveSessionApi(session, { port: opts.port, reportError: report });
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      print(opts.json, { url: server.url }, () =>
        [
          `read API on ${server.url} (Ctrl-C to stop)`,
          `  ${server.url}/v1/invoices?period=YYYY-MM`,
          `  ${server.url}/v1/customers/CUSTOMER/invoices`,
        ].join('\n'),
      );
      await stopped;
      await server.close();
      await session.close();
    });
}
