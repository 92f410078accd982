/**
 * The commands a running local stack answers for a shell (scripts/cli/query-worker.ts): they read
 * and print, and end. None reads stdin or a file, writes a file, follows a run or serves; a write
 * one makes (a hosted link made on first show) is the write the command makes when run by itself.
 * The value says whether these options keep it a query (`search --reindex` writes every key).
 */
type Options = Record<string, unknown>;
const always = () => true;

export const QUERY_COMMANDS: ReadonlyMap<string, (opts: Options) => boolean> = new Map([
  ['runs list', always],
  ['runs show', always],
  ['runs locks', always],
  ['invoices list', always],
  ['invoices show', always],
  ['payments list', always],
  ['payments unmatched', always],
  ['reminders show', always],
  ['webhooks list', always],
  ['webhooks deliveries', always],
  ['inbox', always],
  ['links show', always],
  ['search', (opts: Options) => opts.reindex !== true],
]);

/**
 * Whether argv may name a query, by its words alone (the caller's quick look before it asks the
 * stack; the worker decides on the parsed command). Options come after the command words.
 */
export function mayBeQuery(argv: readonly string[]): boolean {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  return QUERY_COMMANDS.has(words[0] ?? '') || QUERY_COMMANDS.has(`${words[0]} ${words[1]}`);
}
