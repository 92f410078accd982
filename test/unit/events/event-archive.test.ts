/**
 * The event archive over an in-memory bucket: parts keyed by the hour and their events' ids (the
 * same batch writes the same key), read back each id once within the range, and a part that is
 * not what the mapper wrote (bad UTF-8, a line that is no event, prototype keys) refused with its
 * key and line.
 */
import fc from 'fast-check';
import type { DomainEvent } from '../../../lambdas/shared/contracts/domain-events.js';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { archiveHours, s3EventArchive } from '../../../lambdas/shared/store/event-archive.js';

function memoryBucket() {
  const objects = new Map<string, Buffer>();
  return {
    objects,
    put: async (key: string, body: Buffer | string) => void objects.set(key, Buffer.from(body)),
    list: async (prefix: string) => [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(),
    getBytes: async (key: string) => objects.get(key)!,
  };
}

const event = (n: number, timestamp: string): DomainEvent => ({
  id: `evt_${String(n).padStart(32, '0')}`,
  type: 'invoice.issued',
  schemaVersion: 1,
  timestamp,
  subject: { kind: 'invoice', id: `INV-${n}` },
  sequence: 2,
  data: { runId: 'r', period: '2026-10', status: 'x', startedAt: timestamp },
});

describe('the event archive', () => {
  it('writes one part per hour, the same key for the same events, and reads each id once', async () => {
    const bucket = memoryBucket();
    const archive = s3EventArchive(bucket);
    const events = [event(1, '2026-11-01T10:59:59.000Z'), event(2, '2026-11-01T11:00:00.000Z')];
    const keys = await archive.write(events);
    expect(keys.map((k) => k.slice(0, 'events/2026/11/01/10/'.length))).toEqual([
      'events/2026/11/01/10/',
      'events/2026/11/01/11/',
    ]);
    expect(await archive.write(events)).toEqual(keys);
    await archive.write([event(2, '2026-11-01T11:00:00.000Z'), event(3, '2026-11-01T11:30:00.000Z')]);
    const read = await archive.read({
      from: new Date('2026-11-01T10:00:00Z'),
      to: new Date('2026-11-01T11:30:00Z'),
    });
    expect(read.map((e) => e.subject.id)).toEqual(['INV-1', 'INV-2']);
    expect(archiveHours(new Date('2026-11-01T10:30:00Z'), new Date('2026-11-01T12:00:00Z'))).toEqual([
      'events/2026/11/01/10/',
      'events/2026/11/01/11/',
    ]);
  });

  it('refuses a part that is not what the mapper wrote, naming its key and line', async () => {
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.json().map((j) => Buffer.from(j)),
        ),
        async (bytes) => {
          const bucket = memoryBucket();
          bucket.objects.set('events/2026/11/01/10/x.jsonl', Buffer.from(bytes));
          try {
            for (const e of await s3EventArchive(bucket).read(range)) expect(e.id).toMatch(/^evt_/);
          } catch (error) {
            expect(error instanceof InvalidInputError || error instanceof EdgeInputError).toBe(true);
            expect((error as Error).message).toContain('events/2026/11/01/10/x.jsonl');
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
    );
    const bucket = memoryBucket();
    bucket.objects.set('events/2026/11/01/10/x.jsonl', Buffer.from('{"__proto__":{"polluted":1}}\n'));
    await expect(s3EventArchive(bucket).read(range)).rejects.toThrow(/x\.jsonl line 1/);
  });
});
