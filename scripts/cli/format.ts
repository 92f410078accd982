/** Plain-text renderings of CLI results (the --json forms print the objects as they are). */
import { printableDeep } from './terminal-text.js';
import type { ReceivedEmail } from '../../workflows/local/mail-dir.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import type { RunRecord } from '../../lambdas/shared/store/runs.js';
import type { RunFailure, RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import type { CustomerMessage } from '../../workflows/local/harness/session.js';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import type { CreditInvoiceResult } from '../../lambdas/shared/operations/credit-invoice.js';
import type { OperatorLogEntry } from '../../lambdas/shared/store/operator-log.js';

/** Columns padded to their widest cell, a rule under the headers. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A listed failure's retries, when the CLI knows them (workflows/operator/retry-policy.ts). */
const retriesText = (f: { retries?: number }): string =>
  f.retries === undefined ? '' : f.retries === 0 ? ' (not retried)' : ` (after ${f.retries} retries)`;

export function formatRunSummary(
  s: RunSummary & {
    wallMs?: number;
    invoicesPerSecond?: number;
    failures: (RunFailure & { retries?: number })[];
  },
): string {
  // Customer ids, causes and notices come from records: escaped, each in its own line.
  s = printableDeep(s);
  const lines = [
    `run ${s.runId} for ${s.period}, issued on ${s.issueDate}: ${s.status}`,
    ...s.notices.map((notice) => `  note: ${notice}`),
    `  issued ${s.issued}, skipped as already issued ${s.skipped}, failed ${s.failed}` +
      // Summaries written before notificationsCompleted existed lack it.
      ((s.notificationsCompleted ?? 0) > 0 ? `, notified late ${s.notificationsCompleted}` : '') +
      (s.notificationsResent > 0 ? `, notifications resent (possibly twice) ${s.notificationsResent}` : '') +
      (s.notProcessed > 0 ? `, not processed ${s.notProcessed}` : '') +
      ` (of ${s.customers} customers)`,
  ];
  if (s.totals.length > 0) {
    lines.push('  totals issued in this run:');
    for (const t of s.totals)
      lines.push(`    ${t.currency} ${t.total.padStart(16)}  (${t.invoices} invoices)`);
  }
  if (s.failures.length > 0) {
    lines.push('  failed customers:');
    for (const f of s.failures)
      lines.push(
        `    ${f.customerId}: ${f.step ? `${f.step} failed: ` : ''}${f.error}: ${f.cause.slice(0, 200)}${retriesText(f)}`,
      );
    if (s.failed > s.failures.length)
      lines.push(`    ... and ${s.failed - s.failures.length} more: ${s.failuresPrefix}`);
  }
  if (s.voidedUnclaimedNumbers.length > 0) {
    lines.push(
      `  numbers voided (taken by an interrupted reservation): ${s.voidedUnclaimedNumbers.join(', ')}`,
    );
  }
  lines.push(
    `  documents: ${s.documentsPrefix}`,
    `  issued:    ${s.issuedInvoicesPrefix}`,
    `  summary:   ${s.summaryKey}`,
  );
  if (s.wallMs !== undefined) {
    lines.push(
      `  wall time ${(s.wallMs / 1000).toFixed(1)} s, ${s.invoicesPerSecond?.toFixed(1)} invoices/s`,
    );
  }
  return lines.join('\n');
}

export function formatInvoices(rows: InvoiceRow[]): string {
  if (rows.length === 0) return 'no invoices';
  rows = printableDeep(rows);
  return table(
    ['NUMBER', 'CUSTOMER', 'PERIOD', 'STATUS', 'TOTAL', 'CUR', 'PDF'],
    rows.map((r) => [
      r.invoiceNumber,
      r.customerId,
      r.period,
      r.replacedAt === undefined ? r.status : `${r.status}, REPLACED`,
      r.status === 'VOID' ? '-' : decimalAmount(r.totalMinor, r.currency),
      r.currency,
      r.status === 'VOID' ? `(void: ${(r.voidReason ?? '').slice(0, 60)})` : r.pdfKey,
    ]),
  );
}

export function formatCreditNote(r: CreditInvoiceResult): string {
  r = printableDeep(r);
  const d = r.detail;
  return [
    `credit note ${d.invoiceNumber} on ${d.corrects?.invoiceNumber}, issued on ${d.issueDate}: ` +
      `${d.currency} ${decimalAmount(d.totalMinor, d.currency)} credited (${decimalAmount(d.taxableMinor, d.currency)} + VAT ${decimalAmount(d.taxTotalMinor, d.currency)})` +
      (r.repeated ? ' (this request had made it already)' : ''),
    `  reason:    ${d.creditReason}`,
    `  documents: ${r.creditNote.pdfKey}, ${r.creditNote.jsonKey}`,
  ].join('\n');
}

export function formatInbox(messages: CustomerMessage[], emails: ReceivedEmail[], deadLettered = 0): string {
  messages = printableDeep(messages);
  emails = printableDeep(emails);
  if (messages.length === 0 && emails.length === 0 && deadLettered === 0) return 'the inbox is empty';
  const notifications = messages.map((m) => `${m.customerId}  ${m.eventType}  ${m.text}`);
  const mail = emails.map((e) => {
    const files = e.attachments.map((a) => `${a.fileName} (${a.size} bytes)`).join(', ');
    return `${e.sentAt}  to ${e.to.join(', ')}  "${e.subject}"  ${files}${e.hostedLink ? `  ${e.hostedLink}` : ''}`;
  });
  return [
    `notifications (${messages.length})`,
    ...notifications,
    '',
    `e-mails (${emails.length})`,
    ...mail,
    ...(deadLettered > 0
      ? ['', `${deadLettered} e-mail(s) failed for good and wait in the e-mail dead-letter queue`]
      : []),
  ].join('\n');
}

export function formatRuns(records: RunRecord[]): string {
  if (records.length === 0) return 'no runs';
  return table(
    ['RUN', 'PERIOD', 'STATUS', 'STARTED', 'ISSUED', 'SKIPPED', 'FAILED'],
    records.map((r) => [
      r.runId,
      r.period,
      r.status,
      r.startedAt,
      String(r.issued ?? ''),
      String(r.skipped ?? ''),
      String(r.failed ?? ''),
    ]),
  );
}

export const formatOperatorLog = (entries: OperatorLogEntry[]): string =>
  entries.length === 0
    ? 'operator log: empty'
    : [
        'operator log:',
        ...entries.map(
          (e) =>
            `  ${e.at}  ${e.action.padEnd(12)} by ${e.by}${e.reason ? `: ${e.reason}` : ''}${e.details ? `  ${JSON.stringify(e.details)}` : ''}`,
        ),
      ].join('\n');
