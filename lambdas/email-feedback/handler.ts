/**
 * EmailFeedback: SES's events for invoice e-mails (its configuration set publishes bounces,
 * complaints and deliveries to an SNS topic this function subscribes to), recorded on the e-mail
 * delivery the message tags name (`EMAIL#<eventId>`): a bounce or complaint becomes its status,
 * with SES's type, for support to see. Events of other mail, or without the tag, are ignored.
 */
import { EMAIL_TAG } from '../shared/contracts/events.js';
import { METRIC } from '../shared/contracts/metrics.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { EmailDeliveryStore, EmailFeedback } from '../shared/store/email-deliveries.js';

/** The parts of an SNS event this function reads. */
export interface SnsEvent {
  Records: { Sns: { Message: string } }[];
}

/** SES event publishing's JSON (the fields read here). */
interface SesEvent {
  eventType?: string;
  mail?: { messageId?: string; tags?: Record<string, string[]> };
  bounce?: { bounceType?: string; bounceSubType?: string; timestamp?: string };
  complaint?: { complaintFeedbackType?: string; timestamp?: string };
  delivery?: { timestamp?: string };
}

export interface EmailFeedbackDeps {
  observability: Observability;
  deliveries: Pick<EmailDeliveryStore, 'recordFeedback'>;
  now: () => Date;
}

/** The feedback an SES event states, or undefined for events not recorded. */
export function feedbackOf(ses: SesEvent, now: Date): EmailFeedback | undefined {
  const at = (timestamp: string | undefined) => timestamp ?? now.toISOString();
  switch (ses.eventType) {
    case 'Bounce':
      return {
        type: 'bounce',
        at: at(ses.bounce?.timestamp),
        detail: [ses.bounce?.bounceType, ses.bounce?.bounceSubType].filter(Boolean).join('/') || 'bounce',
      };
    case 'Complaint':
      return {
        type: 'complaint',
        at: at(ses.complaint?.timestamp),
        detail: ses.complaint?.complaintFeedbackType ?? 'complaint',
      };
    case 'Delivery':
      return { type: 'delivery', at: at(ses.delivery?.timestamp), detail: 'delivered' };
    default:
      return undefined;
  }
}

export function createHandler(deps: EmailFeedbackDeps): (event: SnsEvent) => Promise<void> {
  return stepHandler<SnsEvent, void>(
    'email-feedback',
    deps.observability,
    () => ({}),
    async ({ Records }, { log }) => {
      for (const record of Records) {
        let ses: SesEvent;
        try {
          ses = JSON.parse(record.Sns.Message) as SesEvent;
        } catch {
          log.warn('SES feedback that is not JSON ignored');
          continue;
        }
        const eventId = ses.mail?.tags?.[EMAIL_TAG.eventId]?.[0];
        const feedback = feedbackOf(ses, deps.now());
        if (eventId === undefined || feedback === undefined) continue;
        const recorded = await deps.deliveries.recordFeedback(eventId, feedback);
        if (!recorded) log.warn('SES feedback for an unknown delivery', { eventId, type: feedback.type });
        else if (feedback.type === 'bounce') deps.observability.metrics.count(METRIC.emailsBounced, 1);
        else if (feedback.type === 'complaint') deps.observability.metrics.count(METRIC.emailsComplained, 1);
        log.info('SES feedback recorded', { eventId, type: feedback.type, detail: feedback.detail });
      }
    },
  );
}

export const fromEnv = (env: NodeJS.ProcessEnv = process.env): EmailFeedbackDeps => lambdaRuntime(env);

export const handler = lazyHandler(() => createHandler(fromEnv()));
