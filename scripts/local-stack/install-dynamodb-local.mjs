#!/usr/bin/env node
/**
 * Installs AWS's DynamoDB Local (the jar and its native libraries) into .local/dynamodb/.
 *
 * The jar ships in the npm tarball of amplify-dynamodb-simulator (folder `emulator/`). We fetch
 * that tarball with `npm pack` and unpack only `emulator/` instead of installing the package: its
 * dependency tree would pull a second aws-cdk-lib. Runs from package.json "postinstall", so it
 * must be idempotent, quiet when already installed, and need nothing beyond npm and tar.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator';
const VERSION = '2.9.30'; // ships DynamoDB Local 1.25.1
// The registry's dist.integrity of that tarball; a different file is refused.
const INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = process.env.INVOICER_DYNAMODB_LOCAL_DIR ?? join(root, '.local', 'dynamodb');
const jar = join(target, 'DynamoDBLocal.jar');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new Error(`install-dynamodb-local: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `install-dynamodb-local: \`${command} ${args.join(' ')}\` exited with ${result.status}:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function main() {
  if (existsSync(jar)) return; // already installed: stay quiet

  // The temp dir sits next to the target so the final rename stays on one file system.
  mkdirSync(dirname(target), { recursive: true });
  const work = mkdtempSync(join(dirname(target), '.dynamodb-install-'));
  try {
    const packOutput = run('npm', ['pack', `${PACKAGE}@${VERSION}`, '--silent', '--loglevel=error'], work);
    const tarball = join(work, packOutput.trim().split('\n').pop());
    const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (digest !== INTEGRITY) {
      throw new Error(
        `install-dynamodb-local: ${PACKAGE}@${VERSION} integrity ${digest}, expected ${INTEGRITY}`,
      );
    }
    run('tar', ['-xzf', tarball, '-C', work, 'package/emulator'], work);
    const unpacked = join(work, 'package', 'emulator');
    if (!existsSync(join(unpacked, 'DynamoDBLocal.jar'))) {
      throw new Error(`install-dynamodb-local: ${PACKAGE}@${VERSION} has no emulator/DynamoDBLocal.jar`);
    }
    // Move into place in one step so an interrupted install never leaves a half-filled folder
    // that the existence check above would take for a complete one.
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
    console.log(`install-dynamodb-local: DynamoDB Local installed in ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
