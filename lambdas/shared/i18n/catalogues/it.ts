import type { Catalogue } from '../catalogue-types.js';

export const it: Catalogue = {
  document: {
    invoice: 'Fattura',
    invoiceNumber: 'Numero fattura',
    creditNote: 'Nota di credito',
    creditNoteNumber: 'Numero nota di credito',
    corrects: 'Rettifica la fattura',
    creditNoteNote: (n, d, r) =>
      `La presente nota di credito rettifica la fattura ${n} del ${d}. Motivo: ${r}`,
    creditTerms: "L'importo accreditato viene rimborsato o compensato con fatture aperte.",
    issueDate: 'Data di emissione',
    dueDate: 'Data di scadenza',
    billingPeriod: 'Periodo di fatturazione',
    billTo: 'Intestata a',
    customerId: 'Codice cliente',
    taxIds: {
      vat: 'Partita IVA',
      gbVat: 'N. IVA (Regno Unito)',
      chVat: 'N. IVA (Svizzera)',
      noVoec: 'N. VOEC',
    },
    description: 'Descrizione',
    quantity: 'Quantità',
    unitPrice: 'Prezzo unitario',
    amount: 'Importo',
    subtotal: 'Subtotale',
    discount: 'Sconto',
    tax: 'IVA',
    taxOn: (tax, rate, base) => `${tax} ${rate} su ${base}`,
    total: 'Totale',
    reverseCharge: 'Inversione contabile',
    notSubject: 'non soggetto a IVA',
    nationalVat: (c) => `IVA in ${c} (art. 230 direttiva IVA)`,
    plan: 'Piano',
    email: 'E-mail',
    continued: 'segue',
    paymentTerms: (days, due) => `Pagabile entro ${days} giorni, entro il ${due}.`,
    reverseChargeNote:
      "Inversione contabile: l'IVA è dovuta dal destinatario (art. 196 della direttiva 2006/112/CE del Consiglio).",
    page: (p, n) => `Pagina ${p} di ${n}`,
    commercialRegister: 'Registro delle imprese',
    managingDirectors: 'Amministratori',
    bankTransfer: 'Bonifico bancario',
    accountHolder: 'Intestatario del conto',
    paymentReference: 'Causale di pagamento',
    scanToPay: 'Scansiona per pagare',
  },
  products: {
    baseFee: (plan) => `${plan} (canone base)`,
    baseFeeProrated: (plan, served, days) => `${plan} (canone base, ${served} giorni su ${days})`,
    tierUpTo: (upTo) => `fino a ${upTo}`,
    tierBetween: (from, upTo) => `da ${from} a ${upTo}`,
    tierOver: (from) => `oltre ${from}`,
    tierFlatFee: (tier) => `Quota fissa, ${tier}`,
    packageUnit: (count, size, unit) =>
      `${count === 1 ? 'pacchetto' : 'pacchetti'} da ${size} ${unit}`.trimEnd(),
    creditLine: (n, r) => `Accredito sulla fattura ${n}: ${r}`,
    finalInvoice: (day) => `Fattura finale: l'abbonamento è terminato il ${day}.`,
    notSubjectBusiness:
      "Operazione non soggetta a IVA nel paese del prestatore: il luogo della prestazione è quello in cui è stabilito il committente (art. 44 direttiva 2006/112/CE), fuori dal territorio IVA dell'UE. Il committente assolve l'eventuale imposta dovuta.",
    notSubjectConsumer: (country) =>
      `Operazione non soggetta a IVA: il luogo della prestazione, ${country}, è fuori dal territorio IVA dell'UE (art. 58 direttiva 2006/112/CE).`,
    usSalesTax: "Operazione non soggetta a IVA. L'imposta sulle vendite statunitense non è addebitata.",
    notRegistered: (country) =>
      `Operazione non soggetta a IVA: il luogo della prestazione è ${country}, dove il prestatore non è registrato ai fini IVA.`,
  },
  page: {
    paid: 'Pagata',
    overdue: 'Scaduta',
    openAmount: 'Importo da pagare',
    downloadPdf: 'Scarica PDF',
    downloadJson: 'Scarica il dettaglio JSON',
    lines: 'Voci',
    notFoundTitle: 'Fattura non trovata',
    notFoundText: 'Questo link della fattura non è (più) valido. Chiedine uno nuovo al mittente.',
    unavailableTitle: 'Fattura non disponibile',
    unavailableText:
      'Al momento non è possibile mostrare questa fattura. Il mittente è stato avvisato e ti contatterà.',
  },
  notification: {
    reminder: 'Sollecito di pagamento',
    reminderDue: (n, d, a) => `Promemoria: la fattura ${n} scade il ${d}. Importo da pagare: ${a}.`,
    reminderOverdue: (n, d, a) =>
      `La fattura ${n} era in scadenza il ${d} ed è scaduta. Importo da pagare: ${a}. Se ha già pagato, ignori questo messaggio.`,
    invoice: (n, p, d, t) => `La tua fattura ${n} per ${p} è stata emessa il ${d}. Totale: ${t}.`,
    due: (d) => ` Scadenza: ${d}.`,
    creditNote: (n, i, d, t) =>
      `La nota di credito ${n} sulla tua fattura ${i} è stata emessa il ${d}. Importo accreditato: ${t}.`,
    open: 'Visualizza e scarica: ',
  },
};
