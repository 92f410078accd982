/**
 * Invoice details for the benchmarks: a typical one-page invoice (8 lines, one tiered, EUR, de-DE),
 * varied per customer so that renders do not repeat one document, and a long one (N lines).
 */
import { readFileSync } from 'node:fs';
import { validateInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import type { InvoiceDetail, InvoiceLine } from '../../lambdas/shared/domain/types.js';

const base = JSON.parse(
  readFileSync(new URL('../../test/fixtures/details/eur-domestic-de.json', import.meta.url), 'utf8'),
) as InvoiceDetail;

const usageLine = (lineId: string, description: string, quantity: string, unitPrice: string): InvoiceLine => {
  const amountMinor = Math.round(Number(quantity) * Number(unitPrice) * 100);
  return { lineId, kind: 'usage', description, quantity, unit: 'units', unitPrice, amountMinor };
};

function withLines(lines: InvoiceLine[], overrides: Partial<InvoiceDetail> = {}): InvoiceDetail {
  const subtotalMinor = lines.filter((l) => l.kind !== 'discount').reduce((s, l) => s + l.amountMinor, 0);
  const discountMinor = -lines.filter((l) => l.kind === 'discount').reduce((s, l) => s + l.amountMinor, 0);
  const taxableMinor = subtotalMinor - discountMinor;
  const taxMinor = Math.floor((taxableMinor * 19 + 50) / 100);
  return validateInvoiceDetail({
    ...base,
    ...overrides,
    lines,
    subtotalMinor,
    discountMinor,
    taxableMinor,
    taxes: [{ ...base.taxes[0]!, category: 'S', taxableMinor, taxMinor }],
    taxTotalMinor: taxMinor,
    totalMinor: taxableMinor + taxMinor,
  });
}

/** The fixture's 5 lines plus 3 usage lines; customer `i` gets its own number, name and quantities. */
export function typicalInvoice(i: number): InvoiceDetail {
  const extra = [
    usageLine('usage:emails', 'E-mails sent', String(45210 + i), '0.004'),
    usageLine('usage:sms', 'SMS messages', String(1200 + (i % 97)), '0.07'),
    usageLine('usage:build_minutes', 'Build minutes', `${3250 + (i % 13)}.5`, '0.008'),
  ];
  return withLines([...base.lines.slice(0, -1), ...extra, base.lines.at(-1)!], {
    invoiceNumber: `INV-2026-${String(i + 1).padStart(6, '0')}`,
    buyer: { ...base.buyer, name: `Kunde ${i + 1} Müller & Söhne GmbH`, customerId: `cus_${i + 1}` },
  });
}

/** An invoice of `count` usage lines (the multi-page table case). */
export function longInvoice(count: number): InvoiceDetail {
  const lines = Array.from({ length: count }, (_, i) =>
    usageLine(
      `usage:metric_${i + 1}`,
      `Metered item ${i + 1} (API region eu-${i % 7})`,
      String((i + 1) * 7),
      '0.013',
    ),
  );
  return withLines(lines, { invoiceNumber: 'INV-2026-000300' });
}

/** Names and item texts of a right-to-left and a Thai invoice: shaping, bidi and word breaking at work. */
const SCRIPT_SAMPLES = {
  arabic: {
    locale: 'ar-EG',
    name: 'شركة النور للتجارة والتوزيع',
    items: ['رسائل البريد الإلكتروني المرسلة', 'الرسائل النصية القصيرة', 'دقائق البناء', 'التخزين السحابي'],
  },
  thai: {
    locale: 'th-TH',
    name: 'บริษัท สยามเทคโนโลยี จำกัด',
    items: ['อีเมลที่ส่งออก', 'ข้อความสั้น', 'นาทีการสร้างซอฟต์แวร์', 'พื้นที่จัดเก็บข้อมูล'],
  },
} as const;

export type BenchScript = keyof typeof SCRIPT_SAMPLES;

/** The typical invoice written in Arabic or Thai: its buyer, its items and its labels. */
export function scriptInvoice(script: BenchScript, i: number): InvoiceDetail {
  const sample = SCRIPT_SAMPLES[script];
  const typical = typicalInvoice(i);
  return validateInvoiceDetail({
    ...typical,
    locale: sample.locale,
    buyer: { ...typical.buyer, name: `${sample.name} ${i + 1}` },
    lines: typical.lines.map((line, n) => ({ ...line, description: sample.items[n % sample.items.length]! })),
  });
}
