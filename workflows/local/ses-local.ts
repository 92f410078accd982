/**
 * Amazon SES v2 on the local stack: aws-ses-v2-local (npm), in-process on a free loopback port;
 * its web page at the endpoint shows what was sent. It keeps mail in memory only, so every e-mail
 * it accepted is mirrored into the data dir (<dataDir>/mail/<time>-<messageId>.json, the PDF
 * beside it), where `invoicer inbox` reads it in any later process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sesLocalModule from 'aws-ses-v2-local';
import type { ReceivedEmail } from './mail-dir.js';

export { readMailDir, type ReceivedEmail } from './mail-dir.js';

/** What aws-ses-v2-local's GET /store answers (the fields read here). */
interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  at: number;
}

export interface LocalSes {
  endpoint: string;
  /** Copies the e-mails accepted since the last call into the mail dir; returns how many. */
  mirror(): Promise<number>;
  stop(): Promise<void>;
}

type StartServer = (config: { host: string; port: number }) => Promise<Server>;
// A CommonJS module with `exports.default`: Node's ESM import gives the exports object.
const startServer: StartServer =
  (sesLocalModule as unknown as { default?: StartServer }).default ??
  (sesLocalModule as unknown as StartServer);

const HOSTED_LINK = /https?:\/\/\S+\/i\/[A-Za-z0-9_-]{22}/;

export async function startLocalSes(mailDir: string): Promise<LocalSes> {
  mkdirSync(mailDir, { recursive: true });
  const server = await startServer({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mirrored = new Set<string>();
  return {
    endpoint,
    async mirror() {
      const response = await fetch(`${endpoint}/store`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      let written = 0;
      for (const email of emails) {
        if (mirrored.has(email.messageId)) continue;
        mirrored.add(email.messageId);
        const base = `${new Date(email.at * 1000).toISOString().replace(/[:.]/g, '-')}-${email.messageId}`;
        const attachments = email.attachments.map((a, i) => {
          const fileName = (a.filename ?? `attachment-${i}`).replace(/[/\\]/g, '_');
          const path = join(mailDir, `${base}-${fileName}`);
          writeFileSync(path, Buffer.from(a.content, 'base64'));
          return { fileName, contentType: a.contentType, size: a.size, path };
        });
        const text = email.body.text ?? '';
        const received: ReceivedEmail = {
          messageId: email.messageId,
          sentAt: new Date(email.at * 1000).toISOString(),
          from: email.from,
          to: email.destination.to,
          subject: email.subject,
          text,
          ...(HOSTED_LINK.exec(text) ? { hostedLink: HOSTED_LINK.exec(text)![0] } : {}),
          attachments,
        };
        writeFileSync(join(mailDir, `${base}.json`), `${JSON.stringify(received, null, 2)}\n`);
        written += 1;
      }
      // The mail dir is the record now: an emptied store keeps the next mirror as small as the
      // mail sent since (mirror runs after each delivery round, the only time SES takes mail).
      if (emails.length > 0) await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      return written;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
