/**
 * Gives an issued document its hosted-invoice link: the token of its current link generation
 * (token.ts), its `LINK#` item written if it is new, and the URL customers are sent. Idempotent:
 * every attempt, resend and retry states the same URL and writes at most one item.
 */
import { hostedInvoiceUrl } from '../contracts/api-paths.js';
import { mapLimited } from '../map-limited.js';
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
  /** `linkFor` of many documents, in order: one batch read, and a write only for links not made yet. */
  linksFor(documents: readonly LinkedDocument[]): Promise<string[]>;
  /** The token of a generation of a document's link (for revoking it), writing nothing. */
  tokenFor(invoiceNumber: string, generation: number): Promise<string>;
  /** The URL of the document's current link, writing nothing (support looking at it). */
  urlOf(document: LinkedDocument): Promise<string>;
}

export interface HostedLinkIssuerDeps {
  /** The deployment's link secret (loaded once, however many links are made). */
  secret: () => Promise<Buffer>;
  /** Where customers open the hosted page: the API's public origin, no trailing slash. */
  publicBaseUrl: string;
  links: Pick<HostedLinkStore, 'create'> & Partial<Pick<HostedLinkStore, 'existing'>>;
  now: () => Date;
}

export function hostedLinkIssuer(deps: HostedLinkIssuerDeps): HostedLinkIssuer {
  const tokenFor = async (invoiceNumber: string, generation: number) =>
    mintLinkToken(await deps.secret(), invoiceNumber, generation);
  const create = (document: LinkedDocument, token: string) =>
    deps.links.create({
      tokenHash: linkTokenHash(token),
      invoiceNumber: document.invoiceNumber,
      customerId: document.customerId,
      period: document.period,
      generation: document.linkGeneration ?? FIRST_LINK_GENERATION,
      createdAt: deps.now().toISOString(),
    });
  const tokenOf = (document: LinkedDocument) =>
    tokenFor(document.invoiceNumber, document.linkGeneration ?? FIRST_LINK_GENERATION);
  return {
    tokenFor,
    urlOf: async (document) => hostedInvoiceUrl(deps.publicBaseUrl, await tokenOf(document)),
    async linkFor(document) {
      const token = await tokenOf(document);
      await create(document, token);
      return hostedInvoiceUrl(deps.publicBaseUrl, token);
    },
    async linksFor(documents) {
      const tokens = await Promise.all(documents.map(tokenOf));
      const existing = deps.links.existing
        ? await deps.links.existing(tokens.map(linkTokenHash))
        : new Set<string>();
      const missing = tokens.flatMap((token, i) => (existing.has(linkTokenHash(token)) ? [] : [i]));
      await mapLimited(missing, 16, (i) => create(documents[i]!, tokens[i]!));
      return tokens.map((token) => hostedInvoiceUrl(deps.publicBaseUrl, token));
    },
  };
}
