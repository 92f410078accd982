import type { Catalogue } from '../catalogue-types.js';

export const de: Catalogue = {
  document: {
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
    taxIds: { vat: 'USt-IdNr.', gbVat: 'UK-USt.-Nr.', chVat: 'MWST-Nr. (CH)', noVoec: 'VOEC-Nr.' },
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
    commercialRegister: 'Handelsregister',
    managingDirectors: 'Geschäftsführung',
    bankTransfer: 'Überweisung',
    accountHolder: 'Kontoinhaber',
    paymentReference: 'Verwendungszweck',
    scanToPay: 'Mit der Banking-App scannen',
  },
  products: {
    baseFee: (plan) => `${plan} (Grundgebühr)`,
    baseFeeProrated: (plan, served, days) => `${plan} (Grundgebühr, ${served} von ${days} Tagen)`,
    tierUpTo: (upTo) => `bis ${upTo}`,
    tierBetween: (from, upTo) => `über ${from} bis ${upTo}`,
    tierOver: (from) => `über ${from}`,
    tierFlatFee: (tier) => `Pauschale, ${tier}`,
    packageUnit: (count, size, unit) => `${count === 1 ? 'Paket' : 'Pakete'} à ${size} ${unit}`.trimEnd(),
    creditLine: (n, r) => `Gutschrift zur Rechnung ${n}: ${r}`,
    finalInvoice: (day) => `Schlussrechnung: Das Abonnement endete am ${day}.`,
    notSubjectBusiness:
      'Im Land des Leistenden nicht steuerbar: Leistungsort ist der Sitz des Leistungsempfängers (Art. 44 MwSt-Systemrichtlinie 2006/112/EG) außerhalb des Mehrwertsteuergebiets der EU. Etwaige Steuern schuldet der Leistungsempfänger.',
    notSubjectConsumer: (country) =>
      `Nicht steuerbar: Der Leistungsort, ${country}, liegt außerhalb des Mehrwertsteuergebiets der EU (Art. 58 MwSt-Systemrichtlinie 2006/112/EG).`,
    usSalesTax: 'Nicht steuerbar. US-amerikanische Sales Tax wird auf dieser Rechnung nicht berechnet.',
    notRegistered: (country) =>
      `Nicht steuerbar: Leistungsort ist ${country}, wo der Leistende nicht für die Mehrwertsteuer registriert ist.`,
  },
  page: {
    paid: 'Bezahlt',
    overdue: 'Überfällig',
    openAmount: 'Offener Betrag',
    downloadPdf: 'PDF herunterladen',
    downloadJson: 'JSON-Detail herunterladen',
    lines: 'Positionen',
    notFoundTitle: 'Rechnung nicht gefunden',
    notFoundText:
      'Dieser Rechnungslink ist nicht (mehr) gültig. Bitte fragen Sie den Absender nach einem neuen.',
    unavailableTitle: 'Rechnung nicht verfügbar',
    unavailableText:
      'Diese Rechnung kann gerade nicht angezeigt werden. Der Absender wurde benachrichtigt und meldet sich bei Ihnen.',
  },
  notification: {
    reminder: 'Zahlungserinnerung',
    reminderDue: (n, d, a) => `Erinnerung: Ihre Rechnung ${n} ist am ${d} fällig. Offener Betrag: ${a}.`,
    reminderOverdue: (n, d, a) =>
      `Ihre Rechnung ${n} war am ${d} fällig und ist überfällig. Offener Betrag: ${a}. Falls Sie bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.`,
    invoice: (n, p, d, t) => `Ihre Rechnung ${n} für ${p} wurde am ${d} ausgestellt. Gesamtbetrag: ${t}.`,
    due: (d) => ` Fällig am ${d}.`,
    creditNote: (n, i, d, t) =>
      `Die Rechnungskorrektur ${n} zu Ihrer Rechnung ${i} wurde am ${d} ausgestellt. Gutgeschrieben: ${t}.`,
    open: 'Ansehen und herunterladen: ',
  },
};
