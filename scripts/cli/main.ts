/**
 * The `invoicer` command line: runs the monthly billing run on the local stack (the running one of
 * the data dir, else one started for the command) and lets support staff inspect and operate
 * invoices, runs and what customers received. Each command's module is loaded only when that
 * command runs (help and unknown words load them all), so a query starts fast.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { dataDirOption, debugRequested } from './common.js';
import { describeCliFailure } from './errors.js';
import { printable } from './terminal-text.js';

const PACKAGE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

type Commands = () => Promise<Command[]>;
const one = (command: Command): Command[] => [command];

/** Every top-level command, by the word that names it, and how to build it. */
const COMMANDS: Readonly<Record<string, Commands>> = {
  run: async () => one((await import('./run.js')).runCommand()),
  invoices: async () => one((await import('./invoices.js')).invoicesCommand()),
  notify: async () => one((await import('./invoice-ops.js')).notifyCommand()),
  audit: async () => one((await import('./audit.js')).auditCommand()),
  import: async () => one((await import('./import.js')).importCommand()),
  console: async () => one((await import('./console.js')).consoleCommand()),
  inbox: async () => one((await import('./inbox.js')).inboxCommand()),
  runs: async () => (await import('./runs.js')).runsCommands(),
  local: async () => one((await import('./local.js')).localCommand()),
  links: async () => one((await import('./links.js')).linksCommand()),
  preview: async () => one((await import('./preview.js')).previewCommand()),
  report: async () => one((await import('./report.js')).reportCommands()),
  events: async () => one((await import('./events.js')).eventsCommand()),
  webhooks: async () => one((await import('./webhooks.js')).webhooksCommand()),
  payments: async () => one((await import('./payments.js')).paymentsCommand()),
  reminders: async () => one((await import('./reminders.js')).remindersCommand()),
  search: async () => one((await import('./search.js')).searchCommand()),
  serve: async () => one((await import('./serve.js')).serveCommand(dataDirOption, debugRequested)),
};
/** Words that name a command built with another's (`runs` builds `rerun` and `redrive` too). */
const BUILT_BY: Readonly<Record<string, string>> = { rerun: 'runs', redrive: 'runs' };

/** The commands `argv` needs: the one it names, or all of them (help, a typo, no command). */
function needed(argv: readonly string[]): Commands[] {
  const word = argv.find((a) => !a.startsWith('-'));
  if (word === undefined && (argv.includes('--version') || argv.includes('-V'))) return [];
  const name = word === undefined ? undefined : (BUILT_BY[word] ?? word);
  if (name !== undefined && Object.hasOwn(COMMANDS, name) && !argv.includes('--help') && !argv.includes('-h'))
    return [COMMANDS[name]!];
  return Object.values(COMMANDS);
}

/** The program with the commands `argv` needs (all of them when no argv is given). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('invoicer')
    .description('Monthly invoicing run on AWS Step Functions, runnable locally with no AWS account.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander quotes the arguments it refuses: escaped, so a bad flag cannot drive the terminal.
    .configureOutput({ outputError: (text, write) => write(text.split('\n').map(printable).join('\n')) })
    .exitOverride();
  const built = await Promise.all(
    (argv === undefined ? Object.values(COMMANDS) : needed(argv)).map((load) => load()),
  );
  for (const command of built.flat()) program.addCommand(command);
  // Commands built in their own modules (addCommand) do not inherit these settings by themselves.
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.copyInheritedSettings(command);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Thrown by a `beforeAction` check to leave the command unrun: main() passes it on, printing nothing. */
export class CommandNotRun extends Error {}

export interface MainOptions {
  /** Called with the command about to act, its options parsed; throw CommandNotRun to stop it. */
  beforeAction?: (command: Command) => void;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const program = await buildProgram(argv);
  const { beforeAction } = options;
  if (beforeAction) program.hook('preAction', (_program, command) => beforeAction(command));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommandNotRun) throw error;
    if (error instanceof CommanderError) {
      // Commander already printed usage errors; help and version exit cleanly.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (error.code === 'invoicer.usage') process.stderr.write(`invoicer: error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`invoicer: error: ${describeCliFailure(error).message}\n`);
    // Nothing to report is not a failure of the command: scripts tell it apart by its code.
    if ((error as Error).name === 'ReportNoDataError') return 3;
    if (debugRequested()) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
