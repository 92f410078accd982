/**
 * The handlers' structured logs carry ids (run, customer, invoice number) and never personal
 * data: no customer names, e-mail addresses or street addresses, even when a step fails.
 */
import { parseFaultSpec } from '../../workflows/local/faults.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const DEMO = 8;
let f: BillingFixture;
let lines: Record<string, unknown>[] = [];
let raw = '';

beforeAll(async () => {
  f = await openBillingFixture('logs');
  // The local harness writes the handlers' JSON lines to stderr; collect stdout too, to miss nothing.
  const original = { out: process.stdout.write, err: process.stderr.write };
  const collect = ((chunk: string | Uint8Array) => {
    raw += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  try {
    const victim = demoCustomers(DEMO)[1]!.customerId;
    await runLocalBilling(f.session, {
      period: '2026-10',
      demoCustomers: DEMO,
      retryIntervalMs: 1,
      logLevel: 'DEBUG',
      faults: { rules: parseFaultSpec(`render:permanent:customer=${victim}`), seed: 1 },
    });
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
  lines = raw
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
});

afterAll(async () => {
  await f?.cleanup();
});

describe('handler logs', () => {
  it('are structured and name the step, run and customer on every line', () => {
    const stepLines = lines.filter(
      (l) => l.step !== undefined && l.step !== 'plan-run' && l.step !== 'finalize-run',
    );
    expect(stepLines.length).toBeGreaterThan(DEMO);
    for (const line of stepLines)
      expect(line).toEqual(
        expect.objectContaining({ runId: expect.any(String), customerId: expect.any(String) }),
      );
    expect(lines.some((l) => l.level === 'WARN' && l.message === 'step failed')).toBe(true);
    expect(lines.some((l) => typeof l.invoiceNumber === 'string')).toBe(true);
  });

  it('contain no customer names, e-mail addresses or street addresses', () => {
    expect(raw.length).toBeGreaterThan(0);
    for (const customer of demoCustomers(DEMO)) {
      for (const personal of [customer.legalName, customer.email, customer.billingAddress.line1]) {
        expect([customer.customerId, raw.includes(personal)]).toEqual([customer.customerId, false]);
      }
    }
  });
});
