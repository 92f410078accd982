/**
 * Writes a list of any length to S3 as JSON Lines parts under a prefix (`part-00000.jsonl`, ...),
 * holding at most one part in memory: the layout SQL over S3 (Athena) reads as one table.
 */
import { s3Keys } from '../contracts/keys.js';
import type { DocumentStore } from './documents.js';

/** A part closes at 8 MiB: few objects for a query engine, little memory for a Lambda. */
export const JSONL_PART_BYTES = 8 * 1024 * 1024;

export interface JsonlParts {
  add(record: unknown): Promise<void>;
  /** Writes the last part; returns how many records were written. */
  close(): Promise<number>;
}

export function jsonlParts(
  documents: Pick<DocumentStore, 'put'>,
  prefix: string,
  partBytes: number = JSONL_PART_BYTES,
): JsonlParts {
  let lines: string[] = [];
  let bytes = 0;
  let part = 0;
  let records = 0;
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const body = `${lines.join('\n')}\n`;
    lines = [];
    bytes = 0;
    await documents.put(s3Keys.jsonlPart(prefix, part++), body, 'application/x-ndjson');
  };
  return {
    async add(record) {
      const line = JSON.stringify(record);
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
      records++;
      if (bytes >= partBytes) await flush();
    },
    async close() {
      await flush();
      return records;
    },
  };
}
