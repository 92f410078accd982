/** A benchmark's run on a fresh local stack: demo customers are seeded into an empty data dir only. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalSession, type LocalSession } from '../../workflows/local/harness/session.js';

export async function withFreshSession<T>(
  name: string,
  work: (session: LocalSession) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `invoicer-${name}-`));
  const session = await openLocalSession({ dataDir });
  try {
    return await work(session);
  } finally {
    await session.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
