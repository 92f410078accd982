/**
 * EN 16931 e-invoices: every golden case that can be an e-invoice, as an invoice and as its credit
 * notes, in UBL and in CII, breaks none of the official business rules (the CEN/TC 434 schematron,
 * vendored); a tampered total is caught; 3-decimal currencies are refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statedPrice, toEn16931 } from '../../../lambdas/shared/documents/en16931/mapping.js';
import { EN16931_CURRENCIES, eInvoiceRefusal } from '../../../lambdas/shared/documents/en16931/refusal.js';
import { renderEInvoice } from '../../../lambdas/shared/documents/en16931/render.js';
import { rec20UnitCode } from '../../../lambdas/shared/documents/en16931/unit-codes.js';
import { currencyOf } from '../../../lambdas/shared/domain/money.js';
import { VISUAL_FIXTURES } from '../../visual/fixtures.js';
import type { EInvoiceSyntax, InvoiceDetail } from '../../../lambdas/shared/domain/types.js';
import {
  EN16931_ARTEFACTS,
  EN16931_DIR,
  fatalRules,
  validateEn16931,
  type ArtefactManifest,
} from '../../support/en16931.js';
import {
  computeGoldenDraft,
  goldenCases,
  goldenCreditNotes,
  issueGolden,
  type GoldenCase,
} from '../../support/golden.js';

const SYNTAXES: EInvoiceSyntax[] = ['UBL', 'CII'];
/** Outside the scope of VAT, an e-invoice names the seller by its legal registration id (BR-CO-26). */
const SELLER_EXTRAS = {
  legalRegistrationId: 'HRB 123456 B',
  bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
};

function documentsOf(c: GoldenCase): InvoiceDetail[] {
  const seller = { email: 'billing@seller.example', ...c.seller, ...SELLER_EXTRAS };
  const invoice = issueGolden(computeGoldenDraft({ ...c, seller }));
  return [invoice, ...goldenCreditNotes(c, invoice)];
}

const issued = goldenCases.filter(([, c]) => c.expected !== undefined);
const refusalOf = (c: GoldenCase): string | undefined => eInvoiceRefusal(documentsOf(c)[0]!);
const refusals = new Map(issued.map(([file, c]) => [file, refusalOf(c)]));
const possible = issued.filter(([file]) => refusals.get(file) === undefined);
const refused = issued.filter(([file]) => refusals.get(file) !== undefined);

async function xmlOf(detail: InvoiceDetail, syntax: EInvoiceSyntax): Promise<string> {
  const result = await renderEInvoice({ ...detail, buyer: { ...detail.buyer, eInvoiceSyntax: syntax } });
  if ('refused' in result) throw new Error(result.refused);
  expect(result.syntax).toBe(syntax);
  return result.xml;
}

describe('EN 16931 validation artefacts', () => {
  it('are the vendored release, compiled from the sources beside them', () => {
    const manifest = JSON.parse(readFileSync(join(EN16931_DIR, 'VERSION.json'), 'utf8')) as ArtefactManifest;
    expect(manifest.release).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { xslt } of Object.values(EN16931_ARTEFACTS)) {
      const hash = createHash('sha256')
        .update(readFileSync(join(EN16931_DIR, xslt)))
        .digest('hex');
      expect(manifest.sha256[xslt]).toBe(hash);
    }
    expect(readFileSync(join(EN16931_DIR, 'LICENSE.txt'), 'utf8')).toContain('European Union Public Licence');
  });
});

describe('e-invoices of the golden set', () => {
  it('covers the cases that matter: credit notes, discounts, Art. 230, each VAT category', () => {
    const all = possible.flatMap(([, c]) => documentsOf(c));
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.some((d) => d.documentType === 'credit_note')).toBe(true);
    expect(all.some((d) => d.discountMinor > 0)).toBe(true);
    expect(all.some((d) => d.taxes.some((t) => t.national !== undefined))).toBe(true);
    expect(new Set(all.flatMap((d) => d.taxes.map((t) => t.category)))).toEqual(new Set(['S', 'AE', 'O']));
    expect(refused.map(([file]) => file)).toEqual([
      '18-kwd-three-decimals.json',
      '19-kwd-finnish-vat.json',
      '85-art-230-bulgaria-bgn-before-the-euro.json',
    ]);
  });

  describe.each(SYNTAXES)('%s', (syntax) => {
    it.each(possible)('%s breaks no EN 16931 rule', async (_file, c) => {
      for (const detail of documentsOf(c)) {
        const report = validateEn16931(await xmlOf(detail, syntax), syntax);
        expect(report.firedRules).toBeGreaterThan(20);
        expect({ number: detail.invoiceNumber, failed: fatalRules(report) }).toEqual({
          number: detail.invoiceNumber,
          failed: [],
        });
      }
    });
  });
});

describe('e-invoices of the visual fixtures (every script and language)', () => {
  const fixtures = VISUAL_FIXTURES.filter((f) => eInvoiceRefusal(f.detail) === undefined);

  it('cover most of them (three-decimal and unlisted currencies are refused)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(SYNTAXES)('%s', (syntax) => {
    it.each(fixtures.map((f) => [f.name, f] as const))(
      '%s breaks no rule and carries the printed texts',
      async (_, f) => {
        const xml = await xmlOf(f.detail, syntax);
        const report = validateEn16931(xml, syntax);
        expect(fatalRules(report)).toEqual([]);
        // Item names (BT-153) and notes (BT-22) are the texts the PDF prints, in the customer's language.
        const escape = (text: string) =>
          text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
        for (const line of f.detail.lines) expect(xml).toContain(escape(line.description));
        for (const note of f.detail.notes) expect(xml).toContain(escape(note));
      },
    );
  });
});

describe('e-invoice content', () => {
  const [, reverseCharge] = goldenCases.find(([file]) => file.startsWith('25-'))!;
  const invoice = documentsOf(reverseCharge)[0]!;

  it.each(SYNTAXES)('%s: a tampered total is caught', async (syntax) => {
    const xml = await xmlOf(invoice, syntax);
    const tampered =
      syntax === 'UBL'
        ? xml.replace(/(<cbc:PayableAmount[^>]*>)[\d.]+/, '$1999.99')
        : xml.replace(/(<ram:DuePayableAmount>)[\d.]+/, '$1999.99');
    expect(tampered).not.toBe(xml);
    expect(fatalRules(validateEn16931(tampered, syntax)).map((r) => r.id)).toContain('BR-CO-16');
  });

  it.each(SYNTAXES)('%s: the same record gives the same bytes', async (syntax) => {
    expect(await xmlOf(structuredClone(invoice), syntax)).toBe(await xmlOf(invoice, syntax));
  });

  it('writes a credit note as a UBL CreditNote that names the invoice it corrects', async () => {
    const [, partial] = goldenCases.find(([file]) => file.startsWith('87-'))!;
    const [original, credit] = documentsOf(partial);
    const xml = await xmlOf(credit!, 'UBL');
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml).toMatch(
      new RegExp(`<cac:InvoiceDocumentReference>\\s*<cbc:ID>${original!.invoiceNumber}</cbc:ID>`),
    );
    expect(xml).toContain(`Reason for credit: ${credit!.creditReason}`);
  });

  it('states the VAT in the national currency (Art. 230) as BT-6 and BT-111', () => {
    const [, art230] = goldenCases.find(([file]) => file.startsWith('82-'))!;
    const detail = documentsOf(art230)[0]!;
    const ubl = toEn16931(detail)['ubl:Invoice'];
    expect(ubl['cbc:DocumentCurrencyCode']).toBe('USD');
    expect(ubl['cbc:TaxCurrencyCode']).toBe('EUR');
    expect(ubl['cac:TaxTotal'][1]).toEqual({
      'cbc:TaxAmount': expect.stringMatching(/^\d+\.\d{2}$/),
      'cbc:TaxAmount@currencyID': 'EUR',
    });
  });

  it('names no VAT id on an invoice not subject to VAT (BR-O-02), the seller by its registration', () => {
    const [, japan] = goldenCases.find(([file]) => file.startsWith('75-'))!;
    const ubl = toEn16931(documentsOf(japan)[0]!)['ubl:Invoice'];
    expect(ubl['cac:AccountingSupplierParty']['cac:Party']['cac:PartyTaxScheme']).toBeUndefined();
    expect(ubl['cac:AccountingCustomerParty']['cac:Party']['cac:PartyTaxScheme']).toBeUndefined();
    expect(ubl['cac:AccountingSupplierParty']['cac:Party']['cac:PartyLegalEntity']['cbc:CompanyID']).toBe(
      'HRB 123456 B',
    );
    const withoutRegistration = {
      ...documentsOf(japan)[0]!,
      seller: { ...invoice.seller, legalRegistrationId: undefined },
    };
    delete withoutRegistration.seller.legalRegistrationId;
    expect(() => toEn16931(withoutRegistration)).toThrow(/seller\.legalRegistrationId/);
  });

  it('turns discounts into document level allowances in the invoice VAT category', () => {
    const [, discounted] = goldenCases.find(([file]) => file.startsWith('24-'))!;
    const detail = documentsOf(discounted)[0]!;
    const ubl = toEn16931(detail)['ubl:Invoice'];
    const allowances = ubl['cac:AllowanceCharge'] ?? [];
    expect(allowances.length).toBe(detail.lines.filter((l) => l.kind === 'discount').length);
    for (const allowance of allowances) {
      expect(allowance['cbc:ChargeIndicator']).toBe('false');
      expect(allowance['cac:TaxCategory']['cbc:ID']).toBe(detail.taxes[0]!.category);
    }
    expect(ubl['cac:InvoiceLine'].every((line) => !line['cbc:LineExtensionAmount'].startsWith('-'))).toBe(
      true,
    );
  });

  it('refuses currencies with three decimals, which EN 16931 cannot state', async () => {
    for (const [, c] of refused.filter(([file]) => file.includes('kwd'))) {
      const detail = documentsOf(c)[0]!;
      expect(await renderEInvoice(detail)).toEqual({
        refused: 'EN 16931 states amounts with at most 2 decimals, and KWD has 3',
      });
      expect(() => toEn16931(detail)).toThrow(
        `e-invoice of ${detail.invoiceNumber}: EN 16931 states amounts`,
      );
    }
  });

  it('names the field when the record breaks the e-invoice data model', async () => {
    const broken = {
      ...invoice,
      seller: { ...invoice.seller, address: { ...invoice.seller.address, country: 'XX' } },
    };
    await expect(renderEInvoice(broken)).rejects.toThrow(
      /^e-invoice of INV-2026-000001: .*cac:AccountingSupplierParty\/cac:Party\/cac:PostalAddress\/cac:Country\/cbc:IdentificationCode must be equal to one of the allowed values/,
    );
  });

  it.each(SYNTAXES)('%s: writes an XRechnung for a German public buyer, valid EN 16931', async (syntax) => {
    const seller = { ...invoice.seller, contact: { name: 'Billing', phone: '+49 30 1234567' } };
    const buyer = { ...invoice.buyer, reference: '991-12345-67', eInvoiceProfile: 'XRECHNUNG' as const };
    const xml = await xmlOf({ ...invoice, seller, buyer }, syntax);
    expect(xml).toContain('urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0');
    expect(xml).toContain('991-12345-67');
    expect(xml).toContain('+49 30 1234567');
    expect(fatalRules(validateEn16931(xml, syntax))).toEqual([]);
    const { contact: _contact, ...noContact } = seller;
    expect(eInvoiceRefusal({ ...invoice, seller: noContact, buyer })).toMatch(/set seller.contact$/);
    const { reference: _reference, ...noReference } = buyer;
    expect(eInvoiceRefusal({ ...invoice, seller, buyer: noReference })).toMatch(/Leitweg-ID/);
  });

  it('refuses a currency EN 16931 no longer lists (BGN after the euro changeover)', () => {
    const [, bgn] = refused.find(([file]) => file.startsWith('85-'))!;
    expect(refusalOf(bgn)).toBe('BGN is not in the currency code list of EN 16931 (BR-CL-03)');
  });

  it('keeps its currency list equal to the one of the vendored artefacts', () => {
    const xslt = readFileSync(join(EN16931_DIR, EN16931_ARTEFACTS.UBL.xslt), 'utf8');
    const listed = /contains\(' (AED [A-Z ]+) ', concat/.exec(xslt)?.[1]?.split(' ');
    expect(listed?.length).toBeGreaterThan(150);
    expect(new Set(listed)).toEqual(EN16931_CURRENCIES);
  });

  it('refuses an invoice whose seller has no e-mail, or no registration where VAT ids are not allowed', () => {
    const { email: _email, ...noEmail } = invoice.seller;
    expect(eInvoiceRefusal({ ...invoice, seller: noEmail })).toMatch(/BT-34\): set seller.email$/);
  });

  it('states a price that gives the line amount exactly, per the billed quantity when no unit price does', () => {
    const eur = currencyOf('EUR');
    const line = {
      lineId: 'x',
      kind: 'usage' as const,
      description: 'd',
      quantity: '3',
      unitPrice: '0.333',
      amountMinor: 100,
    };
    expect(statedPrice(line, eur)).toEqual({ amount: '1.00', baseQuantity: '3' });
    expect(statedPrice({ ...line, unitPrice: '0.5', amountMinor: 150 }, eur)).toEqual({ amount: '0.5' });
    expect(statedPrice({ ...line, quantity: '0', amountMinor: 0 }, eur)).toEqual({ amount: '0.00' });
    expect(statedPrice({ ...line, quantity: '4', unitPrice: '0.25', amountMinor: 100 }, eur)).toEqual({
      amount: '0.25',
    });
    expect(rec20UnitCode('GB')).toBe('E34');
    expect(rec20UnitCode('API calls')).toBe('C62');
    expect(rec20UnitCode(undefined)).toBe('C62');
  });
});
