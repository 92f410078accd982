/**
 * `invoicer console [--port N]`: the support console (lambdas/api/console/) served with the read
 * API by the same Hono app, on 127.0.0.1, over the data dir's local stack. Its actions go through
 * the same operations as the CLI's (./console-deps.ts, ./desk-operations.ts, ./operations.ts),
 * each recorded in the operator log.
 */
import { logDetails } from './errors.js';
import { Command } from 'commander';
import { dataDirOption, stackOption, targetOption, debugRequested } from './common.js';
import { print } from './output.js';
import { portOption } from './serve.js';
import { withTarget } from './target.js';

export const CONSOLE_PORT = 8788;

export function consoleCommand(): Command {
  return new Command('console')
    .description(
      'serve the support desk (search, customers, documents, runs and locks, every operator action, imports) on 127.0.0.1 until Ctrl-C',
    )
    .option(
      '--port <n>',
      `port to listen on (0: a free one; default ${CONSOLE_PORT})`,
      portOption(),
      CONSOLE_PORT,
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the address as one JSON object: {url}')
    .option('--verbose', 'print unexpected request errors to stderr')
    .action(async (opts) => {
      const verbose = Boolean(opts.verbose) || debugRequested();
      // A stack started for the console delivers e-mails as they are queued, like `local up`'s.
      await withTarget(opts, { emailPollMs: 1000 }, async (target) => {
        // Loaded on use: the HTTP server and the console's pages.
        const { serveSessionApi } = await import('../../workflows/local/api-server.js');
        const { consoleDeps } = await import('./console-deps.js');
        const server = await serveSessionApi(target.session, {
          port: opts.port,
          console: consoleDeps(target),
          reportError: (error, errorId) => {
            const id = logDetails(error, errorId);
            if (verbose) process.stderr.write(`invoicer console: error ${id}: ${(error as Error).stack}\n`);
          },
        }).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EADDRINUSE'
            ? new Error(`port ${opts.port} is in use; choose one with --port`)
            : error;
        });
        const url = `${server.url}/console`;
        print(opts.json, { url }, () => `support console on ${url} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      });
    });
}
