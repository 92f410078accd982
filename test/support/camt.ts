/**
 * A camt.053.001.08 statement for tests on a real run, whose invoice numbers and totals are only
 * known once the run issued them: the same elements as the hand-written fixtures in
 * test/fixtures/statements/ (which the readers' unit tests read as they are).
 */
export interface TestCredit {
  amount: string;
  currency: string;
  /** The bank's reference of the entry (its identity across imports). */
  bankRef: string;
  bookingDate?: string;
  reference?: string;
  /** `SCOR` (an RF reference, also a QR-bill's SCOR) or `QRR`. */
  referenceType?: 'SCOR' | 'QRR';
  text?: string;
  payer?: string;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function camt053(iban: string, credits: TestCredit[]): Buffer {
  const entries = credits.map(
    (c) => `<Ntry>
  <Amt Ccy="${c.currency}">${c.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
  <BookgDt><Dt>${c.bookingDate ?? '2026-11-30'}</Dt></BookgDt><AcctSvcrRef>${xml(c.bankRef)}</AcctSvcrRef>
  <NtryDtls><TxDtls>
    ${c.payer ? `<RltdPties><Dbtr><Pty><Nm>${xml(c.payer)}</Nm></Pty></Dbtr></RltdPties>` : ''}
    <RmtInf>${c.text ? `<Ustrd>${xml(c.text)}</Ustrd>` : ''}${
      c.reference
        ? `<Strd><CdtrRefInf><Tp><CdOrPrtry>${c.referenceType === 'QRR' ? '<Prtry>QRR</Prtry>' : '<Cd>SCOR</Cd>'}</CdOrPrtry></Tp><Ref>${xml(c.reference)}</Ref></CdtrRefInf></Strd>`
        : ''
    }</RmtInf>
  </TxDtls></NtryDtls>
</Ntry>`,
  );
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>TEST</MsgId><CreDtTm>2026-11-30T18:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>TEST-STMT</Id><Acct><Id><IBAN>${iban}</IBAN></Id></Acct>
${entries.join('\n')}
</Stmt></BkToCstmrStmt></Document>
`);
}
