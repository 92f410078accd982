/**
 * A run limited to some customers (`request.customers`, e.g. `invoicer rerun --failed-of RUN`):
 * the list is checked before anything is written, and the manifest keeps only those customers.
 */
import { InvalidRunRequestError } from '../shared/errors.js';

/** More than a rerun of a whole large run needs, less than a Step Functions input's 256 KiB. */
export const MAX_SELECTED_CUSTOMERS = 5000;

/** The requested customer ids, validated; undefined when the run bills everyone. */
export function selectedCustomers(value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SELECTED_CUSTOMERS) {
    throw new InvalidRunRequestError(
      `run input customers: expected a list of 1 to ${MAX_SELECTED_CUSTOMERS} customer ids, got ${JSON.stringify(value).slice(0, 80)}`,
    );
  }
  const bad = value.findIndex((id) => typeof id !== 'string' || id.trim() === '');
  if (bad >= 0) {
    throw new InvalidRunRequestError(
      `run input customers[${bad}]: expected a customer id, got ${JSON.stringify(value[bad])}`,
    );
  }
  return new Set(value as string[]);
}

/**
 * Keeps the selected customers of those the period bills; a selected id with no customer record
 * refuses the run (a typo must not pass as "nothing to do"). Selected customers the period does
 * not bill are named in a notice.
 */
export function applySelection<T extends { customerId: string }>(
  selected: ReadonlySet<string> | undefined,
  known: readonly { customerId: string }[],
  billed: readonly T[],
): { customers: T[]; notices: string[] } {
  if (!selected) return { customers: [...billed], notices: [] };
  const knownIds = new Set(known.map((c) => c.customerId));
  const unknown = [...selected].filter((id) => !knownIds.has(id));
  if (unknown.length > 0) {
    throw new InvalidRunRequestError(
      `run input customers: no customer record for ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`,
    );
  }
  const customers = billed.filter((c) => selected.has(c.customerId));
  const kept = new Set(customers.map((c) => c.customerId));
  const notBilled = [...selected].filter((id) => !kept.has(id));
  return {
    customers,
    notices:
      notBilled.length === 0
        ? []
        : [
            `${notBilled.length} selected customer(s) are not billed for this period: ${notBilled.slice(0, 5).join(', ')}`,
          ],
  };
}
