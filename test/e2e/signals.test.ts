/**
 * A polite stop never repeats a notification: `invoicer run` stopped by SIGTERM, SIGINT and SIGHUP
 * in the middle of billing lets its customers in flight finish (publish and record), exits
 * 143/130/129 with one line saying how to continue, and leaves no DynamoDB Local behind; after the
 * three stops the period is completed with every customer notified exactly once, numbers gapless.
 * And `npx invoicer serve`, whose npm gets the SIGTERM and does not pass it on, stops with its
 * stack all the same.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGapless } from '../../lambdas/shared/domain/index.js';
import { BIN, invoicer } from '../support/cli.js';

const PERIOD = '2026-09';
const CUSTOMERS = 40;
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-signals-'));
});

afterAll(async () => {
  await invoicer('local', 'down', '--data-dir', dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

/** How many PDFs the local S3 holds for the period (fauxqs keeps each object as `<key>.data`). */
function pdfsStored(): number {
  const dir = join(dataDir, 's3');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (p) => p.includes(PERIOD) && p.endsWith('.pdf.data'),
  ).length;
}

/** Starts a run, waits until it has issued some invoices (more than `after`), then signals it. */
async function runStoppedBy(signal: NodeJS.Signals, after: number) {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'run',
      '--period',
      PERIOD,
      '--demo-customers',
      String(CUSTOMERS),
      '--max-concurrency',
      '2',
      '--batch-size',
      '2',
      '--data-dir',
      dataDir,
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Polls the files the run writes: no timing is asserted, the signal only lands mid-run.
  for (let i = 0; i < 2400 && pdfsStored() <= after + 2; i++) await new Promise((r) => setTimeout(r, 50));
  child.kill(signal);
  return { code: await exited, stderr };
}

describe('a signalled run', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('stops on %s after its customers in flight, exit %i', async (signal, code) => {
    const before = pdfsStored();
    const stopped = await runStoppedBy(signal, before);
    expect(stopped.code).toBe(code);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `^invoicer: ${signal}: run run-${PERIOD}-\\S+ stopped after its customers in flight; continue it with: invoicer redrive run-${PERIOD}-\\S+\\n$`,
      ),
    );
    expect(existsSync(join(dataDir, 'stack.lock'))).toBe(false);
  });

  it('then completes the period: every customer billed and notified once, numbers gapless', async () => {
    // On a stack started once in the background: the run and the queries after it share it.
    expect((await invoicer('local', 'up', '--data-dir', dataDir)).code).toBe(0);
    const out = await invoicer('run', '--period', PERIOD, '--data-dir', dataDir, '--json');
    expect(out.code).toBe(0);
    const summary = JSON.parse(out.stdout) as { notificationsResent: number; failed: number };
    expect(summary).toMatchObject({ notificationsResent: 0, failed: 0 });
    const list = JSON.parse(
      (await invoicer('invoices', 'list', '--period', PERIOD, '--data-dir', dataDir, '--json')).stdout,
    ) as {
      number: string;
      customerId: string;
      status: string;
    }[];
    const issued = list.filter((r) => r.status !== 'VOID');
    expect(new Set(issued.map((r) => r.customerId)).size).toBe(issued.length);
    expect(issued.every((r) => r.status === 'NOTIFIED')).toBe(true);
    expect(checkGapless(list.map((r) => r.number)).ok).toBe(true);
    const inbox = JSON.parse((await invoicer('inbox', '--data-dir', dataDir, '--json')).stdout) as {
      notifications: { customerId: string; event: { period?: string } }[];
    };
    const perCustomer = new Map<string, number>();
    for (const m of inbox.notifications.filter((n) => n.event.period === PERIOD))
      perCustomer.set(m.customerId, (perCustomer.get(m.customerId) ?? 0) + 1);
    expect([...perCustomer.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perCustomer.size).toBe(issued.length);
  });
});

/** Processes whose command line names `dir` (the server, its DynamoDB Local). */
function processesOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe('a long-running command started through npm', () => {
  it('`npx invoicer serve` stops with its stack when its npm gets SIGTERM (what a process manager sends)', async () => {
    const serveDir = mkdtempSync(join(tmpdir(), 'invoicer-serve-term-'));
    try {
      const npx = spawn('npx', ['invoicer', 'serve', '--port', '0', '--data-dir', serveDir, '--json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PATH: `${join(process.cwd(), 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        },
      });
      let stdout = '';
      npx.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      for (let i = 0; i < 1200 && !stdout.includes('}'); i++) await new Promise((r) => setTimeout(r, 100));
      const { url } = JSON.parse(stdout) as { url: string };
      expect((await fetch(`${url}/v1/invoices?period=2026-10`)).status).toBe(200);
      expect(processesOf(serveDir).length).toBeGreaterThan(0);
      npx.kill('SIGTERM');
      // Polls until the server and its DynamoDB Local are gone: no timing is asserted.
      for (let i = 0; i < 600 && processesOf(serveDir).length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(processesOf(serveDir)).toEqual([]);
      await expect(fetch(`${url}/v1/invoices?period=2026-10`)).rejects.toThrow();
    } finally {
      rmSync(serveDir, { recursive: true, force: true });
    }
  });
});
