/**
 * A billing run killed in the middle (SIGKILL, via the `crash` fault) loses nothing: the next run
 * of the period completes it with the numbers already reserved, no duplicate invoice and no gap.
 * Also measures the one window that repeats a notification: killed after SNS accepted the
 * message and before the invoice was recorded as NOTIFIED. Each killed run starts its own stack
 * (the kill takes it down with the run); what follows runs on a stack started with `local up` on
 * the same data dir, so the queries do not start one each.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGapless } from '../../lambdas/shared/domain/index.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { invoicer } from '../support/cli.js';

const DEMO = 12;
const active = demoCustomers(DEMO).filter((c) => c.status === 'active');
let dataDir: string;

/** What `invoices list --json` prints of an invoice (the read API's view). */
interface Row {
  number: string;
  customerId: string;
  period: string;
  status: string;
  voidReason?: string;
}

async function invoices(): Promise<Row[]> {
  const out = await invoicer('invoices', 'list', '--data-dir', dataDir, '--json');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout) as Row[];
}

/** Notifications per customer of the period (and, with `emails`, e-mails per invoice number). */
async function inbox(period: string, emails?: Map<string, number>): Promise<Map<string, number>> {
  const out = await invoicer('inbox', '--data-dir', dataDir, '--json');
  const received = JSON.parse(out.stdout) as {
    notifications: { customerId: string; event: { period?: string } }[];
    emails: { subject: string }[];
  };
  const counts = new Map<string, number>();
  for (const m of received.notifications) {
    if (m.event.period === period) counts.set(m.customerId, (counts.get(m.customerId) ?? 0) + 1);
  }
  for (const e of received.emails) {
    const number = e.subject.split(' ').pop()!;
    emails?.set(number, (emails.get(number) ?? 0) + 1);
  }
  return counts;
}

/** DynamoDB Local processes still serving this data dir (the killed run must leave none). */
function javaProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', join(dir, 'dynamodb')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-crash-'));
});

afterAll(async () => {
  await invoicer('local', 'down', '--data-dir', dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The data dir's stack in the background (`local up`): the commands after a kill use it. */
async function localUp(): Promise<void> {
  expect((await invoicer('local', 'up', '--data-dir', dataDir)).code).toBe(0);
}

describe('a run killed while rendering one invoice', () => {
  const period = '2026-08';
  const victim = active[4]!.customerId;
  let pendingNumber: string;

  it('dies without cleaning up (SIGKILL)', async () => {
    const out = await invoicer(
      'run',
      '--period',
      period,
      '--demo-customers',
      String(DEMO),
      '--data-dir',
      dataDir,
      '--json',
      '--max-concurrency',
      '1',
      '--inject-faults',
      `render:crash:customer=${victim}`,
    );
    expect(out.signal).toBe('SIGKILL');
  });

  it('leaves no DynamoDB Local process behind', async () => {
    // The supervisor notices its parent died and stops java; give it a bounded while to do so.
    for (let i = 0; i < 50 && javaProcessesFor(dataDir).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(javaProcessesFor(dataDir)).toEqual([]);
  });

  it("keeps the victim's PENDING reservation, and shows the run as DIED", async () => {
    await localUp();
    const pending = (await invoices()).filter((r) => r.period === period && r.status === 'PENDING');
    expect(pending.map((r) => r.customerId)).toEqual([victim]);
    pendingNumber = pending[0]!.number;
    // The killed run shows as such, not RUNNING forever.
    const runs = JSON.parse((await invoicer('runs', 'list', '--data-dir', dataDir, '--json')).stdout) as {
      runId: string;
      period: string;
      status: string;
    }[];
    const died = runs.filter((r) => r.period === period);
    expect(died.map((r) => r.status)).toEqual(['DIED']);
    const shown = await invoicer('runs', 'show', died[0]!.runId, '--data-dir', dataDir, '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'DIED', customers: active.length });
  });

  it('is completed by the next run with the same number, without duplicates or gaps', async () => {
    const out = await invoicer('run', '--period', period, '--data-dir', dataDir, '--json');
    expect(out.code).toBe(0);
    const summary = JSON.parse(out.stdout) as { issued: number; skipped: number; failed: number };
    expect(summary.failed).toBe(0);
    expect(summary.issued + summary.skipped).toBe(active.length);
    const rows = (await invoices()).filter((r) => r.period === period);
    // One customer at a time (--max-concurrency 1): the kill interrupted the victim alone.
    expect(rows).toHaveLength(active.length);
    expect(rows.every((r) => r.status === 'NOTIFIED')).toBe(true);
    expect(rows.find((r) => r.customerId === victim)?.number).toBe(pendingNumber);
    expect(checkGapless((await invoices()).map((r) => r.number)).ok).toBe(true);
    expect([...(await inbox(period)).values()]).toEqual(active.map(() => 1));
    // The next killed run starts a stack of its own.
    expect((await invoicer('local', 'down', '--data-dir', dataDir)).code).toBe(0);
  });
});

describe('a run killed after a notification was published, before it was recorded', () => {
  const period = '2026-07';
  const victim = active[2]!.customerId;

  it('repeats exactly that one notification on the re-run (the named window), and no other', async () => {
    const killed = await invoicer(
      'run',
      '--period',
      period,
      '--data-dir',
      dataDir,
      '--json',
      '--max-concurrency',
      '1',
      '--inject-faults',
      `notify:crash:customer=${victim}`,
    );
    expect(killed.signal).toBe('SIGKILL');
    await localUp();
    expect((await inbox(period)).get(victim)).toBe(1);

    const rerun = await invoicer('run', '--period', period, '--data-dir', dataDir, '--json');
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ failed: 0, notificationsResent: 1 });
    const emails = new Map<string, number>();
    const counts = await inbox(period, emails);
    expect(counts.get(victim)).toBe(2);
    // The repeated notification is the same event (same eventId): its e-mail went out once.
    const victimNumber = (await invoices()).find((r) => r.period === period && r.customerId === victim)!;
    expect(emails.get(victimNumber.number)).toBe(1);
    expect([...emails.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.entries()].filter(([c]) => c !== victim).every(([, n]) => n === 1)).toBe(true);
    expect(counts.size).toBe(active.length);
    expect(checkGapless((await invoices()).map((r) => r.number)).ok).toBe(true);
    // Two stack starts (the killed run's and `local up`): 120 s was too tight on a loaded 2-core CI.
  }, 300_000);
});
