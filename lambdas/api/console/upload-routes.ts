/**
 * The console's file import (./upload-pages.ts): the file is uploaded (multipart, with the form
 * token, a kind and a reason), previewed by the deps without writing anything, kept in this
 * process's memory under a random id for UPLOAD_TTL_MS, and imported only when that id is
 * confirmed. The multipart form is taken field by field from an allow-list: one value each, the
 * file a file and the rest text; anything else is a 400 page naming the field.
 */
import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { MAX_REASON_LENGTH } from './action-pages.js';
import { ConsoleError, type ConsoleRouteKit } from './console-routes.js';
import {
  IMPORT_PATH,
  importDonePage,
  importFormPage,
  importReviewPage,
  UPLOAD_KINDS,
  type UploadKind,
  type UploadPreview,
} from './upload-pages.js';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** What the console does with an uploaded file (scripts/cli/console-deps.ts builds it). */
export interface ConsoleUploads {
  preview(kind: UploadKind, file: UploadedFile): Promise<UploadPreview>;
  /** Imports it, in the operator log with the reason; what came of it, line by line. */
  write(kind: UploadKind, file: UploadedFile, reason: string): Promise<string[]>;
}

/** The largest file taken (a month's statement of a large account; records are split smaller). */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const UPLOAD_TTL_MS = 15 * 60_000;
const MAX_HELD_UPLOADS = 8;
const FIELDS = ['csrf', 'kind', 'file', 'reason'] as const;
const FILE_NAME = /^[^\\/\p{Cc}]{1,200}$/u;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

interface HeldUpload {
  kind: UploadKind;
  file: UploadedFile;
  reason: string;
  at: number;
}

/** The multipart form, field by field; a 400 naming what is wrong. */
async function multipartForm(
  c: Context,
): Promise<{ csrf: string; kind: UploadKind; reason: string; file: UploadedFile }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data')
    throw new ConsoleError(400, `a file is sent as multipart/form-data, not "${type}"`);
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (!Number.isSafeInteger(declared))
    throw new ConsoleError(400, 'the upload must state its Content-Length');
  if (declared > MAX_UPLOAD_BYTES + 64 * 1024)
    throw new ConsoleError(400, `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
  let parsed: Record<string, unknown>;
  try {
    parsed = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  } catch {
    throw new ConsoleError(400, 'the form is not a well-formed multipart body');
  }
  const fields = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(parsed)) {
    if (!(FIELDS as readonly string[]).includes(name))
      throw new ConsoleError(400, `unexpected field "${name.slice(0, 40)}"`);
    if (Array.isArray(value)) throw new ConsoleError(400, `the field "${name}" is given more than once`);
    fields[name] = value;
  }
  // The multipart parser decodes text leniently: a replacement character means bytes that were not UTF-8.
  const notUtf8 = (value: string) => value.includes('\uFFFD');
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string') throw new ConsoleError(400, `${name}: required (as text)`);
    if (notUtf8(value)) throw new ConsoleError(400, `${name}: not valid UTF-8`);
    return value.trim();
  };
  const file = fields.file;
  if (!(file instanceof File)) throw new ConsoleError(400, 'file: choose a file to upload');
  if (!FILE_NAME.test(file.name) || notUtf8(file.name))
    throw new ConsoleError(400, 'file: its name is empty, too long or has a path in it');
  if (file.size === 0) throw new ConsoleError(400, `file: ${file.name} is empty`);
  if (file.size > MAX_UPLOAD_BYTES)
    throw new ConsoleError(400, `file: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
  const kind = text('kind');
  if (!(UPLOAD_KINDS as readonly string[]).includes(kind))
    throw new ConsoleError(400, `kind: "${kind.slice(0, 40)}" is not one of ${UPLOAD_KINDS.join(', ')}`);
  const reason = text('reason');
  if (reason === '') throw new ConsoleError(400, 'say why (the reason is kept in the operator log)');
  if (reason.length > MAX_REASON_LENGTH)
    throw new ConsoleError(400, `the reason is longer than ${MAX_REASON_LENGTH} characters`);
  return {
    csrf: typeof fields.csrf === 'string' ? fields.csrf : '',
    kind: kind as UploadKind,
    reason,
    file: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
  };
}

export function addUploadRoutes(app: Hono, uploads: ConsoleUploads, kit: ConsoleRouteKit): void {
  const { frame, postedForm, checkToken, guarded, html } = kit;
  const held = new Map<string, HeldUpload>();
  const forget = (now: number) => {
    for (const [id, upload] of held) if (now - upload.at > UPLOAD_TTL_MS) held.delete(id);
    while (held.size >= MAX_HELD_UPLOADS) held.delete(held.keys().next().value!);
  };
  app.get(
    IMPORT_PATH,
    guarded(async (c) => html(c, importFormPage(frame))),
  );
  app.post(
    `${IMPORT_PATH}/review`,
    guarded(async (c) => {
      const form = await multipartForm(c);
      checkToken(form.csrf);
      const preview = await uploads.preview(form.kind, form.file);
      const now = Date.now();
      forget(now);
      const id = randomBytes(16).toString('hex');
      if (preview.importable)
        held.set(id, { kind: form.kind, file: form.file, reason: form.reason, at: now });
      return html(
        c,
        importReviewPage(preview, { id, kind: form.kind, name: form.file.name, reason: form.reason }, frame),
      );
    }),
  );
  app.post(
    `${IMPORT_PATH}/confirm`,
    guarded(async (c) => {
      const form = await postedForm(c);
      const id = form.upload ?? '';
      const upload = UPLOAD_ID.test(id) ? held.get(id) : undefined;
      if (upload === undefined || Date.now() - upload.at > UPLOAD_TTL_MS)
        throw new ConsoleError(
          409,
          'this upload is no longer held (15 minutes, or imported already): upload the file again',
        );
      held.delete(id);
      const lines = await uploads.write(upload.kind, upload.file, upload.reason);
      return html(c, importDonePage(upload.file.name, lines, frame));
    }),
  );
}
