/**
 * The rebuild of a period's analytics files over in-memory stores: only issued documents, parts
 * left from a bigger rebuild removed, and a rebuild stopped by its deadline leaving no file that
 * could count a document twice.
 */
import { s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import {
  rebuildPeriodAnalytics,
  RebuildOutOfTimeError,
  type AnalyticsDeps,
} from '../../../lambdas/shared/operations/rebuild-analytics.js';
import type { InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';
import { computeGoldenDraft, goldenCases, issueGolden } from '../../support/golden.js';

const [, golden] = goldenCases.find(([, c]) => c.expectedError === undefined)!;
const detail = issueGolden(computeGoldenDraft(golden));
const PERIOD = detail.period.id;

function fixture(statuses: string[]) {
  const files = new Map<string, Buffer>();
  const rows = statuses.map(
    (status, i) =>
      ({
        invoiceKey: `c${i}#${PERIOD}`,
        customerId: `c${i}`,
        period: PERIOD,
        invoiceNumber: `INV-2026-${String(i + 1).padStart(6, '0')}`,
        status,
        jsonKey: `invoices/${PERIOD}/c${i}/${i}.json`,
        reservedByRun: 'run-1',
      }) as unknown as InvoiceRow,
  );
  for (const row of rows)
    files.set(
      row.jsonKey,
      Buffer.from(
        JSON.stringify({ ...detail, invoiceNumber: row.invoiceNumber, customerId: row.customerId }),
      ),
    );
  const deps: AnalyticsDeps = {
    invoices: { query: async () => rows },
    documents: {
      bucket: 'docs',
      getBytes: async (key) => files.get(key)!,
      put: async (key, body) => void files.set(key, Buffer.from(body)),
      delete: async (key) => void files.delete(key),
      list: async (prefix) => [...files.keys()].filter((k) => k.startsWith(prefix)),
    },
    exchangeRates: { load: async () => undefined },
  };
  return { files, deps };
}

describe('rebuilding a period', () => {
  it('writes the issued documents only, and removes parts a bigger rebuild left', async () => {
    const { files, deps } = fixture(['NOTIFIED', 'ISSUED', 'VOID', 'PENDING']);
    const stale = s3Keys.analyticsInvoicesPart('vat', PERIOD, 3);
    files.set(stale, Buffer.from('old'));
    const result = await rebuildPeriodAnalytics(deps, PERIOD);
    expect(result.invoices).toBe(2);
    expect(result.files).toEqual(
      (['invoices', 'lines', 'vat'] as const).map((t) => s3Keys.analyticsInvoicesPart(t, PERIOD, 0)),
    );
    expect(files.has(stale)).toBe(false);
  });

  it('stops at its deadline, leaving no part behind that could double a document', async () => {
    const { files, deps } = fixture(['NOTIFIED']);
    await rebuildPeriodAnalytics(deps, PERIOD);
    const written = [...files.keys()].filter((k) => k.startsWith(s3Keys.analyticsPrefix));
    expect(written).toHaveLength(3);
    await expect(rebuildPeriodAnalytics(deps, PERIOD, { deadline: () => true })).rejects.toThrow(
      RebuildOutOfTimeError,
    );
    expect([...files.keys()].filter((k) => k.startsWith(s3Keys.analyticsPrefix))).toEqual([]);
  });
});
