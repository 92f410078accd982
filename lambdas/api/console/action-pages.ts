/**
 * The console's operator actions, as the pages see them: an action is a form on the page of its
 * subject (a document or a customer), always with a required reason. Sending it shows a review
 * page that says exactly what will happen (the deps' preview: a credit note's amounts, the e-mail
 * a resend goes to), with the same values hidden in a second form; only that confirmation acts.
 * What each action does is the deps' business (scripts/cli/console-actions.ts).
 */
import { escapeHtml as h } from '../../shared/html.js';
import { consolePage, frameOptions, type PageFrame } from './console-layout.js';

export type ActionSubjectKind = 'document' | 'customer' | 'lock';

export interface ActionField {
  name: string;
  label: string;
  kind: 'text' | 'amount' | 'date' | 'checkbox' | 'select';
  required?: boolean;
  /** Shown under the field (e.g. "empty: all that is left, 120.00 EUR"). */
  hint?: string;
  options?: readonly { value: string; label: string }[];
  value?: string;
}

/** One action as offered on its subject's page (only those that apply to it now). */
export interface ActionSpec {
  id: string;
  label: string;
  subject: ActionSubjectKind;
  fields: ActionField[];
  /** Undoes nothing and is seen by the customer (shown in red). */
  weighty?: boolean;
}

/** What the review page states before anything is done. */
export interface ActionPreview {
  title: string;
  lines: string[];
  confirmLabel: string;
}

/** What came of a confirmed action, shown on the page after it. */
export interface ActionOutcome {
  lines: string[];
  /** Where to go next (default: the subject's page). */
  next?: { href: string; label: string };
}

export const REASON_FIELD = 'reason';
/** The longest reason an action takes (it goes into the operator log). */
export const MAX_REASON_LENGTH = 500;

export const subjectPath = (kind: ActionSubjectKind, id: string): string =>
  kind === 'document'
    ? `/console/documents/${encodeURIComponent(id)}`
    : kind === 'customer'
      ? `/console/customers/${encodeURIComponent(id)}`
      : `/console#lock-${encodeURIComponent(id)}`;

export const actionPath = (action: string, subjectId: string, step: 'review' | 'confirm'): string =>
  `/console/actions/${encodeURIComponent(action)}/${encodeURIComponent(subjectId)}/${step}`;

const fieldId = (action: string, name: string) => `${action}-${name}`;

function fieldHtml(action: string, f: ActionField): string {
  const id = fieldId(action, f.name);
  const required = f.required ? ' required' : '';
  const hint = f.hint ? `<span class="hint" id="${h(id)}-hint">${h(f.hint)}</span>` : '';
  const described = f.hint ? ` aria-describedby="${h(id)}-hint"` : '';
  if (f.kind === 'checkbox')
    return `<div class="field"><label><input type="checkbox" id="${h(id)}" name="${h(f.name)}" value="yes"${described}> ${h(f.label)}</label>${hint}</div>`;
  if (f.kind === 'select')
    return `<div class="field"><label for="${h(id)}">${h(f.label)}</label><select id="${h(id)}" name="${h(f.name)}"${required}${described}>${(
      f.options ?? []
    )
      .map(
        (o) =>
          `<option value="${h(o.value)}"${o.value === f.value ? ' selected' : ''}>${h(o.label)}</option>`,
      )
      .join('')}</select>${hint}</div>`;
  const type = f.kind === 'date' ? 'date' : 'text';
  const mode = f.kind === 'amount' ? ' inputmode="decimal"' : '';
  return `<div class="field"><label for="${h(id)}">${h(f.label)}</label><input type="${type}" id="${h(id)}" name="${h(f.name)}" value="${h(f.value ?? '')}"${mode}${required}${described}>${hint}</div>`;
}

/** An action's form on its subject's page: a disclosure, its fields, a reason, "Review". */
export function actionForm(spec: ActionSpec, subjectId: string, frame: PageFrame): string {
  // Ids stay unique on a page that lists several subjects (the runs page's locks).
  const key = spec.subject === 'lock' ? `${spec.id}-${subjectId}` : spec.id;
  const reason: ActionField = {
    name: REASON_FIELD,
    label: 'Why (kept in the operator log)',
    kind: 'text',
    required: true,
  };
  return `<details class="action" id="action-${h(key)}"><summary>${h(spec.label)}</summary>
<form method="post" action="${h(actionPath(spec.id, subjectId, 'review'))}"><input type="hidden" name="csrf" value="${h(frame.csrf)}">
<div class="fields">${[...spec.fields, reason].map((f) => fieldHtml(key, f)).join('')}
<div class="field"><button type="submit">Review: ${h(spec.label.toLowerCase())}</button></div></div></form></details>`;
}

/** The actions block of a subject's page, or what the caller's role allows instead. */
export function actionsSection(specs: ActionSpec[], subjectId: string, frame: PageFrame): string {
  if (specs.length === 0) return '';
  if (frame.mayAct === false)
    return `<h2>Actions</h2><p class="muted">Your role (${h(frame.role ?? 'read-only')}) may look, not act: ${h(specs.map((s) => s.label.toLowerCase()).join(', '))} need the operator role.</p>`;
  return `<h2>Actions</h2>${specs.map((s) => actionForm(s, subjectId, frame)).join('\n')}`;
}

/** The review page: what will happen, and the one button that does it. */
export function reviewPage(
  spec: Pick<ActionSpec, 'id' | 'subject' | 'weighty'>,
  subjectId: string,
  values: Readonly<Record<string, string>>,
  preview: ActionPreview,
  frame: PageFrame,
): string {
  const hidden = Object.entries(values)
    .map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`)
    .join('');
  return consolePage(
    preview.title,
    `<h1>${h(preview.title)}</h1>
<ul>${preview.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>
<p>Reason: <b>${h(values[REASON_FIELD] ?? '')}</b></p>
<form method="post" action="${h(actionPath(spec.id, subjectId, 'confirm'))}"><input type="hidden" name="csrf" value="${h(frame.csrf)}">${hidden}
<button type="submit"${spec.weighty ? ' class="danger"' : ''} autofocus>${h(preview.confirmLabel)}</button> <a href="${h(subjectPath(spec.subject, subjectId))}">Cancel</a></form>`,
    frameOptions(frame),
  );
}

/** The page after a confirmed action: what came of it, and the way on. */
export function donePage(
  spec: Pick<ActionSpec, 'label' | 'subject'>,
  subjectId: string,
  outcome: ActionOutcome,
  frame: PageFrame,
): string {
  const next = outcome.next ?? { href: subjectPath(spec.subject, subjectId), label: `Back to ${subjectId}` };
  return consolePage(
    `Done: ${spec.label}`,
    `<h1>Done: ${h(spec.label)}</h1>
<div class="notice done" role="status"><ul>${outcome.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul></div>
<p><a href="${h(next.href)}" autofocus>${h(next.label)}</a></p>`,
    frameOptions(frame),
  );
}
