/**
 * Billing periods (`YYYY-MM`, one calendar month) and plain dates (`YYYY-MM-DD`).
 *
 * Dates are civil dates without a time zone; arithmetic happens on UTC midnights, where every day
 * has 24 hours. Only `previousPeriod`/`periodOfInstant` look at an instant, and they resolve it
 * in an explicit IANA time zone through Intl (no date library needed).
 */
import { InvalidInputError } from '../errors.js';
import type { InvoicePeriod } from './types.js';

const PERIOD_PATTERN = /^(\d{4})-(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Text of the form YYYY-MM-DD (whether it is a real calendar day: parseIsoDate). */
export const hasIsoDateForm = (text: unknown): text is string =>
  typeof text === 'string' && DATE_PATTERN.test(text);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function periodFromParts(year: number, month: number): InvoicePeriod {
  const id = `${pad(year, 4)}-${pad(month)}`;
  return { id, start: `${id}-01`, end: `${id}-${pad(daysInMonth(year, month))}` };
}

function partsOf(period: string | InvoicePeriod, where: string): { year: number; month: number } {
  const id = typeof period === 'string' ? period : period.id;
  const match = typeof id === 'string' ? PERIOD_PATTERN.exec(id) : null;
  if (match === null) {
    throw new InvalidInputError(`not a billing period of the form YYYY-MM: ${JSON.stringify(id)}`, where);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12)
    throw new InvalidInputError(`month ${match[2]} is not 01-12 in "${id}"`, where);
  if (year < 1970 || year > 9999)
    throw new InvalidInputError(`year ${year} is out of range in "${id}"`, where);
  return { year, month };
}

/** Parse and validate `YYYY-MM` into the period with its first and last day. */
export function parsePeriod(text: unknown, where = 'period'): InvoicePeriod {
  if (typeof text !== 'string')
    throw new InvalidInputError(`must be a string YYYY-MM, got ${typeof text}`, where);
  const { year, month } = partsOf(text, where);
  return periodFromParts(year, month);
}

export function isValidPeriod(text: unknown): boolean {
  try {
    parsePeriod(text);
    return true;
  } catch {
    return false;
  }
}

/** The period `months` calendar months after (negative: before) the given one. */
export function shiftPeriod(period: string | InvoicePeriod, months: number): InvoicePeriod {
  const { year, month } = partsOf(period, 'period');
  const index = year * 12 + (month - 1) + months;
  return periodFromParts(Math.floor(index / 12), (index % 12) + 1);
}

/** The calendar date (`YYYY-MM-DD`) that an instant falls on in an IANA time zone. */
export function localDateOf(instantIso: string, timeZone: string): string {
  const instant = new Date(instantIso);
  if (typeof instantIso !== 'string' || Number.isNaN(instant.getTime())) {
    throw new InvalidInputError(`not an ISO-8601 instant: ${JSON.stringify(instantIso)}`, 'instant');
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
  } catch {
    throw new InvalidInputError(`unknown IANA time zone ${JSON.stringify(timeZone)}`, 'timeZone');
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${pad(Number(parts.year), 4)}-${parts.month}-${parts.day}`;
}

/** The period an instant falls in, in the given time zone. */
export function periodOfInstant(instantIso: string, timeZone: string): InvoicePeriod {
  return parsePeriod(localDateOf(instantIso, timeZone).slice(0, 7), 'instant');
}

/**
 * The calendar month before the month the instant falls in, in that time zone: what a monthly
 * run scheduled at the start of a month bills. 2027-01-01T00:30 in Europe/Berlin is still
 * 2026-12-31 in UTC, yet it bills 2026-12 because Berlin is already in January.
 */
export function previousPeriod(instantIso: string, timeZone: string): InvoicePeriod {
  return shiftPeriod(periodOfInstant(instantIso, timeZone), -1);
}

/** Parse and validate a civil date `YYYY-MM-DD` (a real calendar day). */
export function parseIsoDate(text: unknown, where = 'date'): { year: number; month: number; day: number } {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (match === null)
    throw new InvalidInputError(`not a date of the form YYYY-MM-DD: ${JSON.stringify(text)}`, where);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidInputError(`no such calendar day: ${text as string}`, where);
  }
  return { year, month, day };
}

/** The date `days` days after (negative: before) a `YYYY-MM-DD` date. */
export function addDays(dateIso: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new InvalidInputError(`not a whole number of days: ${days}`, 'days');
  const { year, month, day } = parseIsoDate(dateIso);
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** When a run issues the invoices of a period, and what support staff should know about it. */
export interface RunIssue {
  /** The day the run issues its invoices: the run's start, in the billing time zone. */
  issueDate: string;
  /** Set when the period is older than the last ended one (a late run, or a re-run). */
  notice?: string;
}

/**
 * The issue date of a run is the day it runs (VAT Directive Art. 226(1): the date of issue), not
 * a date derived from the period. A period that has not ended by then cannot be invoiced (its
 * supply is not complete, Art. 64(1)); a period older than the last ended one can, and the run
 * says so: its invoices are dated and numbered as of today, after those already issued.
 */
export function runIssueOf(period: string, startTime: string, timeZone: string): RunIssue {
  const billed = parsePeriod(period);
  const issueDate = localDateOf(startTime, timeZone);
  if (issueDate <= billed.end) {
    throw new InvalidInputError(
      `${billed.id} has not ended: it ends on ${billed.end} (${timeZone}), and its invoices can be issued from ${addDays(billed.end, 1)}`,
      'period',
    );
  }
  const lastEnded = previousPeriod(startTime, timeZone).id;
  return billed.id < lastEnded
    ? {
        issueDate,
        notice: `period ${billed.id} is older than the last ended period ${lastEnded}: its invoices are issued on ${issueDate}, numbered after those already issued`,
      }
    : { issueDate };
}
