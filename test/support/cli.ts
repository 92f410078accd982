/** Runs the `invoicer` command as a child process with the project's own Node, as a user would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const BIN = join(process.cwd(), 'scripts', 'bin', 'invoicer.mjs');

export interface CliResult {
  code: number;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export async function invoicer(...args: string[]): Promise<CliResult> {
  return invoicerWithEnv(process.env, ...args);
}

/** The same, with the environment the command sees (e.g. no Java on PATH). */
export async function invoicerWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      maxBuffer: 32 * 1024 * 1024,
      env,
    });
    return { code: 0, signal: null, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; signal?: string | null; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, signal: e.signal ?? null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
