/**
 * The operator log: every action support staff take on an invoice, a run or a customer (a
 * regeneration, a resend, a re-run, a redrive, a credit, a link revocation, a payment), with who, when, what and why. One
 * S3 object per entry under `operator-log/<invoices|runs|records>/<id>/`, named by time and a random
 * suffix: entries are only ever added (the store offers no update or delete), and a listing
 * reads them in the order they happened.
 */
import { parseStoredJson } from '../edge/safe-json.js';
import { randomUUID } from 'node:crypto';
import { s3Keys } from '../contracts/keys.js';
import type { DocumentStore } from './documents.js';

export type OperatorLogSubject =
  | { kind: 'invoice'; invoiceNumber: string }
  | { kind: 'run'; runId: string }
  /** A record table (customers, plans, usage): its imports. */
  | { kind: 'records'; table: string }
  /** A customer: reminders paused or resumed. */
  | { kind: 'customer'; customerId: string };

/** What support staff did: the `action` of an entry. */
export const OPERATOR_ACTION = {
  regenerate: 'regenerate',
  resend: 'resend',
  credit: 'credit',
  replace: 'replace',
  revokeLink: 'revoke-link',
  rerun: 'rerun',
  /** On the run whose failed customers a re-run took. */
  rerunFailed: 'rerun-failed',
  redrive: 'redrive',
  import: 'import',
  /** The hashes of a document issued before hashes were recorded at issue, recorded once. */
  recordHashes: 'record-hashes',
  /** A document's files checked against their recorded hashes (from the console). */
  verify: 'verify',
  /** A file that no longer has its recorded hash was asked for, and was not served. */
  integrityAlert: 'integrity-alert',
  /** Payments (docs/payments.md): recorded by hand, reversed, written off, a credit assigned. */
  recordPayment: 'record-payment',
  reversePayment: 'reverse-payment',
  writeOff: 'write-off',
  assignCredit: 'assign-credit',
  /** A bank statement imported (subject: the `payments` records). */
  importStatement: 'import-statement',
  /** A stuck run lock released (subject: the run that held it). */
  releaseLock: 'release-lock',
  pauseReminders: 'pause-reminders',
  resumeReminders: 'resume-reminders',
} as const;
export type OperatorAction = (typeof OPERATOR_ACTION)[keyof typeof OPERATOR_ACTION];

export interface OperatorLogEntry {
  at: string;
  /** The caller's identity: an IAM ARN on AWS, `local:<user>@<host>` locally. */
  by: string;
  action: OperatorAction;
  /** Why (the operator's --reason); absent where the command takes none. */
  reason?: string;
  subject: OperatorLogSubject;
  /** What came of it (numbers, execution names, document states). */
  details?: Record<string, unknown>;
}

/** How many times a document's notification was resent: its resend entries (numbered 1..). */
export const resendsIn = (entries: readonly OperatorLogEntry[]): number =>
  entries.filter((e) => e.action === OPERATOR_ACTION.resend).length;

export interface OperatorLog {
  record(entry: OperatorLogEntry): Promise<void>;
  /** A subject's entries, oldest first. */
  entries(subject: OperatorLogSubject): Promise<OperatorLogEntry[]>;
}

const subjectId = (s: OperatorLogSubject): string =>
  s.kind === 'invoice'
    ? s.invoiceNumber
    : s.kind === 'run'
      ? s.runId
      : s.kind === 'records'
        ? s.table
        : s.customerId;

export function s3OperatorLog(documents: Pick<DocumentStore, 'put' | 'list' | 'getBytes'>): OperatorLog {
  return {
    async record(entry) {
      const key = s3Keys.operatorLogEntry(
        entry.subject.kind,
        subjectId(entry.subject),
        entry.at,
        randomUUID(),
      );
      await documents.put(key, `${JSON.stringify(entry)}\n`, 'application/json');
    },
    async entries(subject) {
      const keys = (await documents.list(s3Keys.operatorLogPrefix(subject.kind, subjectId(subject)))).sort();
      return Promise.all(
        keys.map(async (key) => parseStoredJson(await documents.getBytes(key), key) as OperatorLogEntry),
      );
    },
  };
}
