/**
 * The offline audit check reads files from anywhere (an auditor's copy): a valid chain passes,
 * and generated garbage (bytes that are not UTF-8, JSON of any shape, prototype keys) is reported
 * as a problem of its file, never a throw or a polluted prototype.
 */
import fc from 'fast-check';
import {
  auditManifestKey,
  buildManifest,
  checkManifests,
  serializeManifest,
} from '../../../lambdas/shared/domain/audit-manifest.js';
import { sha256Hex } from '../../../lambdas/shared/contracts/document-hashes.js';

const entry = (n: number) => ({
  number: `INV-2026-${String(n).padStart(6, '0')}`,
  status: 'ISSUED',
  customerId: `cus_${n}`,
  period: '2026-10',
  issueDate: '2026-11-01',
  documentType: 'invoice' as const,
});

function validChain(): Map<string, Buffer> {
  const first = serializeManifest(
    buildManifest({
      series: 'INV-2026',
      period: '2026-10',
      sequence: 1,
      trigger: 't',
      asOf: 'x',
      numbers: [entry(1)],
      previous: null,
    }),
  );
  const second = serializeManifest(
    buildManifest({
      series: 'INV-2026',
      period: '2026-10',
      sequence: 2,
      trigger: 't',
      asOf: 'y',
      numbers: [entry(1), entry(2)],
      previous: { key: auditManifestKey('INV-2026', 1, '2026-10'), sha256: sha256Hex(first) },
    }),
  );
  return new Map([
    [auditManifestKey('INV-2026', 1, '2026-10'), first],
    [auditManifestKey('INV-2026', 2, '2026-10'), second],
  ]);
}

describe('the offline audit check', () => {
  it('passes a valid chain', () => {
    expect(checkManifests(validChain())).toMatchObject({ ok: true, problems: [], series: [{ numbers: 2 }] });
  });

  it('reports any generated file as a problem of that file, never throwing or polluting', () => {
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.json().map((j) => Buffer.from(j)),
      fc
        .record({
          format: fc.constant('invoicer-audit-manifest/1'),
          series: fc.string(),
          numbers: fc.anything(),
        })
        .map((m) => Buffer.from(JSON.stringify(m))),
      fc.constant(Buffer.from('{"__proto__":{"polluted":1},"format":"invoicer-audit-manifest/1"}')),
    );
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (extra) => {
        const files = validChain();
        extra.forEach((bytes, i) => files.set(`audit/x/${i}.json`, bytes));
        const report = checkManifests(files);
        expect(report.ok).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
