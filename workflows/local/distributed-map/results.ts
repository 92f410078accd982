/**
 * The Distributed Map's ResultWriter, written as children finish so no run is ever held whole:
 * `<Prefix>/<mapRunId>/SUCCEEDED_<n>.json`, FAILED_<n>.json, PENDING_<n>.json (a new part once
 * a part reaches `partBytes`; each part in item order) and `manifest.json` listing them, as AWS
 * writes them. WriterConfig: Transformation NONE (default: every entry with its metadata),
 * COMPACT (the child's output alone) or FLATTEN (an output array becomes one entry per element);
 * failed and pending entries always keep the NONE form. OutputType JSON (an array per file) or
 * JSONL (one entry per line).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TaskError } from '../integrations.js';
import type { MapStateDefinition } from './items.js';

export type ResultStatus = 'SUCCEEDED' | 'FAILED' | 'PENDING';
export type Transformation = 'NONE' | 'COMPACT' | 'FLATTEN';
export type OutputType = 'JSON' | 'JSONL';

export interface WriterConfig {
  Transformation: Transformation;
  OutputType: OutputType;
}

/** One finished child as the result files describe it. */
export interface FinishedChild {
  index: number;
  executionArn: string;
  name: string;
  input: unknown;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate: string;
}

/** Locally a part closes at 4 MiB, which bounds the writer's memory (AWS's parts are larger). */
export const DEFAULT_RESULT_PART_BYTES = 4 * 1024 * 1024;

export function writerConfigOf(writer: MapStateDefinition | undefined, stateName: string): WriterConfig {
  const config = writer?.WriterConfig ?? {};
  const transformation = config.Transformation ?? (writer?.Resource ? 'NONE' : 'COMPACT');
  const outputType = config.OutputType ?? 'JSON';
  if (!['NONE', 'COMPACT', 'FLATTEN'].includes(transformation)) {
    throw new TaskError(
      'States.Runtime',
      `state ${stateName}: ResultWriter.WriterConfig.Transformation ${transformation} is not NONE, COMPACT or FLATTEN`,
    );
  }
  if (!['JSON', 'JSONL'].includes(outputType)) {
    throw new TaskError(
      'States.Runtime',
      `state ${stateName}: ResultWriter.WriterConfig.OutputType ${outputType} is not JSON or JSONL`,
    );
  }
  return { Transformation: transformation, OutputType: outputType };
}

/** AWS's full result entry (Transformation NONE). */
export function resultEntry(child: FinishedChild, stateMachineArn: string): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    ExecutionArn: child.executionArn,
    Input: JSON.stringify(child.input),
    InputDetails: { Included: true },
    Name: child.name,
  };
  if (child.status === 'SUCCEEDED') {
    entry.Output = JSON.stringify(child.output ?? null);
    entry.OutputDetails = { Included: true };
  } else {
    entry.Error = child.error ?? '';
    entry.Cause = child.cause ?? '';
  }
  return {
    ...entry,
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: `Execution is ${child.status} and cannot be redriven`,
    StartDate: child.startDate,
    StateMachineArn: stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate,
  };
}

/** A succeeded child's entries under the transformation; a failed one keeps its full entry. */
export function transformedEntries(
  child: FinishedChild,
  stateMachineArn: string,
  transformation: Transformation,
): unknown[] {
  if (child.status !== 'SUCCEEDED' || transformation === 'NONE') return [resultEntry(child, stateMachineArn)];
  const output = child.output ?? null;
  return transformation === 'FLATTEN' && Array.isArray(output) ? output : [output];
}

export function pendingEntry(input: unknown, stateMachineArn: string): Record<string, unknown> {
  return {
    Input: JSON.stringify(input),
    InputDetails: { Included: true },
    Status: 'PENDING',
    StateMachineArn: stateMachineArn,
  };
}

interface Part {
  entries: { index: number; texts: string[] }[];
  bytes: number;
  written: number;
}

export class ResultFileWriter {
  private readonly parts: Record<ResultStatus, Part> = {
    SUCCEEDED: { entries: [], bytes: 0, written: 0 },
    FAILED: { entries: [], bytes: 0, written: 0 },
    PENDING: { entries: [], bytes: 0, written: 0 },
  };
  private readonly files: Record<ResultStatus, { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  private writes: Promise<void> = Promise.resolve();
  private failure: TaskError | undefined;

  constructor(
    private readonly options: {
      s3: S3Client;
      bucket: string;
      /** The ResultWriter Prefix, normalised to end in `/` (or empty). */
      prefix: string;
      mapRunId: string;
      stateName: string;
      config: WriterConfig;
      partBytes: number;
    },
  ) {}

  /** Entries of the child at `index` (item order within a part). */
  add(status: ResultStatus, index: number, entries: unknown[]): void {
    const part = this.parts[status];
    const texts = entries.map((e) => JSON.stringify(e));
    part.entries.push({ index, texts });
    part.bytes += texts.reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
    if (part.bytes >= this.options.partBytes) this.flush(status);
  }

  /** Writes what is left and the manifest; returns the manifest's location. */
  async finish(mapRunArn: string): Promise<{ Bucket: string; Key: string }> {
    for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) this.flush(status);
    await this.writes;
    if (this.failure) throw this.failure;
    const { bucket, prefix, mapRunId } = this.options;
    const key = `${prefix}${mapRunId}/manifest.json`;
    await this.put(
      key,
      JSON.stringify({ DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: this.files }),
    );
    return { Bucket: bucket, Key: key };
  }

  private flush(status: ResultStatus): void {
    const part = this.parts[status];
    if (part.entries.length === 0) return;
    const texts = part.entries.sort((a, b) => a.index - b.index).flatMap((e) => e.texts);
    const body =
      this.options.config.OutputType === 'JSONL' ? `${texts.join('\n')}\n` : `[${texts.join(',')}]`;
    const key = `${this.options.prefix}${this.options.mapRunId}/${status}_${part.written}.json`;
    part.written++;
    part.entries = [];
    part.bytes = 0;
    this.files[status].push({ Key: key, Size: Buffer.byteLength(body, 'utf8') });
    this.writes = this.writes.then(async () => {
      if (this.failure) return;
      try {
        await this.put(key, body);
      } catch (error) {
        this.failure = error as TaskError;
      }
    });
  }

  private async put(key: string, body: string): Promise<void> {
    const { s3, bucket, stateName } = this.options;
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    } catch (error) {
      throw new TaskError(
        'States.ResultWriterFailed',
        `state ${stateName}: cannot write s3://${bucket}/${key}: ${(error as Error).name}: ${(error as Error).message}`,
      );
    }
  }
}
