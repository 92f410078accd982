/**
 * The `invoicer` command as a user runs it: a child process on a fresh data dir, with the
 * project's own Node. Asserts exit codes, the JSON summary, one output channel (results on stdout,
 * diagnostics on stderr only when asked), idempotent re-runs and clear errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, invoicer, invoicerWithEnv } from '../support/cli.js';

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-e2e-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('invoicer run', () => {
  let first: { runId: string; issued: number; skipped: number; failed: number; period: string };

  it('bills the demo customers and prints one JSON summary, and nothing on stderr', async () => {
    const out = await invoicer(
      'run',
      '--period',
      '2026-09',
      '--demo-customers',
      '10',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    // One document: the whole of stdout parses, and it is an object.
    first = JSON.parse(out.stdout);
    expect(out.stdout.trimStart().startsWith('{')).toBe(true);
    expect(first).toMatchObject({ period: '2026-09', skipped: 0, failed: 0 });
    expect(first.issued).toBeGreaterThan(0);
    expect(first.runId).toMatch(/^run-2026-09-/);
  });

  it('skips everything on a second run of the same period', async () => {
    const out = await invoicer('run', '--period', '2026-09', '--data-dir', dataDir, '--json');
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toMatchObject({ issued: 0, skipped: first.issued, failed: 0 });
  });

  it('names the package to install when Java is missing', async () => {
    const out = await invoicerWithEnv(
      { ...process.env, PATH: '/nonexistent' },
      'run',
      '--period',
      '2026-09',
      '--data-dir',
      dataDir,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('DynamoDB Local needs Java 17');
    expect(out.stderr).toContain('apt-get install -y openjdk-17-jre-headless');
    expect(out.stdout).toBe('');
  });

  it('lists the invoices and writes one out', async () => {
    const list = await invoicer('invoices', 'list', '--period', '2026-09', '--data-dir', dataDir, '--json');
    const rows = JSON.parse(list.stdout) as { number: string; status: string; total: { amount: string } }[];
    expect(Object.keys(rows[0]!)).not.toContain('invoiceKey');
    expect(rows).toHaveLength(first.issued);
    const pdf = join(dataDir, 'one.pdf');
    const xml = join(dataDir, 'one.xml');
    const got = await invoicer(
      'invoices',
      'get',
      rows[0]!.number,
      '--pdf',
      pdf,
      '--xml',
      xml,
      '--data-dir',
      dataDir,
    );
    expect(got.code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const eInvoice = readFileSync(xml, 'utf8');
    expect(eInvoice.startsWith('<?xml')).toBe(true);
    expect(eInvoice).toContain(`>${rows[0]!.number}<`);
    const shown = await invoicer('invoices', 'get', rows[0]!.number, '--data-dir', dataDir, '--json');
    expect(JSON.parse(shown.stdout)).toEqual({
      invoice: rows[0],
      hostedLink: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/i\/[A-Za-z0-9_-]{22}$/),
      written: {},
    });
  });

  it('serves the read API until interrupted, printing only its address', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.trimEnd().endsWith('}')) resolve(JSON.parse(stdout) as { url: string });
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const list = (await (await fetch(`${url}/v1/invoices?period=2026-09&limit=100`)).json()) as {
      invoices: { number: string }[];
    };
    expect(list.invoices).toHaveLength(first.issued);
    // A second command on the same data dir (no `local up`) is refused at once, naming the holder.
    const second = await invoicer('invoices', 'list', '--data-dir', dataDir);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `invoicer: error: the data dir ${dataDir} is in use by another invoicer command (pid ${child.pid}, since ${
        /since ([^:]+:[^:]+:[^:]+): /.exec(second.stderr)?.[1]
      }: ${BIN} serve --port 0 --data-dir ${dataDir} --json); wait for it to end, or start \`invoicer local up\` once so that commands share one stack\n`,
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });

  it.each([
    [['run', '--period', '2026-13'], '--period'],
    [['run', '--demo-customers', '-3'], '--demo-customers'],
    [['run', '--inject-faults', 'bill:transient:0.3'], 'unknown step "bill"'],
    [['invoices', 'get'], "missing required argument 'number'"],
    [['frobnicate'], 'unknown command'],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const out = await invoicer(...args, '--data-dir', dataDir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  // From here on a stack started once in the background (`local up`) serves the commands, as
  // docs/cli.md recommends: each one no longer starts a stack of its own (the ones above do).
  describe('on the stack started with local up', () => {
    beforeAll(async () => {
      expect((await invoicer('local', 'up', '--data-dir', dataDir)).code).toBe(0);
    });
    afterAll(async () => {
      await invoicer('local', 'down', '--data-dir', dataDir);
    });

    it('shows the notifications and the e-mails (PDF attached, hosted link) in the inbox', async () => {
      const out = await invoicer('inbox', '--data-dir', dataDir, '--json');
      const inbox = JSON.parse(out.stdout) as {
        notifications: unknown[];
        emails: { subject: string; hostedLink?: string; attachments: { fileName: string; size: number }[] }[];
      };
      expect(inbox.notifications).toHaveLength(first.issued);
      expect(inbox.emails).toHaveLength(first.issued);
      for (const email of inbox.emails) {
        expect(email.attachments).toEqual([
          expect.objectContaining({
            fileName: `${email.subject.split(' ').pop()}.pdf`,
            size: expect.any(Number),
          }),
        ]);
        expect(email.hostedLink).toMatch(/^http:\/\/127\.0\.0\.1:8787\/i\/[A-Za-z0-9_-]{22}$/);
      }
    });

    it('credits part of an invoice and prints the credit note as one JSON document', async () => {
      const list = await invoicer('invoices', 'list', '--period', '2026-09', '--data-dir', dataDir, '--json');
      const [invoice] = JSON.parse(list.stdout) as { number: string }[];
      const out = await invoicer(
        'invoices',
        'credit',
        invoice!.number,
        '--reason',
        'Goodwill',
        '--amount',
        '1.00',
        '--data-dir',
        dataDir,
        '--json',
      );
      expect(out.code).toBe(0);
      expect(out.stderr).toBe('');
      const result = JSON.parse(out.stdout) as {
        creditNote: { invoiceNumber: string; status: string; corrects: string };
      };
      expect(result.creditNote).toMatchObject({ status: 'NOTIFIED', corrects: invoice!.number });
      expect(result.creditNote.invoiceNumber).toMatch(/^CN-\d{4}-000001$/);
    });

    it('refuses a period that has not ended, says from when it can be invoiced, and changes nothing', async () => {
      const out = await invoicer('run', '--period', '2030-05', '--data-dir', dataDir);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(
        'InvalidRunRequestError: run input period: 2030-05 has not ended: it ends on 2030-05-31 (Europe/Berlin), and its invoices can be issued from 2030-06-01',
      );
      expect(out.stderr).not.toMatch(/\n\s+at |"trace"/);
      const after = await invoicer(
        'invoices',
        'list',
        '--period',
        '2030-05',
        '--data-dir',
        dataDir,
        '--json',
      );
      expect(JSON.parse(after.stdout)).toEqual([]);
    });
  });
});

describe('invoicer, whatever the command', () => {
  it('prints its version', async () => {
    const out = await invoicer('--version');
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    expect([out.code, out.stdout.trim()]).toEqual([0, pkg.version]);
  });

  it('fails at once, naming the path, when the data dir cannot be created', async () => {
    writeFileSync(join(dataDir, 'a-file'), '');
    const blocked = join(dataDir, 'a-file', 'data');
    const out = await invoicer('invoices', 'list', '--data-dir', blocked);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`the data dir ${blocked} cannot be used (ENOTDIR)`);
    expect(out.stdout).toBe('');
  });

  it('defaults to INVOICER_DATA_DIR, wherever it is run from', async () => {
    const out = await invoicerWithEnv(
      { INVOICER_DATA_DIR: join(dataDir, 'one.pdf', 'x') },
      'invoices',
      'list',
    );
    expect(out.stderr).toContain(`the data dir ${join(dataDir, 'one.pdf', 'x')} cannot be used`);
  });
});

describe('invoicer run --verbose', () => {
  let verboseDir: string;
  beforeAll(() => {
    verboseDir = mkdtempSync(join(tmpdir(), 'invoicer-e2e-verbose-'));
  });
  afterAll(() => {
    rmSync(verboseDir, { recursive: true, force: true });
  });

  it("prints the handlers' structured logs on stderr with --verbose, keeping stdout one document", async () => {
    const out = await invoicer(
      'run',
      '--period',
      '2026-08',
      '--demo-customers',
      '2',
      '--data-dir',
      verboseDir,
      '--json',
      '--verbose',
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ period: '2026-08', failed: 0 });
    const logs = out.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { step?: string; level?: string });
    expect(logs.some((l) => l.step === 'reserve-number' && l.level === 'INFO')).toBe(true);
  });
});
