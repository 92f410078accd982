/**
 * Report SQL on a deployed stack: Athena in the stack's workgroup (which enforces its result
 * location, encryption and bytes-scanned cutoff) over the Glue tables of its database, whose
 * partitions are projected (no crawler). Polls until the query ends; a query the cutoff stopped
 * is reported as such.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { ReportQueryError, type QueryRequest, type QueryResult, type QueryTarget } from './query-target.js';

export interface AthenaSettings {
  database: string;
  workGroup: string;
  /** Waits between polls: ms for attempt n (tests pass 0). */
  pollDelayMs?: (attempt: number) => number;
  /** Gives up after this many polls. */
  maxPolls?: number;
}

const defaultDelay = (attempt: number): number => Math.min(250 * 2 ** attempt, 2000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Athena's words when the workgroup's BytesScannedCutoffPerQuery stopped a query. */
const CUTOFF = /bytes scanned limit|BytesScannedCutoffPerQuery|exceeded the data usage limit/i;

function failure(execution: QueryExecution | undefined, workGroup: string): ReportQueryError {
  const status = execution?.Status;
  const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'no reason given';
  if (CUTOFF.test(reason))
    return new ReportQueryError(
      `the query stopped at workgroup ${workGroup}'s bytes-scanned cutoff per query (${reason}); narrow the period or raise the cutoff (deploy.md: analyticsBytesScannedCutoffMb)`,
    );
  return new ReportQueryError(
    `Athena query ${execution?.QueryExecutionId ?? ''} ${status?.State ?? 'failed'}: ${reason}`,
  );
}

export function athenaTarget(
  athena: Pick<AthenaClient, 'send'> & { destroy?: () => void },
  settings: AthenaSettings,
): QueryTarget {
  const delay = settings.pollDelayMs ?? defaultDelay;
  const maxPolls = settings.maxPolls ?? 600;
  return {
    engine: 'athena',
    async query(request: QueryRequest): Promise<QueryResult & { bytesScanned?: number }> {
      const started = await athena.send(
        new StartQueryExecutionCommand({
          QueryString: request.sql,
          WorkGroup: settings.workGroup,
          QueryExecutionContext: { Database: settings.database },
        }),
      );
      const id = started.QueryExecutionId;
      if (!id) throw new ReportQueryError('Athena started no query (no QueryExecutionId)');
      let execution: QueryExecution | undefined;
      for (let attempt = 0; ; attempt++) {
        execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })))
          .QueryExecution;
        const state = execution?.Status?.State;
        if (state === 'SUCCEEDED') break;
        if (state === 'FAILED' || state === 'CANCELLED') throw failure(execution, settings.workGroup);
        if (attempt >= maxPolls)
          throw new ReportQueryError(`Athena query ${id} still ${state} after ${maxPolls} polls`);
        await sleep(delay(attempt));
      }
      const columns: string[] = [];
      const rows: (string | null)[][] = [];
      let token: string | undefined;
      let first = true;
      do {
        const page = await athena.send(
          new GetQueryResultsCommand({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}) }),
        );
        if (first)
          columns.push(...(page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? ''));
        const data = (page.ResultSet?.Rows ?? []).map((r) =>
          (r.Data ?? []).map((d) => d.VarCharValue ?? null),
        );
        // The first row of the first page repeats the column names.
        rows.push(...(first ? data.slice(1) : data));
        first = false;
        token = page.NextToken;
      } while (token);
      const scanned = execution?.Statistics?.DataScannedInBytes;
      return { columns, rows, ...(scanned === undefined ? {} : { bytesScanned: scanned }) };
    },
    close: async () => athena.destroy?.(),
  };
}
