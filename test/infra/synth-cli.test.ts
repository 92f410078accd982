/**
 * `npm run synth` as a user runs it: the CDK CLI (whose cloud-assembly schema must match
 * aws-cdk-lib) synthesizes the app offline with local esbuild bundling, and cdk-nag passes with
 * the concrete default region the CLI resolves. The bundles it builds carry no local machinery.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'invoicer-synth-'));
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

it('synthesizes the stack with the CDK CLI, offline', async () => {
  const cdk = join(process.cwd(), 'node_modules', '.bin', 'cdk');
  // With an e-mail sender, so that all twelve functions (the e-mail subscriber's too) are bundled.
  await run(cdk, ['synth', '--quiet', '--output', outdir, '-c', 'emailFrom=billing@invoicer.example'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const templatePath = join(outdir, 'Invoicer-dev.template.json');
  expect(existsSync(templatePath)).toBe(true);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
    Resources: Record<string, { Type: string }>;
  };
  const types = Object.values(template.Resources).map((r) => r.Type);
  expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(13);
  expect(types).toContain('AWS::StepFunctions::StateMachine');
  expect(types).toContain('AWS::Scheduler::Schedule');
});

/**
 * What may never ship to Lambda: the local run's fault injection (which SIGKILLs the process), its
 * call counters, its lock-holder liveness and the emulators. Each marker is a string literal of
 * that code, which minification keeps; the first assertion proves the markers are really in it.
 */
const LOCAL_ONLY_MARKERS = [
  'SIGKILL',
  'invoicerLocalFaultInjection',
  'invoicerLocalCallCounter',
  'local:([^:]+)',
  'fauxqs',
  'DynamoDBLocal',
  'aws-ses-v2-local',
];
const INJECTED_FAULT_MESSAGE = /injected \$\{\w+\} fault/;

it('bundles no fault injection, process kill or other local machinery into any function', () => {
  const local = [
    'faults.ts',
    'instrumentation.ts',
    'liveness.ts',
    'stack.ts',
    'dynamodb-local.ts',
    'ses-local.ts',
  ]
    .map((file) => readFileSync(join(process.cwd(), 'workflows', 'local', file), 'utf8'))
    .join('\n');
  expect(LOCAL_ONLY_MARKERS.filter((marker) => !local.includes(marker))).toEqual([]);
  expect(local).toMatch(INJECTED_FAULT_MESSAGE);

  const template = JSON.parse(readFileSync(join(outdir, 'Invoicer-dev.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const bundles = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => join(outdir, r.Metadata?.['aws:asset:path'] ?? 'no-asset-path', 'index.mjs'));
  expect(bundles).toHaveLength(13);
  for (const bundle of bundles) {
    const code = readFileSync(bundle, 'utf8');
    const found = LOCAL_ONLY_MARKERS.filter((marker) => code.includes(marker));
    expect([bundle, code.length > 10_000, found, INJECTED_FAULT_MESSAGE.test(code)]).toEqual([
      bundle,
      true,
      [],
      false,
    ]);
  }
});
