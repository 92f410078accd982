/**
 * The local executor on the real local stack (DynamoDB Local + fauxqs): Lambda tasks with Retry
 * and Catch, DynamoDB conditional writes, SNS publish to the customer inbox, instrumentation.
 */
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvalidInputError, TransientDependencyError } from '../../lambdas/shared/errors.js';
import { addCallMiddlewares } from '../../lambdas/shared/aws/clients.js';
import {
  CallCounters,
  callCounter,
  eventsOf,
  localLambdaArn,
  runStateMachine,
} from '../../workflows/local/executor.js';
import { ASL_FIXTURES, startTestStack, type TestStack } from './local-stack-fixture.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack('executor');
});

afterAll(async () => {
  await t?.cleanup();
});

describe('lambda:invoke tasks', () => {
  it('retries a transient error until the handler succeeds, then catches a domain error with Lambda’s Cause', async () => {
    // Prepare
    let flakyCalls = 0;
    const lambdas = {
      [localLambdaArn('flaky')]: async (event: { orderId: string }) => {
        flakyCalls++;
        if (flakyCalls < 3) throw new TransientDependencyError(`dependency down (call ${flakyCalls})`);
        return { attempts: flakyCalls, orderId: event.orderId };
      },
      broken: async () => {
        throw new InvalidInputError('not a valid VAT id', 'customer cus_7.vatId');
      },
    };

    // Act
    const result = await runStateMachine({
      aslPath: join(ASL_FIXTURES, 'lambda-retry-catch.asl.json'),
      substitutions: {
        FlakyFunctionArn: localLambdaArn('flaky', t.stack.region),
        BrokenFunctionArn: 'broken',
      },
      input: { orderId: 'o-1' },
      stack: t.stack,
      lambdas,
      retryIntervalMs: 0,
    });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as {
      flaky: { attempts: number; statusCode: number };
      error: { Error: string; Cause: string };
    };
    expect(output.flaky).toEqual({ attempts: 3, statusCode: 200 });
    expect(eventsOf(result.events, 'Flaky').map((e) => e.type)).toEqual([
      'StateEntered',
      'StateFailed',
      'StateRetried',
      'StateFailed',
      'StateRetried',
      'StateExited',
    ]);
    expect(output.error.Error).toBe('InvalidInputError');
    const cause = JSON.parse(output.error.Cause) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(cause.errorType).toBe('InvalidInputError');
    expect(cause.errorMessage).toBe('customer cus_7.vatId: not a valid VAT id');
    expect(cause.trace[0]).toContain('InvalidInputError');
    const broken = eventsOf(result.events, 'Broken');
    expect(broken.filter((e) => e.type === 'StateRetried')).toHaveLength(0);
    expect(broken.find((e) => e.type === 'StateCaught')?.catch?.catcher).toMatchObject({
      ErrorEquals: ['InvalidInputError'],
    });
    expect(result.metrics.lambdaInvocations).toEqual({ broken: 1, flaky: 3 });
    // Flaky entered once + 2 retries, Broken, Done: what a Standard execution bills.
    expect(result.metrics.transitions).toBe(5);
    expect(result.metrics.states.Flaky?.count).toBe(1);
    expect(result.metrics.states.Done?.count).toBe(1);
  });

  it('fails the execution with the handler’s error name once the retries are exhausted', async () => {
    let calls = 0;
    const result = await runStateMachine({
      aslPath: join(ASL_FIXTURES, 'lambda-uncaught.asl.json'),
      substitutions: { ThrottledFunctionArn: 'throttled' },
      stack: t.stack,
      lambdas: {
        throttled: () => {
          calls++;
          throw new TransientDependencyError('still throttled');
        },
      },
      retryIntervalMs: 0,
    });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('TransientDependencyError');
    expect(JSON.parse(result.cause ?? '{}')).toMatchObject({
      errorType: 'TransientDependencyError',
      errorMessage: 'still throttled',
    });
    expect(calls).toBe(3);
    expect(result.events.at(-1)?.type).toBe('ExecutionFailed');
  });

  it('reports an unregistered function as Lambda.ResourceNotFoundException', async () => {
    const result = await runStateMachine({
      aslPath: join(ASL_FIXTURES, 'lambda-uncaught.asl.json'),
      substitutions: { ThrottledFunctionArn: localLambdaArn('nobody-home') },
      stack: t.stack,
      lambdas: { someoneElse: () => ({}) },
    });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Lambda.ResourceNotFoundException');
    expect(result.cause).toContain('nobody-home');
  });
});

describe('DynamoDB integrations', () => {
  it('catches a failed conditional put as DynamoDB.ConditionalCheckFailedException (aws-sdk: DynamoDb.…)', async () => {
    const runId = `run-${Date.now()}`;
    const options = {
      aslPath: join(ASL_FIXTURES, 'dynamodb-conditional.asl.json'),
      substitutions: { TableName: t.stack.names.tables.Runs },
      input: { runId },
      stack: t.stack,
    };

    const first = await runStateMachine(options);
    const second = await runStateMachine(options);

    expect(first.status).toBe('SUCCEEDED');
    const firstOut = first.output as {
      created: { SdkHttpMetadata: { HttpStatusCode: number } };
      row: { runId: string; enteredAt: string };
    };
    expect(firstOut.created.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(firstOut.row.runId).toBe(runId);
    expect(Number.isNaN(Date.parse(firstOut.row.enteredAt))).toBe(false);
    expect(first.metrics.integrationCalls).toEqual({ 'dynamodb:GetItem': 1, 'dynamodb:PutItem': 1 });

    expect(second.status).toBe('SUCCEEDED');
    const secondOut = second.output as {
      createError: { Error: string; Cause: string };
      sdkError: { Error: string; Cause: string };
    };
    expect(secondOut.createError.Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(secondOut.createError.Cause).toContain('Error Code: ConditionalCheckFailedException');
    expect(secondOut.sdkError.Error).toBe('DynamoDb.ConditionalCheckFailedException');
    expect(eventsOf(second.events, 'CreateRow').map((e) => e.type)).toEqual([
      'StateEntered',
      'StateFailed',
      'StateCaught',
      'StateExited',
    ]);
    expect(second.metrics.integrationCalls).toEqual({ 'dynamodb:PutItem': 2 });
  });
});

describe('SNS publish', () => {
  it('delivers the message with its attributes to the customer inbox queue', async () => {
    const before = (await t.stack.customerInbox()).length;
    const result = await runStateMachine({
      aslPath: join(ASL_FIXTURES, 'sns-publish.asl.json'),
      substitutions: { TopicArn: t.stack.names.customerTopicArn },
      input: {
        customerId: 'cus_42',
        message: JSON.stringify({
          default: 'Your invoice INV-2026-000001 is ready',
          sqs: '{"invoiceNumber":"INV-2026-000001"}',
        }),
      },
      stack: t.stack,
    });

    expect([result.status, result.error, result.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const published = (result.output as { published: { messageId: string; httpStatus: number } }).published;
    expect(published.httpStatus).toBe(200);
    const inbox = await t.stack.customerInbox();
    expect(inbox).toHaveLength(before + 1);
    const received = inbox.at(-1);
    expect(received?.attributes).toEqual({ customerId: 'cus_42', eventType: 'invoice.issued' });
    // MessageStructure json: the SQS subscriber gets the `sqs` entry, as on AWS.
    expect(received?.message).toBe('{"invoiceNumber":"INV-2026-000001"}');
    expect(received?.topicArn).toBe(t.stack.names.customerTopicArn);
    expect(result.metrics.integrationCalls).toEqual({ 'sns:Publish': 1 });
  });
});

describe('instrumentation', () => {
  it('counts the calls in-process handlers make with an instrumented client alongside the integrations', async () => {
    const counters = new CallCounters();
    const handlerClient = addCallMiddlewares(new DynamoDBClient(t.stack.clientConfig.dynamodb), 'dynamodb', [
      callCounter(counters),
    ]);
    try {
      const result = await runStateMachine({
        aslPath: join(ASL_FIXTURES, 'lambda-uncaught.asl.json'),
        substitutions: { ThrottledFunctionArn: 'lister' },
        stack: t.stack,
        counters,
        lambdas: {
          lister: async () => {
            const { TableNames } = await handlerClient.send(new ListTablesCommand({}));
            return { tables: TableNames?.length ?? 0 };
          },
        },
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.metrics.awsCalls).toEqual({ 'dynamodb:ListTables': 1 });
      expect(result.metrics.integrationCalls).toEqual({});
      expect(counters.total()).toBe(1);
    } finally {
      handlerClient.destroy();
    }
  });
});
