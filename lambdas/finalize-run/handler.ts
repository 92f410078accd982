/**
 * FinalizeRun: reads the Distributed Map's result files, writes the run summary to S3 and the
 * finished run record to DynamoDB, and hands the ops message to the state machine.
 */
import { documentsBucket, tableNames } from '../shared/config.js';
import { s3Keys } from '../shared/data-model.js';
import { metrics } from '../shared/powertools.js';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getObjectBytes, listKeys, putObject } from '../shared/store/documents.js';
import { finishRunRecord } from '../shared/store/runs.js';
import { voidUnclaimedNumbers } from '../shared/store/invoice-index.js';
import { formatInvoiceNumber, issueDateFor, seriesForIssueDate } from '../shared/domain/index.js';
import { log, stepHandler } from '../shared/handler.js';
import { opsMessage, summarizeRun, type MapResultEntry, type RunSummary } from './summary.js';

const tables = tableNames();
const bucket = documentsBucket();

export interface FinalizeInput {
  run: {
    runId: string;
    period: string;
    resultsPrefix: string;
    customerCount: number;
    mapError?: { Error: string; Cause: string };
  };
}

interface ResultManifest {
  ResultFiles?: Record<string, { Key: string }[]>;
}

async function readEntries(keys: { Key: string }[] | undefined): Promise<MapResultEntry[]> {
  const entries: MapResultEntry[] = [];
  for (const { Key } of keys ?? []) {
    entries.push(...(JSON.parse((await getObjectBytes(bucket, Key)).toString('utf8')) as MapResultEntry[]));
  }
  return entries;
}

export const handler = stepHandler<
  FinalizeInput,
  { summary: RunSummary; opsMessage: string; thresholdExceeded: boolean }
>(
  'finalize-run',
  undefined,
  (input) => ({ runId: input.run.runId }),
  async ({ run }) => {
    // The map writes <prefix>/<mapRunId>/manifest.json; a redriven map writes a newer one.
    const manifests = (await listKeys(bucket, `${run.resultsPrefix}/`)).filter((k) =>
      k.endsWith('/manifest.json'),
    );
    const manifestKey = manifests.sort().at(-1);
    const manifest: ResultManifest = manifestKey
      ? (JSON.parse((await getObjectBytes(bucket, manifestKey)).toString('utf8')) as ResultManifest)
      : {};
    // Numbers taken by reservations that died before claiming them become VOID: no silent gaps.
    const series = seriesForIssueDate(issueDateFor(run.period));
    const voidedUnclaimed = await voidUnclaimedNumbers(
      tables.invoices,
      series,
      (sequence) => formatInvoiceNumber(series, sequence),
      { runId: run.runId, now: new Date().toISOString(), period: run.period },
    );
    if (voidedUnclaimed.length > 0) log().warn('voided unclaimed numbers', { numbers: voidedUnclaimed });
    const summaryKey = s3Keys.runSummary(run.runId);
    const summary = summarizeRun({
      runId: run.runId,
      period: run.period,
      customerCount: run.customerCount,
      succeeded: await readEntries(manifest.ResultFiles?.SUCCEEDED),
      failed: await readEntries(manifest.ResultFiles?.FAILED),
      ...(run.mapError ? { mapError: run.mapError } : {}),
      documentsPrefix: `s3://${bucket}/invoices/${run.period}/`,
      summaryKey: `s3://${bucket}/${summaryKey}`,
      voidedUnclaimedNumbers: voidedUnclaimed,
    });
    await putObject(bucket, summaryKey, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
    await finishRunRecord(tables.runs, run.runId, {
      status: summary.status,
      finishedAt: new Date().toISOString(),
      summaryKey,
      issued: summary.issued,
      skipped: summary.skipped,
      failed: summary.failed,
      failures: summary.failures,
    });
    metrics.addMetric('InvoicesIssued', MetricUnit.Count, summary.issued);
    metrics.addMetric('InvoicesSkipped', MetricUnit.Count, summary.skipped);
    metrics.addMetric('InvoicesFailed', MetricUnit.Count, summary.failed);
    return {
      summary,
      opsMessage: opsMessage(summary),
      thresholdExceeded: run.mapError?.Error === 'States.ExceedToleratedFailureThreshold',
    };
  },
);
