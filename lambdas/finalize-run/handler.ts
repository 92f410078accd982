/**
 * FinalizeRun: streams the Distributed Map's result files line by line (memory flat in the number
 * of customers), lists every issued invoice and every failure as JSON Lines parts, keeps numbers
 * taken but never claimed as VOID, appends the period's audit manifests to their series' chains,
 * rebuilds the period's analytics files (operations/rebuild-analytics.ts), writes the run summary
 * to S3 and the finished run record to DynamoDB, and hands the ops message
 * to the state machine.
 */
import { EdgeInputError } from '../shared/edge/edge-error.js';
import { parseStoredJson } from '../shared/edge/safe-json.js';
import { s3Keys } from '../shared/contracts/keys.js';
import { METRIC } from '../shared/contracts/metrics.js';
import type { FinalizeInput, FinalizeOutput } from '../shared/contracts/payloads.js';
import { billingSeriesOf } from '../shared/domain/index.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';
import { jsonlParts } from '../shared/store/jsonl-parts.js';
import type { NumberSeries } from '../shared/store/number-series.js';
import type { AuditChainStore } from '../shared/store/audit-chain.js';
import type { InvoiceIndex } from '../shared/store/invoice-index.js';
import { writeAuditManifests } from '../shared/operations/audit-manifests.js';
import type { RunStore } from '../shared/store/runs.js';
import type { ExchangeRateStore } from '../shared/store/exchange-rates.js';
import { rebuildPeriodAnalytics, writeRunAnalytics } from '../shared/operations/rebuild-analytics.js';
import { opsMessage, RunTally, thresholdExceeded, type MapResultEntry } from './summary.js';

/** FinalizeRun's time for the analytics rebuild (its timeout is 15 minutes; the rest is quick). */
const REBUILD_BUDGET_MS = 10 * 60 * 1000;

export interface FinalizeDeps {
  observability: Observability;
  documents: Pick<DocumentStore, 'bucket' | 'list' | 'getBytes' | 'lines' | 'put' | 'find' | 'delete'>;
  invoices: Pick<InvoiceIndex, 'query'>;
  exchangeRates: ExchangeRateStore;
  auditChain: AuditChainStore;
  numbers: Pick<NumberSeries, 'voidUnclaimedNumbers'>;
  runs: Pick<RunStore, 'finishRecord' | 'getRecord'>;
  now: () => Date;
}

interface ResultManifest {
  ResultFiles?: Record<string, { Key: string }[]>;
}

export function createHandler(deps: FinalizeDeps): (input: FinalizeInput) => Promise<FinalizeOutput> {
  const { documents } = deps;
  const readJson = async <T>(key: string): Promise<T> =>
    parseStoredJson(await documents.getBytes(key), key) as T;
  /** Each line of the result files (JSON Lines), parsed; a line that is not JSON names its file. */
  const forEachLine = async (
    files: { Key: string }[] | undefined,
    visit: (value: unknown) => Promise<void>,
  ): Promise<void> => {
    for (const { Key } of files ?? []) {
      let lineNumber = 0;
      for await (const line of documents.lines(Key)) {
        lineNumber++;
        let value: unknown;
        try {
          value = parseStoredJson(line, Key);
        } catch (error) {
          if (!(error instanceof EdgeInputError)) throw error;
          throw new Error(`result file s3://${documents.bucket}/${Key} line ${lineNumber} ${error.reason}`, {
            cause: error,
          });
        }
        await visit(value);
      }
    }
  };

  return stepHandler<FinalizeInput, FinalizeOutput>(
    'finalize-run',
    deps.observability,
    (input) => ({ runId: input.run.runId }),
    async ({ run }, { log }) => {
      // The map writes <prefix>/<mapRunId>/manifest.json; a redriven map writes a newer one.
      const manifestKey = (await documents.list(`${run.resultsPrefix}/`))
        .filter((k) => k.endsWith('/manifest.json'))
        .sort()
        .at(-1);
      const manifest = manifestKey ? await readJson<ResultManifest>(manifestKey) : {};
      // Numbers taken by reservations that died before claiming them become VOID: no silent gaps.
      const { series, numberFor } = billingSeriesOf(run.issueDate);
      const voidedUnclaimed = await deps.numbers.voidUnclaimedNumbers(series, numberFor, {
        runId: run.runId,
        now: deps.now().toISOString(),
        period: run.period,
      });
      if (voidedUnclaimed.length > 0) log.warn('voided unclaimed numbers', { numbers: voidedUnclaimed });
      // The auditor's manifests of the period, with every number now final (VOIDs included).
      const audit = await writeAuditManifests(deps, run.period, `run ${run.runId}`);
      const summaryKey = s3Keys.runSummary(run.runId);
      const issuedPrefix = s3Keys.runIssuedPrefix(run.runId);
      const failuresPrefix = s3Keys.runFailuresPrefix(run.runId);
      const issuedParts = jsonlParts(documents, issuedPrefix);
      const failureParts = jsonlParts(documents, failuresPrefix);
      const tally = new RunTally({ issued: issuedParts.add, failure: failureParts.add });
      await forEachLine(manifest.ResultFiles?.SUCCEEDED, (value) => tally.outcome(value));
      await forEachLine(manifest.ResultFiles?.FAILED, (value) => tally.failedBatch(value as MapResultEntry));
      await issuedParts.close();
      await failureParts.close();
      const summary = tally.summary({
        runId: run.runId,
        period: run.period,
        issueDate: run.issueDate,
        notices: run.notices ?? [],
        customerCount: run.customerCount,
        ...(run.mapError ? { mapError: run.mapError } : {}),
        ...(run.toleratedFailurePercentage !== undefined
          ? { toleratedFailurePercentage: run.toleratedFailurePercentage }
          : {}),
        documentsPrefix: `s3://${documents.bucket}/${s3Keys.invoicesOfPeriod(run.period)}`,
        summaryKey: `s3://${documents.bucket}/${summaryKey}`,
        issuedInvoicesPrefix: `s3://${documents.bucket}/${issuedPrefix}`,
        failuresPrefix: `s3://${documents.bucket}/${failuresPrefix}`,
        voidedUnclaimedNumbers: voidedUnclaimed,
      });
      summary.auditManifests = audit.map((m) => `s3://${documents.bucket}/${m.key}`);
      // The period's analytics, rebuilt whole from its issued documents (idempotent on any repeat).
      // A document that cannot be read is the integrity check's to report: the run still finishes,
      // and its summary says how to rebuild once it is resolved.
      try {
        const started = deps.now().getTime();
        const analytics = await rebuildPeriodAnalytics(deps, run.period, {
          deadline: () => deps.now().getTime() - started > REBUILD_BUDGET_MS,
        });
        log.info('analytics rebuilt', { invoices: analytics.invoices, files: analytics.files.length });
      } catch (error) {
        log.error('analytics not rebuilt', { error });
        summary.notices.push(
          `analytics of ${run.period} not rebuilt (${(error as Error).message}); after fixing: invoicer report rebuild --period ${run.period}`,
        );
      }
      await documents.put(summaryKey, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
      const finishedAt = deps.now().toISOString();
      const startedAt = (await deps.runs.getRecord(run.runId))?.startedAt;
      await writeRunAnalytics(documents, {
        runId: run.runId,
        period: run.period,
        status: summary.status,
        ...(startedAt === undefined ? {} : { startedAt }),
        finishedAt,
        customers: summary.customers,
        issued: summary.issued,
        skipped: summary.skipped,
        failed: summary.failed,
        notProcessed: summary.notProcessed,
      });
      await deps.runs.finishRecord(run.runId, {
        status: summary.status,
        finishedAt,
        summaryKey,
        issued: summary.issued,
        skipped: summary.skipped,
        failed: summary.failed,
        failures: summary.failures,
      });
      deps.observability.metrics.count(METRIC.invoicesIssued, summary.issued);
      deps.observability.metrics.count(METRIC.invoicesSkipped, summary.skipped);
      deps.observability.metrics.count(METRIC.invoicesFailed, summary.failed);
      return {
        summary,
        opsMessage: opsMessage(summary),
        thresholdExceeded:
          run.mapError?.Error === 'States.ExceedToleratedFailureThreshold' ||
          thresholdExceeded(summary.failed, summary.customers, run.toleratedFailurePercentage),
      };
    },
  );
}

export const fromEnv = (env: NodeJS.ProcessEnv = process.env): FinalizeDeps => lambdaRuntime(env);

export const handler = lazyHandler(() => createHandler(fromEnv()));
