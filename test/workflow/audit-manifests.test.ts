/**
 * The auditor's manifests on the real local stack: a run and a credit note append manifests to
 * their series' chains (a re-run that changes nothing appends none), and the offline check of an
 * exported copy passes, then catches an edited manifest, a removed one, a number taken out with
 * the chain forged around it, and a document that is not the one issued.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serializeManifest,
  contentSha256,
  type AuditManifest,
} from '../../lambdas/shared/domain/audit-manifest.js';
import { checkAuditDirectory, exportAudit } from '../../workflows/operator/audit-files.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let firstManifests: string[];
const dirs: string[] = [];

beforeAll(async () => {
  f = await openBillingFixture('audit');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 6, PERIOD);
  const run = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
  firstManifests = (await f.session.getRunSummary(run.runId)).auditManifests ?? [];
}, 180_000);

afterAll(async () => {
  await f?.cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function exported(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'invoicer-audit-copy-'));
  dirs.push(dir);
  await exportAudit(f.session.stores.documents, dir, { documents: true });
  return dir;
}

const manifestFiles = (dir: string, series: string) =>
  readdirSync(join(dir, 'audit', series))
    .sort()
    .map((name) => join(dir, 'audit', series, name));

describe('audit manifests', () => {
  it('a run appends its period manifest, with every number and the hashes of its documents', async () => {
    expect(firstManifests).toHaveLength(1);
    const key = new URL(firstManifests[0]!).pathname.slice(1);
    const manifest = JSON.parse((await f.session.stores.documents.getBytes(key)).toString()) as AuditManifest;
    const rows = (await f.invoices(PERIOD)).filter((r) => r.series === manifest.series);
    expect(manifest).toMatchObject({ period: PERIOD, sequence: 1, previous: null });
    expect(manifest.numbers.map((n) => n.number)).toEqual(rows.map((r) => r.invoiceNumber).sort());
    expect(manifest.numbers[0]!.documentHashes).toEqual(rows[0]!.documentHashes);
  });

  it('a re-run that changes nothing appends nothing; a credit note appends to its own series', async () => {
    const again = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    expect((await f.session.getRunSummary(again.runId)).auditManifests).toEqual([]);
    const invoice = (await f.invoices(PERIOD)).find((r) => r.status === 'NOTIFIED')!;
    await f.session.creditInvoice({
      invoiceNumber: invoice.invoiceNumber,
      reason: 'Outage',
      by: 'test',
      amount: '1.00',
    });
    const keys = await f.session.stores.documents.list('audit/');
    expect(keys.filter((k) => k.startsWith('audit/CN-'))).toHaveLength(1);
  });

  it('checks an exported copy offline: chains unbroken, numbers gapless, documents the ones issued', async () => {
    const report = await checkAuditDirectory(await exported());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.documentsChecked).toBeGreaterThan(6 * 3);
    expect(report.series.map((s) => s.series).sort()).toEqual([
      expect.stringMatching(/^CN-/),
      expect.stringMatching(/^INV-/),
    ]);
  });

  it('catches an edited manifest and a document that is not the one issued', async () => {
    const dir = await exported();
    const [file] = manifestFiles(
      dir,
      readdirSync(join(dir, 'audit')).find((s) => s.startsWith('INV-'))!,
    );
    const manifest = JSON.parse(readFileSync(file!, 'utf8')) as AuditManifest;
    writeFileSync(file!, readFileSync(file!, 'utf8').replace(manifest.numbers[0]!.customerId, 'cus_forged'));
    const entry = manifest.numbers[1]!;
    const pdf = join(dir, 'invoices', entry.period, entry.customerId, `${entry.number}.pdf`);
    writeFileSync(pdf, Buffer.concat([readFileSync(pdf), Buffer.from(' ')]));
    const problems = (await checkAuditDirectory(dir)).problems.map((p) => p.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        'its numbers do not match its contentSha256: the file was edited',
        expect.stringMatching(/the manifest recorded [0-9a-f]{64}: not the file issued$/),
      ]),
    );
  });

  it('catches a removed manifest, and a number taken out with the manifest forged to match', async () => {
    await runLocalBilling(f.session, { period: '2026-11', retryIntervalMs: 1 });
    const dir = await exported();
    const series = readdirSync(join(dir, 'audit')).find((s) => s.startsWith('INV-'))!;
    const files = manifestFiles(dir, series);
    expect(files.length).toBeGreaterThanOrEqual(2);
    // A forger removes the last number of the newest manifest and makes the file self-consistent.
    const last = files.at(-1)!;
    const m = JSON.parse(readFileSync(last, 'utf8')) as AuditManifest;
    const numbers = m.numbers.slice(1);
    const forged: AuditManifest = {
      ...m,
      numbers,
      contentSha256: contentSha256(m.series, m.period, numbers),
    };
    writeFileSync(last, serializeManifest(forged));
    expect((await checkAuditDirectory(dir)).problems.map((p) => p.problem)).toContain(
      `number ${Number(m.numbers[0]!.number.slice(-6))} of the series is missing: a gap`,
    );
    // Removing the first manifest breaks the chain.
    unlinkSync(files[0]!);
    const problems = (await checkAuditDirectory(dir)).problems.map((p) => p.problem);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('a manifest is missing')]));
  });
});
