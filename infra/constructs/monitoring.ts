/**
 * Alarms and a dashboard for the billing run. Every alarm notifies the ops topic.
 */
import { METRIC } from '../../lambdas/shared/contracts/metrics.js';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface BillingMonitoringProps {
  readonly dashboardName: string;
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Record<string, lambda.IFunction>;
  readonly deadLetterQueue: sqs.IQueue;
  readonly opsTopic: sns.ITopic;
  /** Namespace and `service` dimension of the Powertools metrics the functions emit. */
  readonly metricsNamespace: string;
  readonly serviceName: string;
}

export class BillingMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BillingMonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.opsTopic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };
    const sum = { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) };
    const sm = props.stateMachine;

    alarm(
      'ExecutionsFailed',
      sm.metricFailed(sum),
      'A billing run failed (see the run summary in S3 and the execution history).',
    );
    alarm('ExecutionsTimedOut', sm.metricTimedOut(sum), 'A billing run timed out.');
    alarm(
      'ExecutionsAborted',
      sm.metricAborted(sum),
      'A billing run was aborted (stopped by hand or by a redeploy).',
    );
    // Failed customers of a run, as counted by finalize-run from the Distributed Map's result files.
    const failedCustomers = new cloudwatch.Metric({
      namespace: props.metricsNamespace,
      metricName: METRIC.invoicesFailed,
      dimensionsMap: { service: props.serviceName },
      ...sum,
    });
    alarm(
      'MapRunFailures',
      failedCustomers,
      'Customers failed in the last billing run; re-run or redrive (see docs/runbook.md).',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${pascal(name)}Errors`, fn.metricErrors(sum), `Lambda ${name} reported errors.`);
      alarm(`${pascal(name)}Throttles`, fn.metricThrottles(sum), `Lambda ${name} was throttled.`);
    }
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    });
    alarm(
      'ScheduleDeadLetters',
      dlqDepth,
      'The scheduler could not start a billing run; the event is in the dead-letter queue.',
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Billing runs',
        left: [
          sm.metricStarted(sum),
          sm.metricSucceeded(sum),
          sm.metricFailed(sum),
          sm.metricTimedOut(sum),
          sm.metricAborted(sum),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Invoices per run',
        left: [METRIC.invoicesIssued, METRIC.invoicesSkipped, METRIC.invoicesFailed].map(
          (metricName) =>
            new cloudwatch.Metric({
              namespace: props.metricsNamespace,
              metricName,
              dimensionsMap: { service: props.serviceName },
              ...sum,
            }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors',
        left: Object.values(props.functions).map((fn) => fn.metricErrors(sum)),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda duration p99',
        left: Object.values(props.functions).map((fn) =>
          fn.metricDuration({ statistic: 'p99', period: Duration.minutes(5) }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Scheduler dead letters', left: [dlqDepth], width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }
}

const pascal = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_m, _dash: string, letter: string) => letter.toUpperCase());
