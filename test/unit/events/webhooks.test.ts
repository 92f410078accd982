/**
 * Webhooks at the edges: signatures verify with the Standard Webhooks library's own verifier
 * (and fail on a tampered body, a wrong secret), a rotated secret signs alongside the new one;
 * URLs at private, loopback or link-local addresses are refused on AWS and allowed locally; and
 * the queue's messages, whatever bytes they hold, parse or are refused with their place.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { parseEventTypes } from '../../../lambdas/shared/operations/webhook-admin.js';
import {
  AWS_ADDRESS_POLICY,
  checkWebhookUrl,
  isPublicAddress,
} from '../../../lambdas/shared/webhooks/address-policy.js';
import { parseWebhookMessage } from '../../../lambdas/shared/webhooks/messages.js';
import { newWebhookSecret, signedHeaders } from '../../../lambdas/shared/webhooks/signing.js';
import { timeOption } from '../../../scripts/cli/options.js';

const EVENT = {
  id: 'evt_0123456789abcdef0123456789abcdef',
  type: 'invoice.issued',
  schemaVersion: 1,
  timestamp: '2026-11-01T10:00:00.000Z',
  subject: { kind: 'invoice', id: 'INV-2026-000042' },
  sequence: 2,
  data: { invoiceNumber: 'INV-2026-000042' },
};

describe('Standard Webhooks signatures', () => {
  it('verify with the library, and fail on a tampered body or another secret', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify(EVENT);
    const headers = signedHeaders([secret], EVENT.id, new Date(), body);
    expect(headers['webhook-id']).toBe(EVENT.id);
    expect(new Webhook(secret).verify(body, headers)).toEqual(EVENT);
    expect(() =>
      new Webhook(secret).verify(body.replace('INV-2026-000042', 'INV-2026-000043'), headers),
    ).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('carry one signature per live secret, so either verifies during a rotation', () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify(EVENT);
    const headers = signedHeaders([next, previous], EVENT.id, new Date(), body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [next, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(EVENT);
  });

  it('are refused by the verifier when stale (replay protection)', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify(EVENT);
    const headers = signedHeaders([secret], EVENT.id, new Date(Date.now() - 3_600_000), body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/timestamp/i);
  });
});

describe('webhook URLs', () => {
  it.each([
    'http://127.0.0.1/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:192.168.0.1]/x',
    'https://localhost/x',
    'https://metadata.google.internal/x',
    'https://user:pass@example.com/x',
    'ftp://example.com/x',
    'not a url',
  ])('refuses %s on AWS', (url) => {
    expect(() => checkWebhookUrl(url, AWS_ADDRESS_POLICY)).toThrow(InvalidInputError);
  });

  it('takes public HTTPS on AWS and loopback HTTP locally', () => {
    expect(checkWebhookUrl('https://hooks.example.com/invoicer', AWS_ADDRESS_POLICY).href).toBe(
      'https://hooks.example.com/invoicer',
    );
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivate: true }).port).toBe('8080');
  });

  it('tells public addresses from the rest', () => {
    expect(['93.184.216.34', '2606:2800:220:1::1'].every(isPublicAddress)).toBe(true);
    expect(
      [
        '127.0.0.1',
        '10.0.0.1',
        '172.16.5.4',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '::1',
        'fd00::1',
        '::ffff:10.0.0.1',
        'nonsense',
      ].some(isPublicAddress),
    ).toBe(false);
  });

  it('refuses any generated string with an InvalidInputError or takes it as HTTPS', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl()), (raw) => {
        try {
          expect(checkWebhookUrl(raw, AWS_ADDRESS_POLICY).protocol).toBe('https:');
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
        }
      }),
    );
  });
});

describe('webhook queue messages', () => {
  it('parse an event and an attempt, and refuse anything else with its place', () => {
    expect(parseWebhookMessage(JSON.stringify(EVENT), 'm1')).toMatchObject({
      kind: 'event',
      event: { id: EVENT.id },
    });
    expect(
      parseWebhookMessage(
        JSON.stringify({ kind: 'webhook.attempt', endpointId: 'ep_1', attempt: 2, event: EVENT }),
        'm2',
      ),
    ).toMatchObject({ kind: 'webhook.attempt', attempt: 2 });
    expect(() => parseWebhookMessage('{"__proto__":{"x":1}}', 'm3')).toThrow(/m3/);
    expect(() => parseWebhookMessage(JSON.stringify({ ...EVENT, type: 'invoice.stolen' }), 'm4')).toThrow(
      /m4/,
    );
  });

  it('never throw anything but an input error, nor touch a prototype', () => {
    const arbitrary = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({
          kind: fc.constant('webhook.attempt'),
          endpointId: fc.anything(),
          attempt: fc.anything(),
          event: fc.anything(),
        })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(arbitrary, (body) => {
        try {
          parseWebhookMessage(body, 'message');
        } catch (error) {
          expect(error instanceof InvalidInputError || error instanceof EdgeInputError).toBe(true);
        }
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
    );
  });
});

describe('flags', () => {
  it('parse event types and times, naming what is wrong', () => {
    expect(parseEventTypes('invoice.issued, run.finished', '--events')).toEqual([
      'invoice.issued',
      'run.finished',
    ]);
    expect(parseEventTypes(undefined, '--events')).toEqual([]);
    expect(() => parseEventTypes('invoice.issued,invoice.paid', '--events')).toThrow(
      /--events.*invoice\.paid/,
    );
    const now = new Date('2026-12-06T12:00:00Z');
    expect(timeOption('6h', now).toISOString()).toBe('2026-12-06T06:00:00.000Z');
    expect(timeOption('2026-11-30', now).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(timeOption('2026-11-30T14:00+01:00', now).toISOString()).toBe('2026-11-30T13:00:00.000Z');
    for (const bad of ['yesterday', '2026-13-01', '2026-11-30T14:00', '-1h', ''])
      expect(() => timeOption(bad, now)).toThrow(/expected a time/);
  });
});
