/**
 * The archive of every domain event, in S3 (keys: contracts/keys.ts eventArchivePart): what
 * `invoicer events` lists and `invoicer events replay` sends again. A part is written whole, its
 * key derived from its events' ids, so a retried batch writes the same bytes to the same key; a
 * bisected retry may write an event into a second part, and readers keep each id once.
 */
import { createHash } from 'node:crypto';
import { isDomainEventType, type DomainEvent } from '../contracts/domain-events.js';
import { s3Keys } from '../contracts/keys.js';
import { parseStoredJson } from '../edge/safe-json.js';
import { decodeUtf8 } from '../edge/utf8.js';
import { InvalidInputError } from '../errors.js';
import { mapLimited } from '../map-limited.js';
import type { DocumentStore } from './documents.js';

export interface EventArchive {
  /** Writes the events, one part per hour they happened in; returns the keys written. */
  write(events: readonly DomainEvent[]): Promise<string[]>;
  /** Every archived event written in [from, to), each id once, oldest first (by timestamp, then sequence). */
  read(range: { from: Date; to: Date }): Promise<DomainEvent[]>;
}

const HOUR_MS = 3_600_000;

/** The hour prefixes [from, to) touches. */
export function archiveHours(from: Date, to: Date): string[] {
  const hours: string[] = [];
  const start = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  for (let t = start; t < to.getTime(); t += HOUR_MS)
    hours.push(s3Keys.eventArchiveHour(new Date(t).toISOString()));
  return hours;
}

/** One archived line, checked: an event this version wrote (else an error naming the key and line). */
export function parseArchivedEvent(line: string, where: string): DomainEvent {
  const value = parseStoredJson(line, where) as Record<string, unknown> | null;
  const ok =
    value !== null &&
    typeof value === 'object' &&
    typeof value.id === 'string' &&
    typeof value.type === 'string' &&
    isDomainEventType(value.type) &&
    typeof value.timestamp === 'string' &&
    typeof value.sequence === 'number' &&
    typeof value.subject === 'object' &&
    value.subject !== null &&
    typeof value.data === 'object' &&
    value.data !== null;
  if (!ok) throw new InvalidInputError('not a domain event', where);
  return value as unknown as DomainEvent;
}

export const byTimeThenSequence = (a: DomainEvent, b: DomainEvent): number =>
  a.timestamp.localeCompare(b.timestamp) || a.sequence - b.sequence || a.id.localeCompare(b.id);

export function s3EventArchive(documents: Pick<DocumentStore, 'put' | 'list' | 'getBytes'>): EventArchive {
  return {
    async write(events) {
      const byHour = new Map<string, DomainEvent[]>();
      for (const event of events) {
        const hour = s3Keys.eventArchiveHour(event.timestamp);
        byHour.set(hour, [...(byHour.get(hour) ?? []), event]);
      }
      const keys: string[] = [];
      for (const group of byHour.values()) {
        const first = group[0] as DomainEvent;
        const digest = createHash('sha256')
          .update(group.map((e) => e.id).join('\n'))
          .digest('hex')
          .slice(0, 32);
        const key = s3Keys.eventArchivePart(first.timestamp, digest);
        await documents.put(key, group.map((e) => `${JSON.stringify(e)}\n`).join(''), 'application/x-ndjson');
        keys.push(key);
      }
      return keys;
    },
    async read({ from, to }) {
      // Hours and parts listed and read 16 at a time: a month is 744 hour prefixes.
      const keys = (await mapLimited(archiveHours(from, to), 16, (hour) => documents.list(hour))).flat();
      const parts = await mapLimited(keys, 16, async (key) => ({
        key,
        bytes: await documents.getBytes(key),
      }));
      const seen = new Map<string, DomainEvent>();
      for (const { key, bytes } of parts) {
        decodeUtf8(bytes, key)
          .split('\n')
          .forEach((line, i) => {
            if (line.trim() === '') return;
            const event = parseArchivedEvent(line, `${key} line ${i + 1}`);
            const at = Date.parse(event.timestamp);
            if (at >= from.getTime() && at < to.getTime() && !seen.has(event.id)) seen.set(event.id, event);
          });
      }
      return [...seen.values()].sort(byTimeThenSequence);
    },
  };
}
