/**
 * Queries answered by the running local stack (docs/cli.md, "Installing the command"): the
 * socket protocol's parsers over arbitrary bytes, which command lines are sent and which the
 * worker refuses, and the query server over a real Unix socket with a stand-in worker (the real
 * worker on a real stack: test/e2e/local-service.test.ts).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { EdgeInputError } from '../../../lambdas/shared/edge/edge-error.js';
import { CommandNotRun, main } from '../../../scripts/cli/main.js';
import { dataDirHint, answerOnLocalStack, IN_PROCESS_ENV } from '../../../scripts/cli/query-client.js';
import { mayBeQuery } from '../../../scripts/cli/query-commands.js';
import { queryRefusal } from '../../../scripts/cli/query-worker.js';
import {
  parseQueryAnswer,
  parseQueryRequest,
  querySocketPath,
  QUERY_SOCKET,
  type QueryRequest,
} from '../../../workflows/local/service/query-protocol.js';
import { startQueryServer, type QueryServer } from '../../../workflows/local/service/query-server.js';

const bytes = (text: string) => Buffer.from(text);
const request = (fields: Record<string, unknown>) => bytes(JSON.stringify(fields));
const GOOD = { argv: ['runs', 'list'], env: { HOME: '/root' }, cwd: '/work' };

describe('the query protocol', () => {
  it('reads a request into null-prototype parts', () => {
    const parsed = parseQueryRequest(request(GOOD));
    expect(parsed).toEqual(GOOD);
    expect(Object.getPrototypeOf(parsed.env)).toBeNull();
  });

  it.each([
    [{ ...GOOD, argv: 'runs list' }, 'argv: is not an array'],
    [{ ...GOOD, argv: ['runs', 3] }, 'argv[1]: is not a string'],
    [{ ...GOOD, env: [] }, 'env: is not a JSON object'],
    [{ ...GOOD, env: { PATH: 1 } }, 'env PATH: is not a string'],
    [{ ...GOOD, env: { 'A=B': 'x' } }, 'has an environment variable named "A=B"'],
    [{ ...GOOD, cwd: 'relative' }, 'cwd: is not an absolute path'],
    [{ argv: [], env: {} }, 'cwd: is not a string'],
  ])('refuses %j naming what is wrong', (fields, message) => {
    expect(() => parseQueryRequest(request(fields))).toThrow(message);
  });

  it('refuses prototype keys, invalid UTF-8 and what is not JSON', () => {
    expect(() => parseQueryRequest(bytes('{"argv":[],"env":{"__proto__":"x"},"cwd":"/"}'))).toThrow(
      EdgeInputError,
    );
    expect(() => parseQueryRequest(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(/UTF-8/);
    expect(() => parseQueryRequest(bytes('runs list'))).toThrow('is not JSON');
  });

  it('reads answers, and refuses one without a served flag or a usable exit code', () => {
    const served = { served: true, code: 2, stdout: 'YQ==', stderr: '' };
    expect(parseQueryAnswer(request(served))).toEqual(served);
    expect(parseQueryAnswer(request({ served: false, reason: 'no' }))).toEqual({
      served: false,
      reason: 'no',
    });
    expect(() => parseQueryAnswer(request({ code: 0 }))).toThrow('has no served flag');
    expect(() => parseQueryAnswer(request({ ...served, code: 256 }))).toThrow('exit code');
    expect(() => parseQueryAnswer(request({ ...served, code: 1.5 }))).toThrow('exit code');
  });

  it('throws only its own input errors, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array(), fc.json().map(bytes)), (data) => {
        for (const parse of [parseQueryRequest, parseQueryAnswer]) {
          try {
            parse(data);
          } catch (error) {
            expect(error).toBeInstanceOf(EdgeInputError);
          }
        }
      }),
    );
  });

  it('has no socket for a data dir whose path is too long for one', () => {
    expect(querySocketPath('/tmp/d')).toBe(`/tmp/d/${QUERY_SOCKET}`);
    expect(querySocketPath(`/tmp/${'d'.repeat(120)}`)).toBeUndefined();
  });
});

describe('which command lines are sent to the stack', () => {
  it.each([
    [['runs', 'list'], true],
    [['runs', 'show', 'run-1', '--json'], true],
    [['search', 'müller'], true],
    [['inbox', '--customer', 'cus_1'], true],
    [['run', '--period', '2026-11'], false],
    [['runs', 'unlock', '2026-11'], false],
    [['local', 'up'], false],
    [['serve'], false],
    [['--version'], false],
    [[], false],
  ])('%j: %s', (argv, sent) => {
    expect(mayBeQuery(argv)).toBe(sent);
  });

  it('finds the data dir in argv (last one wins), else the environment', () => {
    expect(dataDirHint(['runs', 'list', '--data-dir', 'a', '--data-dir=b'], {}, '/w')).toBe('/w/b');
    expect(dataDirHint(['runs', 'list', '--data-dir', '/abs'], {}, '/w')).toBe('/abs');
    expect(dataDirHint(['runs', 'list'], { INVOICER_DATA_DIR: '/env-dir' }, '/w')).toBe('/env-dir');
  });

  it('sends nothing when told to run in process, or for a command that is no query', async () => {
    const dataDir = '/nonexistent-invoicer-dir';
    const env = { [IN_PROCESS_ENV]: '1', INVOICER_DATA_DIR: dataDir };
    await expect(answerOnLocalStack(['runs', 'list'], env, '/')).resolves.toBeUndefined();
    await expect(answerOnLocalStack(['run'], { INVOICER_DATA_DIR: dataDir }, '/')).resolves.toBeUndefined();
    // No stack listens there: run here.
    await expect(
      answerOnLocalStack(['runs', 'list'], { INVOICER_DATA_DIR: dataDir }, '/'),
    ).resolves.toBeUndefined();
  });
});

describe('what the worker refuses before running it', () => {
  const stack = { dataDir: '/data/stack', cwd: '/data' };
  /** The refusal for argv, found just before its action (nothing runs). */
  async function refusalOf(
    argv: string[],
    cwd = '/elsewhere',
    env: Record<string, string> = {},
  ): Promise<string | undefined> {
    let refusal: string | undefined = 'no action was reached';
    await expect(
      main(argv, {
        beforeAction: (command) => {
          refusal = queryRefusal(command, { cwd, env }, stack);
          throw new CommandNotRun('checked');
        },
      }),
    ).rejects.toThrow(CommandNotRun);
    return refusal;
  }

  it('answers a query on its own data dir, absolute or relative from its own directory', async () => {
    expect(await refusalOf(['runs', 'list', '--data-dir', '/data/stack'])).toBeUndefined();
    expect(await refusalOf(['search', 'anna', '--data-dir', 'stack'], '/data')).toBeUndefined();
  });

  it('takes a relative INVOICER_DATA_DIR only from its own directory (where it means the same)', async () => {
    const argv = ['runs', 'list', '--data-dir', '/data/stack'];
    expect(await refusalOf(argv, '/data', { INVOICER_DATA_DIR: 'stack' })).toBeUndefined();
    expect(await refusalOf(argv, '/elsewhere', { INVOICER_DATA_DIR: 'stack' })).toContain(
      'a relative data dir from another directory',
    );
  });

  it.each([
    [
      ['runs', 'unlock', '2026-11', '--reason', 'r', '--data-dir', '/data/stack'],
      'runs unlock is not a query',
    ],
    [['search', '--reindex', '--data-dir', '/data/stack'], 'search is not a query'],
    [['runs', 'list', '--data-dir', '/data/other'], 'another data dir'],
    [['runs', 'list', '--data-dir', 'stack'], 'a relative data dir from another directory'],
    [['runs', 'list', '--target', 'aws', '--stack', 's', '--data-dir', '/data/stack'], 'a deployed stack'],
  ])('%j: %s', async (argv, reason) => {
    expect(await refusalOf(argv)).toContain(reason);
  });
});

describe('the query server', () => {
  let dataDir: string;
  let server: QueryServer | undefined;
  const WORKER = new URL('../../fixtures/query-worker/echo-worker.mjs', import.meta.url);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'invoicer-q-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the server answers to raw bytes on its socket (`end`: the caller then closes its side). */
  const exchange = (data: Buffer | string, end = false): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = createConnection(server!.socketPath, () =>
        end ? socket.end(data) : socket.write(data),
      );
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const answerTo = async (argv: string[]) =>
    parseQueryAnswer(bytes((await exchange(`${JSON.stringify({ ...GOOD, argv })}\n`)).trim()));

  it('listens on a socket only its user can open, and removes it when closed', async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER }))!;
    expect(server.socketPath).toBe(join(dataDir, QUERY_SOCKET));
    expect(statSync(server.socketPath).mode & 0o077).toBe(0);
    await server.close();
    expect(() => statSync(join(dataDir, QUERY_SOCKET))).toThrow();
    server = undefined;
  });

  it("relays a worker's answer, and its refusal; one worker serves command after command", async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER, maxWorkers: 1 }))!;
    for (const argv of [
      ['runs', 'list'],
      ['search', 'a', 'b'],
    ]) {
      const answer = await answerTo(argv);
      expect(answer).toMatchObject({ served: true, code: argv.length });
      if (!answer.served) throw new Error('not served');
      expect(JSON.parse(Buffer.from(answer.stdout, 'base64').toString())).toEqual({ ...GOOD, argv, dataDir });
      expect(Buffer.from(answer.stderr, 'base64').toString()).toBe('to stderr');
    }
    expect(await answerTo(['refuse'])).toEqual({ served: false, reason: 'not a query here' });
  });

  it('tells a caller to run the command itself when every worker is busy', async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER, maxWorkers: 1 }))!;
    const holding = { ...GOOD, argv: ['hold'] };
    const held = createConnection(server.socketPath, () => held.write(`${JSON.stringify(holding)}\n`));
    held.on('error', () => undefined);
    await new Promise((resolve) => held.once('connect', resolve));
    // The held command keeps the one worker: the next caller is not kept waiting.
    await expect(answerTo(['runs', 'list'])).resolves.toEqual({
      served: false,
      reason: 'every query worker is busy',
    });
    // Its caller hangs up: that command's worker is ended (asynchronously), and the next caller
    // is served by a new one; asked until then, each time a whole round trip.
    held.destroy();
    let answer = await answerTo(['runs', 'list']);
    for (let attempt = 0; !answer.served && attempt < 500; attempt++)
      answer = await answerTo(['runs', 'list']);
    expect(answer).toMatchObject({ served: true, code: 2 });
  });

  it('tells a caller to run the command itself when its worker died, and serves the next one', async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER, maxWorkers: 1 }))!;
    await expect(answerTo(['die'])).resolves.toEqual({
      served: false,
      reason: 'the query worker ended before it answered',
    });
    await expect(answerTo(['runs', 'list'])).resolves.toMatchObject({ served: true, code: 2 });
  });

  it('is found by the caller from a relative INVOICER_DATA_DIR, which it is sent absolute', async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER }))!;
    const [parent, name] = [join(dataDir, '..'), dataDir.split('/').pop()!];
    const answer = await answerOnLocalStack(['runs', 'list'], { INVOICER_DATA_DIR: name }, parent);
    expect(answer).toMatchObject({ served: true, code: 2 });
    const echoed = JSON.parse(Buffer.from(answer!.stdout, 'base64').toString()) as QueryRequest;
    expect(echoed).toMatchObject({
      argv: ['runs', 'list'],
      cwd: parent,
      env: { INVOICER_DATA_DIR: dataDir },
    });
  });

  it('answers bad requests with a refusal naming what is wrong, and goes on serving', async () => {
    server = (await startQueryServer({ dataDir, workerUrl: WORKER }))!;
    expect(JSON.parse(await exchange('{"argv":"x"}\n'))).toEqual({
      served: false,
      reason: 'the query request argv: is not an array',
    });
    expect(JSON.parse(await exchange('no newline', true))).toMatchObject({
      served: false,
      reason: expect.stringContaining('ends before its newline'),
    });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (data) => {
        const text = await exchange(Buffer.concat([Buffer.from(data), Buffer.from('\n')]));
        const answer = parseQueryAnswer(bytes(text.trim()));
        // Arbitrary bytes are never run: refused, unless they happen to be a whole valid request.
        if (answer.served) expect(() => parseQueryRequest(data)).not.toThrow();
      }),
      { numRuns: 60 },
    );
    await expect(answerTo(['runs', 'list'])).resolves.toMatchObject({ served: true, code: 2 });
  });

  it('has no socket, and says why, when one cannot be made there', async () => {
    const reported: unknown[] = [];
    const missing = join(dataDir, 'not-made-yet');
    await expect(
      startQueryServer({ dataDir: missing, workerUrl: WORKER, reportError: (e) => reported.push(e) }),
    ).resolves.toBeUndefined();
    expect(reported).toEqual([expect.objectContaining({ syscall: 'listen' })]);
  });

  it('has no socket when the path would be too long', async () => {
    const deep = join(dataDir, 'd'.repeat(110));
    await expect(startQueryServer({ dataDir: deep, workerUrl: WORKER })).resolves.toBeUndefined();
  });
});
