/**
 * ISO 20022 bank-to-customer statements: camt.053 (the account statement) and camt.054 (debit and
 * credit notifications), any version (the elements read here are the same from .001.02 to .001.13),
 * parsed with fast-xml-parser. The booked credits become BankCredits: one per transaction
 * (`TxDtls`) of a batch entry, else one per entry; debits, entries not booked and reversals are
 * counted, not matched.
 *
 * Hostile input: a size limit before parsing, strict UTF-8, no DOCTYPE or entity declarations (a
 * bank never sends them; they are how entity-expansion attacks start), no element named like a
 * prototype key; every element is read through own properties only.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EdgeInputError } from '../edge/edge-error.js';
import { decodeUtf8 } from '../edge/utf8.js';
import { bankCreditId, MAX_STATEMENT_BYTES, readCredit, type StatementRead } from './bank-credit.js';

type Node = Record<string, unknown>;

/** Elements that may repeat: always read as lists. */
const REPEATING = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => REPEATING.has(name),
});

const child = (node: unknown, name: string): unknown =>
  node !== null && typeof node === 'object' && Object.hasOwn(node, name) ? (node as Node)[name] : undefined;

/** The node at a path of element names (the first of a list at each step). */
function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    current = child(Array.isArray(current) ? current[0] : current, name);
    if (current === undefined) return undefined;
  }
  return Array.isArray(current) ? current[0] : current;
}

/** An element's text (`<Cd>BOOK</Cd>`, or `#text` beside attributes). */
function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const inner = child(node, '#text');
  return typeof inner === 'string' ? inner : undefined;
}

const list = (node: unknown, name: string): unknown[] => {
  const value = child(node, name);
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
};

/** The amount and currency of an `Amt` element. */
const amountOf = (node: unknown): { amount?: string; currency?: string } => {
  const amount = text(node);
  const currency = child(node, '@Ccy');
  return {
    ...(amount === undefined ? {} : { amount }),
    ...(typeof currency === 'string' ? { currency } : {}),
  };
};

const FORBIDDEN_ELEMENT = /<\/?(?:[\w.-]+:)?(?:__proto__|constructor|prototype)[\s/>]/;

/** The document's root: its statements (camt.053) or notifications (camt.054). */
function reportsOf(bytes: Uint8Array, file: string): { reports: unknown[]; kind: string } {
  if (bytes.byteLength > MAX_STATEMENT_BYTES)
    throw new EdgeInputError(`is larger than ${MAX_STATEMENT_BYTES / 1024 / 1024} MiB`, file);
  const xml = decodeUtf8(bytes, file);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new EdgeInputError('has a DOCTYPE or entity declaration (a bank statement has none)', file);
  if (FORBIDDEN_ELEMENT.test(xml))
    throw new EdgeInputError('has an element named like a prototype key', file);
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new EdgeInputError(`is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`, file);
  const document = child(parser.parse(xml) as unknown, 'Document');
  const statement = child(document, 'BkToCstmrStmt');
  if (statement !== undefined) return { reports: list(statement, 'Stmt'), kind: 'Stmt' };
  const notification = child(document, 'BkToCstmrDbtCdtNtfctn');
  if (notification !== undefined) return { reports: list(notification, 'Ntfctn'), kind: 'Ntfctn' };
  throw new EdgeInputError(
    'is not an ISO 20022 camt.053 or camt.054 document (no Document/BkToCstmrStmt or BkToCstmrDbtCdtNtfctn)',
    file,
  );
}

const isBooked = (entry: unknown): boolean => {
  const status = child(entry, 'Sts');
  // .001.02–.07: <Sts>BOOK</Sts>; from .001.08: <Sts><Cd>BOOK</Cd></Sts>.
  return (text(status) ?? text(child(status, 'Cd'))) === 'BOOK';
};

/** Reads a camt.053 or camt.054 file's booked credits. */
export function readCamt(bytes: Uint8Array, file: string): StatementRead {
  const { reports, kind } = reportsOf(bytes, file);
  const read: StatementRead = { credits: [], errors: [], skipped: { debits: 0, notBooked: 0, reversals: 0 } };
  reports.forEach((report, r) => {
    const account =
      text(at(report, 'Acct', 'Id', 'IBAN')) ?? text(at(report, 'Acct', 'Id', 'Othr', 'Id')) ?? '';
    const reportId = text(at(report, 'Id')) ?? `${kind}${r + 1}`;
    list(report, 'Ntry').forEach((entry, e) => {
      const where = `${file}: ${kind} ${reportId} entry ${e + 1}`;
      if (text(at(entry, 'CdtDbtInd')) !== 'CRDT') return void read.skipped.debits++;
      if (text(at(entry, 'RvslInd')) === 'true') return void read.skipped.reversals++;
      if (!isBooked(entry)) return void read.skipped.notBooked++;
      const entryAmount = amountOf(at(entry, 'Amt'));
      const bookingDate = text(at(entry, 'BookgDt', 'Dt')) ?? text(at(entry, 'BookgDt', 'DtTm'));
      const valueDate = text(at(entry, 'ValDt', 'Dt')) ?? text(at(entry, 'ValDt', 'DtTm'));
      const entryRef = text(at(entry, 'AcctSvcrRef')) ?? text(at(entry, 'NtryRef'));
      const transactions = list(entry, 'NtryDtls').flatMap((details) => list(details, 'TxDtls'));
      const one = transactions.length <= 1;
      (transactions.length === 0 ? [undefined] : transactions).forEach((tx, t) => {
        const txAmount = amountOf(at(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? at(tx, 'Amt'));
        const { amount, currency } = one && txAmount.amount === undefined ? entryAmount : txAmount;
        const remittance = child(tx, 'RmtInf');
        const structured = list(remittance, 'Strd');
        const reference = structured
          .map((s) => text(at(s, 'CdtrRefInf', 'Ref')))
          .find((ref): ref is string => ref !== undefined);
        const remittanceText = [
          ...list(remittance, 'Ustrd').map(text),
          ...structured.flatMap((s) => list(s, 'AddtlRmtInf').map(text)),
          text(at(tx, 'AddtlTxInf')),
          text(at(entry, 'AddtlNtryInf')),
        ]
          .filter((part): part is string => part !== undefined && part !== '')
          .join(' ');
        const debtor = at(tx, 'RltdPties', 'Dbtr');
        const txRef = text(at(tx, 'Refs', 'AcctSvcrRef'));
        const identity =
          txRef ?? (entryRef === undefined ? `${reportId}#${e + 1}#${t + 1}` : `${entryRef}#${t + 1}`);
        readCredit(read, one ? where : `${where} transaction ${t + 1}`, {
          entryId: bankCreditId(account, identity),
          amount,
          currency,
          bookingDate: valueDate ?? bookingDate,
          ...(reference === undefined ? {} : { reference }),
          ...(remittanceText === '' ? {} : { remittance: remittanceText }),
          payerName: text(at(debtor, 'Nm')) ?? text(at(debtor, 'Pty', 'Nm')),
          payerIban: text(at(tx, 'RltdPties', 'DbtrAcct', 'Id', 'IBAN')),
          source: `${file} ${reportId}`,
        });
      });
    });
  });
  return read;
}
