/**
 * Debian's `chromium` for whatever drives a real browser here (the benchmark's HTML-to-PDF
 * comparison): found at CHROMIUM_PATH or /usr/bin/chromium, else installed with apt-get when this
 * process may (root, apt-get on PATH). apt's output is kept and shown only if it fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH_ENV = 'CHROMIUM_PATH';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env[CHROMIUM_PATH_ENV] ?? DEFAULT_CHROMIUM;
}

/** The browser's path, installing it first if need be; `unavailable` says why there is none. */
export function ensureChromium(
  env: NodeJS.ProcessEnv = process.env,
): { path: string } | { unavailable: string } {
  const path = chromiumPath(env);
  if (existsSync(path)) return { path };
  const hint = `apt-get install -y chromium, or set ${CHROMIUM_PATH_ENV}`;
  if (env[CHROMIUM_PATH_ENV] !== undefined || process.getuid?.() !== 0) {
    return { unavailable: `${path} not found (${hint})` };
  }
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, {
      encoding: 'utf8',
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  let result = apt(['install', '-y', '-q', 'chromium']);
  // A fresh machine may have no package lists yet.
  if (result.status !== 0)
    result = apt(['update', '-q']).status === 0 ? apt(['install', '-y', '-q', 'chromium']) : result;
  if (result.status === 0 && existsSync(path)) return { path };
  const tail = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`
    .trim()
    .split('\n')
    .slice(-5)
    .join('\n');
  return { unavailable: `${path} not found and apt-get could not install it (${hint}):\n${tail}` };
}
