/**
 * The report SQL files (./sql/*.sql) and their parameters. Both engines take the same text:
 * parameters are bound here as SQL literals (`:name` -> 'value', TRUE, or a list), from values
 * this module checks itself, so neither Athena's nor DuckDB's own binding is needed and the text
 * a query ran is the one logged.
 */
import { readFileSync } from 'node:fs';

export const REPORT_SQL = ['revenue', 'vat', 'oss', 'ec-sales-list', 'runs'] as const;
export type ReportSqlName = (typeof REPORT_SQL)[number];

export type SqlParam = boolean | readonly string[];

/** A string literal's value: printable, no quote-breaking surprises (quotes are doubled anyway). */
const SAFE_VALUE = /^[\p{L}\p{N} ._\-#/]*$/u;

/** Text as an SQL string literal (both engines double a quote inside one). */
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function literal(value: string): string {
  if (!SAFE_VALUE.test(value)) throw new Error(`refused SQL parameter value ${JSON.stringify(value)}`);
  return sqlString(value);
}

/** The SQL with its comment lines dropped and every `:name` replaced by its literal. */
export function bindSql(sql: string, params: Readonly<Record<string, SqlParam>>): string {
  const body = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .trim();
  const used = new Set<string>();
  const bound = body.replace(/:([a-z_]+)/g, (_match, name: string) => {
    if (!Object.hasOwn(params, name)) throw new Error(`SQL parameter :${name} has no value`);
    used.add(name);
    const value = params[name]!;
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    return value.length === 0 ? 'NULL' : value.map(literal).join(', ');
  });
  const unused = Object.keys(params).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`SQL parameters never used: ${unused.join(', ')}`);
  return bound;
}

/** The text of a report's SQL file. */
export const reportSql = (name: ReportSqlName): string =>
  readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
