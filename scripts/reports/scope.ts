/**
 * Which months a report covers: one billing month (`--period 2026-11`) or a calendar quarter
 * (`--quarter 2026-Q4`), as the partitions (`period=YYYY-MM`) the SQL reads.
 */
import { InvalidArgumentError } from 'commander';
import { parsePeriod, shiftPeriod } from '../../lambdas/shared/domain/periods.js';
import { usageError } from '../cli/options.js';

export interface ReportScope {
  /** `2026-11` or `2026-Q4`. */
  label: string;
  months: string[];
  /** The last day of the last month (the OSS conversion date). */
  lastDay: string;
}

export function monthScope(period: string): ReportScope {
  const p = parsePeriod(period, '--period');
  return { label: p.id, months: [p.id], lastDay: p.end };
}

export function quarterScope(text: string): ReportScope {
  const match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!match) throw new Error(`--quarter: expected YYYY-Qn (n from 1 to 4), got ${JSON.stringify(text)}`);
  const first = parsePeriod(
    `${match[1]}-${String((Number(match[2]) - 1) * 3 + 1).padStart(2, '0')}`,
    '--quarter',
  );
  const months = [0, 1, 2].map((n) => shiftPeriod(first, n));
  return { label: text, months: months.map((m) => m.id), lastDay: months[2]!.end };
}

/** Commander parser of `--quarter`. */
export function quarterOption(value: string): string {
  try {
    return quarterScope(value).label;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** The scope of `--period` or `--quarter` (exactly one of them). */
export function scopeOf(opts: { period?: string; quarter?: string }, command: string): ReportScope {
  if (opts.period !== undefined && opts.quarter !== undefined)
    throw usageError(`report ${command}: give --period or --quarter, not both`);
  if (opts.period !== undefined) return monthScope(opts.period);
  if (opts.quarter !== undefined) return quarterScope(opts.quarter);
  throw usageError(`report ${command} needs --period YYYY-MM or --quarter YYYY-Qn`);
}
