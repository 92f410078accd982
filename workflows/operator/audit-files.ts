/**
 * The auditor's copy on disk: the audit manifests (and, if asked, the documents they list) as
 * files under a directory with the bucket's key layout (`audit/...`, `invoices/...`), and the
 * offline check over such a directory: the chains (domain/audit-manifest.ts checkManifests) and
 * every document file present against the hash its newest manifest lists.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  documentKey,
  DOCUMENT_KINDS,
  recordedHashes,
  sha256Hex,
} from '../../lambdas/shared/contracts/document-hashes.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import {
  checkManifests,
  parseManifest,
  type AuditManifest,
  type ChainReport,
} from '../../lambdas/shared/domain/audit-manifest.js';
import { StoredDocumentError, type DocumentStore } from '../../lambdas/shared/store/documents.js';

export async function exportAudit(
  documents: Pick<DocumentStore, 'list' | 'getBytes'>,
  dir: string,
  options: { documents?: boolean } = {},
): Promise<{ manifests: number; documents: number; unreadable: string[] }> {
  const keys = await documents.list(s3Keys.auditPrefix);
  const documentKeys = options.documents ? await documents.list('invoices/') : [];
  // Objects whose bytes fail the checksum S3 keeps cannot be copied as stored: listed, not copied
  // (the check then reports them missing from the copy).
  const unreadable: string[] = [];
  for (const key of [...keys, ...documentKeys]) {
    let bytes: Buffer;
    try {
      bytes = await documents.getBytes(key);
    } catch (error) {
      if (!(error instanceof StoredDocumentError)) throw error;
      unreadable.push(key);
      continue;
    }
    const path = join(dir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  return {
    manifests: keys.length - unreadable.filter((k) => k.startsWith(s3Keys.auditPrefix)).length,
    documents: documentKeys.length - unreadable.filter((k) => !k.startsWith(s3Keys.auditPrefix)).length,
    unreadable,
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export interface AuditCheckReport extends ChainReport {
  /** Document files checked against the newest manifests' hashes (those present in the copy). */
  documentsChecked: number;
}

/** The offline check of an exported directory (`audit/` and, when present, `invoices/`). */
export async function checkAuditDirectory(dir: string): Promise<AuditCheckReport> {
  const manifestFiles = new Map<string, Buffer>();
  for (const path of await filesUnder(join(dir, 'audit')))
    if (path.endsWith('.json'))
      manifestFiles.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  const report = checkManifests(manifestFiles);
  if (manifestFiles.size === 0)
    report.problems.push({ series: '?', problem: `no manifests under ${join(dir, 'audit')}` });
  // The newest manifest of each (series, period) says what each document's files must hash to.
  const newest = new Map<string, AuditManifest>();
  for (const bytes of manifestFiles.values()) {
    const m = parseManifest(bytes);
    // A file that is not a manifest is reported by checkManifests.
    if (typeof m === 'string') continue;
    const at = `${m.series}|${m.period}`;
    if ((newest.get(at)?.sequence ?? 0) < m.sequence) newest.set(at, m);
  }
  let documentsChecked = 0;
  // A copy without documents checks the chains only; one with documents must hold every listed file.
  const hasDocuments = await readdir(join(dir, 'invoices')).then(
    () => true,
    () => false,
  );
  const documentsRoot = join(dir, 'invoices') + sep;
  for (const manifest of newest.values())
    for (const entry of manifest.numbers) {
      const hashes = recordedHashes(entry.documentHashes);
      if (hashes === undefined) continue;
      const row = { period: entry.period, customerId: entry.customerId, invoiceNumber: entry.number };
      for (const kind of DOCUMENT_KINDS) {
        const recorded = hashes[kind];
        if (recorded === undefined) continue;
        const key = documentKey(kind, row);
        const path = join(dir, ...key.split('/'));
        // A manifest from anywhere may name `..`: nothing outside the copy's invoices/ is read.
        if (!path.startsWith(documentsRoot)) {
          report.problems.push({
            series: manifest.series,
            file: key,
            problem: 'names a file outside invoices/',
          });
          continue;
        }
        const bytes = await readFile(path).catch(() => undefined);
        if (bytes === undefined) {
          if (hasDocuments)
            report.problems.push({
              series: manifest.series,
              file: key,
              problem: 'listed in the manifest, missing from the copy',
            });
          continue;
        }
        documentsChecked++;
        const stored = sha256Hex(bytes);
        if (stored !== recorded)
          report.problems.push({
            series: manifest.series,
            file: key,
            problem: `sha256 ${stored}, the manifest recorded ${recorded}: not the file issued`,
          });
      }
    }
  return { ...report, ok: report.problems.length === 0, documentsChecked };
}
