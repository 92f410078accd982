/**
 * What an invoice says besides its lines, in the reader's language: the totals rows with the tax
 * summary, the VAT in national currency, and the payment terms and legal notes. The PDF (pdf.ts)
 * and the hosted invoice page (lambdas/api/hosted-page.ts) both print these, so they say the same.
 */
import { currencyOf } from '../domain/money.js';
import type { InvoiceDetail, Party } from '../domain/types.js';
import { formatCountry, formatDate, formatDateRange, formatMoney, formatPercent } from './format.js';
import { labelsFor } from './labels.js';

/** A party's postal address and VAT id, one printed line each. */
export function addressLines(party: Party, locale: string): string[] {
  const a = party.address;
  return [
    a.line1,
    ...(a.line2 ? [a.line2] : []),
    [a.postalCode, a.city].filter(Boolean).join(' '),
    ...(a.region ? [a.region] : []),
    formatCountry(a.country, locale),
    ...(party.vatId ? [`${labelsFor(locale).vatId}: ${party.vatId}`] : []),
  ];
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

export interface TotalsRow {
  label: string;
  value: string;
}

const moneyOf = (detail: InvoiceDetail) => (minor: number) =>
  formatMoney(minor, detail.currency, detail.exponent, detail.locale);

/** Subtotal, discount and one row per tax rate; the total itself is the caller's (it is styled apart). */
export function totalsRows(detail: InvoiceDetail): TotalsRow[] {
  const { locale } = detail;
  const L = labelsFor(locale);
  const money = moneyOf(detail);
  return [
    { label: L.subtotal, value: money(detail.subtotalMinor) },
    ...(detail.discountMinor !== 0 ? [{ label: L.discount, value: money(-detail.discountMinor) }] : []),
    ...detail.taxes.map((tax) => ({
      // Every 0 % says why: reverse charge (AE) or not subject to the seller's VAT (O).
      label:
        tax.category === 'AE' || (tax.category === undefined && detail.reverseCharge)
          ? `${L.tax} ${formatPercent(tax.rate, locale)} (${L.reverseCharge})`
          : tax.category === 'O'
            ? `${L.tax} ${formatPercent(tax.rate, locale)} (${L.notSubject})`
            : L.taxOn(L.tax, formatPercent(tax.rate, locale), money(tax.taxableMinor)),
      value: money(tax.taxMinor),
    })),
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
