/** Fixture details for the document tests (test/fixtures/details) and a generated long invoice. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvoiceDetail, InvoiceLine } from '../../../lambdas/shared/domain/types.js';

export const FIXTURE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/details',
);

export const FIXTURE_NAMES: string[] = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** A fresh (mutable) copy of a fixture, parsed but not validated. */
export function loadFixture(name: string): InvoiceDetail {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as InvoiceDetail;
}

/** The EUR/de fixture grown to `count` usage lines, totals recomputed (19 % VAT, half up). */
export function longInvoice(count: number): InvoiceDetail {
  const base = loadFixture('eur-domestic-de');
  const lines: InvoiceLine[] = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const quantity = String(n * 7);
    return {
      lineId: `usage:metric_${n}`,
      kind: 'usage',
      description: `Metered item ${String(n).padStart(3, '0')} – Łódź/Müller & Søn`,
      metric: `metric_${n}`,
      quantity,
      unit: 'units',
      unitPrice: '0.25',
      amountMinor: n * 7 * 25,
    };
  });
  const subtotalMinor = lines.reduce((s, l) => s + l.amountMinor, 0);
  // 19 % of an integer number of cents, rounded half up, in integers.
  const taxMinor = Math.floor((subtotalMinor * 19 + 50) / 100);
  return {
    ...base,
    invoiceNumber: 'INV-2026-000300',
    locale: 'en-GB',
    lines,
    subtotalMinor,
    discountMinor: 0,
    taxableMinor: subtotalMinor,
    taxes: [{ rate: '19', label: 'VAT 19 %', taxableMinor: subtotalMinor, taxMinor }],
    taxTotalMinor: taxMinor,
    totalMinor: subtotalMinor + taxMinor,
  };
}

/** A fixture by name: a detail in test/fixtures/details, or `visual:<name>` from the visual fixtures. */
export async function detailNamed(name: string): Promise<InvoiceDetail> {
  if (!name.startsWith('visual:')) return loadFixture(name);
  const { VISUAL_FIXTURES } = await import('../../visual/fixtures.js');
  const fixture = VISUAL_FIXTURES.find((f) => f.name === name.slice('visual:'.length));
  if (fixture === undefined) throw new Error(`no visual fixture ${name}`);
  return structuredClone(fixture.detail);
}

/** Visual fixtures whose bytes the cross-process test compares too: RTL, Thai, both payment codes. */
export const SCRIPT_FIXTURE_NAMES = [
  'visual:ar-eg',
  'visual:th-th',
  'visual:de-ch-chf-qr-bill',
  'visual:de-eur-epc-qr',
];
