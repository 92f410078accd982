/**
 * Gives an issued document its hosted-invoice link: the token of its current link generation
 * (token.ts), its `LINK#` item written if it is new, and the URL customers are sent. Idempotent:
 * every attempt, resend and retry states the same URL and writes at most one item.
 */
import { hostedInvoiceUrl } from '../contracts/api-paths.js';
import type { HostedLinkStore } from '../store/hosted-links.js';
import { FIRST_LINK_GENERATION, linkTokenHash, mintLinkToken } from './token.js';

/** The document a link opens, as its index row names it. */
export interface LinkedDocument {
  invoiceNumber: string;
  customerId: string;
  period: string;
  /** The row's current link generation (absent: the first). */
  linkGeneration?: number;
}

export interface HostedLinkIssuer {
  /** The URL of the document's hosted page; its link item exists once this resolves. */
  linkFor(document: LinkedDocument): Promise<string>;
  /** The token of a generation of a document's link (for revoking it), writing nothing. */
  tokenFor(invoiceNumber: string, generation: number): Promise<string>;
}

export interface HostedLinkIssuerDeps {
  /** The deployment's link secret (loaded once, however many links are made). */
  secret: () => Promise<Buffer>;
  /** Where customers open the hosted page: the API's public origin, no trailing slash. */
  publicBaseUrl: string;
  links: Pick<HostedLinkStore, 'create'>;
  now: () => Date;
}

export function hostedLinkIssuer(deps: HostedLinkIssuerDeps): HostedLinkIssuer {
  const tokenFor = async (invoiceNumber: string, generation: number) =>
    mintLinkToken(await deps.secret(), invoiceNumber, generation);
  return {
    tokenFor,
    async linkFor(document) {
      const generation = document.linkGeneration ?? FIRST_LINK_GENERATION;
      const token = await tokenFor(document.invoiceNumber, generation);
      await deps.links.create({
        tokenHash: linkTokenHash(token),
        invoiceNumber: document.invoiceNumber,
        customerId: document.customerId,
        period: document.period,
        generation,
        createdAt: deps.now().toISOString(),
      });
      return hostedInvoiceUrl(deps.publicBaseUrl, token);
    },
  };
}
