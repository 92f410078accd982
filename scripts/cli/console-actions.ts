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
import { lockActions } from './console-lock-actions.js';
import type { HeldLock } from '../../lambdas/shared/operations/run-locks.js';
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
  lockSpecs(state: HeldLock): ActionSpec[];
}

/** How to read a subject's current state (undefined: no such subject). */
export interface SubjectReaders {
  document(number: string): Promise<DocumentState | undefined>;
  customer(customerId: string): Promise<CustomerState>;
  lock(period: string): Promise<HeldLock | undefined>;
}

interface SubjectActions<S> {
  subject: ActionSpec['subject'];
  defs: ActionDef<S>[];
  read(id: string): Promise<S | undefined>;
}

/** The console's actions over a target, given how to read a subject's current state. */
export function consoleActions(target: Target, read: SubjectReaders): ConsoleActionSet {
  const onDocuments = [...documentActions(target), ...paymentActions(target), replaceAction(target)];
  const onCustomers = customerActions(target);
  const onLocks = lockActions(target);
  const subjects: SubjectActions<unknown>[] = [
    { subject: 'document', defs: onDocuments, read: read.document },
    { subject: 'customer', defs: onCustomers, read: read.customer },
    { subject: 'lock', defs: onLocks, read: read.lock },
  ] as SubjectActions<unknown>[];
  /** The definition and current state of an action on a subject (undefined: does not apply now). */
  const resolve = async (id: string, subjectId: string) => {
    for (const { subject, defs, read: readState } of subjects) {
      const def = defs.find((d) => d.id === id);
      if (!def) continue;
      const state = await readState(subjectId);
      const fields = state === undefined ? undefined : def.fields(state);
      return fields ? { def, state, spec: specOf(def, subject, fields) } : undefined;
    }
    return undefined;
  };
  const found = async (spec: ActionSpec, subjectId: string) => {
    const resolved = await resolve(spec.id, subjectId);
    if (!resolved) throw new Error(`"${spec.id}" does not apply to ${subjectId} now`);
    return resolved;
  };
  return {
    documentSpecs: (state) => applicable(onDocuments, state, 'document'),
    customerSpecs: (state) => applicable(onCustomers, state, 'customer'),
    lockSpecs: (state) => applicable(onLocks, state, 'lock'),
    spec: async (id, subjectId) => (await resolve(id, subjectId))?.spec,
    async preview(spec, subjectId, values) {
      const { def, state } = await found(spec, subjectId);
      return def.preview(state, values);
    },
    async execute(spec, subjectId, values) {
      const { def, state } = await found(spec, subjectId);
      return def.execute(state, values);
    },
  };
}
