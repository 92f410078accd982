/**
 * What an invoice says, in the reader's language: its parties with their ids, its facts, its rows,
 * the totals with the tax summary, the VAT in national currency, and the payment terms and legal
 * notes. The PDF (pdf.ts) and the hosted invoice page (lambdas/api/hosted-page.ts) both print
 * these, so they say the same.
 *
 * Rows read top to bottom: every printed row's quantity x unit price is its amount (a tiered line
 * shows its tiers' prices, not a blended one); the table adds up to the subtotal; each discount
 * appears once, in the totals, so that subtotal - discounts + tax = total as printed.
 */
import { currencyOf } from '../domain/money.js';
import type { InvoiceDetail, InvoiceLine, Party, SellerParty } from '../domain/types.js';
import { taxLabel } from '../i18n/tax-names.js';
import { addressBlock, type AddressBlock } from './address-block.js';
import {
  formatDate,
  formatDateRange,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
} from './format.js';
import { labelsFor, languageOf, type Labels } from './labels.js';

/** A tax id's label by what the id is: a Swiss UID, a UK VAT number, a VOEC number, else an EU VAT id. */
export function taxIdLabel(id: string, L: Labels): string {
  if (/^CHE/i.test(id)) return L.taxIds.chVat;
  if (/^(GB|XI)/i.test(id)) return L.taxIds.gbVat;
  if (/^VOEC/i.test(id)) return L.taxIds.noVoec;
  return L.taxIds.vat;
}

const idLine = (id: string, L: Labels): string => `${taxIdLabel(id, L)}: ${id}`;

/** The seller under its name: address, e-mail, tax ids and registrations, register entry, directors. */
export function sellerLines(seller: SellerParty, locale: string): string[] {
  const L = labelsFor(locale);
  const register = [seller.registerCourt, seller.legalRegistrationId].filter(Boolean).join(', ');
  return [
    ...addressBlock(seller, locale, { withName: false }).lines,
    ...(seller.email ? [seller.email] : []),
    ...(seller.vatId ? [idLine(seller.vatId, L)] : []),
    ...(seller.taxRegistration ? [idLine(seller.taxRegistration.id, L)] : []),
    ...(register === '' ? [] : [`${L.commercialRegister}: ${register}`]),
    ...(seller.managingDirectors ? [`${L.managingDirectors}: ${seller.managingDirectors.join(', ')}`] : []),
  ];
}

/** The buyer's block in its country's postal format, its VAT id and e-mail after it. */
export function buyerBlock(buyer: Party & { email: string }, locale: string): AddressBlock {
  const L = labelsFor(locale);
  const block = addressBlock(buyer, locale, { withName: true });
  return {
    nameLine: block.nameLine,
    lines: [...block.lines, ...(buyer.vatId ? [idLine(buyer.vatId, L)] : []), `${L.email}: ${buyer.email}`],
  };
}

/** The document's facts beside its title: [label, value, emphasised]. */
export function documentFacts(detail: InvoiceDetail): [string, string, boolean][] {
  const { locale } = detail;
  const L = labelsFor(locale);
  // A credit note names the invoice it corrects in place of a due date.
  const credit = detail.documentType === 'credit_note' ? detail.corrects : undefined;
  return [
    [credit ? L.creditNoteNumber : L.invoiceNumber, detail.invoiceNumber, true],
    [L.issueDate, formatDate(detail.issueDate, locale), false],
    credit
      ? [L.corrects, credit.invoiceNumber, false]
      : [L.dueDate, formatDate(detail.dueDate, locale), false],
    [L.billingPeriod, formatDateRange(detail.period.start, detail.period.end, locale), false],
    [L.customerId, detail.buyer.customerId, false],
    [L.plan, detail.plan.name, false],
  ];
}

/** One printed row of the line table. */
export interface TableRow {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  /** A tier row under its line. */
  tier: boolean;
}

/** The table's rows: every line but the discounts (which the totals state), with its tier rows. */
export function tableRows(detail: InvoiceDetail): TableRow[] {
  const { currency, exponent, locale } = detail;
  const money = (minor: number) => formatMoney(minor, currency, exponent, locale);
  const price = (unitPrice: string) => formatUnitPrice(unitPrice, currency, exponent, locale);
  const quantity = (line: InvoiceLine) => {
    const q = formatQuantity(line.quantity, locale);
    return line.unit ? `${q} ${line.unit}` : q;
  };
  return detail.lines
    .filter((line) => line.kind !== 'discount')
    .flatMap((line) => {
      const tiers = line.tiers ?? [];
      return [
        {
          description: line.description,
          quantity: quantity(line),
          // A tiered line's price is its tiers': a blended price would not multiply out.
          unitPrice: tiers.length > 0 ? '' : price(line.unitPrice),
          amount: money(line.amountMinor),
          tier: false,
        },
        ...tiers.map((t) => ({
          description: t.description,
          quantity: formatQuantity(t.quantity, locale),
          unitPrice: price(t.unitPrice),
          amount: money(t.amountMinor),
          tier: true,
        })),
      ];
    });
}

export interface TotalsRow {
  label: string;
  value: string;
}

const moneyOf = (detail: InvoiceDetail) => (minor: number) =>
  formatMoney(minor, detail.currency, detail.exponent, detail.locale);

/** Subtotal, each discount, and one row per tax rate; the total itself is the caller's (it is styled apart). */
export function totalsRows(detail: InvoiceDetail): TotalsRow[] {
  const { locale } = detail;
  const L = labelsFor(locale);
  const money = moneyOf(detail);
  const discounts = detail.lines.filter((line) => line.kind === 'discount');
  return [
    { label: L.subtotal, value: money(detail.subtotalMinor) },
    ...(discounts.length > 0
      ? discounts.map((line) => ({
          label: `${L.discount}: ${line.description}`,
          value: money(line.amountMinor),
        }))
      : detail.discountMinor !== 0
        ? [{ label: L.discount, value: money(-detail.discountMinor) }]
        : []),
    ...detail.taxes.map((tax) => {
      const name = taxLabel(L.tax, tax.country, languageOf(locale));
      const rate = formatPercent(tax.rate, locale);
      return {
        // Every 0 % says why: reverse charge (AE) or not subject to the seller's VAT (O).
        label:
          tax.category === 'AE' || (tax.category === undefined && detail.reverseCharge)
            ? `${name} ${rate} (${L.reverseCharge})`
            : tax.category === 'O'
              ? `${name} ${rate} (${L.notSubject})`
              : L.taxOn(name, rate, money(tax.taxableMinor)),
        value: money(tax.taxMinor),
      };
    }),
  ];
}

/** The VAT in the taxing member state's currency (Art. 230), with the ECB rates used: one sentence per tax. */
export function nationalVatNotes(detail: InvoiceDetail): string[] {
  const { locale } = detail;
  const L = labelsFor(locale);
  return detail.taxes.flatMap((tax) => {
    if (tax.national === undefined) return [];
    const n = tax.national;
    const rates = n.rates.map((r) => `1 EUR = ${r.perEur} ${r.currency}`).join(', ');
    const amount = formatMoney(n.taxMinor, n.currency, currencyOf(n.currency).exponent, locale);
    return [
      `${L.nationalVat(n.currency)}: ${amount} (${n.source}, ${formatDate(n.rateDate, locale)}: ${rates})`,
    ];
  });
}

/** Payment terms (or, on a credit note, what it corrects and why) and the legal notes. */
export function paymentAndLegalNotes(detail: InvoiceDetail): string[] {
  const { locale } = detail;
  const L = labelsFor(locale);
  const credit = detail.documentType === 'credit_note' ? detail.corrects : undefined;
  const notes = credit
    ? [
        L.creditNoteNote(
          credit.invoiceNumber,
          formatDate(credit.issueDate, locale),
          detail.creditReason ?? '',
        ),
        L.creditTerms,
      ]
    : [L.paymentTerms(detail.paymentTermsDays, formatDate(detail.dueDate, locale))];
  if (detail.reverseCharge) notes.push(L.reverseChargeNote);
  for (const note of detail.notes) if (!notes.includes(note)) notes.push(note);
  return notes;
}
