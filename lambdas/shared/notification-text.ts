/**
 * The human text of a customer notification (the `default` and `email` forms of the SNS message)
 * in the customer's language, with amounts and dates in its locale: the five languages invoices
 * are printed in, English for any other.
 */
import { formatDate, formatMoney } from './documents/format.js';
import { languageOf, type Language } from './documents/labels.js';
import { currencyOf } from './domain/money.js';

export interface NotificationFacts {
  invoiceNumber: string;
  period: string;
  issueDate: string;
  dueDate?: string;
  totalMinor: number;
  currency: string;
  /** A credit note: the invoice it corrects. */
  corrects?: string;
  /** The document's hosted page (hosted-links/issuer.ts). */
  hostedUrl: string;
}

interface Phrases {
  invoice: (n: string, period: string, date: string, total: string) => string;
  due: (date: string) => string;
  creditNote: (n: string, invoice: string, date: string, total: string) => string;
  /** Introduces the hosted page's URL, on a line of its own. */
  open: string;
}

const PHRASES: Record<Language, Phrases> = {
  en: {
    invoice: (n, p, d, t) => `Your invoice ${n} for ${p} was issued on ${d}. Total: ${t}.`,
    due: (d) => ` Due on ${d}.`,
    creditNote: (n, i, d, t) => `Credit note ${n} on your invoice ${i} was issued on ${d}. Credited: ${t}.`,
    open: 'View and download: ',
  },
  de: {
    invoice: (n, p, d, t) => `Ihre Rechnung ${n} für ${p} wurde am ${d} ausgestellt. Gesamtbetrag: ${t}.`,
    due: (d) => ` Fällig am ${d}.`,
    creditNote: (n, i, d, t) =>
      `Die Rechnungskorrektur ${n} zu Ihrer Rechnung ${i} wurde am ${d} ausgestellt. Gutgeschrieben: ${t}.`,
    open: 'Ansehen und herunterladen: ',
  },
  fr: {
    invoice: (n, p, d, t) => `Votre facture ${n} pour ${p} a été émise le ${d}. Total : ${t}.`,
    due: (d) => ` Échéance : ${d}.`,
    creditNote: (n, i, d, t) =>
      `L'avoir ${n} sur votre facture ${i} a été émis le ${d}. Montant crédité : ${t}.`,
    open: 'Consulter et télécharger : ',
  },
  es: {
    invoice: (n, p, d, t) => `Su factura ${n} de ${p} se emitió el ${d}. Total: ${t}.`,
    due: (d) => ` Vence el ${d}.`,
    creditNote: (n, i, d, t) =>
      `La factura rectificativa ${n} de su factura ${i} se emitió el ${d}. Importe abonado: ${t}.`,
    open: 'Ver y descargar: ',
  },
  ja: {
    invoice: (n, p, d, t) => `${p}分の請求書${n}を${d}に発行しました。合計：${t}。`,
    due: (d) => `お支払期限：${d}。`,
    creditNote: (n, i, d, t) => `請求書${i}に対するクレジットノート${n}を${d}に発行しました。返金額：${t}。`,
    open: '表示・ダウンロード：',
  },
};

/** "October 2026", "Oktober 2026", "2026年10月" for a period `YYYY-MM`. */
function formatPeriod(period: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${period}-01T00:00:00Z`),
  );
}

/** The notification's text in `locale` (English when absent: rows from before locales were kept). */
export function notificationText(f: NotificationFacts, locale = 'en'): string {
  const phrases = PHRASES[languageOf(locale)];
  const total = formatMoney(f.totalMinor, f.currency, currencyOf(f.currency).exponent, locale);
  const date = formatDate(f.issueDate, locale);
  const link = `\n${phrases.open}${f.hostedUrl}`;
  if (f.corrects !== undefined)
    return `${phrases.creditNote(f.invoiceNumber, f.corrects, date, total)}${link}`;
  const due = f.dueDate === undefined ? '' : phrases.due(formatDate(f.dueDate, locale));
  return `${phrases.invoice(f.invoiceNumber, formatPeriod(f.period, locale), date, total)}${due}${link}`;
}
