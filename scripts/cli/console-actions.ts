/**
 * Every operator action of the CLI, as the console offers it (lambdas/api/console/action-*.ts):
 * on a document — credit (full or part), resend, revoke or reissue its link, regenerate, verify,
 * record or reverse a payment, write off, void and replace (./console-document-actions.ts,
 * ./console-payment-actions.ts); on a customer — pause or resume its reminders. Each says when it
 * applies (so a page offers only what can be done now), what it will do (the review page), and
 * does it through the same operation as the CLI (./desk-operations.ts), in the operator log.
 */
import type { ActionField, ActionSpec } from '../../lambdas/api/console/action-pages.js';
import type { ConsoleActions } from '../../lambdas/api/console/action-routes.js';
import type { ActionDef, CustomerState, DocumentState } from './console-action-kit.js';
import { documentActions, replaceAction } from './console-document-actions.js';
import { customerActions, paymentActions } from './console-payment-actions.js';
import type { Target } from './target.js';

export type { CustomerState, DocumentState } from './console-action-kit.js';

const specOf = <S>(def: ActionDef<S>, subject: ActionSpec['subject'], fields: ActionField[]): ActionSpec => ({
  id: def.id,
  label: def.label,
  subject,
  fields,
  ...(def.weighty ? { weighty: true } : {}),
});

/** The actions that apply to a subject now, for its page. */
export function applicable<S>(defs: ActionDef<S>[], state: S, subject: ActionSpec['subject']): ActionSpec[] {
  return defs.flatMap((def) => {
    const fields = def.fields(state);
    return fields ? [specOf(def, subject, fields)] : [];
  });
}

export interface ConsoleActionSet extends ConsoleActions {
  documentSpecs(state: DocumentState): ActionSpec[];
  customerSpecs(state: CustomerState): ActionSpec[];
}

/** The console's actions over a target, given how to read a subject's current state. */
export function consoleActions(
  target: Target,
  read: {
    document(number: string): Promise<DocumentState | undefined>;
    customer(customerId: string): Promise<CustomerState>;
  },
): ConsoleActionSet {
  const onDocuments = [...documentActions(target), ...paymentActions(target), replaceAction(target)];
  const onCustomers = customerActions(target);
  /** The definition and current state of an action on a subject (undefined: does not apply now). */
  const resolve = async (id: string, subjectId: string) => {
    const documentDef = onDocuments.find((d) => d.id === id);
    if (documentDef) {
      const state = await read.document(subjectId);
      const fields = state && documentDef.fields(state);
      return state && fields
        ? { run: documentDef, state, spec: specOf(documentDef, 'document', fields) }
        : undefined;
    }
    const customerDef = onCustomers.find((d) => d.id === id);
    if (customerDef) {
      const state = await read.customer(subjectId);
      const fields = customerDef.fields(state);
      return fields ? { run: customerDef, state, spec: specOf(customerDef, 'customer', fields) } : undefined;
    }
    return undefined;
  };
  return {
    documentSpecs: (state) => applicable(onDocuments, state, 'document'),
    customerSpecs: (state) => applicable(onCustomers, state, 'customer'),
    spec: async (id, subjectId) => (await resolve(id, subjectId))?.spec,
    async preview(spec, subjectId, values) {
      const found = await resolve(spec.id, subjectId);
      if (!found) throw new Error(`"${spec.id}" does not apply to ${subjectId} now`);
      return (found.run as ActionDef<unknown>).preview(found.state, values);
    },
    async execute(spec, subjectId, values) {
      const found = await resolve(spec.id, subjectId);
      if (!found) throw new Error(`"${spec.id}" does not apply to ${subjectId} now`);
      return (found.run as ActionDef<unknown>).execute(found.state, values);
    },
  };
}
