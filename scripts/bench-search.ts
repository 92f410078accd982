/**
 * `npm run bench:search -- [--customers N] [--queries Q] [--json FILE]`: the console's search box
 * (lambdas/shared/operations/search.ts) on a fresh local stack with N customers (names in Latin,
 * Polish, Nordic, German and Japanese scripts; their search keys written as the import writes
 * them). Q searches as support staff type them — a fragment of a name (any case, accents or not),
 * two fragments, an e-mail prefix, a customer id, an invoice number, an RF reference — each timed
 * alone, one after the other (the console answers one person at a time). Prints p50, p95, p99 and
 * the slowest, per kind and overall; `--json FILE` also writes them. The aim: p95 under 200 ms.
 */
import { writeFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Command } from 'commander';
import { creditorReference } from '../lambdas/shared/documents/payment.js';
import { foldText } from '../lambdas/shared/domain/search-key.js';
import { mapLimited } from '../lambdas/shared/map-limited.js';
import { search } from '../lambdas/shared/operations/search.js';
import { dynamoRecordWriter } from '../lambdas/shared/store/record-writer.js';
import { indexCustomers } from '../lambdas/shared/store/search.js';
import type { LocalSession } from '../workflows/local/harness/session.js';
import { percentile } from '../workflows/local/instrumentation.js';
import { withFreshSession } from './bench/fresh-session.js';
import { table } from './cli/format.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';

const opts = new Command('bench-search')
  .option('--customers <n>', 'customers in the tables', integerOption(10, 200_000), 10_000)
  .option('--queries <q>', 'searches timed', integerOption(10, 100_000), 1_000)
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{ customers: number; queries: number; json?: string }>();

const SURNAMES = [
  'Müller',
  'Łukasiewicz',
  'Søndergaard',
  'Élodie',
  'Dvořák',
  'Åkerlund',
  'Schröder',
  'Niño',
  'Keller',
  'Weiß',
  'Nowak',
  'Lindqvist',
  'Fontaine',
  'García',
  'Rossi',
  'Jansen',
  'Kowalczyk',
  'Hansen',
  'Bauer',
  'Novák',
];
const NOUNS = [
  'Logistics',
  'Analytics',
  'Robotics',
  'Consulting',
  'Präzision',
  'Digital',
  'Widgets',
  'Cloud',
  'Brasserie',
  'Textil',
  'Energie',
  'Software',
  'Medien',
  'Bau',
  'Transport',
  'Optik',
];
const SUFFIXES = ['GmbH', 'AG', 'Sp. z o.o.', 'AS', 'SARL', 'S.L.', 'AB', 'Inc.'];
const JAPANESE = ['株式会社サンプル', 'オオカミ合同会社', '東京精密株式会社', '大阪物流株式会社'];

const customerId = (i: number) => `cus_${String(i + 1).padStart(6, '0')}`;
const nameOf = (i: number): string =>
  i % 25 === 0
    ? `${JAPANESE[(i / 25) % JAPANESE.length]}${i}`
    : `${SURNAMES[i % SURNAMES.length]} ${NOUNS[(i * 7) % NOUNS.length]} ${SUFFIXES[(i * 3) % SUFFIXES.length]} ${i}`;
const emailOf = (i: number) => `billing.${i}@${foldText(NOUNS[i % NOUNS.length]!)}.example`;

/** A deterministic stream of numbers in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Kind =
  'name fragment' | 'two fragments' | 'e-mail prefix' | 'customer id' | 'invoice number' | 'RF reference';

function queryOf(random: () => number, n: number): { kind: Kind; text: string } {
  const i = Math.floor(random() * n);
  const words = nameOf(i).split(' ');
  const word = words[Math.floor(random() * Math.min(words.length, 2))]!;
  const fragment = (w: string) => w.slice(0, 3 + Math.floor(random() * 4));
  const roll = random();
  if (roll < 0.4) {
    const f = fragment(word);
    return { kind: 'name fragment', text: random() < 0.5 ? f.toUpperCase() : foldText(f) };
  }
  if (roll < 0.6)
    return { kind: 'two fragments', text: `${fragment(words[0]!)} ${fragment(words[1] ?? '')}` };
  if (roll < 0.75) return { kind: 'e-mail prefix', text: emailOf(i).slice(0, emailOf(i).indexOf('@') + 3) };
  if (roll < 0.88) return { kind: 'customer id', text: customerId(i) };
  const number = `INV-2026-${String(i + 1).padStart(6, '0')}`;
  return roll < 0.95
    ? { kind: 'invoice number', text: number }
    : { kind: 'RF reference', text: creditorReference(number) };
}

async function seed(session: LocalSession, n: number): Promise<number> {
  const customers = Array.from({ length: n }, (_, i) => ({
    customerId: customerId(i),
    legalName: nameOf(i),
    email: emailOf(i),
    status: 'active',
  }));
  const writer = dynamoRecordWriter(session.clients.dynamodb);
  const chunks = Array.from({ length: Math.ceil(n / 100) }, (_, k) =>
    customers.slice(k * 100, (k + 1) * 100),
  );
  let keys = 0;
  await mapLimited(chunks, 4, async (chunk) => {
    for (let i = 0; i < chunk.length; i += 25)
      await session.clients.dynamodb.send(
        new BatchWriteCommand({
          RequestItems: {
            [session.storage.tables.customers]: chunk
              .slice(i, i + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    const written = await indexCustomers(
      writer,
      session.storage.tables.search,
      chunk.map((c) => ({ customerId: c.customerId, after: c })),
    );
    keys += written.written;
  });
  return keys;
}

const round = (ms: number) => Number(ms.toFixed(1));
const summary = (times: number[]) => {
  const ms = [...times].sort((a, b) => a - b);
  return {
    searches: ms.length,
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(ms.at(-1) ?? 0),
  };
};

const figures = await withFreshSession('bench-search', async (session) => {
  const started = performance.now();
  const keys = await seed(session, opts.customers);
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
  const deps = { invoices: session.stores.invoices, search: session.stores.search };
  const random = prng(26);
  for (let w = 0; w < 20; w++) await search(deps, queryOf(random, opts.customers).text); // warm-up
  const byKind = new Map<Kind, number[]>();
  let found = 0;
  for (let q = 0; q < opts.queries; q++) {
    const { kind, text } = queryOf(random, opts.customers);
    const t = performance.now();
    const results = await search(deps, text);
    const ms = performance.now() - t;
    if (results.customers.length > 0) found++;
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  }
  const all = [...byKind.values()].flat();
  return {
    customers: opts.customers,
    searchKeys: keys,
    seedSeconds,
    withCustomers: found,
    overall: summary(all),
    byKind: Object.fromEntries([...byKind].map(([kind, ms]) => [kind, summary(ms)])),
  };
});

if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
print(false, figures, () =>
  [
    `${figures.customers} customers, ${figures.searchKeys} search keys (written in ${figures.seedSeconds} s); ${figures.overall.searches} searches, ${figures.withCustomers} found customers`,
    table(
      ['query', 'searches', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [['all', figures.overall] as const, ...Object.entries(figures.byKind)].map(([kind, s]) => [
        kind,
        String(s.searches),
        String(s.p50Ms),
        String(s.p95Ms),
        String(s.p99Ms),
        String(s.maxMs),
      ]),
    ),
  ].join('\n'),
);
