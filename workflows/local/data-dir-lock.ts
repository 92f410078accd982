/**
 * One local stack per data dir: DynamoDB Local keeps its tables in one SQLite file that a second
 * JVM cannot open ("database is locked", after a 30 s wait and a Java stack trace). Whoever starts
 * a stack on a data dir (a command without `local up`, or `local up` itself) holds
 * `<dataDir>/stack.lock` (pid, start, command line) until it stops; a second one is refused at
 * once, naming the holder. A lock whose process is gone is stale and taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './liveness.js';

const LOCK_FILE = 'stack.lock';

interface LockHolder {
  pid: number;
  since: string;
  command: string;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data dir ${dataDir} is in use by another invoicer command (pid ${holder.pid}, since ${holder.since}: ${holder.command}); wait for it to end, or start \`invoicer local up\` once so that commands share one stack`,
    );
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number'
      ? { pid: value.pid, since: String(value.since ?? '?'), command: String(value.command ?? '?') }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data dir's stack lock for this process; returns its release. */
export function lockDataDir(dataDir: string, command: string = process.argv.slice(1).join(' ')): () => void {
  const path = join(dataDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, since: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        if (readHolder(path)?.pid === process.pid) unlinkSync(path);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder !== undefined && holder.pid !== process.pid && processAlive(holder.pid))
      throw new DataDirInUseError(dataDir, holder);
    // Stale (its process is gone) or unreadable: take it over.
    unlinkSync(path);
  }
  throw new DataDirInUseError(dataDir, readHolder(path) ?? { pid: 0, since: '?', command: '?' });
}
