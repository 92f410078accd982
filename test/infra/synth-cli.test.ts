/**
 * `npm run synth` as a user runs it: the CDK CLI (whose cloud-assembly schema must match
 * aws-cdk-lib) synthesizes the app offline with local esbuild bundling, and cdk-nag passes with
 * the concrete default region the CLI resolves.
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
  await run(cdk, ['synth', '--quiet', '--output', outdir], { maxBuffer: 64 * 1024 * 1024 });
  const templatePath = join(outdir, 'Invoicer-dev.template.json');
  expect(existsSync(templatePath)).toBe(true);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
    Resources: Record<string, { Type: string }>;
  };
  const types = Object.values(template.Resources).map((r) => r.Type);
  expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(6);
  expect(types).toContain('AWS::StepFunctions::StateMachine');
  expect(types).toContain('AWS::Scheduler::Schedule');
});
