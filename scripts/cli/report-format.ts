/** A report document as a table for people and as CSV (scripts/reports/reports.ts). */
import type { VatScheme } from '../../lambdas/shared/contracts/analytics.js';
import type { Cell, ReportDocument } from '../reports/reports.js';

/** What each VAT scheme is, and where it goes (the table's headings; docs/reports.md). */
const SCHEME_TITLES: Record<VatScheme, string> = {
  domestic: "domestic supplies, the seller's own VAT (the return's taxable turnover per rate)",
  reverse_charge:
    'services to businesses in other member states, reverse charge (Art. 196; also on the EC Sales List)',
  outside_scope: "supplies outside the scope of the seller's VAT (place of supply abroad)",
  oss: 'consumer sales into other member states (declared in the OSS return, not here)',
  foreign_vat: 'VAT of countries outside the EU (declared to that country)',
  exempt: 'exempt or zero-rated supplies',
};

/** Columns with the minor-unit twin of a decimal amount are shown once, as the decimal. */
const shownColumns = (rows: Record<string, Cell>[]): string[] =>
  Object.keys(rows[0] ?? {}).filter((k) => !k.endsWith('Minor'));

/** Numbers and decimal amounts (a column with a `...Minor` twin) are right-aligned. */
const isFigure = (row: Record<string, Cell>, column: string): boolean =>
  typeof row[column] === 'number' || Object.hasOwn(row, `${column}Minor`);

export function formatReportTable(doc: ReportDocument): string {
  const columns = shownColumns(doc.rows);
  const text = (value: Cell) => (value === null ? '-' : String(value));
  const widths = columns.map((c) => Math.max(c.length, ...doc.rows.map((r) => text(r[c] ?? null).length)));
  const figures = columns.map((c) => doc.rows[0] !== undefined && isFigure(doc.rows[0], c));
  const line = (cells: Cell[], header = false) =>
    cells
      .map((cell, i) =>
        figures[i] && !header ? text(cell).padStart(widths[i]!) : text(cell).padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const heading = `${doc.report} ${doc.scope}${doc.currency ? ` (amounts in ${doc.currency})` : ''}`;
  const out = [heading, line(columns, true)];
  let scheme: Cell | undefined;
  for (const row of doc.rows) {
    if (doc.report === 'vat' && row.scheme !== scheme) {
      scheme = row.scheme;
      out.push(
        `# ${Object.hasOwn(SCHEME_TITLES, String(scheme)) ? SCHEME_TITLES[scheme as VatScheme] : String(scheme)}`,
      );
    }
    out.push(line(columns.map((c) => row[c] ?? null)));
  }
  for (const [key, value] of Object.entries(doc.totals ?? {}))
    if (!key.endsWith('Minor')) out.push(`${key}: ${text(value)}`);
  for (const note of doc.notes) out.push(`note: ${note}`);
  return out.join('\n');
}

/** A CSV field: quoted where needed; text a spreadsheet would run as a formula is defused. */
function csvField(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatReportCsv(doc: ReportDocument): string {
  const columns = Object.keys(doc.rows[0] ?? {});
  const lines = [
    columns.join(','),
    ...doc.rows.map((row) => columns.map((c) => csvField(row[c] ?? null)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
