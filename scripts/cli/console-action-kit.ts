/**
 * What the console's action definitions share (./console-actions.ts): the state of a subject as
 * an action sees it, the shape of a definition, and the money and link helpers of their texts.
 */
import {
  subjectPath,
  type ActionField,
  type ActionOutcome,
  type ActionPreview,
} from '../../lambdas/api/console/action-pages.js';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import type { HostedLinkStatus } from '../../lambdas/shared/operations/hosted-link-admin.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import type { PaymentEntry } from '../../lambdas/shared/store/receivables.js';
import type { ReminderPause } from '../../lambdas/shared/store/reminders.js';

/** A document as its actions see it: its current row, link, payments and customer. */
export interface DocumentState {
  row: InvoiceRow;
  link: HostedLinkStatus | undefined;
  payments: PaymentEntry[];
  customerName: string;
  email: string;
}

export interface CustomerState {
  customerId: string;
  name: string;
  paused: ReminderPause | undefined;
}

export type Values = Readonly<Record<string, string>>;

export interface ActionDef<State> {
  id: string;
  label: string;
  weighty?: boolean;
  /** The action's fields for this subject now; undefined: it does not apply. */
  fields(state: State): ActionField[] | undefined;
  preview(state: State, values: Values): Promise<ActionPreview>;
  execute(state: State, values: Values): Promise<ActionOutcome>;
}

export const money = (minor: number, currency: string) => `${decimalAmount(minor, currency)} ${currency}`;
export const documentLink = (number: string) => ({
  href: subjectPath('document', number),
  label: `Open ${number}`,
});
