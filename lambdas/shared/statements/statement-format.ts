/** The bank statement formats `invoicer payments import` reads, and which a file name says. */
export const STATEMENT_FORMATS = ['camt', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const statementFormatOfFile = (file: string): StatementFormat | undefined =>
  /\.xml$/i.test(file) ? 'camt' : /\.csv$/i.test(file) ? 'csv' : undefined;
