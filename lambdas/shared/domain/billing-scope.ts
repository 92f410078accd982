/**
 * Who is billed for a period, and what a cancelled subscription's final invoice covers.
 *
 * A customer is billed for a period unless its service ended before the period began:
 * - active, no cancellation, or a cancellation on or after the period's first day: billed;
 * - inactive with `cancelledAt` on or after the period's first day: billed, a final invoice
 *   (the usage of the period, the base fee for the days served);
 * - inactive with `cancelledAt` before the period, or without one: not billed; those without a
 *   date are counted and reported (their usage, if any, cannot be billed without one).
 * A `cancelledAt` that is not a date keeps the customer in the run, whose compute step then
 * reports the field.
 */
import { hasIsoDateForm, parseIsoDate } from './periods.js';
import type { InvoicePeriod } from './types.js';

export interface CustomerListing {
  customerId: string;
  status: unknown;
  cancelledAt?: unknown;
}

export type BillingScope = 'billed' | 'ended-before' | 'inactive-without-date';

export function billingScopeOf(customer: CustomerListing, period: InvoicePeriod): BillingScope {
  const { cancelledAt } = customer;
  if (cancelledAt !== undefined && !hasIsoDateForm(cancelledAt)) return 'billed';
  if (typeof cancelledAt === 'string') return cancelledAt >= period.start ? 'billed' : 'ended-before';
  return customer.status === 'inactive' ? 'inactive-without-date' : 'billed';
}

/** Days of the period the subscription was served (all of them unless it ended inside it). */
export function daysServed(
  period: InvoicePeriod,
  cancelledAt: string | undefined,
): { served: number; days: number } {
  const days = parseIsoDate(period.end).day;
  if (cancelledAt === undefined || cancelledAt >= period.end) return { served: days, days };
  if (cancelledAt < period.start) return { served: 0, days };
  // cancelledAt is the last day of service: served from the 1st up to it, inclusive.
  return { served: parseIsoDate(cancelledAt).day, days };
}
