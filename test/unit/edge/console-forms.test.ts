/**
 * The console's forms over real HTTP (the console routes on @hono/node-server, with recording
 * deps: the routes' own parsing is under test, not the operations): a malformed multipart body,
 * a wrong media type, bytes that are not UTF-8, a prototype key, a duplicate field, an oversize
 * form and generated garbage are each a 400 page, never a 500, and act on nothing; the next valid
 * form still works.
 */
import { serve, type ServerType } from '@hono/node-server';
import fc from 'fast-check';
import { Hono } from 'hono';
import { withErrorResponses } from '../../../lambdas/api/app.js';
import { addConsoleRoutes, type ConsoleDeps } from '../../../lambdas/api/console/console-routes.js';
import type { ActionSpec } from '../../../lambdas/api/console/action-pages.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import { checkQuery } from '../../../lambdas/shared/operations/search.js';

const SPECS: ActionSpec[] = [
  { id: 'resend', label: 'Resend', subject: 'document', fields: [] },
  {
    id: 'credit',
    label: 'Credit',
    subject: 'document',
    fields: [
      { name: 'amount', label: 'Amount', kind: 'amount' },
      {
        name: 'method',
        label: 'Method',
        kind: 'select',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      },
    ],
  },
];
const RESEND = '/console/actions/resend/INV-2026-000001';

const CSRF = 'c'.repeat(43);
const acted: string[] = [];
const errors: unknown[] = [];
let server: ServerType;
let url: string;

const DEPS: ConsoleDeps = {
  listRuns: async () => [],
  runLocks: async () => [],
  runView: async () => undefined,
  rerunFailed: async (runId) => {
    acted.push(`rerun ${runId}`);
    return 'run-new';
  },
  redrive: async (runId) => void acted.push(`redrive ${runId}`),
  customerView: async (customerId) =>
    ({ customerId, invoices: [], notifications: null, emails: null, deliveries: [] }) as never,
  documentView: async () => undefined,
  search: async (text) => ({
    query: checkQuery(text),
    customers: [],
    documents: [],
    payments: [],
    unmatched: [],
    moreCustomers: false,
  }),
  actions: {
    spec: async (id, subjectId) =>
      subjectId === 'INV-2026-000001' ? SPECS.find((s) => s.id === id) : undefined,
    preview: async (spec, subjectId, values) => {
      if (values.amount === 'bad') throw new InvalidInputError('is not an amount', 'amount');
      return { title: `${spec.id} ${subjectId}`, lines: [`would ${spec.id}`], confirmLabel: 'Do it' };
    },
    execute: async (spec, subjectId, values) => {
      acted.push(`${spec.id} ${subjectId} ${JSON.stringify(values)}`);
      return { lines: ['done'] };
    },
  },
  uploads: {
    preview: async (kind, file) => ({
      lines: [`${kind}: ${file.name}, ${file.bytes.length} bytes`],
      errors: [{ where: 'row 2', message: 'bad <b>' }],
      importable: true,
    }),
    write: async (kind, file, reason) => {
      acted.push(`import ${kind} ${file.name} ${reason}`);
      return ['written'];
    },
  },
  pdfUrl: async () => undefined,
  unmatchedCredits: async () => [],
  assignCredit: async (entryId, number, reason) => void acted.push(`assign ${entryId} ${number} ${reason}`),
  csrfToken: CSRF,
  place: 'test',
};

/** The console routes over real HTTP with these deps; resolves to its base URL. */
async function startConsole(deps: ConsoleDeps): Promise<{ url: string; server: ServerType }> {
  const app = new Hono();
  addConsoleRoutes(app, deps);
  withErrorResponses(app, (error) => errors.push(error));
  let started!: ServerType;
  const base = await new Promise<string>((resolve) => {
    started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
  return { url: base, server: started };
}

beforeAll(async () => {
  ({ url, server } = await startConsole(DEPS));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('file import', () => {
  const upload = (fields: Record<string, string | Blob>, extra?: [string, string]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (extra) form.append(extra[0], extra[1]);
    return fetch(`${url}/console/import/review`, { method: 'POST', body: form });
  };
  const file = () => new Blob(['{"customerId":"c1"}\n'], { type: 'application/x-ndjson' });

  it('previews an upload without importing it, then imports it once on confirmation', async () => {
    acted.length = 0;
    const form = new FormData();
    form.append('csrf', CSRF);
    form.append('kind', 'customers');
    form.append('reason', 'monthly CRM export');
    form.append('file', file(), 'customers.jsonl');
    const review = await fetch(`${url}/console/import/review`, { method: 'POST', body: form });
    expect(review.status).toBe(200);
    const page = await review.text();
    expect(page).toContain('customers: customers.jsonl, 20 bytes');
    expect(page).toContain('bad &lt;b&gt;');
    expect(acted).toEqual([]);
    const id = /name="upload" value="([0-9a-f]{32})"/.exec(page)![1]!;
    const confirm = () => post('/console/import/confirm', `csrf=${CSRF}&upload=${id}`, FORM);
    const done = await confirm();
    expect([done.status, await done.text()]).toEqual([
      200,
      expect.stringContaining('Imported: customers.jsonl'),
    ]);
    expect(acted).toEqual(['import customers customers.jsonl monthly CRM export']);
    expect((await confirm()).status).toBe(409); // imported already: not held any more
    expect(
      (await post('/console/import/confirm', `csrf=${CSRF}&upload=${'0'.repeat(32)}`, FORM)).status,
    ).toBe(409);
    expect(acted).toHaveLength(1);
  });

  it('refuses an upload without its token, kind, reason or file, with an extra or doubled field', async () => {
    acted.length = 0;
    const base = { csrf: CSRF, kind: 'customers', reason: 'x' };
    const cases: [string, Promise<Response>, number][] = [
      ['token', upload({ ...base, csrf: 'forged', file: file() }), 403],
      ['kind', upload({ ...base, kind: 'invoices', file: file() }), 400],
      ['reason', upload({ ...base, reason: ' ', file: file() }), 400],
      ['file', upload({ ...base }), 400],
      ['file as text', upload({ ...base, file: 'not a file' }), 400],
      ['extra', upload({ ...base, file: file() }, ['__proto__', 'x']), 400],
      ['twice', upload({ ...base, file: file() }, ['kind', 'plans']), 400],
      ['urlencoded', post('/console/import/review', `csrf=${CSRF}&kind=customers&reason=x`, FORM), 400],
    ];
    for (const [what, response, status] of cases)
      expect([what, (await response).status]).toEqual([what, status]);
    expect(acted).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('file import under generated multipart forms', () => {
  it('answers any field names, values and bytes with a page or a 4xx, never a 500, and imports nothing', async () => {
    acted.length = 0;
    const name = fc.constantFrom('csrf', 'kind', 'file', 'reason', '__proto__', 'constructor', 'x');
    const bytes = fc.uint8Array({ maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, bytes, fc.boolean()), { maxLength: 6 }), async (parts) => {
        const form = new FormData();
        form.append('csrf', CSRF);
        for (const [field, value, asFile] of parts)
          if (asFile) form.append(field, new Blob([value]), 'f.jsonl');
          else form.append(field, new Blob([value]));
        const response = await fetch(`${url}/console/import/review`, { method: 'POST', body: form });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
    expect(acted).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses text fields and file names whose bytes are not UTF-8', async () => {
    const boundary = 'b0undary';
    const body = (reason: Buffer, fileName = 'c.jsonl') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${CSRF}\r\n--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncustomers\r\n--${boundary}\r\nContent-Disposition: form-data; name="reason"\r\n\r\n`,
        ),
        reason,
        Buffer.from(
          `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n{}\n\r\n--${boundary}--\r\n`,
        ),
      ]);
    const send = (b: Buffer) =>
      fetch(`${url}/console/import/review`, {
        method: 'POST',
        body: b,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    const bad = await send(body(Buffer.from([0x66, 0xff, 0xfe])));
    expect([bad.status, await bad.text()]).toEqual([400, expect.stringContaining('reason: not valid UTF-8')]);
    expect((await send(body(Buffer.from('ok')))).status).toBe(200);
  });
});

describe('a read-only role (AWS support role)', () => {
  it('sees the pages, is told which actions need the operator role, and every POST is refused', async () => {
    const readOnly = await startConsole({
      ...DEPS,
      role: { name: 'support (read-only, x-support)', mayAct: false },
    });
    try {
      const page = await (await fetch(`${readOnly.url}/console`)).text();
      expect(page).toContain('support (read-only, x-support)');
      acted.length = 0;
      for (const path of [
        `${RESEND}/review`,
        `${RESEND}/confirm`,
        '/console/runs/run-1/redrive',
        '/console/payments/unmatched/bc_1/assign',
      ]) {
        const response = await fetch(`${readOnly.url}${path}`, {
          method: 'POST',
          body: `csrf=${CSRF}&reason=x&invoiceNumber=INV-1`,
          headers: { 'content-type': FORM },
        });
        expect([path, response.status]).toEqual([path, 403]);
        expect(await response.text()).toContain('may not act; ask an operator');
      }
      expect(acted).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => readOnly.server.close(() => resolve()));
    }
  });
});

const post = (path: string, body: string | Buffer, type?: string) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    ...(type ? { headers: { 'content-type': type } } : {}),
  });

const FORM = 'application/x-www-form-urlencoded';

describe('console forms', () => {
  it('reviews an action without acting, and acts on its confirmation with only the declared fields', async () => {
    const review = await post(`${RESEND}/review`, `csrf=${CSRF}&reason=lost+mail&extra=x`, FORM);
    expect(review.status).toBe(200);
    const page = await review.text();
    expect(page).toContain('would resend');
    expect(page).toContain(`action="${RESEND}/confirm"`);
    expect(acted).toEqual([]);
    const done = await post(`${RESEND}/confirm`, `csrf=${CSRF}&reason=lost+mail&extra=x`, FORM);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Done: Resend');
    expect(acted).toEqual(['resend INV-2026-000001 {"reason":"lost mail"}']);
  });

  it('refuses an action without a reason, with a bad choice or value, not applicable now, or unknown', async () => {
    acted.length = 0;
    const credit = '/console/actions/credit/INV-2026-000001';
    expect((await post(`${RESEND}/confirm`, `csrf=${CSRF}&reason=`, FORM)).status).toBe(400);
    expect((await post(`${credit}/confirm`, `csrf=${CSRF}&reason=x&method=z`, FORM)).status).toBe(400);
    const bad = await post(`${credit}/review`, `csrf=${CSRF}&reason=x&amount=bad`, FORM);
    expect([bad.status, await bad.text()]).toEqual([
      400,
      expect.stringContaining('amount: is not an amount'),
    ]);
    expect((await post('/console/actions/resend/INV-9/confirm', `csrf=${CSRF}&reason=x`, FORM)).status).toBe(
      409,
    );
    expect(
      (await post('/console/actions/Nope!/INV-2026-000001/confirm', `csrf=${CSRF}&reason=x`, FORM)).status,
    ).toBe(404);
    expect((await post(`${RESEND}/confirm`, `csrf=${'d'.repeat(43)}&reason=x`, FORM)).status).toBe(403);
    expect(acted).toEqual([]);
    expect((await post(`${credit}/confirm`, `csrf=${CSRF}&reason=x&method=b&amount=1.50`, FORM)).status).toBe(
      200,
    );
    expect(acted).toEqual(['credit INV-2026-000001 {"amount":"1.50","method":"b","reason":"x"}']);
  });

  it('answers any search text with a page or a 400 naming the query, never a 500', async () => {
    expect((await fetch(`${url}/console/search?q=${encodeURIComponent('müller')}`)).status).toBe(200);
    const empty = await fetch(`${url}/console/search?q=%20`);
    expect(empty.status).toBe(200);
    const control = await fetch(`${url}/console/search?q=a%00b`);
    expect([control.status, await control.text()]).toEqual([400, expect.stringContaining('search query')]);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 250 }), async (q) => {
        const response = await fetch(`${url}/console/search?q=${encodeURIComponent(q)}`);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 100 },
    );
    const notUtf8 = await fetch(`${url}/console/search?q=%ff%fe`);
    expect([notUtf8.status, await notUtf8.text()]).toEqual([400, expect.stringContaining('UTF-8')]);
    expect((await fetch(`${url}/console/search?q=a&q=b`)).status).toBe(400);
    expect((await fetch(`${url}/console/search?__proto__=x&q=a`)).status).toBe(400);
    expect(errors).toEqual([]);
  });

  it('assigns an unmatched credit, and refuses an assignment without an invoice or a reason', async () => {
    acted.length = 0;
    const path = '/console/payments/unmatched/bc_1/assign';
    expect((await post(path, `csrf=${CSRF}&invoiceNumber=INV-1&reason=paid+twice`, FORM)).status).toBe(303);
    expect((await post(path, `csrf=${CSRF}&invoiceNumber=&reason=x`, FORM)).status).toBe(400);
    expect((await post(path, `csrf=${CSRF}&invoiceNumber=INV-1`, FORM)).status).toBe(400);
    expect((await post(path, `csrf=${CSRF}&invoiceNumber=..%2F&reason=x`, FORM)).status).toBe(400);
    expect(acted).toEqual(['assign bc_1 INV-1 paid twice']);
  });

  it.each([
    [
      'a malformed multipart body',
      '--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n',
      'multipart/form-data; boundary=y',
    ],
    ['JSON', JSON.stringify({ csrf: CSRF, reason: 'x' }), 'application/json'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([Buffer.from(`csrf=${CSRF}&reason=`), Buffer.from([0xff, 0xfe])]),
      FORM,
    ],
    ['a percent-encoding that is not UTF-8', `csrf=${CSRF}&reason=%ff`, FORM],
    ['a prototype key', `csrf=${CSRF}&reason=x&__proto__=y`, FORM],
    ['a field given twice', `csrf=${CSRF}&reason=x&reason=y`, FORM],
    ['an oversize form', `csrf=${CSRF}&reason=${'x'.repeat(20_000)}`, FORM],
    ['a wrong token', `csrf=${'d'.repeat(43)}&reason=x`, FORM],
  ])('answers %s with a 4xx page and acts on nothing', async (_what, body, type) => {
    acted.length = 0;
    const response = await post(`${RESEND}/confirm`, body, type);
    expect([400, 403]).toContain(response.status);
    expect(await response.text()).toContain('Could not do that');
    expect(acted).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('answers generated bodies, types and paths with a 2xx-4xx, never a 500, and still works after', async () => {
    const path = fc.constantFrom(
      '/console/runs/run-1/rerun',
      '/console/runs/run-1/redrive',
      `${RESEND}/review`,
      `${RESEND}/confirm`,
      '/console/actions/credit/INV-2026-000001/confirm',
      '/console/import/review',
      '/console/import/confirm',
      '/console/runs/%ff/rerun',
      '/console/payments/unmatched/bc_1/assign',
    );
    const type = fc.constantFrom(
      FORM,
      'multipart/form-data; boundary=x',
      'text/plain',
      '',
      'application/x-www-form-urlencoded; charset=utf-8',
    );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ maxLength: 200 }).map((s) => `csrf=${CSRF}&${s}`),
    );
    await fc.assert(
      fc.asyncProperty(path, type, body, async (p, t, b) => {
        const response = await post(p, typeof b === 'string' ? b : Buffer.from(b), t || undefined);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(errors).toEqual([]);
    acted.length = 0;
    expect((await post('/console/runs/run-1/redrive', `csrf=${CSRF}`, FORM)).status).toBe(303);
    expect(acted).toEqual(['redrive run-1']);
  });
});
