/** Shared setup for the local-stack workflow tests: a throwaway data dir and the CFN fixture. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnResources } from '../../workflows/local/resources.js';
import { startLocalStack, type LocalStack } from '../../workflows/local/stack.js';

export const ASL_FIXTURES = fileURLToPath(new URL('../fixtures/asl/', import.meta.url));

/** A small storage template shaped like infra/local-resources.ts synthStorageResources(). */
export function fixtureResources(): CfnResources {
  return JSON.parse(readFileSync(join(ASL_FIXTURES, 'storage-template.json'), 'utf8')) as CfnResources;
}

export interface TestStack {
  stack: LocalStack;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function startTestStack(name: string): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), `invoicer-${name}-`));
  const stack = await startLocalStack({ dataDir, resources: fixtureResources() });
  return {
    stack,
    dataDir,
    async cleanup() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
