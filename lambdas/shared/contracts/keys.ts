/**
 * Every key format of the data, with its builder and its parser, in one place:
 *   Invoices table  `${customerId}#${period}`    the invoice row, the idempotency key of an invoice
 *                   `SERIES#${series}`          the counter of a number series
 *                   `NUMBER#${invoiceNumber}`   the claim of a number (exists once)
 *                   `VOID#${invoiceNumber}`     a number kept as VOID with its reason
 *                   `REPLACED#${invoiceNumber}`  an invoice credited in full and set aside, so
 *                                               that its (customer, period) is issued anew
 *                   `CREDIT#${invoiceNumber}#${request}` a credit note on that invoice (request:
 *                                               a hash of amount and reason, its idempotency key)
 *                   `LINK#${sha256(token)}`    a hosted-invoice link (hosted-links/token.ts): the
 *                                               number it opens, never the token itself
 *                   `EMAIL#${eventId}`          the e-mail delivery of one customer event (its
 *                                               idempotency claim, status, SES feedback)
 *                   `AUDIT#${series}`           the head of a series' chain of audit manifests
 *                   periodCustomer `${period}#${customerId}` (sort key of the byStatus index)
 *   Runs table      `LOCK#${period}`            the run lock of a period
 *   Usage table     `${period}#${metric}#${recordId}`
 *   S3              invoices/<period>/<customer>/<number>.pdf|json|summary.json|xml (summary:
 *                   the detail without lines; xml: the EN 16931 e-invoice), runs/<runId>/...
 * The ASL builds the lock key with States.Format; test/workflow/asl-contracts.test.ts checks it
 * against runLockKey.
 *
 * Customer ids are chosen by the owner's systems, so `VOID` or `SERIES` are valid ids. The two
 * namespaces of the Invoices table are told apart by shape, not by prefix: an invoice key is
 * `<id without #>#<YYYY-MM>`, and no bookkeeping key ends in a period (their tails are invoice
 * numbers, series, hashes, event ids), so `SERIES#2026-10` is the invoice of customer SERIES.
 * Customer ids, plan ids, record ids and metrics cannot hold `#` (record-schemas.ts).
 */

const SERIES_PREFIX = 'SERIES#';
const NUMBER_PREFIX = 'NUMBER#';
const VOID_PREFIX = 'VOID#';
const LOCK_PREFIX = 'LOCK#';
const CREDIT_PREFIX = 'CREDIT#';
const REPLACED_PREFIX = 'REPLACED#';
const LINK_PREFIX = 'LINK#';
const EMAIL_PREFIX = 'EMAIL#';
const AUDIT_PREFIX = 'AUDIT#';

const INVOICE_KEY = /^([^#]+)#(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** Whether `key` is an invoice row's key (`customer#YYYY-MM`), whatever the customer's id. */
const isInvoiceKeyShape = (key: string): boolean => INVOICE_KEY.test(key);

/** `rest` of `${prefix}${rest}`, or undefined when `key` is not of that kind (an invoice key never is). */
const after = (prefix: string, key: string): string | undefined =>
  key.startsWith(prefix) && key.length > prefix.length && !isInvoiceKeyShape(key)
    ? key.slice(prefix.length)
    : undefined;

export const invoiceKey = (customerId: string, period: string): string => `${customerId}#${period}`;

/** The (customer, period) of an invoice row key; undefined for counters, claims and VOID items. */
export function parseInvoiceKey(key: string): { customerId: string; period: string } | undefined {
  const match = INVOICE_KEY.exec(key);
  return match ? { customerId: match[1] as string, period: match[2] as string } : undefined;
}

export const seriesKey = (series: string): string => `${SERIES_PREFIX}${series}`;
export const parseSeriesKey = (key: string): string | undefined => after(SERIES_PREFIX, key);

export const numberClaimKey = (invoiceNumber: string): string => `${NUMBER_PREFIX}${invoiceNumber}`;
export const parseNumberClaimKey = (key: string): string | undefined => after(NUMBER_PREFIX, key);

export const voidKey = (invoiceNumber: string): string => `${VOID_PREFIX}${invoiceNumber}`;

export const replacedKey = (invoiceNumber: string): string => `${REPLACED_PREFIX}${invoiceNumber}`;
export const parseReplacedKey = (key: string): string | undefined => after(REPLACED_PREFIX, key);

export const creditKey = (invoiceNumber: string, request: string): string =>
  `${CREDIT_PREFIX}${invoiceNumber}#${request}`;
export const parseCreditKey = (key: string): { invoiceNumber: string; request: string } | undefined => {
  const match = /^([^#]+)#([^#]+)$/.exec(after(CREDIT_PREFIX, key) ?? '');
  return match ? { invoiceNumber: match[1] as string, request: match[2] as string } : undefined;
};
export const parseVoidKey = (key: string): string | undefined => after(VOID_PREFIX, key);

export const linkKey = (tokenHash: string): string => `${LINK_PREFIX}${tokenHash}`;
export const emailDeliveryKey = (eventId: string): string => `${EMAIL_PREFIX}${eventId}`;
export const auditHeadKey = (series: string): string => `${AUDIT_PREFIX}${series}`;

/** Counters, claims, links and e-mail deliveries: Invoices table items that are not invoices (VOID records are). */
export const isBookkeepingKey = (key: string): boolean =>
  !isInvoiceKeyShape(key) &&
  [SERIES_PREFIX, NUMBER_PREFIX, LINK_PREFIX, EMAIL_PREFIX, AUDIT_PREFIX].some((prefix) =>
    key.startsWith(prefix),
  );

export const periodCustomerKey = (period: string, customerId: string): string => `${period}#${customerId}`;

export const runLockKey = (period: string): string => `${LOCK_PREFIX}${period}`;
// The Runs table has no invoice keys: its run ids are made by invoicer and hold no `#`.
export const parseRunLockKey = (key: string): string | undefined =>
  key.startsWith(LOCK_PREFIX) && key.length > LOCK_PREFIX.length ? key.slice(LOCK_PREFIX.length) : undefined;
/** The ASL's States.Format template of runLockKey (ReleaseRunLock). */
export const RUN_LOCK_KEY_FORMAT = `${LOCK_PREFIX}{}`;

/** Keys of the Runs table that are not run records (locks, the demo-data marker). */
export const isRunRecordKey = (key: string): boolean => !key.includes('#');

export const usageKey = (period: string, metric: string, recordId: string): string =>
  `${period}#${metric}#${recordId}`;
/** The sort-key prefix of all usage of a period. */
export const usagePeriodPrefix = (period: string): string => `${period}#`;

/** The Receivables table's keys (contracts/tables.ts RECEIVABLES_TABLE). */
export const receivablesKeys = {
  customer: (customerId: string): string => `CUSTOMER#${customerId}`,
  payment: (invoiceNumber: string, paymentId: string): string => `PAYMENT#${invoiceNumber}#${paymentId}`,
  /** The sort-key prefix of an invoice's payments (`''`: every payment of the customer). */
  paymentsOf: (invoiceNumber?: string): string =>
    invoiceNumber === undefined ? 'PAYMENT#' : `PAYMENT#${invoiceNumber}#`,
  /** Bank entries seen, by the month they were booked (one Query lists a statement's). */
  entries: (bookingDate: string): string => `ENTRY#${bookingDate.slice(0, 7)}`,
  unmatched: 'UNMATCHED',
  unmatchedSort: (bookingDate: string, entryId: string): string => `${bookingDate}#${entryId}`,
  reminder: (invoiceNumber: string): string => `REMINDER#${invoiceNumber}`,
  reminderSort: (step: number): string =>
    `${step >= 0 ? '+' : '-'}${String(Math.abs(step)).padStart(4, '0')}`,
  remindersPaused: 'REMINDERS_PAUSED',
};

/** What an operator log entry is about, and its folder under `operator-log/`. */
const OPERATOR_LOG_FOLDER = {
  invoice: 'invoices',
  run: 'runs',
  records: 'records',
  customer: 'customers',
} as const;
export type OperatorLogKind = keyof typeof OPERATOR_LOG_FOLDER;

/** S3 layout: keys a person can read. */
export const s3Keys = {
  invoicesOfPeriod: (period: string): string => `invoices/${period}/`,
  invoicePdf: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.pdf`,
  invoiceJson: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.json`,
  /**
   * The detail without its lines (header, parties, totals, tax breakdown): what a screen shows at
   * once when an invoice is opened; the lines come from the full JSON after.
   */
  invoiceSummary: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.summary.json`,
  /** The EN 16931 e-invoice (UBL or CII), next to the PDF and JSON of the same number. */
  invoiceXml: (period: string, customerId: string, number: string): string =>
    `invoices/${period}/${customerId}/${number}.xml`,
  runManifest: (runId: string): string => `runs/${runId}/manifest.jsonl`,
  runResultsPrefix: (runId: string): string => `runs/${runId}/results`,
  runSummary: (runId: string): string => `runs/${runId}/summary.json`,
  /** The ECB reference rates the operator keeps for VAT in national currencies (Art. 230). */
  exchangeRates: 'reference/ecb-rates.json',
  /** JSON Lines parts (`part-00000.jsonl`, ...) of every invoice a run issued, and of every failure. */
  runIssuedPrefix: (runId: string): string => `runs/${runId}/issued/`,
  runFailuresPrefix: (runId: string): string => `runs/${runId}/failures/`,
  jsonlPart: (prefix: string, part: number): string => `${prefix}part-${String(part).padStart(5, '0')}.jsonl`,
  /** The operator log of an invoice (by number), a run (by id) or a record table (imports). */
  operatorLogPrefix: (kind: OperatorLogKind, id: string): string =>
    `operator-log/${OPERATOR_LOG_FOLDER[kind]}/${id}/`,
  /** The auditor's manifests: audit/<series>/<sequence>-<period>.json (domain/audit-manifest.ts). */
  auditPrefix: 'audit/',
  /** The analytics tables (contracts/analytics.ts): analytics/<table>/period=YYYY-MM/, Hive style. */
  analyticsPrefix: 'analytics/',
  analyticsPartition: (table: string, period: string): string => `analytics/${table}/period=${period}/`,
  /** The invoices of a billing period (every run of it rebuilds the whole set: rebuild-analytics.ts). */
  analyticsInvoicesPart: (table: string, period: string, part: number): string =>
    `${s3Keys.analyticsPartition(table, period)}invoices-${String(part).padStart(5, '0')}.parquet`,
  /** One credit note's rows, in the month of its issue date. */
  analyticsCreditNote: (table: string, month: string, number: string): string =>
    `${s3Keys.analyticsPartition(table, month)}credit-note-${number}.parquet`,
  /** One run's row, in the month of its billing period. */
  analyticsRun: (period: string, runId: string): string =>
    `${s3Keys.analyticsPartition('runs', period)}run-${runId}.parquet`,
  /**
   * The event archive (docs/events.md): JSON Lines parts by the hour the writes happened,
   * events/YYYY/MM/DD/HH/<hash of the part's event ids>.jsonl, so a retried batch writes the same key.
   */
  eventArchivePrefix: 'events/',
  eventArchiveHour: (at: string): string =>
    `events/${at.slice(0, 4)}/${at.slice(5, 7)}/${at.slice(8, 10)}/${at.slice(11, 13)}/`,
  eventArchivePart: (at: string, digest: string): string => `${s3Keys.eventArchiveHour(at)}${digest}.jsonl`,
  /** Stream records the mapper gave up on locally (on AWS: the event source mapping's S3 destination). */
  eventFailuresPrefix: 'event-failures/',
  operatorLogEntry: (kind: OperatorLogKind, id: string, at: string, entryId: string): string =>
    `${s3Keys.operatorLogPrefix(kind, id)}${at.replace(/[:.]/g, '-')}-${entryId}.json`,
};

/** The Search table's keys (contracts/tables.ts SEARCH_TABLE): one item per customer search key. */
export const searchKeys = {
  /** Keys are grouped by their first character: a prefix's partition is its first character's. */
  partition: (key: string): string => `KEY#${String.fromCodePoint(key.codePointAt(0) ?? 0x3f)}`,
  sort: (key: string, customerId: string): string => `${key}#${customerId}`,
};

/** An id or number as the API, the console and the search take it in a path or a query. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
