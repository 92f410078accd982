import type { Catalogue } from '../catalogue-types.js';

/** Polish plural: 1 pakiet, 2–4 pakiety, 5+ pakietów (12–14 too). */
const packages = (count: number): string => {
  if (count === 1) return 'pakiet';
  const tens = count % 100;
  return count % 10 >= 2 && count % 10 <= 4 && (tens < 12 || tens > 14) ? 'pakiety' : 'pakietów';
};

export const pl: Catalogue = {
  document: {
    invoice: 'Faktura',
    invoiceNumber: 'Numer faktury',
    creditNote: 'Faktura korygująca',
    creditNoteNumber: 'Numer faktury korygującej',
    corrects: 'Koryguje fakturę',
    creditNoteNote: (n, d, r) =>
      `Niniejsza faktura korygująca koryguje fakturę ${n} z dnia ${d}. Przyczyna: ${r}`,
    creditTerms: 'Kwota zostanie zwrócona lub rozliczona z otwartymi fakturami.',
    issueDate: 'Data wystawienia',
    dueDate: 'Termin płatności',
    billingPeriod: 'Okres rozliczeniowy',
    billTo: 'Nabywca',
    customerId: 'Numer klienta',
    taxIds: {
      vat: 'NIP UE',
      gbVat: 'Nr VAT (Wielka Brytania)',
      chVat: 'Nr VAT (Szwajcaria)',
      noVoec: 'Nr VOEC',
    },
    description: 'Opis',
    quantity: 'Ilość',
    unitPrice: 'Cena jednostkowa',
    amount: 'Kwota',
    subtotal: 'Suma częściowa',
    discount: 'Rabat',
    tax: 'VAT',
    taxOn: (tax, rate, base) => `${tax} ${rate} od ${base}`,
    total: 'Razem',
    reverseCharge: 'Odwrotne obciążenie',
    notSubject: 'nie podlega VAT',
    nationalVat: (c) => `VAT w ${c} (art. 230 dyrektywy VAT)`,
    plan: 'Plan',
    email: 'E-mail',
    continued: 'ciąg dalszy',
    paymentTerms: (days, due) => `Płatne w ciągu ${days} dni, do ${due}.`,
    reverseChargeNote: 'Odwrotne obciążenie: VAT rozlicza nabywca (art. 196 dyrektywy Rady 2006/112/WE).',
    page: (p, n) => `Strona ${p} z ${n}`,
    commercialRegister: 'Rejestr handlowy',
    managingDirectors: 'Zarząd',
    bankTransfer: 'Przelew bankowy',
    accountHolder: 'Właściciel rachunku',
    paymentReference: 'Tytuł przelewu',
    scanToPay: 'Zeskanuj, aby zapłacić',
  },
  products: {
    baseFee: (plan) => `${plan} (opłata podstawowa)`,
    baseFeeProrated: (plan, served, days) => `${plan} (opłata podstawowa, ${served} z ${days} dni)`,
    tierUpTo: (upTo) => `do ${upTo}`,
    tierBetween: (from, upTo) => `od ${from} do ${upTo}`,
    tierOver: (from) => `powyżej ${from}`,
    tierFlatFee: (tier) => `Opłata stała, ${tier}`,
    packageUnit: (count, size, unit) => `${packages(count)} po ${size} ${unit}`.trimEnd(),
    creditLine: (n, r) => `Korekta faktury ${n}: ${r}`,
    finalInvoice: (day) => `Faktura końcowa: subskrypcja zakończyła się ${day}.`,
    notSubjectBusiness:
      'Nie podlega VAT w kraju usługodawcy: miejscem świadczenia jest siedziba usługobiorcy (art. 44 dyrektywy 2006/112/WE), poza obszarem VAT UE. Ewentualny podatek rozlicza usługobiorca.',
    notSubjectConsumer: (country) =>
      `Nie podlega VAT: miejsce świadczenia, ${country}, znajduje się poza obszarem VAT UE (art. 58 dyrektywy 2006/112/WE).`,
    usSalesTax: 'Nie podlega VAT. Amerykański podatek od sprzedaży nie jest naliczany na tej fakturze.',
    notRegistered: (country) =>
      `Nie podlega VAT: miejscem świadczenia jest ${country}, gdzie usługodawca nie jest zarejestrowany do VAT.`,
  },
  page: {
    paid: 'Zapłacona',
    overdue: 'Przeterminowana',
    openAmount: 'Kwota do zapłaty',
    downloadPdf: 'Pobierz PDF',
    downloadJson: 'Pobierz szczegóły JSON',
    lines: 'Pozycje',
    notFoundTitle: 'Nie znaleziono faktury',
    notFoundText: 'Ten link do faktury jest nieprawidłowy (lub wygasł). Poproś nadawcę o nowy.',
    unavailableTitle: 'Faktura niedostępna',
    unavailableText:
      'Nie można teraz wyświetlić tej faktury. Nadawca został powiadomiony i skontaktuje się z Tobą.',
  },
  notification: {
    reminder: 'Przypomnienie o płatności',
    reminderDue: (n, d, a) =>
      `Przypomnienie: termin płatności faktury ${n} upływa ${d}. Kwota do zapłaty: ${a}.`,
    reminderOverdue: (n, d, a) =>
      `Termin płatności faktury ${n} upłynął ${d}. Kwota do zapłaty: ${a}. Jeśli płatność została już dokonana, prosimy zignorować tę wiadomość.`,
    invoice: (n, p, d, t) => `Twoja faktura ${n} za ${p} została wystawiona ${d}. Razem: ${t}.`,
    due: (d) => ` Termin płatności: ${d}.`,
    creditNote: (n, i, d, t) =>
      `Faktura korygująca ${n} do Twojej faktury ${i} została wystawiona ${d}. Kwota korekty: ${t}.`,
    open: 'Zobacz i pobierz: ',
  },
};
