/**
 * Document labels in the languages invoices are printed in (en, de, fr, es, ja); the locale's
 * language picks them ("de-AT" -> de) and any other language gets English. Amount, date and number
 * formats follow the full locale (format.ts), so "en-IN" gets English words with Indian grouping.
 */

export type Language = 'en' | 'de' | 'fr' | 'es' | 'ja';

export interface Labels {
  invoice: string;
  invoiceNumber: string;
  /** The title of a credit note, and its number's label. */
  creditNote: string;
  creditNoteNumber: string;
  /** "Corrects invoice": the label of the corrected invoice's number. */
  corrects: string;
  /** Why and what a credit note corrects, printed among its notes. */
  creditNoteNote: (invoiceNumber: string, issueDate: string, reason: string) => string;
  /** In place of the payment terms on a credit note. */
  creditTerms: string;
  issueDate: string;
  dueDate: string;
  billingPeriod: string;
  billTo: string;
  customerId: string;
  vatId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  discount: string;
  tax: string;
  /** A tax summary row: rate and taxable base, e.g. "VAT 19% on €254.48". */
  taxOn: (tax: string, rate: string, base: string) => string;
  total: string;
  reverseCharge: string;
  /** VAT category O: the supply is outside the scope of the seller's VAT. */
  notSubject: string;
  /** The VAT stated in the taxing member state's currency (Art. 230 VAT Directive). */
  nationalVat: (currency: string) => string;
  plan: string;
  email: string;
  /** Printed above the table on pages after the first. */
  continued: string;
  paymentTerms: (days: number, dueDate: string) => string;
  /** The legal wording for EU B2B reverse charge (Art. 196 Directive 2006/112/EC) in this language. */
  reverseChargeNote: string;
  page: (page: number, pages: number) => string;
}

const LABELS: Record<Language, Labels> = {
  en: {
    invoice: 'Invoice',
    invoiceNumber: 'Invoice number',
    creditNote: 'Credit note',
    creditNoteNumber: 'Credit note number',
    corrects: 'Corrects invoice',
    creditNoteNote: (n, d, r) => `This credit note corrects invoice ${n} of ${d}. Reason: ${r}`,
    creditTerms: 'The amount credited is refunded or set off against open invoices.',
    issueDate: 'Issue date',
    dueDate: 'Due date',
    billingPeriod: 'Billing period',
    billTo: 'Bill to',
    customerId: 'Customer ID',
    vatId: 'VAT ID',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    subtotal: 'Subtotal',
    discount: 'Discount',
    tax: 'VAT',
    taxOn: (tax, rate, base) => `${tax} ${rate} on ${base}`,
    total: 'Total',
    reverseCharge: 'Reverse charge',
    notSubject: 'not subject to VAT',
    nationalVat: (c) => `VAT in ${c} (Art. 230 VAT Directive)`,
    plan: 'Plan',
    email: 'Email',
    continued: 'continued',
    paymentTerms: (days, due) => `Payable within ${days} days, by ${due}.`,
    reverseChargeNote:
      'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC)',
    page: (p, n) => `Page ${p} of ${n}`,
  },
  de: {
    invoice: 'Rechnung',
    invoiceNumber: 'Rechnungsnummer',
    creditNote: 'Rechnungskorrektur',
    creditNoteNumber: 'Korrekturnummer',
    corrects: 'Korrigiert Rechnung',
    creditNoteNote: (n, d, r) =>
      `Diese Rechnungskorrektur bezieht sich auf die Rechnung ${n} vom ${d}. Grund: ${r}`,
    creditTerms: 'Der Betrag wird erstattet oder mit offenen Rechnungen verrechnet.',
    issueDate: 'Rechnungsdatum',
    dueDate: 'Fällig am',
    billingPeriod: 'Leistungszeitraum',
    billTo: 'Rechnungsempfänger',
    customerId: 'Kundennummer',
    vatId: 'USt-IdNr.',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    amount: 'Betrag',
    subtotal: 'Zwischensumme',
    discount: 'Rabatt',
    tax: 'USt.',
    taxOn: (tax, rate, base) => `${tax} ${rate} auf ${base}`,
    total: 'Gesamtbetrag',
    reverseCharge: 'Steuerschuldnerschaft des Leistungsempfängers',
    notSubject: 'nicht steuerbar',
    nationalVat: (c) => `USt. in ${c} (Art. 230 MwStSystRL)`,
    plan: 'Tarif',
    email: 'E-Mail',
    continued: 'Fortsetzung',
    paymentTerms: (days, due) => `Zahlbar innerhalb von ${days} Tagen, bis zum ${due}.`,
    reverseChargeNote:
      'Steuerschuldnerschaft des Leistungsempfängers: Die Umsatzsteuer schuldet der Leistungsempfänger (Art. 196 MwSt-Systemrichtlinie 2006/112/EG).',
    page: (p, n) => `Seite ${p} von ${n}`,
  },
  fr: {
    invoice: 'Facture',
    invoiceNumber: 'Numéro de facture',
    creditNote: 'Avoir',
    creditNoteNumber: "Numéro d'avoir",
    corrects: 'Rectifie la facture',
    creditNoteNote: (n, d, r) => `Cet avoir rectifie la facture ${n} du ${d}. Motif : ${r}`,
    creditTerms: 'Le montant est remboursé ou imputé sur les factures ouvertes.',
    issueDate: "Date d'émission",
    dueDate: "Date d'échéance",
    billingPeriod: 'Période de facturation',
    billTo: 'Facturé à',
    customerId: 'Numéro client',
    vatId: 'N° TVA',
    description: 'Description',
    quantity: 'Quantité',
    unitPrice: 'Prix unitaire',
    amount: 'Montant',
    subtotal: 'Sous-total',
    discount: 'Remise',
    tax: 'TVA',
    taxOn: (tax, rate, base) => `${tax} ${rate} sur ${base}`,
    total: 'Total',
    reverseCharge: 'Autoliquidation',
    notSubject: 'non soumis à la TVA',
    nationalVat: (c) => `TVA en ${c} (art. 230 directive TVA)`,
    plan: 'Offre',
    email: 'E-mail',
    continued: 'suite',
    paymentTerms: (days, due) => `Payable sous ${days} jours, au plus tard le ${due}.`,
    reverseChargeNote:
      'Autoliquidation : la TVA est due par le preneur (article 196 de la directive 2006/112/CE du Conseil).',
    page: (p, n) => `Page ${p} sur ${n}`,
  },
  es: {
    invoice: 'Factura',
    invoiceNumber: 'Número de factura',
    creditNote: 'Factura rectificativa',
    creditNoteNumber: 'Número de rectificativa',
    corrects: 'Rectifica la factura',
    creditNoteNote: (n, d, r) => `Esta factura rectificativa corrige la factura ${n} del ${d}. Motivo: ${r}`,
    creditTerms: 'El importe se reembolsa o se compensa con facturas pendientes.',
    issueDate: 'Fecha de emisión',
    dueDate: 'Fecha de vencimiento',
    billingPeriod: 'Periodo de facturación',
    billTo: 'Facturar a',
    customerId: 'ID de cliente',
    vatId: 'NIF-IVA',
    description: 'Descripción',
    quantity: 'Cantidad',
    unitPrice: 'Precio unitario',
    amount: 'Importe',
    subtotal: 'Subtotal',
    discount: 'Descuento',
    tax: 'IVA',
    taxOn: (tax, rate, base) => `${tax} ${rate} sobre ${base}`,
    total: 'Total',
    reverseCharge: 'Inversión del sujeto pasivo',
    notSubject: 'no sujeto a IVA',
    nationalVat: (c) => `IVA en ${c} (art. 230 Directiva del IVA)`,
    plan: 'Plan',
    email: 'Correo electrónico',
    continued: 'continuación',
    paymentTerms: (days, due) => `Pagadero en un plazo de ${days} días, a más tardar el ${due}.`,
    reverseChargeNote:
      'Inversión del sujeto pasivo: el IVA debe ser liquidado por el destinatario (art. 196 de la Directiva 2006/112/CE del Consejo).',
    page: (p, n) => `Página ${p} de ${n}`,
  },
  ja: {
    invoice: '請求書',
    invoiceNumber: '請求書番号',
    creditNote: 'クレジットノート',
    creditNoteNumber: 'クレジットノート番号',
    corrects: '訂正対象の請求書',
    creditNoteNote: (n, d, r) => `本クレジットノートは${d}付けの請求書${n}を訂正するものです。理由：${r}`,
    creditTerms: '返金または未払いの請求書と相殺します。',
    issueDate: '発行日',
    dueDate: '支払期日',
    billingPeriod: '請求期間',
    billTo: '請求先',
    customerId: '顧客ID',
    vatId: '登録番号',
    description: '品目',
    quantity: '数量',
    unitPrice: '単価',
    amount: '金額',
    subtotal: '小計',
    discount: '割引',
    tax: '消費税等',
    taxOn: (tax, rate, base) => `${tax} ${rate}（対象額 ${base}）`,
    total: '合計',
    reverseCharge: 'リバースチャージ',
    notSubject: '不課税',
    nationalVat: (c) => `${c}建て税額（VAT指令230条）`,
    plan: 'プラン',
    email: 'メール',
    continued: '続き',
    paymentTerms: (days, due) => `お支払い期限：発行日から${days}日以内（${due}まで）`,
    reverseChargeNote:
      'リバースチャージ方式：付加価値税は役務の受領者が申告・納付します（EU理事会指令2006/112/EC第196条）。',
    page: (p, n) => `${p} / ${n} ページ`,
  },
};

export function languageOf(locale: string): Language {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  return language && language in LABELS ? (language as Language) : 'en';
}

export function labelsFor(locale: string): Labels {
  return LABELS[languageOf(locale)];
}
