/**
 * The visual fixtures: invoices computed from records, as a run computes them (parse, compute,
 * finalize), one per script, per language group and per convention (Japan, a Swiss QR-bill, an EPC
 * QR code, reverse charge, a consumer where the seller is not registered, many pages). The visual
 * test renders each to PNG and compares with its reviewed reference image
 * (test/visual/references/, rewritten only by `npm run visual:update`); the text test reads them
 * as a reader's tools do.
 */
import { computeInvoice, finalizeInvoice, parseInvoiceInputs } from '../../lambdas/shared/domain/index.js';
import type { Address, InvoiceDetail, SellerConfig } from '../../lambdas/shared/domain/types.js';

const SELLER: SellerConfig = {
  name: 'Invoicer Demo GmbH',
  address: { line1: 'Friedrichstraße 68', city: 'Berlin', postalCode: '10117', country: 'DE' },
  vatId: 'DE123456788',
  email: 'billing@invoicer.example',
  legalRegistrationId: 'HRB 123456 B',
  registerCourt: 'Amtsgericht Charlottenburg',
  managingDirectors: ['Erika Mustermann', 'Max Mustermann'],
  bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  bankAccounts: { CHF: { iban: 'CH9300762011623852957' } },
  registrations: { GB: 'GB123456789', CH: 'CHE-123.456.789 MWST' },
  paymentCodes: { epcQr: true, swissQrBill: true },
};

/** A plan with a base fee, a graduated metric with a flat fee, a package metric and a zero line. */
function plan(currency: string, baseFeeMinor: number, names: Record<string, string>, texts: PlanTexts) {
  return {
    planId: 'pro',
    name: 'Pro',
    names,
    currency,
    baseFeeMinor,
    components: [
      {
        metric: 'api_calls',
        description: 'API calls',
        descriptions: texts.api,
        unit: 'calls',
        units: texts.calls,
        model: 'graduated',
        includedQuantity: '1000',
        tiers: [
          { upTo: '100000', unitPrice: '0.0005' },
          { upTo: '1000000', unitPrice: '0.0003', flatFee: '5' },
          { unitPrice: '0.0001' },
        ],
      },
      {
        metric: 'storage_gb',
        description: 'Storage',
        descriptions: texts.storage,
        unit: 'GB-month',
        units: texts.gbMonth,
        model: 'package',
        packageSize: '100',
        packagePrice: '4',
      },
      {
        metric: 'sms',
        description: 'SMS',
        descriptions: texts.sms,
        model: 'per_unit',
        unitPrice: '0.07',
      },
    ],
  };
}

interface PlanTexts {
  api: Record<string, string>;
  calls: Record<string, string>;
  storage: Record<string, string>;
  gbMonth: Record<string, string>;
  sms: Record<string, string>;
}

/** The plan's own translations, for every catalogue language a fixture uses. */
const TEXTS: PlanTexts = {
  api: {
    de: 'API-Aufrufe',
    fr: 'Appels API',
    es: 'Llamadas a la API',
    it: 'Chiamate API',
    nl: 'API-aanroepen',
    pl: 'Wywołania API',
    pt: 'Chamadas de API',
    sv: 'API-anrop',
    da: 'API-kald',
    nb: 'API-kall',
    fi: 'API-kutsut',
    ja: 'API呼び出し',
    ko: 'API 호출',
    zh: 'API 调用',
    'zh-Hant': 'API 呼叫',
    ar: 'استدعاءات واجهة البرمجة',
    he: 'קריאות API',
    th: 'การเรียก API',
  },
  calls: {
    de: 'Aufrufe',
    fr: 'appels',
    es: 'llamadas',
    it: 'chiamate',
    nl: 'aanroepen',
    pl: 'wywołań',
    pt: 'chamadas',
    sv: 'anrop',
    da: 'kald',
    nb: 'kall',
    fi: 'kutsua',
    ja: '回',
    ko: '회',
    zh: '次',
    'zh-Hant': '次',
    ar: 'استدعاء',
    he: 'קריאות',
    th: 'ครั้ง',
  },
  storage: {
    de: 'Speicher',
    fr: 'Stockage',
    es: 'Almacenamiento',
    it: 'Archiviazione',
    nl: 'Opslag',
    pl: 'Przechowywanie',
    pt: 'Armazenamento',
    sv: 'Lagring',
    da: 'Lagerplads',
    nb: 'Lagring',
    fi: 'Tallennustila',
    ja: 'ストレージ',
    ko: '스토리지',
    zh: '存储',
    'zh-Hant': '儲存空間',
    ar: 'التخزين',
    he: 'אחסון',
    th: 'พื้นที่จัดเก็บ',
  },
  gbMonth: {
    de: 'GB-Monat',
    fr: 'Go-mois',
    es: 'GB-mes',
    it: 'GB-mese',
    nl: 'GB-maand',
    pl: 'GB-miesiąc',
    pt: 'GB-mês',
    sv: 'GB-månad',
    da: 'GB-måned',
    nb: 'GB-måned',
    fi: 'Gt-kk',
    ja: 'GB月',
    ko: 'GB-월',
    zh: 'GB·月',
    'zh-Hant': 'GB·月',
    ar: 'جيجابايت-شهر',
    he: 'GB-חודש',
    th: 'GB-เดือน',
  },
  sms: {
    de: 'SMS',
    fr: 'SMS',
    es: 'SMS',
    it: 'SMS',
    nl: 'Sms',
    pl: 'SMS',
    pt: 'SMS',
    sv: 'Sms',
    da: 'Sms',
    nb: 'SMS',
    fi: 'Tekstiviestit',
    ja: 'SMS',
    ko: 'SMS',
    zh: '短信',
    'zh-Hant': '簡訊',
    ar: 'رسائل نصية',
    he: 'הודעות SMS',
    th: 'SMS',
  },
};

const PLAN_NAMES: Record<string, string> = {
  ja: 'プロ',
  ko: '프로',
  zh: '专业版',
  'zh-Hant': '專業版',
  ar: 'الاحترافية',
  he: 'מקצועי',
  th: 'โปร',
};

export interface VisualFixture {
  name: string;
  /** What a reader of this fixture must see (the closing note lists these). */
  shows: string;
  detail: InvoiceDetail;
}

interface Customer {
  id: string;
  legalName: string;
  locale: string;
  currency: string;
  address: Address;
  vatId?: string;
  discounts?: unknown[];
}

const PERIOD = '2026-10';

/** One fixture's detail, computed and numbered as a run would. */
function invoice(c: Customer, { baseFeeMinor = 4900, usage = USAGE, zeroLines = false } = {}): InvoiceDetail {
  const customerRecord = {
    customerId: c.id,
    legalName: c.legalName,
    email: 'billing@customer.example',
    billingAddress: c.address,
    ...(c.vatId ? { vatId: c.vatId } : {}),
    currency: c.currency,
    locale: c.locale,
    planId: 'pro',
    status: 'active',
    ...(c.discounts ? { discounts: c.discounts } : {}),
  };
  const planRecord = { ...plan(c.currency, baseFeeMinor, PLAN_NAMES, TEXTS), showZeroAmountLines: zeroLines };
  const usageRecords = Object.entries(usage).map(([metric, quantity], i) => ({
    recordId: `${c.id}-u${i}`,
    customerId: c.id,
    period: PERIOD,
    metric,
    quantity,
  }));
  const inputs = parseInvoiceInputs({ customerRecord, planRecord, usageRecords, period: PERIOD });
  const draft = computeInvoice({ ...inputs, period: PERIOD, seller: SELLER });
  return finalizeInvoice(draft, {
    invoiceNumber: 'INV-2026-000101',
    series: 'INV-2026',
    issueDate: '2026-11-01',
  });
}

const USAGE = { api_calls: '251000', storage_gb: '250', sms: '0' };

export const VISUAL_FIXTURES: VisualFixture[] = [
  {
    name: 'de-eur-epc-qr',
    shows:
      'German: tiers with a flat-fee row, packages, one discount in the totals, USt-IdNr., register court and directors, IBAN, RF reference, EPC QR code',
    detail: invoice({
      id: 'cus_de',
      legalName: 'Müller & Söhne GmbH',
      locale: 'de-DE',
      currency: 'EUR',
      address: { line1: 'Hauptstraße 5', city: 'München', postalCode: '80331', country: 'DE' },
      discounts: [{ kind: 'percentage', description: 'Treuerabatt 10 %', percent: '10' }],
    }),
  },
  {
    name: 'ja-jp',
    shows:
      'Japanese: 〒 postcode first, the company last with 御中, JPY without decimals, the note in Japanese',
    detail: invoice(
      {
        id: 'cus_jp',
        legalName: '株式会社サンプル',
        locale: 'ja-JP',
        currency: 'JPY',
        address: {
          line1: '渋谷2-21-1',
          city: '渋谷区',
          region: '東京都',
          postalCode: '150-0002',
          country: 'JP',
        },
      },
      { baseFeeMinor: 7000 },
    ),
  },
  {
    name: 'de-ch-chf-qr-bill',
    shows:
      "Swiss consumer in CHF: Swiss VAT 8.1 % with the seller's CHE…MWST number, the QR-bill payment part",
    detail: invoice({
      id: 'cus_ch',
      legalName: 'Anna Keller',
      locale: 'de-CH',
      currency: 'CHF',
      address: { line1: 'Bahnhofstrasse 1', city: 'Zürich', postalCode: '8001', country: 'CH' },
    }),
  },
  {
    name: 'ar-eg',
    shows: 'Arabic, right to left: name and texts shaped and in reading order, Latin digits',
    detail: invoice({
      id: 'cus_eg',
      legalName: 'شركة النور للتجارة ACME 2',
      locale: 'ar-EG',
      currency: 'USD',
      address: { line1: 'شارع التحرير 10', city: 'القاهرة', postalCode: '11511', country: 'EG' },
    }),
  },
  {
    name: 'he-il',
    shows: 'Hebrew, right to left, ILS',
    detail: invoice({
      id: 'cus_il',
      legalName: 'חברת אלפא בע"מ',
      locale: 'he-IL',
      currency: 'ILS',
      address: { line1: 'רחוב הרצל 12', city: 'תל אביב', postalCode: '6100000', country: 'IL' },
    }),
  },
  {
    name: 'ko-kr',
    shows: 'Korean: Hangul in Noto Sans KR, KRW',
    detail: invoice(
      {
        id: 'cus_kr',
        legalName: '주식회사 한빛소프트',
        locale: 'ko-KR',
        currency: 'KRW',
        address: {
          line1: '테헤란로 152',
          city: '강남구',
          region: '서울특별시',
          postalCode: '06236',
          country: 'KR',
        },
      },
      { baseFeeMinor: 65000 },
    ),
  },
  {
    name: 'zh-cn',
    shows: 'Simplified Chinese: Han in Noto Sans SC shapes, CNY',
    detail: invoice({
      id: 'cus_cn',
      legalName: '北京云数科技有限公司',
      locale: 'zh-CN',
      currency: 'CNY',
      address: {
        line1: '中关村大街1号',
        city: '海淀区',
        region: '北京市',
        postalCode: '100080',
        country: 'CN',
      },
    }),
  },
  {
    name: 'zh-tw',
    shows: 'Traditional Chinese: Han in Noto Sans TC shapes, TWD',
    detail: invoice({
      id: 'cus_tw',
      legalName: '台灣資訊股份有限公司',
      locale: 'zh-TW',
      currency: 'TWD',
      address: { line1: '信義路五段7號', city: '信義區', region: '台北市', postalCode: '110', country: 'TW' },
    }),
  },
  {
    name: 'th-th',
    shows: 'Thai: shaped marks, lines broken between words, THB',
    detail: invoice({
      id: 'cus_th',
      legalName: 'บริษัท สยามเทคโนโลยี จำกัด',
      locale: 'th-TH',
      currency: 'THB',
      address: { line1: '999 ถนนพระราม 1', city: 'กรุงเทพมหานคร', postalCode: '10330', country: 'TH' },
    }),
  },
  {
    name: 'en-in-devanagari',
    shows: 'Devanagari name on an English invoice (INR, Indian grouping)',
    detail: invoice({
      id: 'cus_in',
      legalName: 'भारत सॉफ्टवेयर लिमिटेड',
      locale: 'en-IN',
      currency: 'INR',
      address: { line1: '12 MG Road', city: 'Bengaluru', postalCode: '560001', country: 'IN' },
    }),
  },
  {
    name: 'en-gr-greek-cyrillic',
    shows: 'Greek and Cyrillic names, an EU consumer charged Greek VAT (ΦΠΑ)',
    detail: invoice({
      id: 'cus_gr',
      legalName: 'Ελληνική Εταιρεία Α.Ε. / Българска Компания',
      locale: 'en-GR',
      currency: 'EUR',
      address: { line1: 'Οδός Ερμού 10', city: 'Αθήνα', postalCode: '10563', country: 'GR' },
    }),
  },
  {
    name: 'fr-fr-reverse-charge',
    shows:
      'French business (FR VAT id) of a German seller: reverse charge note in French, VAT id labelled N° TVA',
    detail: invoice({
      id: 'cus_fr',
      legalName: 'Acme SAS',
      locale: 'fr-FR',
      currency: 'EUR',
      vatId: 'FR32123456789',
      address: { line1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
    }),
  },
  {
    name: 'nb-no-unregistered',
    shows:
      'Norwegian consumer, seller without a VOEC registration: no Norwegian VAT, the reason in Norwegian',
    detail: invoice({
      id: 'cus_no',
      legalName: 'Ola Nordmann',
      locale: 'nb-NO',
      currency: 'NOK',
      address: { line1: 'Karl Johans gate 1', city: 'Oslo', postalCode: '0154', country: 'NO' },
    }),
  },
  {
    name: 'pl-pl-zero-lines',
    shows: 'Polish, the plan prints zero lines (showZeroAmountLines), Polish plural of packages',
    detail: invoice(
      {
        id: 'cus_pl',
        legalName: 'Przedsiębiorstwo Łódź Sp. z o.o.',
        locale: 'pl-PL',
        currency: 'PLN',
        address: { line1: 'ul. Piotrkowska 1', city: 'Łódź', postalCode: '90-001', country: 'PL' },
      },
      { zeroLines: true },
    ),
  },
  {
    name: 'en-gb-emoji',
    shows: "UK consumer charged UK VAT under the seller's GB registration; an emoji in the name",
    detail: invoice({
      id: 'cus_gb',
      legalName: 'Rocket 🚀 Studio',
      locale: 'en-GB',
      currency: 'GBP',
      address: { line1: '10 Downing Street', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' },
    }),
  },
  {
    name: 'es-es-multi-page',
    shows:
      'Spanish, a long invoice: the table breaks across pages, each continuation names the customer and number',
    detail: longSpanish(),
  },
];

/** A Spanish invoice with 45 metered lines (fixture only: a plan of that size is unusual). */
function longSpanish(): InvoiceDetail {
  const base = invoice({
    id: 'cus_es',
    legalName: 'Distribuciones Peñalara S.L.',
    locale: 'es-ES',
    currency: 'EUR',
    address: { line1: 'Calle de Alcalá 50', city: 'Madrid', postalCode: '28014', country: 'ES' },
  });
  const lines = Array.from({ length: 45 }, (_, i) => ({
    lineId: `usage:m${i + 1}`,
    kind: 'usage' as const,
    description: `Servicio medido n.º ${i + 1}`,
    metric: `m${i + 1}`,
    quantity: String((i + 1) * 3),
    unit: 'unidades',
    unitPrice: '0.5',
    amountMinor: (i + 1) * 150,
  }));
  const subtotalMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  const taxMinor = Math.round((subtotalMinor * 21) / 100);
  return {
    ...base,
    lines,
    subtotalMinor,
    discountMinor: 0,
    taxableMinor: subtotalMinor,
    taxes: base.taxes.map((t) => ({ ...t, taxableMinor: subtotalMinor, taxMinor })),
    taxTotalMinor: taxMinor,
    totalMinor: subtotalMinor + taxMinor,
  };
}
