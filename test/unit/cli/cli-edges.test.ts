/**
 * The CLI's edges under hostile input: text printed to a terminal (a customer id with an ESC
 * sequence or a newline cannot recolour the screen or forge a line), the one error mapper (no
 * Java or JavaScript stack, no emulator message, an id for the unexpected), the flag parsers
 * (every value either parses or is a usage error), and the data dir's stack lock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import { describeCliFailure } from '../../../scripts/cli/errors.js';
import { formatRunSummary } from '../../../scripts/cli/format.js';
import { faultsOption, integerOption, periodOption } from '../../../scripts/cli/options.js';
import { printable, printableDeep } from '../../../scripts/cli/terminal-text.js';
import { DataDirInUseError, lockDataDir } from '../../../workflows/local/data-dir-lock.js';

/** What must never reach a terminal from a value (the text's own line breaks aside). */
/* eslint-disable no-control-regex -- these patterns find control characters on purpose */
const UNSAFE = new RegExp(
  '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]',
  'u',
);
const ANY_UNSAFE = new RegExp('[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]', 'u');
/* eslint-enable no-control-regex */

const summaryWith = (customerId: string, cause: string): RunSummary => ({
  runId: 'run-2026-10-x',
  period: '2026-10',
  issueDate: '2026-11-01',
  notices: [],
  status: 'COMPLETED_WITH_FAILURES',
  customers: 2,
  issued: 1,
  skipped: 0,
  notificationsResent: 0,
  notificationsCompleted: 0,
  failed: 1,
  notProcessed: 0,
  totals: [],
  failures: [{ customerId, error: 'InvalidInputError', cause }],
  issuedInvoicesPrefix: 's3://b/runs/x/issued/',
  failuresPrefix: 's3://b/runs/x/failures/',
  voidedUnclaimedNumbers: [],
  documentsPrefix: 's3://b/invoices/2026-10/',
  summaryKey: 's3://b/runs/x/summary.json',
  subject: 's',
});

describe('terminal text', () => {
  it('shows control characters escaped: no colour, no cursor move, no forged line', () => {
    const id = 'cus_1\u001b[2J\u001b[32m\nrun run-2026-10-x SUCCEEDED\r';
    const text = formatRunSummary(summaryWith(id, 'customer cus_1\u001b[31m: bad'));
    expect(text).not.toMatch(UNSAFE);
    expect(text.split('\n').filter((l) => l.startsWith('run '))).toHaveLength(1);
    expect(text).toContain('cus_1\\x1b[2J\\x1b[32m\\nrun run-2026-10-x SUCCEEDED\\r');
  });

  it('escapes values with a __proto__ key without touching any prototype', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":"\\u001b[31m"},"id":"a\\nb"}') as Record<
      string,
      unknown
    >;
    const safe = printableDeep(hostile) as Record<string, Record<string, string>>;
    expect(safe.__proto__!.polluted).toBe('\\x1b[31m');
    expect(safe.id).toBe('a\\nb');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves no unsafe character in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(printable(s)).not.toMatch(ANY_UNSAFE);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the CLI error mapper', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'invoicer-errlog-'));
  beforeAll(() => {
    process.env.INVOICER_ERROR_LOG = join(logDir, 'errors.log');
  });
  afterAll(() => {
    delete process.env.INVOICER_ERROR_LOG;
    rmSync(logDir, { recursive: true, force: true });
  });

  const sdkError = (name: string, status: number, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

  it("never shows an emulator's Java stack: a sentence, an id, the details in the log", () => {
    const java =
      'com.almworks.sqlite4java.SQLiteBusyException: [5] database is locked\n\tat com.almworks.sqlite4java.SQLiteConnection.throwResult(SQLiteConnection.java:1436)';
    const failure = describeCliFailure(sdkError('InternalFailure', 500, java));
    expect(failure.message).not.toMatch(/almworks|\bat |java/i);
    expect(failure.message).toMatch(
      /^a storage or AWS call failed \(InternalFailure, HTTP 500\); run the command again\. Details: error [0-9a-f]{8} in /,
    );
    const logged = readFileSync(process.env.INVOICER_ERROR_LOG!, 'utf8');
    expect(logged).toContain(failure.errorId!);
    expect(logged).toContain('almworks');
  });

  it('says a lost race in words', () => {
    expect(
      describeCliFailure(
        sdkError(
          'TransactionCanceledException',
          400,
          'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
        ),
      ).message,
    ).toBe(
      'another change to the same record came first (TransactionCanceledException); nothing was half-done: run the command again',
    );
  });

  it("prints invoicer's own errors as they are, escaped; an unexpected one as internal with an id", () => {
    expect(describeCliFailure(new Error('no invoice INV-2026-\u001b[31m9')).message).toBe(
      'no invoice INV-2026-\\x1b[31m9',
    );
    const internal = describeCliFailure(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(internal.message).toMatch(/^internal error [0-9a-f]{8}; its details are in /);
    expect(describeCliFailure('a string').message).toMatch(/^internal error /);
  });
});

describe('flag parsers', () => {
  it.each([
    ['--period', periodOption],
    ['--max-concurrency', integerOption(1, 1000)],
    ['--inject-faults', faultsOption],
  ] as const)('%s: any value parses or is a usage error naming what it expected', (_flag, parse) => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        try {
          parse(value);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect(error).toBeInstanceOf(CommanderError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the data dir stack lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'invoicer-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second stack while the holder lives, naming it', () => {
    // The parent process (jest's) is alive and is not this one.
    writeFileSync(
      join(dir, 'stack.lock'),
      JSON.stringify({ pid: process.ppid, since: 'then', command: 'invoicer run' }),
    );
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(
      `is in use by another invoicer command (pid ${process.ppid}, since then: invoicer run)`,
    );
  });

  it('takes over a stale lock and releases its own', () => {
    writeFileSync(join(dir, 'stack.lock'), JSON.stringify({ pid: 2 ** 22 + 1, since: 'then', command: 'x' }));
    const release = lockDataDir(dir, 'invoicer invoices list');
    expect(JSON.parse(readFileSync(join(dir, 'stack.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    release();
    expect(() => readFileSync(join(dir, 'stack.lock'))).toThrow();
  });
});
