/**
 * The routes of the console's operator actions (./action-pages.ts): review, then confirm. Both
 * are POSTs with the console's CSRF token; both take only the fields the action declares plus the
 * required reason (anything else in the form is ignored), and a required field left empty is a 400
 * page naming it. Nothing is done until the confirmation; a caller whose role may not act is
 * refused before the action is even looked up.
 */
import type { Hono } from 'hono';
import {
  donePage,
  MAX_REASON_LENGTH,
  REASON_FIELD,
  reviewPage,
  type ActionOutcome,
  type ActionPreview,
  type ActionSpec,
} from './action-pages.js';
import { ConsoleError, type ConsoleRouteKit } from './console-routes.js';

/** What the console can do (scripts/cli/console-actions.ts builds it over a session). */
export interface ConsoleActions {
  /** Action `id` on this subject, when it applies to it now (undefined: unknown or not now). */
  spec(id: string, subjectId: string): Promise<ActionSpec | undefined>;
  /** What the action would do with these values; refusals are InvalidInputError or conflicts. */
  preview(
    spec: ActionSpec,
    subjectId: string,
    values: Readonly<Record<string, string>>,
  ): Promise<ActionPreview>;
  execute(
    spec: ActionSpec,
    subjectId: string,
    values: Readonly<Record<string, string>>,
  ): Promise<ActionOutcome>;
}

const ACTION_ID = /^[a-z][a-z-]{0,39}$/;

export function addActionRoutes(app: Hono, actions: ConsoleActions, kit: ConsoleRouteKit): void {
  const { frame, postedForm, guarded, html, param } = kit;
  /** The action, its subject and its values from a checked form. */
  const posted = async (c: Parameters<ConsoleRouteKit['param']>[0]) => {
    const form = await postedForm(c); // refuses a role that may not act
    const id = c.req.param('action') ?? '';
    if (!ACTION_ID.test(id)) throw new ConsoleError(404, 'no such action');
    const subjectId = param(c, 'subject');
    const spec = await actions.spec(id, subjectId);
    if (!spec) throw new ConsoleError(409, `"${id}" does not apply to ${subjectId} now: reload its page`);
    const values = Object.create(null) as Record<string, string>;
    for (const field of spec.fields) {
      const value = form[field.name] ?? '';
      if (field.required && value === '') throw new ConsoleError(400, `${field.label}: required`);
      if (field.kind === 'select' && value !== '' && !(field.options ?? []).some((o) => o.value === value))
        throw new ConsoleError(400, `${field.label}: "${value}" is not one of the choices`);
      if (value !== '') values[field.name] = value;
    }
    const reason = form[REASON_FIELD] ?? '';
    if (reason === '') throw new ConsoleError(400, 'say why (the reason is kept in the operator log)');
    if (reason.length > MAX_REASON_LENGTH)
      throw new ConsoleError(400, `the reason is longer than ${MAX_REASON_LENGTH} characters`);
    values[REASON_FIELD] = reason;
    return { spec, subjectId, values };
  };
  app.post(
    '/console/actions/:action/:subject/review',
    guarded(async (c) => {
      const { spec, subjectId, values } = await posted(c);
      const preview = await actions.preview(spec, subjectId, values);
      return html(c, reviewPage(spec, subjectId, values, preview, frame));
    }),
  );
  app.post(
    '/console/actions/:action/:subject/confirm',
    guarded(async (c) => {
      const { spec, subjectId, values } = await posted(c);
      const outcome = await actions.execute(spec, subjectId, values);
      return html(c, donePage(spec, subjectId, outcome, frame));
    }),
  );
}
