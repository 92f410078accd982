/**
 * Sends an invoice e-mail with Amazon SES v2 (`SendEmail`, simple content with the attachment),
 * from the configured sender, in the configuration set whose events bring bounces and complaints
 * back. SES answers with its message id.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { OutgoingEmail } from '../email/compose.js';

export type SendEmail = (email: OutgoingEmail) => Promise<{ messageId: string }>;

export function sesEmailSender(ses: SESv2Client, from: string, configurationSet?: string): SendEmail {
  return async (email) => {
    const out = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
            Attachments: email.attachments.map((a) => ({
              FileName: a.fileName,
              ContentType: a.contentType,
              RawContent: a.content,
              ContentDisposition: 'ATTACHMENT',
            })),
          },
        },
        EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES SendEmail returned no MessageId');
    return { messageId: out.MessageId };
  };
}
