/**
 * The auditor's manifests (GoBD / Art. 233 integrity of content): per number series and billing
 * period, every number taken (VOID ones included) with its document's state and the SHA-256 of
 * its files as recorded at issue. Manifests of a series form a hash chain: each names the key and
 * SHA-256 of the one before it, so a removed, reordered or rewritten manifest breaks the chain,
 * and a gap in the numbers, or a document file that changed, shows against the newest manifests.
 *
 * Pure: building the canonical bytes, and checking a set of manifests offline (`invoicer audit
 * check DIR`). Writing them is ../operations/audit-manifests.ts.
 */
import { sha256Hex, type DocumentHashes } from '../contracts/document-hashes.js';
import { EdgeInputError } from '../edge/edge-error.js';
import { parseStoredJson } from '../edge/safe-json.js';
import { sortKeys } from '../documents/schema.js';
import { parseInvoiceNumber } from './numbering.js';

export const AUDIT_MANIFEST_FORMAT = 'invoicer-audit-manifest/1';

export interface AuditedNumber {
  number: string;
  status: string;
  customerId: string;
  period: string;
  issueDate: string;
  documentType: 'invoice' | 'credit_note';
  corrects?: string;
  voidReason?: string;
  documentHashes?: DocumentHashes;
}

export interface AuditManifest {
  format: typeof AUDIT_MANIFEST_FORMAT;
  series: string;
  period: string;
  /** Position in the series' chain, from 1. */
  sequence: number;
  /** What wrote it: `run <runId>` or `credit-note <number>`. */
  trigger: string;
  /** The latest time among its rows (issue, void, reservation): the state it records. */
  asOf: string;
  numbers: AuditedNumber[];
  /** SHA-256 of the canonical `{series, period, numbers}`: the same content, the same digest. */
  contentSha256: string;
  previous: { key: string; sha256: string } | null;
}

/** Canonical bytes: sorted keys, 2-space indent, trailing newline (as the invoice JSON). */
export const serializeManifest = (manifest: AuditManifest): Buffer =>
  Buffer.from(`${JSON.stringify(sortKeys(manifest), null, 2)}\n`, 'utf8');

export const contentSha256 = (series: string, period: string, numbers: AuditedNumber[]): string =>
  sha256Hex(Buffer.from(JSON.stringify(sortKeys({ series, period, numbers })), 'utf8'));

/** Where manifest `sequence` of a series is stored (zero-padded, so keys sort in chain order). */
export const auditManifestKey = (series: string, sequence: number, period: string): string =>
  `audit/${series}/${String(sequence).padStart(6, '0')}-${period}.json`;

export function buildManifest(
  args: Omit<AuditManifest, 'format' | 'contentSha256' | 'numbers'> & { numbers: AuditedNumber[] },
): AuditManifest {
  const numbers = [...args.numbers].sort((a, b) => a.number.localeCompare(b.number));
  return {
    format: AUDIT_MANIFEST_FORMAT,
    ...args,
    numbers,
    contentSha256: contentSha256(args.series, args.period, numbers),
  };
}

// ---------------------------------------------------------------------------------------------
// Offline check

export interface ChainProblem {
  series: string;
  file?: string;
  problem: string;
}

export interface ChainReport {
  /** Per series: manifests in the chain, numbers covered, the highest number. */
  series: { series: string; manifests: number; numbers: number; lastNumber: string | null }[];
  problems: ChainProblem[];
  ok: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A manifest file read (it may come from anywhere: an auditor's copy): the manifest, or what is
 * wrong with it. Strict UTF-8, no prototype keys, and the shape the checks rely on.
 */
export function parseManifest(bytes: Buffer): AuditManifest | string {
  let value: unknown;
  try {
    value = parseStoredJson(bytes, 'the manifest');
  } catch (error) {
    if (error instanceof EdgeInputError) return error.message;
    throw error;
  }
  const m = isRecord(value) ? value : {};
  const previous = m.previous;
  const wellFormed =
    m.format === AUDIT_MANIFEST_FORMAT &&
    typeof m.series === 'string' &&
    typeof m.period === 'string' &&
    Number.isSafeInteger(m.sequence) &&
    (m.sequence as number) >= 1 &&
    Array.isArray(m.numbers) &&
    m.numbers.every((n) => isRecord(n) && typeof n.number === 'string' && typeof n.period === 'string') &&
    (previous === null || (isRecord(previous) && typeof previous.sha256 === 'string'));
  return wellFormed ? (m as unknown as AuditManifest) : `not an ${AUDIT_MANIFEST_FORMAT} manifest`;
}

/** A set of manifest files (name -> bytes) checked: chains unbroken, contents intact, numbers gapless. */
export function checkManifests(files: Map<string, Buffer>): ChainReport {
  const problems: ChainProblem[] = [];
  const bySeries = new Map<string, { file: string; bytes: Buffer; manifest: AuditManifest }[]>();
  for (const [file, bytes] of files) {
    const manifest = parseManifest(bytes);
    if (typeof manifest === 'string') {
      problems.push({ series: '?', file, problem: manifest });
      continue;
    }
    const list = bySeries.get(manifest.series) ?? [];
    list.push({ file, bytes, manifest });
    bySeries.set(manifest.series, list);
  }
  const series: ChainReport['series'] = [];
  for (const [name, list] of [...bySeries].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.manifest.sequence - b.manifest.sequence);
    const latestByPeriod = new Map<string, AuditManifest>();
    list.forEach(({ file, bytes, manifest }, i) => {
      const at = (problem: string) => problems.push({ series: name, file, problem });
      if (manifest.sequence !== i + 1)
        at(`sequence ${manifest.sequence} where ${i + 1} belongs: a manifest is missing`);
      if (!serializeManifest(manifest).equals(bytes)) at('not in canonical form: the file was edited');
      if (contentSha256(manifest.series, manifest.period, manifest.numbers) !== manifest.contentSha256)
        at('its numbers do not match its contentSha256: the file was edited');
      const before = list[i - 1];
      const expected = before === undefined ? null : sha256Hex(before.bytes);
      if ((manifest.previous?.sha256 ?? null) !== expected)
        at(
          expected === null
            ? 'the first manifest names a previous one'
            : `previous sha256 ${manifest.previous?.sha256 ?? 'none'}, but manifest ${before!.manifest.sequence} has ${expected}: the chain is broken`,
        );
      latestByPeriod.set(manifest.period, manifest);
    });
    // The newest manifest of each period, together: every number of the series exactly once, 1..n.
    const seen = new Map<number, string>();
    for (const manifest of latestByPeriod.values())
      for (const entry of manifest.numbers) {
        let sequence: number;
        try {
          sequence = parseInvoiceNumber(entry.number).sequence;
        } catch {
          problems.push({ series: name, problem: `${entry.number} is not a number of the series` });
          continue;
        }
        if (seen.has(sequence))
          problems.push({ series: name, problem: `${entry.number} is listed for two periods` });
        seen.set(sequence, entry.number);
      }
    const highest = Math.max(0, ...seen.keys());
    for (let n = 1; n <= highest; n++)
      if (!seen.has(n))
        problems.push({ series: name, problem: `number ${n} of the series is missing: a gap` });
    series.push({
      series: name,
      manifests: list.length,
      numbers: seen.size,
      lastNumber: highest === 0 ? null : seen.get(highest)!,
    });
  }
  return { series, problems, ok: problems.length === 0 };
}
