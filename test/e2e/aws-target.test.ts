/**
 * `invoicer --target aws --stack NAME` as support staff run it against a deployed stack. There is
 * no AWS account here: the "deployed stack" is a local stack, its data plane (DynamoDB, S3, SNS,
 * SQS, Step Functions) reached through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, its
 * control plane (DescribeStacks, GetCallerIdentity, GetSecretValue, GetFunctionConfiguration)
 * answered by test/support/aws-control-plane.ts. The CLI runs as a child process with no data dir
 * of its own and only the usual AWS environment: resource names come from the stack's outputs.
 */
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import { STACK_OUTPUT } from '../../infra/stack-outputs.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { LOCAL_CREDENTIALS } from '../../workflows/local/local-credentials.js';
import { startLocalService, type LocalService } from '../../workflows/local/service/local-service.js';
import { startAwsControlPlane, type ControlPlane } from '../support/aws-control-plane.js';
import { BIN, invoicerWithEnv } from '../support/cli.js';

const STACK = 'invoicer-prod';
const CALLER = 'arn:aws:sts::123456789012:assumed-role/SupportStaff/alice';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:invoicer/hosted-link-secret-AbCdEf';
const PUBLIC_URL = 'https://invoices.example.com';
const COMPUTE_FUNCTION = 'invoicer-compute-invoice';

let dataDir: string;
let cliDataDir: string;
let service: LocalService;
let controlPlane: ControlPlane;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-aws-target-'));
  // Where the CLI would keep local state: a command on AWS must not create it.
  cliDataDir = join(dataDir, 'cli-must-not-create');
  service = await startLocalService({ dataDir });
  const { info, session } = service;
  await seedDemoData(session.clients.dynamodb, session.storage.tables, 4, '2026-10');
  controlPlane = await startAwsControlPlane({
    stackName: STACK,
    callerArn: CALLER,
    outputs: {
      [STACK_OUTPUT.stateMachineArn]: info.stateMachineArn,
      [STACK_OUTPUT.documentsBucket]: info.resources.bucket,
      [STACK_OUTPUT.invoicesTable]: info.resources.tables.Invoices,
      [STACK_OUTPUT.runsTable]: info.resources.tables.Runs,
      [STACK_OUTPUT.receivablesTable]: info.resources.tables.Receivables,
      [STACK_OUTPUT.searchTable]: info.resources.tables.Search,
      [STACK_OUTPUT.customersTable]: info.resources.tables.Customers,
      [STACK_OUTPUT.plansTable]: info.resources.tables.Plans,
      [STACK_OUTPUT.usageTable]: info.resources.tables.Usage,
      [STACK_OUTPUT.customerTopicArn]: info.names.customerTopicArn,
      [STACK_OUTPUT.hostedInvoiceBaseUrl]: PUBLIC_URL,
      [STACK_OUTPUT.hostedLinkSecretArn]: SECRET_ARN,
      [STACK_OUTPUT.computeInvoiceFunctionName]: COMPUTE_FUNCTION,
      [STACK_OUTPUT.emailDeadLetterQueueUrl]: info.emailQueue.deadLetterUrl,
      [STACK_OUTPUT.analyticsDatabase]: 'invoicer_dev',
      [STACK_OUTPUT.analyticsWorkGroup]: 'invoicer-dev-reports',
    },
    athenaFailure: 'Query cancelled: Bytes scanned limit was exceeded',
    secrets: { [SECRET_ARN]: session.linkSettings.secretHex },
    functions: { [COMPUTE_FUNCTION]: { [ENV.sellerJson]: JSON.stringify(DEFAULT_SELLER) } },
  });
  const { PATH } = process.env;
  env = {
    PATH,
    HOME: dataDir, // no ~/.aws of the machine's user
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: info.endpoints.s3,
    AWS_ENDPOINT_URL_SNS: info.endpoints.sns,
    AWS_ENDPOINT_URL_SQS: info.endpoints.sqs,
    AWS_ENDPOINT_URL_SFN: info.endpoints.stepfunctions,
    AWS_ENDPOINT_URL_CLOUDFORMATION: controlPlane.url,
    AWS_ENDPOINT_URL_STS: controlPlane.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: controlPlane.url,
    AWS_ENDPOINT_URL_LAMBDA: controlPlane.url,
    AWS_ENDPOINT_URL_ATHENA: controlPlane.url,
    INVOICER_DATA_DIR: cliDataDir,
  };
});

afterAll(async () => {
  await controlPlane?.close();
  await service?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const onAws = (...args: string[]) => invoicerWithEnv(env, ...args, '--target', 'aws', '--stack', STACK);
const json = <T>(out: { stdout: string }): T => JSON.parse(out.stdout) as T;

describe('invoicer --target aws --stack NAME', () => {
  let runId: string;
  let invoiceNumber: string;

  it('runs a period through StartExecution on the stack state machine named in its outputs', async () => {
    const out = await onAws('run', '--period', '2026-10', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const run = json<{ runId: string; issued: number; failed: number; executionArn: string }>(out);
    expect([run.issued, run.failed]).toEqual([4, 0]);
    expect(
      run.executionArn.startsWith(service.info.stateMachineArn.replace(':stateMachine:', ':execution:')),
    ).toBe(true);
    runId = run.runId;
    expect(controlPlane.calls).toEqual(expect.arrayContaining(['DescribeStacks', 'GetCallerIdentity']));
  });

  it('lists invoices and runs from the tables its outputs name, with no local data dir', async () => {
    const rows = json<{ number: string; status: string }[]>(
      await onAws('invoices', 'list', '--period', '2026-10', '--json'),
    );
    expect(rows.map((r) => r.status)).toEqual(['NOTIFIED', 'NOTIFIED', 'NOTIFIED', 'NOTIFIED']);
    invoiceNumber = rows[0]!.number;
    const runs = json<{ runId: string; status: string }[]>(await onAws('runs', 'list', '--json'));
    expect(runs).toEqual([expect.objectContaining({ runId, status: 'SUCCEEDED' })]);
    expect(existsSync(cliDataDir)).toBe(false);
  });

  it('resends a notification as the IAM caller, and shows the e-mails and the operator log', async () => {
    await service.session.deliverEmails(); // the e-mail subscriber (a Lambda on AWS) took the run's events
    const sent = await onAws('notify', '--resend', invoiceNumber, '--reason', 'customer lost it', '--json');
    expect(sent.code).toBe(0);
    const shown = json<{
      hostedLink: string;
      notifications: unknown;
      emails: { resend: number; status: string }[];
      operatorLog: { action: string; by: string; reason: string }[];
    }>(await onAws('invoices', 'show', invoiceNumber, '--json'));
    expect(shown.operatorLog).toEqual([
      expect.objectContaining({ action: 'resend', by: CALLER, reason: 'customer lost it' }),
    ]);
    // The first e-mail's delivery record; what SNS subscribers got is not readable from here.
    expect(shown.emails[0]).toMatchObject({ resend: 0, status: 'sent' });
    expect(shown.notifications).toBeNull();
    // Links are signed with the stack's secret and point at its public address.
    expect(shown.hostedLink.startsWith(`${PUBLIC_URL}/i/`)).toBe(true);
    expect(controlPlane.calls).toContain('GetSecretValue');
  });

  it('imports records into the stack tables, logged as the IAM caller', async () => {
    const file = join(dataDir, 'customers.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        customerId: 'cus_aws_1',
        legalName: 'Aws Kunde GmbH',
        email: 'billing@aws-kunde.example',
        billingAddress: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        currency: 'EUR',
        locale: 'de-DE',
        planId: 'starter-eur',
        status: 'active',
      })}\n`,
    );
    const out = await onAws('import', 'customers', file, '--json');
    expect(out.stderr).toBe('');
    expect(json<{ written: number; rejected: number }>(out)).toMatchObject({ written: 1, rejected: 0 });
    expect(await service.session.stores.records.getCustomer('cus_aws_1')).toMatchObject({
      legalName: 'Aws Kunde GmbH',
    });
    expect(await service.session.operatorLog.entries({ kind: 'records', table: 'customers' })).toEqual([
      expect.objectContaining({ action: 'import', by: CALLER }),
    ]);
  });

  it('previews with the seller of the deployed ComputeInvoice function', async () => {
    const out = await onAws('preview', '--period', '2026-10', '--customer', 'cus_aws_1', '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(json<{ customers: { outcome: string }[] }>(out).customers).toEqual([
      expect.objectContaining({ outcome: 'would-issue' }),
    ]);
    expect(controlPlane.calls).toContain('GetFunctionConfiguration');
  });

  it('seeds nothing into the stack (no exchange rates, no link secret file)', async () => {
    const { s3 } = service.session.stack.clients;
    const bucket = service.info.resources.bucket;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: s3Keys.exchangeRates }));
    expect((await onAws('invoices', 'list', '--json')).code).toBe(0);
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: s3Keys.exchangeRates })),
    ).rejects.toThrow();
    expect(existsSync(cliDataDir)).toBe(false);
  });

  it('refuses what exists only locally, and says what is wrong with the target', async () => {
    const inbox = await onAws('inbox');
    expect(inbox.code).toBe(2);
    expect(inbox.stderr).toContain('for the local stack only (not --target aws)');
    const demo = await onAws('run', '--period', '2026-10', '--demo-customers', '5');
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('--demo-customers is for the local stack only');
    const noStack = await invoicerWithEnv(env, 'invoices', 'list', '--target', 'aws');
    expect([noStack.code, noStack.stderr]).toEqual([
      2,
      'invoicer: error: --target aws needs --stack NAME (or INVOICER_STACK)\n',
    ]);
    const unknown = await invoicerWithEnv(env, 'invoices', 'list', '--target', 'aws', '--stack', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'cannot read the outputs of stack nope: Stack with id nope does not exist',
    );
  });

  it('serves the console over the deployed stack: runs, and a customer with its e-mail deliveries', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'console', '--port', '0', '--json', '--target', 'aws', '--stack', STACK],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      // `--json` prints one (indented) document once it listens.
      let printed = '';
      for await (const chunk of child.stdout!) {
        printed += String(chunk);
        if (printed.trimEnd().endsWith('}')) break;
      }
      const { url } = JSON.parse(printed) as { url: string };
      const runs = await (await fetch(url)).text();
      expect(runs).toContain(runId);
      const customer = await (await fetch(`${url}/customers/cus_00001`)).text();
      expect(customer).toContain('E-mail deliveries');
      // Every page says where the console works, so that prod is never taken for a local stack.
      expect(customer).toContain(`<span class="place">stack ${STACK} (${service.info.region})</span>`);
      expect(customer).toMatch(/<td>first<\/td><td><span class="status sent">sent<\/span>/);
      // (the page escapes the apostrophe)
      expect(customer).toContain(
        'Not visible from here on AWS: they go to the customer topic&#39;s subscribers.',
      );
    } finally {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
  });

  it("runs a report in the stack's Athena workgroup, and says when its bytes-scanned cutoff stopped it", async () => {
    const out = await onAws('report', 'vat', '--period', '2026-10');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /^invoicer: error: the query stopped at workgroup invoicer-dev-reports's bytes-scanned cutoff per query/,
    );
    expect(controlPlane.calls).toEqual(expect.arrayContaining(['StartQueryExecution', 'GetQueryExecution']));
  });

  it('takes the target from INVOICER_TARGET and INVOICER_STACK', async () => {
    const out = await invoicerWithEnv(
      { ...env, INVOICER_TARGET: 'aws', INVOICER_STACK: STACK },
      'runs',
      'show',
      runId,
      '--json',
    );
    expect(out.code).toBe(0);
    expect(json<{ runId: string; issued: number }>(out)).toMatchObject({ runId, issued: 4 });
  });
});
