/**
 * `invoicer search TEXT`: what the console's search box finds (lambdas/shared/operations/search.ts)
 * — a customer by id or a fragment of its name or e-mail, a document by number or RF reference, a
 * payment or unmatched bank credit by the payer's reference. `--reindex` writes the search keys of
 * every stored customer (records that reached the table around `invoicer import`).
 */
import { Command } from 'commander';
import { search, type SearchResults } from '../../lambdas/shared/operations/search.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { formatInvoices } from './format.js';
import { formatPayment, formatUnmatched } from './payments.js';
import { print } from './output.js';
import { withSession } from './target.js';

export function formatSearch(r: SearchResults): string {
  const found = r.customers.length + r.documents.length + r.payments.length + r.unmatched.length;
  if (found === 0) return `nothing found for "${r.query}"`;
  return [
    ...(r.customers.length
      ? [
          'customers:',
          ...r.customers.map((c) => `  ${c.customerId}  ${c.legalName}  <${c.email}>  ${c.status}`),
          ...(r.moreCustomers ? ['  (more match: type more of the name)'] : []),
        ]
      : []),
    ...(r.documents.length ? ['documents:', formatInvoices(r.documents)] : []),
    ...(r.payments.length ? ['payments:', ...r.payments.map((p) => `  ${formatPayment(p)}`)] : []),
    ...(r.unmatched.length
      ? ['unmatched bank credits:', ...r.unmatched.map((c) => `  ${formatUnmatched(c)}`)]
      : []),
  ].join('\n');
}

export function searchCommand(): Command {
  return new Command('search')
    .description(
      'find a customer (id, or a fragment of its name or e-mail), an invoice or credit note (number, RF reference), a payment (its reference)',
    )
    .argument('[text...]', 'what to look for, e.g. "müller", anna@, INV-2026-000001, RF46INV2026000101')
    .option(
      '--reindex',
      "write every stored customer's search keys (after records were written around the import)",
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option(
      '--json',
      'print one JSON object: {query, customers, documents, payments, unmatched, moreCustomers}',
    )
    .action(async (words: string[], opts) => {
      if (opts.reindex) {
        const indexed = await withSession(opts, (s) => s.stores.search.reindex());
        print(opts.json, { indexed }, () => `search keys written for ${indexed} customers`);
        return;
      }
      const results = await withSession(opts, (s) =>
        search({ invoices: s.stores.invoices, search: s.stores.search }, words.join(' ')),
      );
      print(opts.json, results, () => formatSearch(results));
    });
}
