/**
 * `invoicer local up | down | status` as a user runs them: the local stack in the background,
 * every other command connecting to it (no Java needed by them), a run with a failed customer,
 * `rerun --failed-of` issuing it, `runs watch` of the run, reports, webhooks and events, and the
 * stack stopped again.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { answerOnLocalStack, IN_PROCESS_ENV } from '../../scripts/cli/query-client.js';
import { QUERY_SOCKET } from '../../workflows/local/service/query-protocol.js';
import { invoicer, invoicerWithEnv } from '../support/cli.js';

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-local-'));
});

afterAll(async () => {
  await invoicer('local', 'down', '--data-dir', dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

const json = <T>(out: { stdout: string; stderr?: string }): T => {
  if (out.stdout === '') throw new Error(`no output; stderr: ${out.stderr ?? ''}`);
  return JSON.parse(out.stdout) as T;
};

describe('invoicer local', () => {
  it('says it is not running (exit 3) before it was started', async () => {
    const out = await invoicer('local', 'status', '--data-dir', dataDir, '--json');
    expect(out.code).toBe(3);
    expect(json(out)).toMatchObject({ running: false, dataDir });
  });

  it('starts once in the background and answers status with its endpoints', async () => {
    const up = await invoicer('local', 'up', '--data-dir', dataDir, '--json');
    expect(up.code).toBe(0);
    expect(up.stderr).toBe('');
    const status = json<{ running: boolean; pid: number; endpoints: Record<string, string> }>(up);
    expect(status.running).toBe(true);
    expect(Object.keys(status.endpoints).sort()).toEqual([
      'dynamodb',
      's3',
      'ses',
      'sns',
      'sqs',
      'stepfunctions',
    ]);
    const again = json<{ pid: number }>(await invoicer('local', 'up', '--data-dir', dataDir, '--json'));
    expect(again.pid).toBe(status.pid);
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(true);
  });

  let runId: string;
  it('runs on it through Step Functions; a failed customer is named with its step', async () => {
    const out = await invoicer(
      'run',
      '--period',
      '2026-09',
      '--demo-customers',
      '6',
      '--inject-faults',
      'render:permanent:customer=cus_00003',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(out.code).toBe(1);
    const run = json<{ runId: string; issued: number; failed: number; executionArn: string }>(out);
    expect([run.issued, run.failed]).toEqual([5, 1]);
    expect(run.executionArn).toMatch(
      /^arn:aws:states:[^:]+:000000000000:execution:invoicer-local-billing-run:run-2026-09-/,
    );
    runId = run.runId;
    const shown = json<{ failures: { customerId: string; step: string }[] }>(
      await invoicer('runs', 'show', runId, '--data-dir', dataDir, '--json'),
    );
    expect(shown.failures).toEqual([
      // A permanent error is not retried (the ASL retries only transient ones).
      expect.objectContaining({ customerId: 'cus_00003', step: 'RenderDocuments', retries: 0 }),
    ]);
  });

  it('lists invoices and runs without Java: the commands connect to the running stack', async () => {
    const noJava = { ...process.env, PATH: '/nonexistent' };
    const list = await invoicerWithEnv(
      noJava,
      'invoices',
      'list',
      '--period',
      '2026-09',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(list.code).toBe(0);
    // The five issued, and the failed customer's number kept as VOID with its reason.
    const rows = json<{ customerId: string; status: string; voidReason?: string }[]>(list);
    expect(rows.filter((r) => r.status === 'NOTIFIED')).toHaveLength(5);
    expect(rows.find((r) => r.status === 'VOID')).toMatchObject({
      customerId: 'cus_00003',
      voidReason: 'RenderDocuments failed: AccessDenied: injected permanent fault',
    });
    const runs = await invoicerWithEnv(noJava, 'runs', 'list', '--data-dir', dataDir, '--json');
    expect(json<{ runId: string; status: string }[]>(runs)).toEqual([
      expect.objectContaining({ runId, status: 'COMPLETED_WITH_FAILURES' }),
    ]);
  });

  it('answers queries itself, in its warm worker: the same output and exit code as run here', async () => {
    const queries = [
      ['runs', 'list', '--json'],
      ['invoices', 'list', '--period', '2026-09'],
      ['search', 'cus_00001', '--json'],
      ['invoices', 'show', 'INV-2099-999999'],
      ['runs', 'show', runId, '--bogus'],
    ];
    const env = { ...process.env, INVOICER_DATA_DIR: dataDir };
    for (const argv of queries) {
      const answered = await answerOnLocalStack(argv, env, process.cwd());
      expect(answered).toMatchObject({ served: true });
      const here = await invoicerWithEnv({ ...env, [IN_PROCESS_ENV]: '1' }, ...argv);
      expect({
        code: answered!.code,
        stdout: Buffer.from(answered!.stdout, 'base64').toString(),
        stderr: Buffer.from(answered!.stderr, 'base64').toString(),
      }).toEqual({ code: here.code, stdout: here.stdout, stderr: here.stderr });
      // What a user types gets the same through the launcher.
      expect(await invoicerWithEnv(env, ...argv)).toEqual(here);
    }
    expect((await invoicerWithEnv(env, 'invoices', 'show', 'INV-2099-999999')).stderr).toContain(
      'no invoice or credit note INV-2099-999999',
    );
    // Not a query (writes every key), and another data dir: run by the command itself.
    await expect(answerOnLocalStack(['search', '--reindex'], env, process.cwd())).resolves.toBeUndefined();
    await expect(
      answerOnLocalStack(['runs', 'list', '--data-dir', tmpdir()], env, process.cwd()),
    ).resolves.toBeUndefined();
  });

  it('re-runs the failed customers of a run, issuing them, and watches a finished run to its summary', async () => {
    const out = await invoicer('rerun', '--failed-of', runId, '--data-dir', dataDir, '--json');
    expect(out.code).toBe(0);
    const rerun = json<{ runId: string; customers: number; issued: number; failed: number; period: string }>(
      out,
    );
    expect(rerun).toMatchObject({ customers: 1, issued: 1, failed: 0, period: '2026-09' });
    expect(rerun.runId).toMatch(/^rerun-2026-09-/);
    const list = json<{ customerId: string; status: string }[]>(
      await invoicer('invoices', 'list', '--period', '2026-09', '--data-dir', dataDir, '--json'),
    );
    expect(list.filter((i) => i.customerId === 'cus_00003').map((i) => i.status)).toEqual([
      'VOID',
      'NOTIFIED',
    ]);

    // Both runs' operator logs name the action and who took it.
    const source = json<{ operatorLog: { action: string; by: string; details: { rerun: string } }[] }>(
      await invoicer('runs', 'show', runId, '--data-dir', dataDir, '--json'),
    );
    expect(source.operatorLog).toEqual([
      expect.objectContaining({
        action: 'rerun-failed',
        by: expect.stringMatching(/^local:/),
        details: { rerun: rerun.runId, customers: 1 },
      }),
    ]);

    const watched = await invoicer('runs', 'watch', rerun.runId, '--data-dir', dataDir, '--json');
    expect(watched.code).toBe(0);
    expect(json<{ runId: string; issued: number }>(watched)).toMatchObject({ runId: rerun.runId, issued: 1 });
  });

  it('regenerates and resends an invoice, and shows both in its operator log', async () => {
    const [invoice] = json<{ number: string; status: string }[]>(
      await invoicer(
        'invoices',
        'list',
        '--period',
        '2026-09',
        '--status',
        'NOTIFIED',
        '--data-dir',
        dataDir,
        '--json',
      ),
    );
    const regenerated = await invoicer(
      'invoices',
      'regenerate',
      invoice!.number,
      '--reason',
      'copy asked',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(regenerated.code).toBe(0);
    expect(Object.values(json<{ documents: Record<string, string> }>(regenerated).documents)).toEqual([
      'identical',
      'identical',
      'identical',
      'identical',
    ]);
    const resent = await invoicer(
      'notify',
      '--resend',
      invoice!.number,
      '--reason',
      'e-mail lost',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(json<{ resend: number }>(resent).resend).toBe(1);
    const shown = json<{
      invoice: { number: string };
      notifications: { resendOf?: string }[];
      operatorLog: { action: string; reason: string }[];
    }>(await invoicer('invoices', 'show', invoice!.number, '--data-dir', dataDir, '--json'));
    expect(shown.invoice.number).toBe(invoice!.number);
    expect(shown.notifications).toHaveLength(2);
    expect(shown.notifications[1]?.resendOf).toEqual(expect.any(String));
    expect(shown.operatorLog.map((e) => [e.action, e.reason])).toEqual([
      ['regenerate', 'copy asked'],
      ['resend', 'e-mail lost'],
    ]);
    const missingReason = await invoicer('notify', '--resend', invoice!.number, '--data-dir', dataDir);
    expect(missingReason.code).toBe(2);
    expect(missingReason.stderr).toContain("required option '--reason <text>' not specified");
  });

  it('refuses a rerun without exactly one of --failed-of and --customers, and a redrive of a run that succeeded', async () => {
    const neither = await invoicer('rerun', '--period', '2026-09', '--data-dir', dataDir);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give exactly one of --failed-of RUN and --customers IDS');
    const redrive = await invoicer('redrive', runId, '--data-dir', dataDir);
    expect(redrive.code).toBe(1);
    expect(redrive.stderr).toContain('cannot be redriven');
  });

  it('continues a run the stack stopped halfway with redrive: every customer billed once', async () => {
    // More customers, so that a run at one customer at a time is still going when the stack stops.
    const file = join(dataDir, 'more-customers.jsonl');
    writeFileSync(
      file,
      demoCustomers(60)
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const imported = await invoicer('import', 'customers', file, '--data-dir', dataDir, '--json');
    expect(json<{ rejected: number }>(imported).rejected).toBe(0);

    const running = invoicer(
      'run',
      '--period',
      '2026-08',
      '--max-concurrency',
      '1',
      '--data-dir',
      dataDir,
      '--json',
    );
    let runId: string | undefined;
    for (let progress = 0; progress < 3;) {
      const runs = json<{ runId: string; period: string }[]>(
        await invoicer('runs', 'list', '--data-dir', dataDir, '--json'),
      );
      runId = runs.find((r) => r.period === '2026-08')?.runId;
      if (runId)
        progress =
          json<{ issuedSoFar?: number }>(
            await invoicer('runs', 'show', runId, '--data-dir', dataDir, '--json'),
          ).issuedSoFar ?? 0;
    }
    expect((await invoicer('local', 'down', '--data-dir', dataDir)).code).toBe(0);
    const stopped = await running;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`invoicer redrive ${runId}`);

    await invoicer('local', 'up', '--data-dir', dataDir);
    const redriven = await invoicer(
      'redrive',
      runId!,
      '--reason',
      'stack restarted',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(redriven.code).toBe(0);
    const summary = json<{ customers: number; issued: number; failed: number; notProcessed: number }>(
      redriven,
    );
    expect(summary.failed + summary.notProcessed).toBe(0);
    expect(summary.issued).toBe(summary.customers);
    const invoices = json<{ customerId: string; status: string }[]>(
      await invoicer('invoices', 'list', '--period', '2026-08', '--data-dir', dataDir, '--json'),
    );
    expect(invoices.filter((i) => i.status === 'NOTIFIED')).toHaveLength(summary.customers);
    expect(new Set(invoices.map((i) => i.customerId)).size).toBe(invoices.length);
  });

  it('reports the month from the analytics files with DuckDB: a table, --json, --csv, and exit 3 for no data', async () => {
    const vat = await invoicer('report', 'vat', '--period', '2026-09', '--data-dir', dataDir, '--json');
    expect([vat.code, vat.stderr]).toEqual([0, '']);
    const document = json<{ report: string; engine: string; currency: string; rows: { scheme: string }[] }>(
      vat,
    );
    expect(document).toMatchObject({ report: 'vat', engine: 'duckdb', currency: 'EUR' });
    expect(document.rows.length).toBeGreaterThan(0);
    const csv = await invoicer(
      'report',
      'revenue',
      '--period',
      '2026-09',
      '--by',
      'country',
      '--data-dir',
      dataDir,
      '--csv',
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'currency,country,invoices,creditNotes,netMinor,net,taxMinor,tax,totalMinor,total',
    );
    const table = await invoicer('report', 'runs', '--period', '2026-09', '--data-dir', dataDir);
    expect(table.stdout).toContain(runId);
    const none = await invoicer(
      'report',
      'ec-sales-list',
      '--period',
      '2025-01',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect([none.code, none.stdout]).toEqual([3, '']);
    expect(none.stderr).toMatch(/^invoicer: error: no reverse-charge supply counts in 2025-01/);
  });

  it("tells the owner's systems: webhooks added, listed, rotated, disabled; events listed and replayed, signed", async () => {
    const received: { id: string; type: string; verified: boolean }[] = [];
    let secrets: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = req.headers as Record<string, string>;
        const verified =
          secrets.length > 0 &&
          secrets.every((secret) => {
            try {
              new Webhook(secret).verify(body, headers);
              return true;
            } catch {
              return false;
            }
          });
        const event = JSON.parse(body) as { id: string; type: string };
        received.push({ id: event.id, type: event.type, verified });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const added = await invoicer(
        'webhooks',
        'add',
        url,
        '--events',
        'invoice.issued',
        '--description',
        'ERP',
        '--data-dir',
        dataDir,
        '--json',
      );
      expect([added.code, added.stderr]).toEqual([0, '']);
      const { endpoint, secret } = json<{ endpoint: { id: string }; secret: string }>(added);
      expect(secret).toMatch(/^whsec_/);
      secrets = [secret];
      const listed = await invoicer('webhooks', 'list', '--data-dir', dataDir, '--json');
      expect(listed.stdout).not.toContain(secret);
      expect(
        json<{ endpoints: { id: string; enabled: boolean; eventTypes: string[] }[] }>(listed).endpoints,
      ).toEqual([
        expect.objectContaining({ id: endpoint.id, enabled: true, eventTypes: ['invoice.issued'] }),
      ]);

      // The runs above were heard before the endpoint existed: the archive has them.
      const issued = json<{ events: { id: string; type: string }[] }>(
        await invoicer(
          'events',
          '--type',
          'invoice.issued',
          '--since',
          '1h',
          '--data-dir',
          dataDir,
          '--json',
        ),
      ).events;
      expect(issued.length).toBeGreaterThan(0);
      const rotated = json<{ secret: string }>(
        await invoicer('webhooks', 'rotate-secret', endpoint.id, '--data-dir', dataDir, '--json'),
      );
      // Both secrets sign during the overlap: the endpoint may verify with either.
      secrets = [secret, rotated.secret];
      const replay = await invoicer(
        'events',
        'replay',
        '--from',
        '1h',
        '--to',
        '2099-01-01',
        '--endpoint',
        endpoint.id,
        '--data-dir',
        dataDir,
        '--json',
      );
      expect(replay.code).toBe(2);
      expect(replay.stderr).toContain('at most 92 days');
      const to = new Date(Date.now() + 60_000).toISOString().slice(0, 16) + 'Z';
      const replayed = json<{ events: number; attempts: number }>(
        await invoicer(
          'events',
          'replay',
          '--from',
          '1h',
          '--to',
          to,
          '--endpoint',
          endpoint.id,
          '--data-dir',
          dataDir,
          '--json',
        ),
      );
      // Every archived event of the hour, sent only where the endpoint's filter takes it.
      expect(replayed.attempts).toBe(issued.length);
      expect(replayed.events).toBeGreaterThan(issued.length);
      expect(new Set(received.map((r) => r.id))).toEqual(new Set(issued.map((e) => e.id)));
      expect(received.every((r) => r.verified && r.type === 'invoice.issued')).toBe(true);
      const deliveries = json<{ deliveries: { ok: boolean; status: number; replay?: boolean }[] }>(
        await invoicer('webhooks', 'deliveries', '--endpoint', endpoint.id, '--data-dir', dataDir, '--json'),
      ).deliveries;
      expect(deliveries.filter((d) => d.replay === true)).toHaveLength(issued.length);
      expect(deliveries.every((d) => d.ok && d.status === 204)).toBe(true);
      expect(
        json<{ deliveries: unknown[] }>(
          await invoicer('webhooks', 'deliveries', '--failed', '--data-dir', dataDir, '--json'),
        ).deliveries,
      ).toEqual([]);

      const disabled = await invoicer('webhooks', 'disable', endpoint.id, '--data-dir', dataDir, '--json');
      expect(json<{ endpoint: { enabled: boolean } }>(disabled).endpoint.enabled).toBe(false);
      // Wrong input is named, never a stack trace.
      const bad = await Promise.all([
        invoicer('webhooks', 'add', 'ftp://example.com/x', '--data-dir', dataDir),
        invoicer('webhooks', 'disable', 'ep_nope', '--data-dir', dataDir),
        invoicer('events', '--since', 'yesterday', '--data-dir', dataDir),
        invoicer('webhooks', 'add', url, '--events', 'invoice.paid', '--data-dir', dataDir),
      ]);
      expect(bad.map((b) => b.code)).toEqual([1, 1, 2, 1]);
      expect(bad[0]!.stderr).toBe('invoicer: error: webhook URL: must use https (not ftp)\n');
      expect(bad[1]!.stderr).toContain('is not an endpoint id');
      expect(bad[2]!.stderr).toContain('expected a time');
      expect(bad[3]!.stderr).toContain('unknown event type invoice.paid');
      for (const b of bad) expect(b.stderr).not.toMatch(/\n\s+at /);
    } finally {
      server.close();
    }
  });

  it('stops, and says so', async () => {
    const down = await invoicer('local', 'down', '--data-dir', dataDir, '--json');
    expect(json(down)).toEqual({ stopped: true });
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(false);
    expect(existsSync(join(dataDir, QUERY_SOCKET))).toBe(false);
    expect((await invoicer('local', 'status', '--data-dir', dataDir)).code).toBe(3);
  });
});
