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

/** A usage error found after the options were parsed: exit code 2, the message on stderr. */
export const usageError = (message: string): CommanderError =>
  new CommanderError(2, 'invoicer.usage', message);
