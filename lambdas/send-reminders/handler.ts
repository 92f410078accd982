/**
 * SendReminders: the daily payment-reminder job (operations/send-reminders.ts), started by an
 * EventBridge Scheduler schedule in the billing time zone with `{ "scheduledTime": ... }`; a
 * support run by hand passes `{ "date": "YYYY-MM-DD" }`. A function, not a state machine: the
 * job is one scan and a few small writes per invoice that needs a reminder (60 s for 10,000
 * invoices locally), idempotent per (invoice, step), so a timed-out or repeated start simply runs
 * again and finishes the rest. Past some 100,000 open invoices a Distributed Map over the scan's
 * segments would be the next step.
 */
import { requireEnv, ConfigError } from '../shared/config.js';
import { ENV } from '../shared/contracts/env.js';
import { snsCustomerPublisher } from '../shared/aws/customer-topic.js';
import { localDateOf, parseIsoDate } from '../shared/domain/periods.js';
import { reminderStepsOf } from '../shared/domain/receivables.js';
import { InvalidInputError } from '../shared/errors.js';
import { lazyHandler, stepHandler } from '../shared/handler.js';
import {
  sendReminders,
  type ReminderJobDeps,
  type ReminderJobResult,
} from '../shared/operations/send-reminders.js';
import { lambdaHostedLinks, lambdaRuntime } from '../shared/runtime.js';
import type { Observability } from '../shared/handler.js';

export interface SendRemindersEvent {
  /** The schedule's time (ISO 8601): the job runs for that day in the billing time zone. */
  scheduledTime?: string;
  /** A day by hand (`invoicer reminders run --date`). */
  date?: string;
}

export interface SendRemindersDeps extends ReminderJobDeps {
  observability: Observability;
}

/** The day to run for: `date`, else the schedule's day in the billing time zone, else today there. */
export function dayOf(event: SendRemindersEvent, timeZone: string, now: Date): string | undefined {
  if (event.date !== undefined) {
    parseIsoDate(event.date, 'date');
    return event.date;
  }
  if (event.scheduledTime !== undefined) {
    if (Number.isNaN(Date.parse(event.scheduledTime)))
      throw new InvalidInputError(`not a time: ${JSON.stringify(event.scheduledTime)}`, 'scheduledTime');
    return localDateOf(new Date(event.scheduledTime).toISOString(), timeZone);
  }
  return localDateOf(now.toISOString(), timeZone);
}

export function createHandler(
  deps: SendRemindersDeps,
): (event: SendRemindersEvent) => Promise<ReminderJobResult> {
  return stepHandler<SendRemindersEvent, ReminderJobResult>(
    'send-reminders',
    deps.observability,
    () => ({}),
    async (event, { log }) => {
      const date = dayOf(event ?? {}, deps.timeZone, deps.now());
      const result = await sendReminders(deps, date === undefined ? {} : { date });
      log.info('reminders sent', { ...result });
      return result;
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): SendRemindersDeps {
  const runtime = lambdaRuntime(env);
  let steps: readonly number[];
  try {
    steps = reminderStepsOf(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    observability: runtime.observability,
    invoices: runtime.invoices,
    reminders: runtime.reminders,
    hostedLinks: lambdaHostedLinks(env, runtime),
    publish: snsCustomerPublisher(runtime.clients.sns, requireEnv(ENV.customerTopicArn, env)),
    steps,
    timeZone: requireEnv(ENV.billingTimeZone, env),
    now: runtime.now,
  };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
