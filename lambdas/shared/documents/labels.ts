/** Document labels in the languages invoices are printed in; the locale's language picks them. */

export type Language = 'en' | 'de' | 'fr' | 'es' | 'ja';

export interface Labels {
  invoice: string;
  invoiceNumber: string;
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
  taxOn: string;
  total: string;
  reverseCharge: string;
  plan: string;
  page: (page: number, pages: number) => string;
}

const LABELS: Record<Language, Labels> = {
  en: {
    invoice: 'Invoice',
    invoiceNumber: 'Invoice number',
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
    taxOn: 'on',
    total: 'Total',
    reverseCharge: 'Reverse charge',
    plan: 'Plan',
    page: (p, n) => `Page ${p} of ${n}`,
  },
  de: {
    invoice: 'Rechnung',
    invoiceNumber: 'Rechnungsnummer',
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
    taxOn: 'auf',
    total: 'Gesamtbetrag',
    reverseCharge: 'Steuerschuldnerschaft des Leistungsempfängers',
    plan: 'Tarif',
    page: (p, n) => `Seite ${p} von ${n}`,
  },
  fr: {
    invoice: 'Facture',
    invoiceNumber: 'Numéro de facture',
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
    taxOn: 'sur',
    total: 'Total',
    reverseCharge: 'Autoliquidation',
    plan: 'Offre',
    page: (p, n) => `Page ${p} sur ${n}`,
  },
  es: {
    invoice: 'Factura',
    invoiceNumber: 'Número de factura',
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
    taxOn: 'sobre',
    total: 'Total',
    reverseCharge: 'Inversión del sujeto pasivo',
    plan: 'Plan',
    page: (p, n) => `Página ${p} de ${n}`,
  },
  ja: {
    invoice: '請求書',
    invoiceNumber: '請求書番号',
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
    taxOn: '対象',
    total: '合計',
    reverseCharge: 'リバースチャージ',
    plan: 'プラン',
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
