/** The shape of a catalogue (catalogue.ts): what each language must say. */

/** The words of the printed invoice and credit note. */
export interface DocumentLabels {
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
  /** What a tax id is, by its kind (never by the reader's country: a DE VAT id is a VAT id). */
  taxIds: {
    /** An EU VAT identification number (Art. 214 Directive 2006/112/EC). */
    vat: string;
    /** A UK VAT registration number. */
    gbVat: string;
    /** A Swiss UID registered for VAT (CHE-…MWST/TVA/IVA). */
    chVat: string;
    /** A Norwegian VOEC number (VAT on e-commerce). */
    noVoec: string;
  };
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  discount: string;
  /** The generic name of the tax in this language; the taxing country's own name is added (tax-names.ts). */
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
  /** The seller's commercial register entry, and its managing directors (required in DE/AT). */
  commercialRegister: string;
  managingDirectors: string;
  /** How to pay: the account, and the reference to quote. */
  bankTransfer: string;
  accountHolder: string;
  paymentReference: string;
  /** Under the EPC QR code (GiroCode) a banking app scans. */
  scanToPay: string;
}

/** Texts written into the invoice detail when it is computed. */
export interface ProductTexts {
  baseFee: (plan: string) => string;
  baseFeeProrated: (plan: string, served: string, days: string) => string;
  tierUpTo: (upTo: string) => string;
  tierBetween: (from: string, upTo: string) => string;
  tierOver: (from: string) => string;
  /** The row of a tier's flat fee for entering it. */
  tierFlatFee: (tier: string) => string;
  /** The unit of a package-priced line: `count` packages of `size` `unit`. */
  packageUnit: (count: number, size: string, unit: string) => string;
  finalInvoice: (lastDay: string) => string;
  /** The one line of a partial credit note. */
  creditLine: (invoiceNumber: string, reason: string) => string;
  /** Category O, business customer outside the EU VAT area (Art. 44). */
  notSubjectBusiness: string;
  /** Category O, consumer outside the EU VAT area (Art. 58). */
  notSubjectConsumer: (country: string) => string;
  /** Category O, US customer: no VAT, no state sales tax charged. */
  usSalesTax: string;
  /** Category O, consumer in a country where the seller has no VAT registration. */
  notRegistered: (country: string) => string;
}

/** The hosted invoice page's own words. */
export interface PageLabels {
  /** The payment status the page shows (domain/receivables.ts): settled, or past its due date. */
  paid: string;
  overdue: string;
  openAmount: string;
  downloadPdf: string;
  downloadJson: string;
  lines: string;
  notFoundTitle: string;
  notFoundText: string;
  /** A document whose stored file is not the one issued: never shown. */
  unavailableTitle: string;
  unavailableText: string;
}

/** The notification (SNS message, e-mail body). */
export interface NotificationPhrases {
  invoice: (n: string, period: string, date: string, total: string) => string;
  due: (date: string) => string;
  creditNote: (n: string, invoice: string, date: string, total: string) => string;
  /** Introduces the hosted page's URL, on a line of its own. */
  open: string;
  /** A payment reminder's subject, and its sentence before and after the due date. */
  reminder: string;
  reminderDue: (n: string, dueDate: string, open: string) => string;
  reminderOverdue: (n: string, dueDate: string, open: string) => string;
}

export interface Catalogue {
  document: DocumentLabels;
  products: ProductTexts;
  page: PageLabels;
  notification: NotificationPhrases;
}
