/**
 * The monthly trigger: an EventBridge Scheduler schedule in the billing time zone that starts the
 * state machine with `{ "scheduledTime": <aws.scheduler.scheduled-time> }`. Scheduler delivers at
 * least once, so a run may start twice: PlanRun derives the period from scheduledTime and takes
 * the period's run lock, and every invoice is keyed by (customer, period), so a second start is
 * refused or finds everything issued. Undeliverable starts land in a dead-letter queue.
 */
import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** A Scheduler target's dead-letter queue (kept 14 days), `DeadLetterQueue` in `scope`. */
export function schedulerDeadLetterQueue(scope: Construct): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      "This queue is the Scheduler target's dead-letter queue; a DLQ of a DLQ would only move the problem.",
  });
  return queue;
}

export interface MonthlyScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** `cron(...)` in EventBridge Scheduler syntax. */
  readonly cron: string;
  readonly timeZone: string;
  readonly enabled: boolean;
  readonly scheduleName: string;
}

export class MonthlySchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MonthlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = schedulerDeadLetterQueue(this);

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: props.scheduleName,
      description: 'Starts the monthly invoicing run for the previous month',
      schedule: scheduler.ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      timeWindow: scheduler.TimeWindow.off(),
      enabled: props.enabled,
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
