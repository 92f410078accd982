/**
 * Writing the auditor's manifests (domain/audit-manifest.ts): after a run finalizes (its period)
 * and after a credit note (its invoice's period), one manifest per series that has numbers in the
 * period, appended to the series' chain, unless the period's content is what its newest manifest
 * already says (a re-run that issued nothing, a retried FinalizeRun). Notifications do not change
 * a manifest: ISSUED and NOTIFIED are both "issued" there.
 */
import { ISSUED_STATUSES, INVOICE_STATUS } from '../contracts/statuses.js';
import {
  auditManifestKey,
  buildManifest,
  contentSha256,
  serializeManifest,
  type AuditedNumber,
} from '../domain/audit-manifest.js';
import { sha256Hex, recordedHashes } from '../contracts/document-hashes.js';
import type { AuditChainStore, AuditHead } from '../store/audit-chain.js';
import type { DocumentStore } from '../store/documents.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';

export interface AuditDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  documents: Pick<DocumentStore, 'put' | 'find'>;
  auditChain: AuditChainStore;
}

export interface WrittenManifest {
  series: string;
  sequence: number;
  key: string;
}

/** Chain moves lost to another writer before giving up (each retry re-reads the head). */
const ATTEMPTS = 6;

function audited(row: InvoiceRow): AuditedNumber {
  const hashes = recordedHashes(row.documentHashes);
  return {
    number: row.invoiceNumber,
    status: ISSUED_STATUSES.includes(row.status) ? INVOICE_STATUS.issued : row.status,
    customerId: row.customerId,
    period: row.period,
    issueDate: row.issueDate,
    documentType: row.documentType === 'credit_note' ? 'credit_note' : 'invoice',
    ...(row.corrects === undefined ? {} : { corrects: row.corrects }),
    ...(row.voidReason === undefined ? {} : { voidReason: row.voidReason }),
    ...(hashes === undefined ? {} : { documentHashes: hashes }),
  };
}

const latest = (rows: InvoiceRow[]): string =>
  rows
    .flatMap((r) => [r.reservedAt, r.issuedAt, r.voidedAt])
    .filter((t): t is string => typeof t === 'string')
    .sort()
    .at(-1) ?? '';

async function append(
  deps: AuditDeps,
  series: string,
  period: string,
  rows: InvoiceRow[],
  trigger: string,
): Promise<WrittenManifest | undefined> {
  const numbers = rows.map(audited);
  const content = contentSha256(series, period, numbers);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const head = await deps.auditChain.head(series);
    if (head?.contentByPeriod[period] === content) {
      // Already recorded; if this very manifest was lost between the chain's move and its write
      // (a retry of the same trigger), write it again: the same bytes.
      if (
        head.key === auditManifestKey(series, head.sequence, period) &&
        !(await deps.documents.find(head.key))
      ) {
        const again = serializeManifest(
          buildManifest({
            series,
            period,
            sequence: head.sequence,
            trigger,
            asOf: latest(rows),
            numbers,
            previous: head.previous,
          }),
        );
        if (sha256Hex(again) === head.sha256) await deps.documents.put(head.key, again, 'application/json');
      }
      return undefined;
    }
    const sequence = (head?.sequence ?? 0) + 1;
    const key = auditManifestKey(series, sequence, period);
    const previous = head === undefined ? null : { key: head.key, sha256: head.sha256 };
    const bytes = serializeManifest(
      buildManifest({ series, period, sequence, trigger, asOf: latest(rows), numbers, previous }),
    );
    const next: AuditHead = {
      sequence,
      key,
      sha256: sha256Hex(bytes),
      contentByPeriod: { ...head?.contentByPeriod, [period]: content },
      previous,
    };
    if (await deps.auditChain.advance(series, head, next)) {
      await deps.documents.put(key, bytes, 'application/json');
      return { series, sequence, key };
    }
  }
  throw new Error(
    `audit chain of ${series}: ${ATTEMPTS} writers moved it first; write the manifest again later`,
  );
}

/** The manifests of a period's series (only those `series` when given), appended to their chains. */
export async function writeAuditManifests(
  deps: AuditDeps,
  period: string,
  trigger: string,
  series?: string[],
): Promise<WrittenManifest[]> {
  const rows = await deps.invoices.query({ period });
  const bySeries = new Map<string, InvoiceRow[]>();
  for (const row of rows) {
    if (series !== undefined && !series.includes(row.series)) continue;
    bySeries.set(row.series, [...(bySeries.get(row.series) ?? []), row]);
  }
  const written: WrittenManifest[] = [];
  for (const name of [...bySeries.keys()].sort()) {
    const manifest = await append(deps, name, period, bySeries.get(name)!, trigger);
    if (manifest !== undefined) written.push(manifest);
  }
  return written;
}
