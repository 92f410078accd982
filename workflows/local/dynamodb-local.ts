/**
 * DynamoDB Local (AWS's own, a Java 17 program unpacked by `npm install` into .local/dynamodb) as
 * a supervised child process: started on a free loopback port, ready when it answers ListTables,
 * and never left behind (see SUPERVISOR). A missing Java fails with the command that installs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from './local-credentials.js';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not allocate a free port'));
      });
    });
  });
}

/** The command that installs the Java DynamoDB Local needs, named in the error when it is missing. */
const JAVA_INSTALL_HINT = 'sudo apt-get install -y openjdk-17-jre-headless';

/**
 * Why DynamoDB Local could not run, if it is Java's fault: no `java` on PATH, or one older than
 * 17. Asked only after a failed start, so a working machine never pays for a second JVM launch.
 */
export function javaProblem(): string | undefined {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `DynamoDB Local needs Java 17 or newer, and \`java\` ${probe.error ? 'was not found on PATH' : 'did not run'}: install it with \`${JAVA_INSTALL_HINT}\` (Debian/Ubuntu)`;
  }
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (version !== undefined && Number(version) < 17) {
    return `DynamoDB Local needs Java 17 or newer, found Java ${version}: install it with \`${JAVA_INSTALL_HINT}\``;
  }
  return undefined;
}

// Java processes still running in this Node process, killed on exit and on fatal signals.
const liveJavaPids = new Set<number>();
let exitHooksInstalled = false;

function killLiveJava(): void {
  for (const pid of liveJavaPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveJavaPids.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killLiveJava);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Someone else handles the signal (a run stopping politely needs DynamoDB Local until its
      // customers in flight are done): leave Java to the 'exit' hook.
      if (process.listenerCount(signal) > 1) return;
      killLiveJava();
      process.off(signal, onSignal);
      // Keep the default behaviour (terminate).
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/*
 * DynamoDB Local runs under a tiny sh supervisor whose stdin is a pipe from this process. When
 * this process ends for any reason (even SIGKILL) the pipe closes and the supervisor kills java,
 * so no orphan java survives a crashed test run. The supervisor prints java's pid first.
 */
const SUPERVISOR = [
  'exec 3<&0',
  'java "$@" </dev/null &',
  'pid=$!',
  'echo "JAVA_PID=$pid"',
  '{ read _ <&3; kill "$pid" 2>/dev/null; } &',
  'wait "$pid"',
].join('\n');

export interface DynamoDbLocalProcess {
  endpoint: string;
  javaPid: number | undefined;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(options: {
  jarDir: string;
  dbPath: string;
  port: number;
  region: string;
  timeoutMs: number;
  log?: (line: string) => void;
}): Promise<DynamoDbLocalProcess> {
  const jar = join(options.jarDir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) {
    throw new Error(
      `DynamoDB Local is not installed (${jar} is missing): run \`npm install\` or ` +
        '`node scripts/local-stack/install-dynamodb-local.mjs`',
    );
  }
  mkdirSync(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${join(options.jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-dbPath',
    options.dbPath,
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn('/bin/sh', ['-c', SUPERVISOR, 'dynamodb-local', ...args], {
    cwd: options.jarDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  installExitHooks();
  const output: string[] = [];
  let javaPid: number | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (javaPid !== undefined) liveJavaPids.delete(javaPid);
      resolveExit();
    });
  });
  const onLine = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const pidMatch = /^JAVA_PID=(\d+)$/.exec(line.trim());
      if (pidMatch) {
        javaPid = Number(pidMatch[1]);
        liveJavaPids.add(javaPid);
        continue;
      }
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.stdin?.end(); // the supervisor kills java
    const timer = setTimeout(() => {
      if (javaPid !== undefined) {
        try {
          process.kill(javaPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      child.kill('SIGKILL');
    }, 5000);
    await exitPromise;
    clearTimeout(timer);
  };

  // Readiness: DynamoDB Local answers ListTables once it listens.
  const probe = new DynamoDBClient({
    region: options.region,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          javaProblem() ??
            `DynamoDB Local exited during start (code ${exited.code}, signal ${exited.signal}):\n${output.join('\n')}`,
        );
      }
      // Java that lost its port to another process stays alive without listening: give up at once.
      if (output.some((line) => line.includes('Address already in use'))) {
        await stop();
        throw new Error(`DynamoDB Local could not bind ${endpoint}: Address already in use`);
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return { endpoint, javaPid, stop };
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${options.timeoutMs} ms:\n${output.join('\n')}`,
          );
        }
        await Promise.race([new Promise((r) => setTimeout(r, 50)), exitPromise]);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
}
