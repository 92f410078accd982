/**
 * What support staff do with a document's hosted link: see it, and revoke it (it then opens the
 * "not found" page), optionally giving the document a new link at once. The revocation is kept on
 * the link item (when, who, why). A new link is the next link generation: a different token that
 * resends of the notification state from then on.
 */
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import type { HostedLinkIssuer } from '../hosted-links/issuer.js';
import { FIRST_LINK_GENERATION, linkTokenHash } from '../hosted-links/token.js';
import type { HostedLinkStore } from '../store/hosted-links.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';

export interface HostedLinkAdminDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  links: Pick<HostedLinkStore, 'revoke' | 'advanceGeneration' | 'get'>;
  issuer: HostedLinkIssuer;
  now: () => Date;
}

export class HostedLinkError extends Error {
  override readonly name = 'HostedLinkError';
}

async function issuedRow(deps: HostedLinkAdminDeps, invoiceNumber: string): Promise<InvoiceRow> {
  const rows = await deps.invoices.query({ invoiceNumber });
  const row = rows.find((r) => ISSUED_STATUSES.includes(r.status));
  if (row === undefined)
    throw new HostedLinkError(`${invoiceNumber} is not an issued invoice or credit note`);
  return row;
}

/** The document's current hosted link (its item written if it had none yet). */
export async function hostedLinkOf(deps: HostedLinkAdminDeps, invoiceNumber: string): Promise<string> {
  return deps.issuer.linkFor(await issuedRow(deps, invoiceNumber));
}

/** What a document's current link is: opening, revoked (when, by whom, why), or not made yet. */
export type HostedLinkStatus =
  | { state: 'active'; url: string; generation: number; createdAt: string }
  | { state: 'revoked'; generation: number; revokedAt: string; revokedBy: string; revokedReason: string }
  | { state: 'none'; generation: number };

/** The state of a document's current link, read only (a link is made when first sent). */
export async function hostedLinkStatus(
  deps: HostedLinkAdminDeps,
  invoiceNumber: string,
): Promise<HostedLinkStatus> {
  const row = await issuedRow(deps, invoiceNumber);
  const generation = row.linkGeneration ?? FIRST_LINK_GENERATION;
  const link = await deps.links.get(linkTokenHash(await deps.issuer.tokenFor(invoiceNumber, generation)));
  if (link === undefined) return { state: 'none', generation };
  if (link.revokedAt !== undefined)
    return {
      state: 'revoked',
      generation,
      revokedAt: link.revokedAt,
      revokedBy: link.revokedBy ?? '',
      revokedReason: link.revokedReason ?? '',
    };
  return { state: 'active', url: await deps.issuer.urlOf(row), generation, createdAt: link.createdAt };
}

export interface RevokeResult {
  invoiceNumber: string;
  /** False when the current link was revoked already. */
  revoked: boolean;
  /** The new link, when one was asked for. */
  newUrl?: string;
}

export async function revokeHostedLink(
  deps: HostedLinkAdminDeps,
  request: { invoiceNumber: string; reason: string; by: string; reissue: boolean },
): Promise<RevokeResult> {
  if (request.reason.trim() === '') throw new HostedLinkError('a reason is required to revoke a link');
  const row = await issuedRow(deps, request.invoiceNumber);
  const generation = row.linkGeneration ?? FIRST_LINK_GENERATION;
  const token = await deps.issuer.tokenFor(row.invoiceNumber, generation);
  const revoked = await deps.links.revoke(linkTokenHash(token), {
    at: deps.now().toISOString(),
    by: request.by,
    reason: request.reason.trim(),
  });
  if (!request.reissue) return { invoiceNumber: row.invoiceNumber, revoked };
  const next = await deps.links.advanceGeneration(row.invoiceKey, generation);
  const newUrl = await deps.issuer.linkFor({ ...row, linkGeneration: next });
  return { invoiceNumber: row.invoiceNumber, revoked, newUrl };
}
