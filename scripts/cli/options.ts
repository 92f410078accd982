/** Parsers for CLI flags: each bad value names the flag and what it expected. */
import { CommanderError, InvalidArgumentError } from 'commander';
import { parsePeriod } from '../../lambdas/shared/domain/periods.js';
import { parseFaultSpec, type FaultRule } from '../../workflows/local/fault-spec.js';

export function periodOption(value: string): string {
  try {
    return parsePeriod(value).id;
  } catch (error) {
    throw new InvalidArgumentError(`expected a billing period YYYY-MM (${(error as Error).message})`);
  }
}

export const integerOption =
  (min: number, max: number) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    }
    return Number(value);
  };

export function faultsOption(value: string): FaultRule[] {
  try {
    return parseFaultSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const RELATIVE = /^(\d{1,4})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A point in time: an ISO 8601 date (midnight UTC) or date and time with a zone (`Z` or an
 * offset), or a time ago (`30m`, `6h`, `7d`).
 */
export function timeOption(value: string, now: Date = new Date()): Date {
  const relative = RELATIVE.exec(value);
  if (relative)
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const at = iso.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime()))
    throw new InvalidArgumentError(
      `expected a time: 2026-11-30, 2026-11-30T14:00Z, or a time ago like 30m, 6h, 7d; got "${value.slice(0, 40)}"`,
    );
  return at;
}

/** A usage error found after the options were parsed: exit code 2, the message on stderr. */
export const usageError = (message: string): CommanderError =>
  new CommanderError(2, 'invoicer.usage', message);
