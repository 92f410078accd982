/**
 * Where the local stack keeps its state: `--data-dir`, else INVOICER_DATA_DIR, else the project's
 * own `.data` (not the current directory's: `invoicer` run from anywhere finds the same invoices).
 * A directory that cannot be created or written fails at once, naming its path.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR_ENV = 'INVOICER_DATA_DIR';
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROJECT_DATA_DIR = join(PROJECT_ROOT, '.data');

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[DATA_DIR_ENV];
  return configured !== undefined && configured.trim() !== '' ? resolve(configured) : PROJECT_DATA_DIR;
}

/** The absolute data dir, created if missing; throws naming the path when it cannot be used. */
export function usableDataDir(dir: string): string {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `the data dir ${path} cannot be used (${reason}); choose another with --data-dir or ${DATA_DIR_ENV}`,
      { cause: error },
    );
  }
  return path;
}
