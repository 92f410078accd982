import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractText } from 'unpdf';
import { FONT_FILES, fontPath, fontRuns } from '../../../lambdas/shared/documents/fonts.js';
import { formatMoney } from '../../../lambdas/shared/documents/format.js';
import { renderInvoicePdf } from '../../../lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from '../../../lambdas/shared/documents/schema.js';
import { creditNoteDraft, finalizeInvoice } from '../../../lambdas/shared/domain/index.js';
import type { InvoiceDetail } from '../../../lambdas/shared/domain/types.js';
import { detailNamed, FIXTURE_NAMES, loadFixture, longInvoice, SCRIPT_FIXTURE_NAMES } from './support.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Intl and pdf.js both use assorted no-break spaces; compare text with plain spaces. */
const plain = (text: string): string => text.replace(/[\s\u00a0\u2009\u202f]+/g, ' ');
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function pagesOf(pdf: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(pdf), { mergePages: false });
  return text.map(plain);
}

const rendered = new Map<string, Buffer>();
async function render(name: string): Promise<Buffer> {
  let pdf = rendered.get(name);
  if (pdf === undefined) {
    pdf = await renderInvoicePdf(validateInvoiceDetail(await detailNamed(name)));
    rendered.set(name, pdf);
  }
  return pdf;
}

const total = (d: InvoiceDetail): string =>
  plain(formatMoney(d.totalMinor, d.currency, d.exponent, d.locale));

describe('renderInvoicePdf', () => {
  it.each(FIXTURE_NAMES)('%s: a one-page A4 PDF with number, buyer and total as text', async (name) => {
    const detail = loadFixture(name);
    const pdf = await render(name);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    const pages = await pagesOf(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain(detail.invoiceNumber);
    expect(text).toContain(plain(detail.buyer.name));
    expect(text).toContain(detail.buyer.address.city);
    expect(text).toContain(total(detail));
    expect(text).toContain(detail.seller.vatId!);
  });

  it('prints the Unicode names from the fixtures exactly', async () => {
    const text = (await Promise.all(['reverse-charge-at', 'pln-lodz', 'jpy-ja'].map(render))).map(
      async (pdf) => (await pagesOf(pdf)).join('\n'),
    );
    const [at, pl, jp] = await Promise.all(text);
    expect(at).toContain('Müller & Søn GmbH');
    expect(pl).toContain('Łódź');
    expect(pl).toContain('Przedsiębiorstwo Żółć Sp. z o.o.');
    expect(jp).toContain('株式会社サンプル');
    expect(jp).toContain('千代田区丸の内1-1-1');
  });

  it('uses the customer language and locale formats', async () => {
    const [de] = await pagesOf(await render('eur-domestic-de'));
    expect(de).toContain('Rechnungsnummer');
    expect(de).toContain('Seite 1 von 1');
    expect(de).toContain('1. November 2026');
    expect(de).toContain('302,83 €');
    expect(de).toContain('0,00057 €'); // tier unit price, not rounded
    const [ja] = await pagesOf(await render('jpy-ja'));
    expect(ja).toContain('請求書番号');
    expect(ja).toContain('2026年11月1日');
    expect(ja).toContain('￥26,038');
    const [kw] = await pagesOf(await render('kwd-3dec'));
    expect(kw).toContain('KWD 1,235.567');
  });

  it('prints the tax summary and the reverse-charge note in the reader language and in English', async () => {
    const [text] = await pagesOf(await render('reverse-charge-at'));
    expect(text).toContain('USt-IdNr.: ATU12345675');
    expect(text).toContain('Steuerschuldnerschaft des Leistungsempfängers');
    expect(text).toContain('Reverse charge: VAT to be accounted for by the recipient');
    const [de] = await pagesOf(await render('eur-domestic-de'));
    expect(de).toContain('USt. 19 % auf 254,48 €');
    expect(de).toContain('48,35 €');
    expect(de).not.toContain('Reverse');
  });

  it('says why a 0 % invoice has no VAT, and states VAT in the national currency (Art. 230)', async () => {
    const base = loadFixture('eur-domestic-de');
    const outside: InvoiceDetail = {
      ...base,
      taxes: [
        {
          category: 'O',
          rate: '0',
          label: 'Not subject to VAT (0 %)',
          taxableMinor: base.taxableMinor,
          taxMinor: 0,
          exemptionReasonCode: 'VATEX-EU-O',
          exemptionReason: 'Not subject to VAT: place of supply outside the EU VAT area',
        },
      ],
      taxTotalMinor: 0,
      totalMinor: base.taxableMinor,
      notes: ['Not subject to VAT: the place of supply, US, is outside the EU VAT area.'],
    };
    const [o] = await pagesOf(await renderInvoicePdf(validateInvoiceDetail(outside)));
    expect(o).toContain('USt. 0 % (nicht steuerbar)');
    expect(o).toContain('Not subject to VAT: the place of supply, US, is outside the EU VAT area.');
    const national: InvoiceDetail = {
      ...base,
      currency: 'USD',
      taxes: base.taxes.map((t) => ({
        ...t,
        national: {
          currency: 'EUR',
          taxMinor: 4644,
          rates: [{ currency: 'USD', perEur: '1.0412' }],
          rateDate: '2026-01-30',
          source: 'ECB euro reference rates',
        },
      })),
    };
    const [n] = await pagesOf(await renderInvoicePdf(validateInvoiceDetail(national)));
    expect(n).toContain('USt. in EUR (Art. 230 MwStSystRL): 46,44 €');
    expect(n).toContain('(ECB euro reference rates, 30. Januar 2026: 1 EUR = 1.0412 USD)');
  });

  it('prints a credit note with its own title and number, the invoice it corrects and why', async () => {
    const invoice = loadFixture('eur-domestic-de');
    const draft = creditNoteDraft(
      invoice,
      { reason: 'Ausfall vom 1. bis 15. Oktober', amountMinor: 5950 },
      0,
    );
    const credit = validateInvoiceDetail(
      finalizeInvoice(draft, { invoiceNumber: 'CN-2026-000001', series: 'CN-2026', issueDate: '2026-11-20' }),
    );
    const [text] = await pagesOf(await renderInvoicePdf(credit));
    expect(text).toContain('Rechnungskorrektur');
    expect(text).toContain('Korrekturnummer CN-2026-000001');
    expect(text).toContain(`Korrigiert Rechnung ${invoice.invoiceNumber}`);
    expect(text).toContain(
      `Diese Rechnungskorrektur bezieht sich auf die Rechnung ${invoice.invoiceNumber} vom 1. November 2026. Grund: Ausfall vom 1. bis 15. Oktober`,
    );
    expect(text).toContain('59,50 €');
    expect(text).not.toContain('Zahlbar innerhalb');
  });

  it('refuses a credit note detail without the invoice it corrects, and corrects on an invoice', () => {
    const invoice = loadFixture('eur-domestic-de');
    expect(() => validateInvoiceDetail({ ...invoice, documentType: 'credit_note' })).toThrow(
      'corrects, creditReason: a credit note names the invoice it corrects and why',
    );
    expect(() =>
      validateInvoiceDetail({
        ...invoice,
        corrects: { invoiceNumber: 'INV-2026-000001', issueDate: '2026-11-01' },
      }),
    ).toThrow('documentType: only a credit note corrects an invoice');
  });

  it('breaks a 300-line invoice across pages with the header repeated and page X of Y', async () => {
    const detail = validateInvoiceDetail(longInvoice(300));
    const pages = await pagesOf(await renderInvoicePdf(detail));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain('Description Quantity Unit price Amount');
      expect(page).toContain(detail.invoiceNumber);
    });
    const all = pages.join('\n');
    for (const n of ['001', '150', '300']) expect(all).toContain(`Metered item ${n} – Łódź/Müller & Søn`);
    expect(pages.at(-1)).toContain(total(detail));
    // Every line lands on exactly one page.
    const counts = pages.map((p) => (p.match(/Metered item \d{3}/g) ?? []).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('fixes the document dates to the issue date', async () => {
    const raw = (await render('eur-domestic-de')).toString('latin1');
    // pdfkit writes each Info entry as an indirect object: /CreationDate 13 0 R ... (D:...Z).
    expect(raw).toMatch(/\/CreationDate \d+ 0 R/);
    expect(raw).toMatch(/\/ModDate \d+ 0 R/);
    expect(raw.match(/\(D:\d{14}Z\)/g)).toEqual(['(D:20261101000000Z)', '(D:20261101000000Z)']);
  });

  it('gives byte-identical PDFs for the same detail, and different ones for different details', async () => {
    const detail = loadFixture('jpy-ja');
    const first = await renderInvoicePdf(validateInvoiceDetail(detail));
    const second = await renderInvoicePdf(validateInvoiceDetail(structuredClone(detail)));
    expect(second.equals(first)).toBe(true);
    const other = await renderInvoicePdf(
      validateInvoiceDetail({ ...detail, invoiceNumber: 'INV-2026-000999' }),
    );
    expect(sha256(other)).not.toBe(sha256(first));
  });

  it('gives the same bytes in another process, in another order, with fonts from INVOICER_FONT_DIR', async () => {
    const fontDir = mkdtempSync(path.join(tmpdir(), 'invoicer-fonts-'));
    try {
      for (const file of Object.values(FONT_FILES)) {
        symlinkSync(
          path.join(path.dirname(fontPath('latin')), '../..', file),
          path.join(fontDir, path.basename(file)),
        );
      }
      // The child renders in reverse order: no render may depend on what was rendered before it.
      const names = [...FIXTURE_NAMES, ...SCRIPT_FIXTURE_NAMES].reverse();
      const { stdout } = await run(
        process.execPath,
        ['scripts/bin/run-ts.mjs', 'test/unit/documents/render-hash.ts', ...names],
        { cwd: ROOT, env: { ...process.env, INVOICER_FONT_DIR: fontDir, TZ: 'Pacific/Kiritimati' } },
      );
      const child = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; sha256: string; latinFont: string });
      expect(child.map((c) => c.name)).toEqual(names);
      for (const c of child) {
        expect(c.latinFont).toBe(path.join(fontDir, 'NotoSans_400Regular.ttf'));
        expect({ name: c.name, sha256: c.sha256 }).toEqual({
          name: c.name,
          sha256: sha256(await render(c.name)),
        });
      }
    } finally {
      rmSync(fontDir, { recursive: true, force: true });
    }
  });
});

describe('font runs', () => {
  it('splits mixed scripts by glyph coverage', () => {
    expect(fontRuns('株式会社サンプル (Tokyo) Łódź', false)).toEqual([
      { face: 'jp', text: '株式会社サンプル' },
      { face: 'latin', text: ' (Tokyo) Łódź' },
    ]);
    expect(fontRuns('Müller & Søn Ελλάδα Москва', true)).toEqual([
      { face: 'latinBold', text: 'Müller & Søn Ελλάδα Москва' },
    ]);
  });

  it('keeps combining marks with their base character', () => {
    expect(fontRuns('Lo\u0301dz\u0301', false)).toEqual([{ face: 'latin', text: 'Lo\u0301dz\u0301' }]);
  });

  it('resolves the fonts from the npm packages when INVOICER_FONT_DIR is unset', () => {
    expect(process.env.INVOICER_FONT_DIR).toBeUndefined();
    expect(fontPath('latin')).toMatch(/@expo-google-fonts\/noto-sans\/400Regular\/NotoSans_400Regular\.ttf$/);
    expect(fontPath('jpBold')).toMatch(/noto-sans-jp\/700Bold\/NotoSansJP_700Bold\.ttf$/);
  });
});
