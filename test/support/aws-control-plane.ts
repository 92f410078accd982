/**
 * The AWS control-plane calls `invoicer --target aws` makes before it reaches the data plane,
 * answered for a stack that is really the local one: CloudFormation DescribeStacks (its outputs),
 * STS GetCallerIdentity (the operator), Secrets Manager GetSecretValue (the link secret) and Lambda
 * GetFunctionConfiguration (the seller), and Athena's query calls (every query failing with a reason the
 * test sets: no Athena runs here). No emulator of these exists on npm, and there is no AWS
 * account here; the wire formats are the services' own (query XML, JSON 1.1, REST JSON), so the
 * real SDK clients parse them. The data plane (DynamoDB, S3, SNS, SQS, Step Functions) is the local
 * stack's, reached through the SDK's AWS_ENDPOINT_URL_<SERVICE> variables.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ControlPlaneState {
  stackName: string;
  outputs: Record<string, string>;
  callerArn: string;
  /** SecretId (ARN) -> SecretString */
  secrets: Record<string, string>;
  /** Function name -> environment variables */
  functions: Record<string, Record<string, string>>;
  /** Athena's answer to every query: it ends FAILED with this reason (a workgroup's cutoff, say). */
  athenaFailure?: string;
}

export interface ControlPlane {
  url: string;
  /** What was asked, in order: `DescribeStacks`, `GetCallerIdentity`, ... */
  calls: string[];
  close(): Promise<void>;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function queryError(res: ServerResponse, code: string, message: string): void {
  res.writeHead(400, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
  );
}

function describeStacks(state: ControlPlaneState, params: URLSearchParams, res: ServerResponse): void {
  const name = params.get('StackName');
  if (name !== state.stackName)
    return queryError(res, 'ValidationError', `Stack with id ${name} does not exist`);
  const outputs = Object.entries(state.outputs)
    .map(([k, v]) => `<member><OutputKey>${xml(k)}</OutputKey><OutputValue>${xml(v)}</OutputValue></member>`)
    .join('');
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>` +
      `<StackName>${xml(name)}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${xml(name)}/1</StackId>` +
      `<CreationTime>2026-11-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs>` +
      `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
  );
}

function callerIdentity(state: ControlPlaneState, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>${xml(state.callerArn)}</Arn><UserId>AROAEXAMPLE:support</UserId><Account>123456789012</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json'): void => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};

async function handle(state: ControlPlaneState, calls: string[], req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const target = req.headers['x-amz-target'];
  const fn = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/.exec(req.url ?? '');
  if (req.method === 'GET' && fn) {
    calls.push('GetFunctionConfiguration');
    const name = decodeURIComponent(fn[1]!);
    const variables = state.functions[name];
    if (!variables)
      return json(res, 404, { Type: 'User', message: `Function not found: ${name}` }, 'application/json');
    return json(res, 200, { FunctionName: name, Environment: { Variables: variables } });
  }
  if (target === 'secretsmanager.GetSecretValue') {
    calls.push('GetSecretValue');
    const { SecretId } = JSON.parse(body) as { SecretId: string };
    const secret = state.secrets[SecretId];
    const type = 'application/x-amz-json-1.1';
    if (secret === undefined)
      return json(res, 400, { __type: 'ResourceNotFoundException', message: `no secret ${SecretId}` }, type);
    return json(res, 200, { ARN: SecretId, Name: SecretId, SecretString: secret, VersionId: 'v1' }, type);
  }
  if (target === 'AmazonAthena.StartQueryExecution' || target === 'AmazonAthena.GetQueryExecution') {
    calls.push(target.slice('AmazonAthena.'.length));
    const type = 'application/x-amz-json-1.1';
    if (target === 'AmazonAthena.StartQueryExecution')
      return json(res, 200, { QueryExecutionId: 'q-1' }, type);
    return json(
      res,
      200,
      {
        QueryExecution: {
          QueryExecutionId: 'q-1',
          Status: { State: 'FAILED', StateChangeReason: state.athenaFailure ?? 'not answered here' },
        },
      },
      type,
    );
  }
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? 'Unknown';
  calls.push(action);
  if (action === 'DescribeStacks') return describeStacks(state, params, res);
  if (action === 'GetCallerIdentity') return callerIdentity(state, res);
  return queryError(res, 'InvalidAction', `not answered here: ${action}`);
}

export async function startAwsControlPlane(state: ControlPlaneState): Promise<ControlPlane> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    handle(state, calls, req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
