/**
 * The hosted invoice page's own words (the document's are documents/labels.ts), in the languages
 * invoices are printed in. The language follows the invoice's locale; a page without an invoice
 * (an unknown link) follows the browser's Accept-Language.
 */
import { languageOf, type Language } from '../shared/documents/labels.js';

export interface PageLabels {
  downloadPdf: string;
  downloadJson: string;
  lines: string;
  notFoundTitle: string;
  notFoundText: string;
  /** A document whose stored file is not the one issued: never shown. */
  unavailableTitle: string;
  unavailableText: string;
}

const PAGE_LABELS: Record<Language, PageLabels> = {
  en: {
    downloadPdf: 'Download PDF',
    downloadJson: 'Download JSON detail',
    lines: 'Items',
    notFoundTitle: 'Invoice not found',
    notFoundText: 'This invoice link is not valid (any more). Please ask the sender for a new one.',
    unavailableTitle: 'Invoice unavailable',
    unavailableText: 'This invoice cannot be shown right now. The sender has been told and will be in touch.',
  },
  de: {
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
  fr: {
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
  es: {
    downloadPdf: 'Descargar PDF',
    downloadJson: 'Descargar el detalle JSON',
    lines: 'Conceptos',
    notFoundTitle: 'Factura no encontrada',
    notFoundText: 'Este enlace de factura no es válido (o ya no lo es). Pida uno nuevo al remitente.',
    unavailableTitle: 'Factura no disponible',
    unavailableText:
      'Esta factura no se puede mostrar en este momento. Se ha avisado al remitente, que se pondrá en contacto con usted.',
  },
  ja: {
    downloadPdf: 'PDFをダウンロード',
    downloadJson: 'JSON明細をダウンロード',
    lines: '明細',
    notFoundTitle: '請求書が見つかりません',
    notFoundText:
      'この請求書リンクは無効です（または失効しました）。送信者に新しいリンクをお問い合わせください。',
    unavailableTitle: '請求書を表示できません',
    unavailableText: '現在この請求書を表示できません。送信者に通知済みです。追ってご連絡いたします。',
  },
};

export const pageLabelsFor = (locale: string): PageLabels => PAGE_LABELS[languageOf(locale)];

/** The first language of an Accept-Language header the page speaks, else English. */
export function localeOfAcceptLanguage(header: string | undefined): string {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.tag !== '' && r.tag !== '*' && r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => languageOf(r.tag) !== 'en' || r.tag.toLowerCase().startsWith('en'))?.tag ?? 'en';
}
