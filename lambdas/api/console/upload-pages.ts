/**
 * The console's import pages: a file of customers, plans or usage (JSON Lines or CSV), or a bank
 * statement (camt.053/054 or CSV), uploaded with a reason; the preview of what it holds and what an
 * import would do (rows, changes, errors by row), with nothing written yet; then its import.
 */
import { escapeHtml as h } from '../../shared/html.js';
import { consolePage, frameOptions, scrollTable, type PageFrame } from './console-layout.js';

export const IMPORT_PATH = '/console/import';
export const UPLOAD_KINDS = ['customers', 'plans', 'usage', 'statement'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];
const KIND_LABELS: Record<UploadKind, string> = {
  customers: 'Customers (JSON Lines or CSV)',
  plans: 'Price plans (JSON Lines or CSV)',
  usage: 'Usage (JSON Lines or CSV)',
  statement: 'Bank statement (camt.053 / camt.054 XML, or CSV)',
};

/** What a file holds and what importing it would do; nothing is written to make it. */
export interface UploadPreview {
  lines: string[];
  /** Rows (or entries) that will not be imported, and why. */
  errors: { where: string; message: string }[];
  /** False when nothing in it can be imported (then no confirmation is offered). */
  importable: boolean;
}

export function importFormPage(frame: PageFrame): string {
  const body =
    frame.mayAct === false
      ? `<p class="muted">Operators import files (your role: ${h(frame.role ?? 'read-only')}).</p>`
      : `<form method="post" action="${IMPORT_PATH}/review" enctype="multipart/form-data"><input type="hidden" name="csrf" value="${h(frame.csrf)}">
<div class="fields"><div class="field"><label for="import-kind">What it holds</label><select id="import-kind" name="kind" required>${UPLOAD_KINDS.map(
          (k) => `<option value="${k}">${h(KIND_LABELS[k])}</option>`,
        ).join('')}</select></div>
<div class="field"><label for="import-file">File</label><input type="file" id="import-file" name="file" required accept=".jsonl,.ndjson,.csv,.xml"></div>
<div class="field"><label for="import-reason">Why (kept in the operator log)</label><input type="text" id="import-reason" name="reason" required></div>
<div class="field"><button type="submit">Preview</button></div></div></form>`;
  return consolePage(
    'Import',
    `<h1>Import a file</h1>
<p class="muted">Nothing is written until you have seen the preview and confirmed it. A record already stored unchanged is left alone; a statement's entries imported before are skipped.</p>
${body}`,
    frameOptions(frame),
  );
}

export function importReviewPage(
  preview: UploadPreview,
  upload: { id: string; kind: UploadKind; name: string; reason: string },
  frame: PageFrame,
): string {
  const errors = preview.errors
    .map((e) => `<tr><td>${h(e.where)}</td><td>${h(e.message)}</td></tr>`)
    .join('\n');
  return consolePage(
    `Preview: ${upload.name}`,
    `<h1>Preview: ${h(upload.name)}</h1>
<p>${h(KIND_LABELS[upload.kind])} · reason: <b>${h(upload.reason)}</b></p>
<ul>${preview.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>
${preview.errors.length ? `<h2>Not imported</h2>${scrollTable(['Where', 'Why'], errors, '', 'import-errors')}` : ''}
${
  preview.importable
    ? `<form method="post" action="${IMPORT_PATH}/confirm"><input type="hidden" name="csrf" value="${h(frame.csrf)}"><input type="hidden" name="upload" value="${h(upload.id)}">
<button type="submit" autofocus>Import it</button> <a href="${IMPORT_PATH}">Cancel</a></form>`
    : `<p class="notice" role="status">Nothing in this file can be imported. <a href="${IMPORT_PATH}">Choose another</a></p>`
}`,
    frameOptions(frame),
  );
}

export function importDonePage(name: string, lines: string[], frame: PageFrame): string {
  return consolePage(
    `Imported: ${name}`,
    `<h1>Imported: ${h(name)}</h1>
<div class="notice done" role="status"><ul>${lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul></div>
<p><a href="${IMPORT_PATH}" autofocus>Import another file</a></p>`,
    frameOptions(frame),
  );
}
