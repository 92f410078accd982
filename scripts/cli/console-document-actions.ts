/**
 * The console's actions on a document (an invoice or a credit note): credit in full or in part,
 * resend its notification, revoke or reissue its hosted link, regenerate or verify its files, void
 * and replace it. Each through the CLI's own operation (./desk-operations.ts), logged.
 */
import { INVOICE_STATUS, ISSUED_STATUSES } from '../../lambdas/shared/contracts/statuses.js';
import { isIssuedInvoice } from '../../lambdas/shared/domain/receivables.js';
import { verifyDocument } from '../../lambdas/shared/operations/verify-documents.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import { OPERATOR_ACTION, resendsIn } from '../../lambdas/shared/store/operator-log.js';
import { documentLink, money, type ActionDef, type DocumentState } from './console-action-kit.js';
import { creditWithLog, regenerateWithLog, replaceWithLog, revokeLinkWithLog } from './desk-operations.js';
import { logAction, resendWithLog } from './operations.js';
import type { Target } from './target.js';

const issued = (r: InvoiceRow) => ISSUED_STATUSES.includes(r.status);
const creditable = (r: InvoiceRow) =>
  isIssuedInvoice(r) && r.replacedAt === undefined && (r.creditedMinor ?? 0) < r.totalMinor;

export function documentActions(target: Target): ActionDef<DocumentState>[] {
  const s = target.session;
  return [
    {
      id: 'credit',
      label: 'Credit (issue a credit note)',
      fields: ({ row }) =>
        creditable(row)
          ? [
              {
                name: 'amount',
                label: `Amount to credit, gross (${row.currency})`,
                kind: 'amount',
                hint: `Empty: all that is left, ${money(row.totalMinor - (row.creditedMinor ?? 0), row.currency)}`,
              },
            ]
          : undefined,
      async preview({ row, email }, v) {
        const p = await s.previewCredit({
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          ...(v.amount ? { amount: v.amount } : {}),
        });
        return {
          title: `Credit ${row.invoiceNumber}`,
          lines: [
            `A credit note of ${money(p.totalMinor, p.currency)} (net ${money(p.subtotalMinor, p.currency)}, tax ${money(p.taxTotalMinor, p.currency)}) with its own number, PDF and JSON.`,
            `Credited on ${row.invoiceNumber} before: ${money(p.creditedBeforeMinor, p.currency)} of ${money(p.invoiceTotalMinor, p.currency)}; left to credit after: ${money(p.leftAfterMinor, p.currency)}.`,
            `The customer is notified at ${email || 'its e-mail address'}; the reason is printed on the credit note.`,
          ],
          confirmLabel: `Issue the credit note of ${money(p.totalMinor, p.currency)}`,
        };
      },
      async execute({ row }, v) {
        const done = await creditWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          ...(v.amount ? { amount: v.amount } : {}),
          via: 'console',
        });
        const cn = done.creditNote;
        return {
          lines: [
            `${done.repeated ? 'Found the credit note this request made before' : 'Issued credit note'} ${cn.invoiceNumber}: ${money(cn.totalMinor, cn.currency)}, the customer notified.`,
          ],
          next: documentLink(cn.invoiceNumber),
        };
      },
    },
    {
      id: 'resend',
      label: 'Resend the notification',
      fields: ({ row }) => (row.status === INVOICE_STATUS.notified ? [] : undefined),
      async preview({ row, email }) {
        const earlier = resendsIn(
          await s.operatorLog.entries({ kind: 'invoice', invoiceNumber: row.invoiceNumber }),
        );
        return {
          title: `Resend ${row.invoiceNumber}`,
          lines: [
            `Sends the notification of ${row.invoiceNumber} again to ${email || 'the customer'} (resend ${earlier + 1}): a new event, and an e-mail in the customer's language with its PDF and current link.`,
          ],
          confirmLabel: 'Resend',
        };
      },
      async execute({ row }, v) {
        const sent = await resendWithLog(s, row.invoiceNumber, v.reason!);
        return { lines: [`Resent (resend ${sent.resend}, event ${sent.eventId}).`] };
      },
    },
    {
      id: 'revoke-link',
      label: 'Revoke the hosted link',
      weighty: true,
      fields: ({ link }) =>
        link?.state === 'active'
          ? [{ name: 'reissue', label: 'Give the document a new link at once', kind: 'checkbox' }]
          : undefined,
      async preview({ row }, v) {
        return {
          title: `Revoke the link of ${row.invoiceNumber}`,
          lines: [
            'The link the customer has stops working at once: its page says "not found".',
            v.reissue === 'yes'
              ? 'A new link is made; a resend states it.'
              : 'No new link until you reissue one.',
          ],
          confirmLabel: 'Revoke the link',
        };
      },
      async execute({ row }, v) {
        const done = await revokeLinkWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          reissue: v.reissue === 'yes',
          via: 'console',
        });
        return {
          lines: [
            `The link of ${row.invoiceNumber} is ${done.revoked ? 'revoked' : 'was revoked already'}.`,
            ...(done.newUrl ? [`New link: ${done.newUrl}`] : []),
          ],
        };
      },
    },
    {
      id: 'reissue-link',
      label: 'Give it a new hosted link',
      fields: ({ link }) => (link?.state === 'revoked' ? [] : undefined),
      async preview({ row }) {
        return {
          title: `A new link for ${row.invoiceNumber}`,
          lines: ['A new link is made (the revoked one stays dead); resend the notification to send it.'],
          confirmLabel: 'Make a new link',
        };
      },
      async execute({ row }, v) {
        const done = await revokeLinkWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          reissue: true,
          via: 'console',
        });
        return { lines: [`New link: ${done.newUrl ?? ''}`] };
      },
    },
    {
      id: 'regenerate',
      label: 'Regenerate the files',
      fields: ({ row }) => (issued(row) ? [] : undefined),
      async preview({ row }) {
        return {
          title: `Regenerate ${row.invoiceNumber}`,
          lines: [
            "Renders the document's files again from its canonical JSON: identical files stay, missing ones are restored byte for byte.",
            'Nothing is written if the renderer no longer gives the stored bytes (an error says which file).',
          ],
          confirmLabel: 'Regenerate',
        };
      },
      async execute({ row }, v) {
        const done = await regenerateWithLog(s, {
          invoiceNumber: row.invoiceNumber,
          reason: v.reason!,
          via: 'console',
        });
        return { lines: Object.entries(done.documents).map(([key, state]) => `${state}: ${key}`) };
      },
    },
    {
      id: 'verify',
      label: 'Verify the files',
      fields: ({ row }) => (issued(row) ? [] : undefined),
      async preview({ row }) {
        return {
          title: `Verify ${row.invoiceNumber}`,
          lines: ['Reads each file of the document and compares it with the SHA-256 recorded at issue.'],
          confirmLabel: 'Verify',
        };
      },
      async execute({ row }, v) {
        const check = await verifyDocument(s.stores.documents, row);
        const clean = check.recorded && check.files.every((f) => f.state === 'ok');
        await logAction(s, {
          action: OPERATOR_ACTION.verify,
          reason: v.reason!,
          subject: { kind: 'invoice', invoiceNumber: row.invoiceNumber },
          details: {
            via: 'console',
            clean,
            files: Object.fromEntries(check.files.map((f) => [f.kind, f.state])),
          },
        });
        return {
          lines: check.recorded
            ? [
                clean ? 'Every file is the one issued.' : 'Some files are not the ones issued:',
                ...check.files.map((f) => `${f.state}: ${f.key}`),
              ]
            : ['No hashes were recorded at issue for this document: run invoicer invoices record-hashes.'],
        };
      },
    },
  ];
}

/** Void and replace: last on the page, as it undoes the most. */
export function replaceAction(target: Target): ActionDef<DocumentState> {
  return {
    id: 'replace',
    label: 'Void and replace',
    weighty: true,
    fields: ({ row }) => (isIssuedInvoice(row) && row.replacedAt === undefined ? [] : undefined),
    async preview({ row }) {
      const left = row.totalMinor - (row.creditedMinor ?? 0);
      return {
        title: `Void and replace ${row.invoiceNumber}`,
        lines: [
          left > 0
            ? `A credit note of what is left, ${money(left, row.currency)}, notified to the customer.`
            : 'No credit note: earlier credit notes credited all of it.',
          `${row.invoiceNumber} is set aside, and period ${row.period} is run again for ${row.customerId}: a new invoice with a new number, from the records as they are now.`,
        ],
        confirmLabel: 'Void and replace',
      };
    },
    async execute({ row }, v) {
      const done = await replaceWithLog(target, {
        invoiceNumber: row.invoiceNumber,
        reason: v.reason!,
        via: 'console',
      });
      return {
        lines: [
          ...(done.creditNote ? [`Credit note ${done.creditNote.creditNote.invoiceNumber} issued.`] : []),
          done.replacement
            ? `Replaced by ${done.replacement.invoiceNumber} (${done.replacement.status}) in run ${done.run.runId}.`
            : `No replacement issued: see run ${done.run.runId}.`,
        ],
        next: done.replacement
          ? documentLink(done.replacement.invoiceNumber)
          : {
              href: `/console/runs/${encodeURIComponent(done.run.runId)}`,
              label: `Open run ${done.run.runId}`,
            },
      };
    },
  };
}
