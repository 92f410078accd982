import type { Catalogue } from '../catalogue-types.js';

export const nl: Catalogue = {
  document: {
    invoice: 'Factuur',
    invoiceNumber: 'Factuurnummer',
    creditNote: 'Creditnota',
    creditNoteNumber: 'Creditnotanummer',
    corrects: 'Corrigeert factuur',
    creditNoteNote: (n, d, r) => `Deze creditnota corrigeert factuur ${n} van ${d}. Reden: ${r}`,
    creditTerms: 'Het gecrediteerde bedrag wordt terugbetaald of verrekend met openstaande facturen.',
    issueDate: 'Factuurdatum',
    dueDate: 'Vervaldatum',
    billingPeriod: 'Factuurperiode',
    billTo: 'Factuur aan',
    customerId: 'Klantnummer',
    taxIds: { vat: 'Btw-id', gbVat: 'Btw-nr. (VK)', chVat: 'Btw-nr. (Zwitserland)', noVoec: 'VOEC-nr.' },
    description: 'Omschrijving',
    quantity: 'Aantal',
    unitPrice: 'Stukprijs',
    amount: 'Bedrag',
    subtotal: 'Subtotaal',
    discount: 'Korting',
    tax: 'Btw',
    taxOn: (tax, rate, base) => `${tax} ${rate} over ${base}`,
    total: 'Totaal',
    reverseCharge: 'Btw verlegd',
    notSubject: 'niet onderworpen aan btw',
    nationalVat: (c) => `Btw in ${c} (art. 230 btw-richtlijn)`,
    plan: 'Abonnement',
    email: 'E-mail',
    continued: 'vervolg',
    paymentTerms: (days, due) => `Te betalen binnen ${days} dagen, uiterlijk op ${due}.`,
    reverseChargeNote:
      'Btw verlegd: de btw wordt voldaan door de afnemer (art. 196 Richtlijn 2006/112/EG van de Raad).',
    page: (p, n) => `Pagina ${p} van ${n}`,
    commercialRegister: 'Handelsregister',
    managingDirectors: 'Bestuurders',
    bankTransfer: 'Bankoverschrijving',
    accountHolder: 'Rekeninghouder',
    paymentReference: 'Betalingskenmerk',
    scanToPay: 'Scan om te betalen',
  },
  products: {
    baseFee: (plan) => `${plan} (basisbedrag)`,
    baseFeeProrated: (plan, served, days) => `${plan} (basisbedrag, ${served} van ${days} dagen)`,
    tierUpTo: (upTo) => `tot en met ${upTo}`,
    tierBetween: (from, upTo) => `van ${from} tot en met ${upTo}`,
    tierOver: (from) => `boven ${from}`,
    tierFlatFee: (tier) => `Vast bedrag, ${tier}`,
    packageUnit: (count, size, unit) =>
      `${count === 1 ? 'pakket' : 'pakketten'} van ${size} ${unit}`.trimEnd(),
    finalInvoice: (day) => `Eindfactuur: het abonnement is beëindigd op ${day}.`,
    notSubjectBusiness:
      'Niet onderworpen aan btw in het land van de dienstverrichter: de plaats van dienst is waar de afnemer gevestigd is (art. 44 Richtlijn 2006/112/EG), buiten het btw-gebied van de EU. De afnemer voldoet eventueel verschuldigde belasting.',
    notSubjectConsumer: (country) =>
      `Niet onderworpen aan btw: de plaats van dienst, ${country}, ligt buiten het btw-gebied van de EU (art. 58 Richtlijn 2006/112/EG).`,
    usSalesTax: 'Niet onderworpen aan btw. Amerikaanse sales tax wordt op deze factuur niet berekend.',
    notRegistered: (country) =>
      `Niet onderworpen aan btw: de plaats van dienst is ${country}, waar de dienstverrichter niet voor de btw geregistreerd is.`,
  },
  page: {
    downloadPdf: 'PDF downloaden',
    downloadJson: 'JSON-detail downloaden',
    lines: 'Posten',
    notFoundTitle: 'Factuur niet gevonden',
    notFoundText: 'Deze factuurlink is niet (meer) geldig. Vraag de afzender om een nieuwe.',
    unavailableTitle: 'Factuur niet beschikbaar',
    unavailableText:
      'Deze factuur kan nu niet worden getoond. De afzender is op de hoogte gebracht en neemt contact met u op.',
  },
  notification: {
    invoice: (n, p, d, t) => `Uw factuur ${n} voor ${p} is uitgegeven op ${d}. Totaal: ${t}.`,
    due: (d) => ` Vervalt op ${d}.`,
    creditNote: (n, i, d, t) =>
      `Creditnota ${n} op uw factuur ${i} is uitgegeven op ${d}. Gecrediteerd: ${t}.`,
    open: 'Bekijken en downloaden: ',
  },
};
