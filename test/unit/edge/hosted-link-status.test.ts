/**
 * A document's link state as support sees it (operations/hosted-link-admin.ts): read without
 * writing anything, so that the console works in the read-only support role.
 */
import { hostedLinkStatus } from '../../../lambdas/shared/operations/hosted-link-admin.js';
import { hostedLinkIssuer } from '../../../lambdas/shared/hosted-links/issuer.js';
import { linkTokenHash } from '../../../lambdas/shared/hosted-links/token.js';
import type { HostedLink } from '../../../lambdas/shared/store/hosted-links.js';
import type { InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';

const row = {
  invoiceKey: 'cus_1#2026-11',
  invoiceNumber: 'INV-2026-000001',
  customerId: 'cus_1',
  period: '2026-11',
  status: 'NOTIFIED',
} as InvoiceRow;

function deps(stored: Map<string, HostedLink>) {
  const writes: string[] = [];
  const links = {
    create: async () => {
      writes.push('create');
      throw new Error('AccessDenied: the support role may not write');
    },
    get: async (hash: string) => stored.get(hash),
    revoke: async () => false,
    advanceGeneration: async () => 1,
  };
  const issuer = hostedLinkIssuer({
    secret: async () => Buffer.alloc(32, 7),
    publicBaseUrl: 'https://billing.example',
    links,
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
  return {
    writes,
    issuer,
    deps: { invoices: { query: async () => [row] }, links, issuer, now: () => new Date() },
  };
}

describe('hosted link status', () => {
  it('tells active, revoked and not-made-yet links apart and never writes', async () => {
    const stored = new Map<string, HostedLink>();
    const d = deps(stored);
    expect(await hostedLinkStatus(d.deps, row.invoiceNumber)).toEqual({ state: 'none', generation: 1 });
    const hash = linkTokenHash(await d.issuer.tokenFor(row.invoiceNumber, 1));
    const link: HostedLink = {
      tokenHash: hash,
      invoiceNumber: row.invoiceNumber,
      customerId: 'cus_1',
      period: '2026-11',
      generation: 1,
      createdAt: '2026-12-01T08:00:00.000Z',
    };
    stored.set(hash, link);
    const active = await hostedLinkStatus(d.deps, row.invoiceNumber);
    expect(active).toMatchObject({ state: 'active', createdAt: link.createdAt });
    expect(active.state === 'active' && active.url.startsWith('https://billing.example/')).toBe(true);
    stored.set(hash, {
      ...link,
      revokedAt: '2026-12-02T00:00:00.000Z',
      revokedBy: 'ops',
      revokedReason: 'wrong address',
    });
    expect(await hostedLinkStatus(d.deps, row.invoiceNumber)).toMatchObject({
      state: 'revoked',
      revokedReason: 'wrong address',
    });
    expect(d.writes).toEqual([]);
  });
});
