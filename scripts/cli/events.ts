/**
 * `invoicer events [--invoice N] [--type T] [--since T] [--until T]` lists the domain events the
 * change stream emitted, from the archive; `invoicer events replay --from T --to T [--endpoint E]
 * [--type T]` sends them again to the webhook endpoints (same ids, so consumers drop what they
 * had). The same on both targets.
 */
import { Command } from 'commander';
import { EVENT_TYPE_WIDTH, type DomainEvent } from '../../lambdas/shared/contracts/domain-events.js';
import {
  checkEndpointId,
  listEvents,
  parseEventTypes,
  replayEvents,
} from '../../lambdas/shared/operations/webhook-admin.js';
import type { EventsAccess, OperatorSession } from '../../workflows/operator/session-types.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { timeOption, usageError } from './options.js';
import { print } from './output.js';
import { withSession, type TargetSelection } from './target.js';

/** The widest range one command reads (the archive is listed hour by hour). */
export const MAX_EVENT_RANGE_DAYS = 92;
const DEFAULT_SINCE = '7d';
const parseTime = (value: string): Date => timeOption(value);

export function eventsOf(session: OperatorSession): EventsAccess {
  if (session.events === undefined)
    throw new Error('this stack has no events or webhooks (deploy this version: npm run deploy)');
  return session.events;
}

function range(from: Date, to: Date): { from: Date; to: Date } {
  if (from.getTime() >= to.getTime()) throw usageError('the start of the range must be before its end');
  if (to.getTime() - from.getTime() > MAX_EVENT_RANGE_DAYS * 86_400_000)
    throw usageError(`a range of at most ${MAX_EVENT_RANGE_DAYS} days, please`);
  return { from, to };
}

const typesOf = (raw: string | undefined) => parseEventTypes(raw, '--type');

export function formatEvents(events: readonly DomainEvent[]): string {
  if (events.length === 0) return 'no events in that range';
  return events
    .map(
      (e) =>
        `${e.timestamp}  ${e.type.padEnd(EVENT_TYPE_WIDTH)} ${e.subject.id.padEnd(20)} seq ${String(e.sequence).padStart(3)}  ${e.id}`,
    )
    .join('\n');
}

export function eventsCommand(): Command {
  const events = new Command('events')
    .description("the domain events sent to the owner's systems (from the archive); replay them")
    .option('--invoice <number>', 'only the events of this invoice or credit note (and its credit notes)')
    .option('--type <types>', 'only these event types (comma-separated)')
    .option(
      '--since <time>',
      `from this time (ISO 8601, or 30m, 6h, 7d ago; default ${DEFAULT_SINCE})`,
      parseTime,
    )
    .option('--until <time>', 'up to this time (default now)', parseTime)
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {events}')
    .action(async (opts) => {
      const { from, to } = range(
        (opts.since as Date | undefined) ?? timeOption(DEFAULT_SINCE),
        (opts.until as Date | undefined) ?? new Date(),
      );
      const types = typesOf(opts.type);
      const found = await withSession(opts, async (s) => {
        const access = eventsOf(s);
        await access.deliverEvents?.();
        return listEvents(access, {
          from,
          to,
          types,
          ...(opts.invoice ? { invoiceNumber: opts.invoice } : {}),
        });
      });
      print(opts.json, { events: found }, () => formatEvents(found));
    });
  events
    .command('replay')
    .description('send the archived events of a time range again to the webhook endpoints (same ids)')
    .requiredOption('--from <time>', 'the start (ISO 8601, or 30m, 6h, 7d ago)', parseTime)
    .requiredOption('--to <time>', 'the end, excluded', parseTime)
    .option('--endpoint <id>', 'only this endpoint (default: every enabled endpoint)')
    .option('--type <types>', 'only these event types (comma-separated)')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print one JSON object: {events, attempts, endpoints}')
    // `events` has options of the same names (--data-dir, --type, --json ...), and commander gives
    // them to it wherever they stand: they are read merged with replay's own.
    .action(async (_own, command: Command) => {
      const opts = command.optsWithGlobals<
        TargetSelection & { from: Date; to: Date; type?: string; endpoint?: string; json?: boolean }
      >();
      const { from, to } = range(opts.from, opts.to);
      const types = typesOf(opts.type);
      const endpointId = opts.endpoint === undefined ? undefined : checkEndpointId(opts.endpoint);
      const result = await withSession(opts, async (s) => {
        const access = eventsOf(s);
        const replayed = await replayEvents(access, {
          from,
          to,
          types,
          ...(endpointId ? { endpointId } : {}),
        });
        await access.deliverEvents?.();
        return replayed;
      });
      print(
        Boolean(opts.json),
        result,
        () =>
          `${result.events} events, ${result.attempts} deliveries queued for ${result.endpoints.length} endpoint${result.endpoints.length === 1 ? '' : 's'}`,
      );
    });
  return events;
}
