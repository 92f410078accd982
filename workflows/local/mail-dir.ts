/**
 * The e-mails local SES accepted, as mirrored into <dataDir>/mail (see ses-local.ts); read by
 * `invoicer inbox` in any later process, without loading the SES emulator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An e-mail as a customer received it (what `invoicer inbox` shows). */
export interface ReceivedEmail {
  messageId: string;
  sentAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The hosted invoice link the e-mail carries, if any. */
  hostedLink?: string;
  attachments: { fileName: string; contentType: string; size: number; path: string }[];
}

/** The e-mails mirrored into a mail dir, oldest first. */
export function readMailDir(mailDir: string): ReceivedEmail[] {
  let files: string[];
  try {
    files = readdirSync(mailDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((f) => JSON.parse(readFileSync(join(mailDir, f), 'utf8')) as ReceivedEmail);
}
