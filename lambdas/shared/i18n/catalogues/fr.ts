import type { Catalogue } from '../catalogue-types.js';

export const fr: Catalogue = {
  document: {
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
    taxIds: { vat: 'N° TVA', gbVat: 'N° TVA (Royaume-Uni)', chVat: 'N° TVA (Suisse)', noVoec: 'N° VOEC' },
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
    commercialRegister: 'Registre du commerce',
    managingDirectors: 'Dirigeants',
    bankTransfer: 'Virement bancaire',
    accountHolder: 'Titulaire du compte',
    paymentReference: 'Référence de paiement',
    scanToPay: 'Scanner pour payer',
  },
  products: {
    baseFee: (plan) => `${plan} (abonnement de base)`,
    baseFeeProrated: (plan, served, days) => `${plan} (abonnement de base, ${served} jours sur ${days})`,
    tierUpTo: (upTo) => `jusqu'à ${upTo}`,
    tierBetween: (from, upTo) => `de ${from} à ${upTo}`,
    tierOver: (from) => `au-delà de ${from}`,
    tierFlatFee: (tier) => `Forfait, ${tier}`,
    packageUnit: (count, size, unit) => `${count === 1 ? 'lot' : 'lots'} de ${size} ${unit}`.trimEnd(),
    creditLine: (n, r) => `Avoir sur la facture ${n} : ${r}`,
    finalInvoice: (day) => `Facture de clôture : l'abonnement a pris fin le ${day}.`,
    notSubjectBusiness:
      "Non soumis à la TVA dans le pays du prestataire : le lieu de la prestation est celui où le preneur est établi (art. 44 de la directive 2006/112/CE), hors du territoire TVA de l'UE. Le preneur acquitte la taxe éventuellement due.",
    notSubjectConsumer: (country) =>
      `Non soumis à la TVA : le lieu de la prestation, ${country}, est situé hors du territoire TVA de l'UE (art. 58 de la directive 2006/112/CE).`,
    usSalesTax: "Non soumis à la TVA. La taxe sur les ventes des États-Unis n'est pas facturée.",
    notRegistered: (country) =>
      `Non soumis à la TVA : le lieu de la prestation est ${country}, où le prestataire n'est pas immatriculé à la TVA.`,
  },
  page: {
    paid: 'Payée',
    overdue: 'En retard',
    openAmount: 'Montant restant dû',
    downloadPdf: 'Télécharger le PDF',
    downloadJson: 'Télécharger le détail JSON',
    lines: 'Articles',
    notFoundTitle: 'Facture introuvable',
    notFoundText:
      "Ce lien de facture n'est pas (ou plus) valide. Veuillez en demander un nouveau à l'expéditeur.",
    unavailableTitle: 'Facture indisponible',
    unavailableText:
      "Cette facture ne peut pas être affichée pour le moment. L'expéditeur a été prévenu et vous recontactera.",
  },
  notification: {
    reminder: 'Rappel de paiement',
    reminderDue: (n, d, a) =>
      `Rappel : votre facture ${n} arrive à échéance le ${d}. Montant restant dû : ${a}.`,
    reminderOverdue: (n, d, a) =>
      `Votre facture ${n} était payable le ${d} et est en retard. Montant restant dû : ${a}. Si vous avez déjà payé, veuillez ne pas tenir compte de ce message.`,
    invoice: (n, p, d, t) => `Votre facture ${n} pour ${p} a été émise le ${d}. Total : ${t}.`,
    due: (d) => ` Échéance : ${d}.`,
    creditNote: (n, i, d, t) =>
      `L'avoir ${n} sur votre facture ${i} a été émis le ${d}. Montant crédité : ${t}.`,
    open: 'Consulter et télécharger : ',
  },
};
