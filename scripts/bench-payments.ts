/**
 * `npm run bench:payments -- [--invoices N] [--json FILE]`: who has paid, at month-end scale, on a
 * fresh local stack. N issued invoices (their customers, their hosted links) are written to the
 * tables directly (a billing run of 10,000 would take minutes and measure the run, not this), then:
 *   1. the daily reminder job on a day 8 days past the due date, every invoice open: each is
 *      marked overdue and gets its 7-day reminder (claim, hosted link, publish): seconds;
 *   2. a camt.053 statement of N credits (80 % paying by RF reference, 10 % naming the invoice
 *      number in the text, 5 % by amount and payer, 5 % matching nothing) is read and imported:
 *      seconds, credits per second, matched / unmatched;
 *   3. the same statement again: seconds (every entry seen before, nothing written).
 * Prints one table; `--json FILE` also writes the figures as one JSON document.
 */
import { writeFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Command } from 'commander';
import { DEFAULT_SELLER } from '../lambdas/shared/config.js';
import { invoiceKey, periodCustomerKey, s3Keys } from '../lambdas/shared/contracts/keys.js';
import { INVOICE_STATUS } from '../lambdas/shared/contracts/statuses.js';
import { creditorReference } from '../lambdas/shared/documents/payment.js';
import { addDays } from '../lambdas/shared/domain/periods.js';
import { mapLimited } from '../lambdas/shared/map-limited.js';
import { importStatement, readStatement } from '../lambdas/shared/operations/import-statement.js';
import type { InvoiceRow } from '../lambdas/shared/store/invoice-index.js';
import type { LocalSession } from '../workflows/local/harness/session.js';
import { LOCAL_PUBLIC_BASE_URL, localHostedLinks, localLinkSecret } from '../workflows/local/hosted-links.js';
import { withFreshSession } from './bench/fresh-session.js';
import { table } from './cli/format.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';

const opts = new Command('bench-payments')
  .option(
    '--invoices <n>',
    'open invoices (and credits on the statement)',
    integerOption(10, 100_000),
    10_000,
  )
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{ invoices: number; json?: string }>();

const PERIOD = '2026-11';
const ISSUE_DATE = '2026-12-01';
const DUE_DATE = '2026-12-15';
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;
const number = (i: number) => `INV-2026-${String(i + 1).padStart(6, '0')}`;
const customerId = (i: number) => `cus_${String(i + 1).padStart(6, '0')}`;
const nameOf = (i: number) => `Bench Customer ${i + 1} GmbH`;
const totalOf = (i: number) => 1000 + ((i * 7919) % 100_000);

async function writeAll(session: LocalSession, table: string, items: Record<string, unknown>[]) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await mapLimited(chunks, 8, async (chunk) => {
    let requests: Record<string, unknown>[] = chunk.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await session.clients.dynamodb.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
      );
      requests = (out.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    }
  });
}

function invoiceRows(n: number): InvoiceRow[] {
  return Array.from({ length: n }, (_, i) => ({
    invoiceKey: invoiceKey(customerId(i), PERIOD),
    customerId: customerId(i),
    period: PERIOD,
    periodCustomer: periodCustomerKey(PERIOD, customerId(i)),
    invoiceNumber: number(i),
    series: 'INV-2026',
    status: INVOICE_STATUS.notified,
    totalMinor: totalOf(i),
    currency: 'EUR',
    issueDate: ISSUE_DATE,
    dueDate: DUE_DATE,
    locale: 'de-DE',
    pdfKey: s3Keys.invoicePdf(PERIOD, customerId(i), number(i)),
    jsonKey: s3Keys.invoiceJson(PERIOD, customerId(i), number(i)),
    reservedAt: `${ISSUE_DATE}T00:00:00.000Z`,
    reservedByRun: 'bench',
    version: 3,
  }));
}

/** A camt.053 of one credit per invoice, by rule: 80 % RF, 10 % number in text, 5 % amount + payer, 5 % none. */
function statement(n: number): Buffer {
  const entries = Array.from({ length: n }, (_, i) => {
    const kind = i % 20;
    const amount = (totalOf(i) / 100).toFixed(2);
    const rmt =
      kind < 16
        ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${creditorReference(number(i))}</Ref></CdtrRefInf></Strd>`
        : kind < 18
          ? `<Ustrd>Rechnung ${number(i)} danke</Ustrd>`
          : kind < 19
            ? '<Ustrd>November</Ustrd>'
            : '<Ustrd>donation</Ustrd>';
    const payer = kind === 18 ? nameOf(i) : `Payer ${i}`;
    const value = kind === 19 ? '1.23' : amount;
    return `<Ntry><Amt Ccy="EUR">${value}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-10</Dt></BookgDt><AcctSvcrRef>B${i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>${payer}</Nm></Pty></Dbtr></RltdPties><RmtInf>${rmt}</RmtInf></TxDtls></NtryDtls></Ntry>`;
  });
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-10T18:00:00Z</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>${DEFAULT_SELLER.bankAccount!.iban}</IBAN></Id></Acct>${entries.join('')}</Stmt></BkToCstmrStmt></Document>`,
  );
}

const figures = await withFreshSession('bench-payments', async (session) => {
  const n = opts.invoices;
  const rows = invoiceRows(n);
  await writeAll(session, session.storage.tables.invoices, rows as unknown as Record<string, unknown>[]);
  await writeAll(
    session,
    session.storage.tables.customers,
    rows.map((r, i) => ({ customerId: r.customerId, legalName: nameOf(i) })),
  );
  // Their hosted links, as the run made them when it issued them (RenderDocuments).
  await localHostedLinks(session.stores.links, {
    secretHex: localLinkSecret(session.dataDir).toString('hex'),
    publicBaseUrl: LOCAL_PUBLIC_BASE_URL,
  }).linksFor(rows);
  const xml = statement(n);
  const deps = {
    invoices: session.stores.invoices,
    records: session.stores.records,
    receivables: session.stores.receivables,
    now: () => new Date(),
  };
  // The reminders first, while every invoice is open: the job's worst day.
  let started = performance.now();
  const reminders = await session.runReminders({ date: addDays(DUE_DATE, 8) });
  const reminderSeconds = seconds(started);
  started = performance.now();
  const report = await importStatement(deps, readStatement(xml, 'bench.xml', 'camt'), 'bench');
  const importSeconds = seconds(started);
  started = performance.now();
  const again = await importStatement(deps, readStatement(xml, 'bench.xml', 'camt'), 'bench');
  const againSeconds = seconds(started);
  return {
    invoices: n,
    statementBytes: xml.byteLength,
    import: {
      seconds: importSeconds,
      creditsPerSecond: Math.round(report.credits / importSeconds),
      matched: report.matched,
      unmatched: report.unmatched,
      byRule: Object.fromEntries(
        ['reference', 'invoice_number', 'amount_and_payer'].map((rule) => [
          rule,
          report.entries.filter((e) => e.rule === rule).length,
        ]),
      ),
    },
    reimport: { seconds: againSeconds, alreadyImported: again.alreadyImported },
    reminders: {
      seconds: reminderSeconds,
      collectible: reminders.collectible,
      markedOverdue: reminders.markedOverdue,
      sent: Object.values(reminders.sent).reduce((a, b) => a + b, 0),
    },
  };
});

if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
print(false, figures, () =>
  table(
    ['step', 'seconds', 'what'],
    [
      [
        `import a camt.053 of ${figures.invoices} credits`,
        String(figures.import.seconds),
        `${figures.import.creditsPerSecond}/s; matched ${figures.import.matched} (${Object.entries(
          figures.import.byRule,
        )
          .map(([rule, count]) => `${rule} ${count}`)
          .join(', ')}), unmatched ${figures.import.unmatched}`,
      ],
      [
        'import it again',
        String(figures.reimport.seconds),
        `${figures.reimport.alreadyImported} seen before`,
      ],
      [
        `reminder job over ${figures.invoices} invoices`,
        String(figures.reminders.seconds),
        `${figures.reminders.collectible} open, ${figures.reminders.markedOverdue} marked overdue, ${figures.reminders.sent} reminders`,
      ],
    ],
  ),
);
