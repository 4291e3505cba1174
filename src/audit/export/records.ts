import { chainFormat } from '../chain-format.mjs';
import type { ChainSource } from '../verify.ts';

/**
 * The stored columns of one event that both formats share (the audit hash covers them; JSON
 * columns as their stored text). The stores' row type (src/store/event-row.ts) extends it.
 */
export interface StoredEventColumns {
  id: string;
  request_id: string;
  time: string;
  time_ms: number | null;
  route: string;
  model: string | null;
  provider: string | null;
  policy: string;
  decision: string;
  status: number;
  input_tokens: number | null;
  output_tokens: number | null;
  upstream_latency_ms: number | null;
  total_latency_ms: number;
  streamed: number;
  error: string | null;
  /** JSON text: the findings array. */
  findings: string;
  /** JSON text: the scanner records. */
  scanners: string;
  /** JSON text or null: redacted request/response text, or for `full` content `{"sealed": …}` (null once retention cleared it). */
  content: string | null;
}

/**
 * One stored event as exports see it: the row exactly as stored plus its chain fields. Built
 * from a ChainSource, so exports read what verification reads and import nothing from the stores.
 */
export interface ExportRecord extends StoredEventColumns {
  partition: string;
  seq: number;
  prev_hash: string;
  hash: string;
  /** Format 2 records only (src/audit/README.md, "Byte format v2"); absent for format 1. */
  chain_format?: 2;
  project?: string | null;
  key_id?: string | null;
  content_mode?: string | null;
  /** Hex SHA-256 of the stored content text, which the v2 hash covers instead of the content. */
  content_digest?: string | null;
}

/** A finding as stored in `findings` (the fields exports use). */
export interface ExportFinding {
  instance: string;
  scanner: string;
  ruleId: string;
  severity: string;
  score: number;
  segmentId?: string;
  origin?: string;
  action: string;
  message: string;
  clause?: string;
}

export interface ExportFilter {
  /** Inclusive lower bound on the event time (ISO 8601). */
  since?: string;
  /** Exclusive upper bound on the event time (ISO 8601). */
  until?: string;
  /** Only this partition (tenant). */
  partition?: string;
}

/** Parses an ISO bound; errors name the option. */
export function parseBound(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new Error(`${name}: expected an ISO 8601 time such as 2026-01-31T00:00:00Z, got ${JSON.stringify(value)}`);
  return ms;
}

/**
 * Streams the stored events, partition by partition in seq order, one page in memory at a
 * time. `since`/`until` filter on the stored time (records without a parsable time are kept
 * only when no bound is given).
 */
export async function* exportRecords(source: ChainSource, filter: ExportFilter = {}): AsyncIterable<ExportRecord[]> {
  const since = parseBound('--since', filter.since);
  const until = parseBound('--until', filter.until);
  const partitions = filter.partition === undefined ? await source.partitions() : [filter.partition];
  for (const partition of partitions) {
    for await (const page of source.records(partition, {})) {
      const out: ExportRecord[] = [];
      for (const record of page) {
        const format = record.format ?? 1;
        const row: Record<string, unknown> = { partition, seq: record.seq, prev_hash: record.prevHash, hash: record.hash };
        if (format === 2) row.chain_format = 2;
        const fields = chainFormat(format).fields;
        for (let i = 0; i < fields.length; i++) row[fields[i]!] = record.values[i] ?? null;
        if (format === 2) row.content = record.content ?? null;
        const time = row.time_ms as number | null;
        if (since !== undefined && (time === null || time < since)) continue;
        if (until !== undefined && (time === null || time >= until)) continue;
        out.push(row as unknown as ExportRecord);
      }
      if (out.length > 0) yield out;
    }
  }
}

/** The findings of a record; a malformed column yields none rather than failing the export. */
export function findingsOf(record: ExportRecord): ExportFinding[] {
  try {
    const parsed = JSON.parse(record.findings) as unknown;
    return Array.isArray(parsed) ? (parsed as ExportFinding[]) : [];
  } catch {
    return [];
  }
}
